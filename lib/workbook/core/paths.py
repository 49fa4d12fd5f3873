"""Where things live, resolved from the project root, never from the working directory.

Notebooks run from `notebooks/`, papermill runs them from wherever it is called, and the CLI can be
called from anywhere: every path the workbook uses is therefore derived here, once.  Set
``WORKBOOK_ROOT`` to point an installed (non-editable) copy of the library at a project folder.

A partnership id comes from a command line or a file name, so it is checked to be a plain name
before it becomes part of a path, and every folder built from it is checked, links followed, to
stay inside the folder it belongs to: `workbook run ../../x 2019-20` reads and writes nothing.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from workbook.core import settings
from workbook.core.errors import DataError, ParamsError, WorkbookError
from workbook.core.years import ReportYear

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
SPECS_DIR = _PACKAGE_DIR / "specs"
TEMPLATES_DIR = _PACKAGE_DIR / "templates"
HANDOVER_VARIABLE = settings.VALIDATED_DIR.name
"""Names, in a run's kernel, the private folder where the runner leaves the years it validated."""
PARTNERSHIP_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""Matched whole (`fullmatch`: a `$` would let a trailing newline through)."""
"""A partnership id: the name of its file in params/, lower case, digits, '-' and '_'."""


def check_partnership_id(partnership: str, known: list[str] | tuple[str, ...] = ()) -> str:
    """`partnership` if it is a plain id that cannot leave the folder it names; else a
    ParamsError saying how ids are written (and which of the `known` ids was meant)."""
    if not PARTNERSHIP_ID.fullmatch(str(partnership)):
        meant = did_you_mean(str(partnership), known)
        raise ParamsError(
            f"{str(partnership)!r} is not a partnership id"
            + (f" (did you mean {meant}?)" if meant else "")
            + ": an id is the name of its parameters file without .yaml, made of lower-case "
            "letters, digits, '-' and '_' (e.g. darlington); rename the file in params/ if it "
            "has other characters"
        )
    return partnership


def did_you_mean(given: str, known: list[str] | tuple[str, ...]) -> str | None:
    """The one of `known` that `given` names in other case or spacing, or the closest to it in
    spelling; None where none is close."""
    plain = given.strip().lower()
    close = [k for k in known if k == plain] or difflib.get_close_matches(plain, known, n=1)
    return close[0] if close else None


def inside(root: Path, path: Path, error: type[WorkbookError] = DataError) -> Path:
    """`path` if it stays inside `root` once links are followed; else `error` naming both."""
    base, resolved = Path(root).resolve(), Path(path).resolve()
    if resolved != base and not resolved.is_relative_to(base):
        raise error(
            f"{path} leads outside {root} (to {resolved}, through a link or '..'); "
            f"the workbook only uses folders inside {root}: remove the link, or "
            "give the real folder with --data-dir or --outputs-dir"
        )
    return path


def in_publishing_run() -> bool:
    """Whether this process is a `workbook run` kernel (whose outputs are published and kept),
    rather than an analyst's JupyterLab session."""
    return settings.validated_dir() is not None


def project_root() -> Path:
    """The project folder: ``WORKBOOK_ROOT`` if set, else the checkout this library lives in."""
    root = settings.project_root() or _PACKAGE_DIR.parents[1]
    if not (root / "params").is_dir():
        raise WorkbookError(
            f"{root} is not a workbook project (it has no params/ folder); "
            "set WORKBOOK_ROOT to the project folder"
        )
    return root


def params_dir() -> Path:
    return project_root() / "params"


def data_dir() -> Path:
    return project_root() / "data"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def outputs_dir() -> Path:
    return project_root() / "outputs"


def codebook_path() -> Path:
    return data_dir() / "codebook" / "themes.yaml"


def national_store() -> Path:
    """Where `workbook indicators import` keeps DfE's figures: under data/, never committed."""
    return data_dir() / "national"


def _data_root(given: Path | None) -> Path:
    """A data folder given on the command line or in a notebook, else the project's own."""
    return Path(given) if given else data_dir()


def year_folder(partnership: str, year: str, data_dir: Path | None = None) -> Path:
    """A partnership-year's data folder, e.g. data/northdale/2022-23, checked to lie inside
    the data folder."""
    root = _data_root(data_dir)
    return inside(root, root / check_partnership_id(partnership) / ReportYear.parse(year).label)


def available_years(partnership: str, data_dir: Path | None = None) -> list[str]:
    """Years for which a partnership has a data folder, oldest first."""
    root = _data_root(data_dir)
    folder = inside(root, root / check_partnership_id(partnership))
    if not folder.is_dir():
        return []
    years = []
    for child in folder.iterdir():
        try:
            years.append(ReportYear.parse(child.name))
        except WorkbookError:
            continue
    return [y.label for y in sorted(years)]
