"""Reading a year's Excel workbook with openpyxl, cell by cell, so that the reader can say what
Excel did to a cell (a formula it never calculated, an id it turned into a date) and name the
cell (B3)."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from workbook.core.errors import DataValidationError
from workbook.core.spreadsheet_safety import FORMULA_TRIGGERS
from workbook.inputs.budgets import MAX_ROWS, check_workbook, refused
from workbook.inputs.contract import load_contract
from workbook.inputs.raw_tables import FIRST_DATA_ROW, CellNote, RawTable, tidy

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
INSTRUCTIONS_SHEET, LISTS_SHEET = "instructions", "lists"
NOT_TABLES = (INSTRUCTIONS_SHEET, LISTS_SHEET)
"""Sheets of an Excel workbook that are not tables: the template's instructions and the lists
its drop-downs offer."""
NEUTRALISED = re.compile("^'(?=[" + re.escape("".join(FORMULA_TRIGGERS)) + "])")
"""The quote the workbook puts before text a spreadsheet would run as a formula (see
workbook.core.spreadsheet_safety): its own mark, taken off when the cell is read back."""


def _date_text(value: datetime, number_format: str | None) -> str:
    """A date cell as text at the precision its format shows: Excel turns "May 2019" typed in a
    cell into 1 May 2019 shown as "May-19", so a format without the day is read as the month
    (without the month, as the year)."""
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    if "y" in shown and not any(mark in shown for mark in "dhs"):
        return value.strftime("%Y-%m") if "m" in shown else value.strftime("%Y")
    return value.date().isoformat() if value.time() == time() else value.isoformat()


def _excel_cell_to_text(value, number_format: str | None = None):
    """A cell's value as the text the validator reads: dates as YYYY-MM-DD (or YYYY-MM, YYYY as
    the cell's format shows them), whole numbers without ".0", TRUE/FALSE as yes/no, the
    workbook's own formula guard taken off."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _date_text(value, number_format)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return NEUTRALISED.sub("", value)
    return str(value)


def _sheet_table(name: str, sheet, formulas, book: Path) -> RawTable:
    """One sheet as a raw table: header from row 1, rows numbered as Excel numbers them."""
    spec = load_contract().get(name)
    id_columns = (
        {c.name for c in spec.columns.values() if c.type in ("id", "ids")} if spec else set()
    )
    rows = list(itertools.islice(sheet.iter_rows(), MAX_ROWS + 2))  # its used range may lie
    if len(rows) > MAX_ROWS + 1:
        raise refused(
            f"{book}, sheet '{sheet.title}'",
            f"more than {MAX_ROWS:,} rows",
            f"{MAX_ROWS:,} rows a table may hold",
        )
    header = [cell.value for cell in rows[0]] if rows else []
    width = max((len(row) for row in rows), default=0)
    columns, letters = [], {}
    for position in range(1, width + 1):
        letter = get_column_letter(position)
        title = header[position - 1] if position <= len(header) else None
        text = "" if title is None else str(title).strip()
        if text in columns:
            text = f"{text} (again, column {letter})"
        columns.append(text or f"(no header, column {letter})")
        letters[columns[-1]] = letter
    notes, records, index = [], [], []
    for number, row in enumerate(rows[1:], start=FIRST_DATA_ROW):
        record = {}
        for position, cell in enumerate(row[: len(columns)]):
            column, value = columns[position], cell.value
            if value is None and formulas.get((number, position)):
                notes.append(
                    CellNote(
                        number,
                        column,
                        "the cell holds a formula with no saved "
                        f"value ({formulas[(number, position)]}), read as blank: open the "
                        "workbook in Excel, let it calculate and save it, or type the value",
                        warning=True,
                    )
                )
            if column in id_columns and isinstance(value, datetime | date):
                notes.append(
                    CellNote(
                        number,
                        column,
                        "Excel has turned this id into "
                        f"a date ({_excel_cell_to_text(value)}): format the column as Text "
                        "and type the id again",
                    )
                )
            record[column] = _excel_cell_to_text(value, getattr(cell, "number_format", None))
        records.append(record)
        index.append(number - FIRST_DATA_ROW)
    frame = pd.DataFrame(records, columns=columns, index=index, dtype=object)
    unnamed = [c for c in columns if c.startswith("(no header") and frame[c].isna().all()]
    frame = tidy(frame.drop(columns=unnamed))
    source = f"{book}, sheet '{sheet.title}'"
    return RawTable(name, source, frame, letters=letters, notes=tuple(notes), workbook=str(book))


def _formula_cells(book: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet, the formula of every cell that holds one, by (row, column position)."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    workbook = load_workbook(book, read_only=True, data_only=False)
    try:
        for sheet in workbook.worksheets:
            cells = found.setdefault(sheet.title, {})
            for number, row in enumerate(sheet.iter_rows(), start=1):
                for position, cell in enumerate(row):
                    if getattr(cell, "data_type", None) == "f":
                        cells[(number, position)] = str(cell.value)
    finally:
        workbook.close()
    return found


def read_workbook(book: Path) -> dict[str, RawTable]:
    check_workbook(book)
    try:
        formulas = _formula_cells(book)
        workbook = load_workbook(book, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataValidationError(
            [
                f"{book}: not a readable Excel workbook ({exc}): save it "
                "again from Excel as an .xlsx workbook"
            ]
        ) from exc
    tables = {}
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            if name in NOT_TABLES:
                continue
            tables[name] = _sheet_table(name, sheet, formulas.get(sheet.title, {}), book)
    finally:
        workbook.close()
    return tables


def excel_workbooks(folder: Path) -> list[Path]:
    """The Excel workbooks of a year's folder (not Excel's own "~$" lock files)."""
    return sorted(
        p
        for p in (folder.iterdir() if folder.is_dir() else ())
        if p.suffix.lower() in EXCEL_SUFFIXES and not p.name.startswith("~$")
    )
