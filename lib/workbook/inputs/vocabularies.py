"""The lists a column's values are checked against: the codebook's theme ids, the indicator
catalogue's ids and units, the units a count may count. The library's specs are read once a
process (`load_spec`); the codebook, which an analyst edits, once per version of its file (its
stamp is in the cache key)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from workbook.core import paths
from workbook.core.errors import CodebookError, WorkbookError
from workbook.core.yamlfile import CODEBOOK, BudgetExceeded, YAMLError, load_file, load_spec
from workbook.disclosure.units import all_units


def stat(path: Path):
    """A file's stat, or None when there is no such file."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def vocabulary(name: str) -> frozenset[str] | None:
    """Allowed ids for a `vocabulary` column, or None when the list is not available."""
    if name == "count_units":
        return frozenset(all_units())
    error: type[WorkbookError] = CodebookError
    if name == "codebook":
        path = paths.codebook_path()
    else:  # a spec of the library's own, `specs/<name>.yaml`, listing its ids under `name`
        path, error = paths.SPECS_DIR / f"{name}.yaml", WorkbookError
    found = stat(path)
    if found is None:
        return None
    try:
        if name == "codebook":
            return _read_codebook_themes(path, found.st_mtime_ns, found.st_size)
        return _ids(load_spec(name).get(name, []))
    except (YAMLError, UnicodeDecodeError, OSError) as exc:
        said = " ".join(str(exc).split())
        raise error(said if isinstance(exc, BudgetExceeded) else f"{path}: {said}") from exc


def catalogue_units() -> dict[str, str]:
    """Each catalogue indicator's unit (specs/indicators.yaml)."""
    return {entry["id"]: entry["unit"] for entry in load_spec("indicators").get("indicators", [])}


@cache
def _read_codebook_themes(path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """Read once per version of the codebook (its stamp is in the key): every year and table
    of a run checks against the same codebook, while an analyst's edit is read afresh."""
    return _ids(load_file(path, CODEBOOK).get("themes", []))


def _ids(entries) -> frozenset[str]:
    """The ids of a list of entries, or the keys of a mapping of them."""
    if isinstance(entries, dict):
        return frozenset(entries)
    return frozenset(entry["id"] for entry in entries)
