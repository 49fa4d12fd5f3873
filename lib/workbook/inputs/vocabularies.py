"""The lists a column's values are checked against: the codebook's theme ids, the indicator
catalogue's ids and units, the units a count may count. Each is read once per version of its
file (its stamp is in the cache key): every year and table of a run checks against the same
lists, while an edited file is read afresh."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from workbook.core import paths
from workbook.core.errors import CodebookError, WorkbookError
from workbook.core.yamlfile import CODEBOOK, SPECS, BudgetExceeded, YAMLError, load_file
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
    if name == "codebook":
        path = paths.codebook_path()
        key = "themes"
    else:
        path = paths.SPECS_DIR / f"{name}.yaml"
        key = name
    found = stat(path)
    if found is None:
        return None
    try:
        return _read_vocabulary(path, key, found.st_mtime_ns, found.st_size)
    except (YAMLError, UnicodeDecodeError, OSError) as exc:
        said = " ".join(str(exc).split())
        error = CodebookError if name == "codebook" else WorkbookError
        raise error(said if isinstance(exc, BudgetExceeded) else f"{path}: {said}") from exc


def catalogue_units() -> dict[str, str]:
    """Each catalogue indicator's unit (specs/indicators.yaml), read once per version of it."""
    path = paths.SPECS_DIR / "indicators.yaml"
    found = stat(path)
    return dict(_read_units(path, found.st_mtime_ns, found.st_size))


@cache
def _read_units(path: Path, mtime_ns: int, size: int) -> tuple[tuple[str, str], ...]:
    entries = load_file(path, SPECS).get("indicators", [])
    return tuple((entry["id"], entry["unit"]) for entry in entries)


@cache
def _read_vocabulary(path: Path, key: str, mtime_ns: int, size: int) -> frozenset[str]:
    """Read once per version of the file (its stamp is in the key): every year and table of a
    run checks against the same codebook, while an edited file is read afresh."""
    entries = load_file(path, CODEBOOK).get(key, [])
    if isinstance(entries, dict):
        return frozenset(entries)
    return frozenset(entry["id"] for entry in entries)
