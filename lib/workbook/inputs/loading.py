"""Reading a partnership's year of data as supplied: one CSV per table, or one Excel workbook.

Everything is read as text first, so that the validator can say exactly which cell is wrong
instead of pandas guessing a type and losing the original value.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from workbook.core.errors import DataError, DataValidationError
from workbook.core.paths import year_folder
from workbook.inputs.contract import load_contract

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
FIRST_DATA_ROW = 2
"""Row numbers in messages are those a spreadsheet shows: the header is row 1, and blank lines
count, as they do in a spreadsheet and a text editor."""


@dataclass(frozen=True)
class RawTable:
    """One table exactly as supplied, every cell a string (blank cells are NA)."""

    name: str
    source: str
    frame: pd.DataFrame

    def row_number(self, index) -> int | None:
        return None if index is None else int(index) + FIRST_DATA_ROW


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim whitespace, turn blank cells into NA and drop rows that are wholly blank."""
    frame = frame.rename(columns=lambda c: str(c).strip())
    frame = frame.apply(lambda col: col.map(lambda v: v.strip() if isinstance(v, str) else v))
    frame = frame.replace({"": pd.NA})
    return frame.dropna(how="all")


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=False)
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [f"{path}: not UTF-8 text (save the sheet as 'CSV UTF-8'): {exc}"]
        ) from exc
    except pd.errors.ParserError as exc:
        raise DataValidationError([_unreadable_csv(path, str(exc))]) from exc
    except pd.errors.EmptyDataError as exc:
        raise DataValidationError([f"{path}: the file is empty (it needs a header row)"]) from exc
    return _tidy(frame)


def _unreadable_csv(path: Path, reason: str) -> str:
    """What is wrong with a CSV file the parser gave up on, in the words of a spreadsheet."""
    if fields := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", reason):
        expected, line, saw = fields.groups()
        return (f"{path}, line {line}: {saw} values where the header has {expected}; a value "
                "with a comma in it needs double quotes around it (\"like, this\"), or remove "
                "the extra comma")
    if quote := re.search(r"EOF inside string starting at row (\d+)", reason):
        return (f"{path}, line {int(quote[1]) + 1}: a double quote opens a value that never "
                "closes; close it, or remove the quote")
    return f"{path}: not a readable CSV file ({reason.strip()}); save it again as CSV UTF-8"


def _read_narrative_folder(folder: Path) -> pd.DataFrame:
    rows = [
        {"block": md.stem, "markdown": md.read_text(encoding="utf-8")}
        for md in sorted(folder.glob("*.md"))
    ]
    return pd.DataFrame(rows, columns=["block", "markdown"], dtype=object)


def _excel_cell_to_text(value):
    """Excel dates arrive as timestamps: keep the date, so the validator sees YYYY-MM-DD."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if value is None or isinstance(value, str) else str(value)


def read_year(partnership: str, year: str, data_dir: Path | None = None) -> dict[str, RawTable]:
    """The raw tables of one partnership-year, from CSV files or an Excel workbook."""
    folder = year_folder(partnership, year, data_dir)
    if not folder.is_dir():
        raise DataError(f"{folder}: no data folder for {partnership} {year}; make it and put "
                        "the year's CSV files (or one Excel workbook) in it")
    workbooks = sorted(p for p in folder.iterdir() if p.suffix.lower() in EXCEL_SUFFIXES
                       and not p.name.startswith("~$"))
    csvs = {p.stem: p for p in folder.glob("*.csv")}
    if workbooks and csvs:
        raise DataError(
            f"{folder}: holds both an Excel workbook and CSV files; keep one form of the data"
        )
    if len(workbooks) > 1:
        names = ", ".join(p.name for p in workbooks)
        raise DataError(f"{folder}: more than one Excel workbook ({names}); keep one")
    contract = load_contract()
    tables: dict[str, RawTable] = {}
    if workbooks:
        book = workbooks[0]
        try:
            sheets = pd.read_excel(book, sheet_name=None, dtype=object, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise DataValidationError([f"{book}: not a readable Excel workbook: {exc}"]) from exc
        for sheet, frame in sheets.items():
            name = str(sheet).strip().lower()
            frame = frame.map(_excel_cell_to_text).astype(object)
            tables[name] = RawTable(name, f"{book} [sheet {sheet}]", _tidy(frame))
    else:
        for name, path in csvs.items():
            tables[name] = RawTable(name, str(path), _read_csv(path))
        narrative = folder / "narrative"
        if narrative.is_dir():
            tables["narrative"] = RawTable(
                "narrative", str(narrative), _read_narrative_folder(narrative)
            )
    for name, spec in contract.items():
        if name not in tables and not spec.required:
            columns = list(spec.columns)
            tables[name] = RawTable(name, str(folder / f"{name}.csv"),
                                    pd.DataFrame(columns=columns, dtype=object))
    return tables
