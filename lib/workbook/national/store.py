"""Which DfE figures a run uses, and keeping them: the workbook's own store (filled by
`workbook indicators import`), else a folder of DfE's files, read once a process and kept
between runs in the store's form (workbook.core.file_cache), else none.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from workbook.core import file_cache, paths, settings
from workbook.core.errors import NationalDataError
from workbook.core.spreadsheet_safety import write_csv
from workbook.national.dfe import NationalData, read_folder


def import_folder(folder: str | Path, store: Path | None = None) -> NationalData:
    """Load a DfE folder into the workbook's own store (replacing what was imported before)."""
    data = read_folder(folder)
    target = Path(store) if store else paths.national_store()
    target.mkdir(parents=True, exist_ok=True)
    _write_store(data, target)
    (target / "SOURCE.txt").write_text(
        f"Imported from {Path(folder).resolve()}\n", encoding="utf-8"
    )
    load_store.cache_clear()
    return data


def _write_store(data: NationalData, target: Path) -> None:
    write_csv(data.figures, target / "figures.csv")
    write_csv(data.neighbours, target / "neighbours.csv")


@cache
def load_store(store: Path | None = None) -> NationalData | None:
    """The imported store, or None when nothing has been imported."""
    target = Path(store) if store else paths.national_store()
    if not (target / "figures.csv").exists():
        return None
    figures = pd.read_csv(
        target / "figures.csv",
        dtype={"code": str, "new_code": str, "symbol": str},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    neighbours = pd.read_csv(target / "neighbours.csv", dtype={"code": str, "neighbour": str})
    return NationalData(figures, neighbours, str(target))


@cache
def _read_folder_cached(folder: Path, entry: Path) -> NationalData:
    """A folder read once a process, and kept between runs (workbook.core.file_cache) in the
    store's form, which reads back the same tables ten times faster than the files."""
    kept = load_store(entry) if file_cache.intact(entry) else None
    if kept is not None:
        return NationalData(kept.figures, kept.neighbours, str(folder))
    data = read_folder(folder)
    file_cache.keep(entry, folder, lambda private: _write_store(data, private))
    return data


def national_data(dfe_dir: str | Path | None = "") -> NationalData | None:
    """The DfE figures to use: a given folder; else the imported store; else WORKBOOK_DFE_DIR.

    None means there are none, and sections fall back to the partnership's own figures.
    """
    if dfe_dir:
        folder = Path(dfe_dir).expanduser().resolve()
        if not folder.is_dir():
            raise NationalDataError(f"{folder}: no such folder of DfE files")
        entry = file_cache.entry_for("dfe", folder, folder.glob("*.csv"))
        return _read_folder_cached(folder, entry)
    stored = load_store()
    if stored is not None:
        return stored
    env = settings.dfe_dir()
    if env and env.is_dir():
        return national_data(env)
    return None
