"""Where things live, resolved from the project root, never from the working directory.

Notebooks run from `notebooks/`, papermill runs them from wherever it is called, and the CLI can be
called from anywhere: every path the workbook uses is therefore derived here, once.  Set
``WORKBOOK_ROOT`` to point an installed (non-editable) copy of the library at a project folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.core.years import ReportYear

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
SPECS_DIR = _PACKAGE_DIR / "specs"
TEMPLATES_DIR = _PACKAGE_DIR / "templates"
HANDOVER_VARIABLE = "WORKBOOK_VALIDATED_DIR"
"""Names, in a run's kernel, the private folder where the runner leaves the years it validated."""


def in_publishing_run() -> bool:
    """Whether this process is a `workbook run` kernel (whose outputs are published and kept),
    rather than an analyst's JupyterLab session."""
    return bool(os.environ.get(HANDOVER_VARIABLE))


def project_root() -> Path:
    """The project folder: ``WORKBOOK_ROOT`` if set, else the checkout this library lives in."""
    env = os.environ.get("WORKBOOK_ROOT")
    root = Path(env).expanduser().resolve() if env else _PACKAGE_DIR.parents[1]
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
    """A partnership-year's data folder, e.g. data/northdale/2022-23 (the year as given,
    2022/23 or 2022-23, is written in its standard form)."""
    return _data_root(data_dir) / partnership / ReportYear.parse(year).label


def available_years(partnership: str, data_dir: Path | None = None) -> list[str]:
    """Years for which a partnership has a data folder, oldest first."""
    folder = _data_root(data_dir) / partnership
    if not folder.is_dir():
        return []
    years = []
    for child in folder.iterdir():
        try:
            years.append(ReportYear.parse(child.name))
        except WorkbookError:
            continue
    return [y.label for y in sorted(years)]
