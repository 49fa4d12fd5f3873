"""`workbook template`: an Excel workbook for a partnership-year that agencies fill in.

One sheet per table of the contract with its header row (required columns shaded darker, each
header's comment saying what goes in it), drop-down lists for every coded column (types,
statuses, kinds, judgements, themes, indicators, agencies, the partnership's councils), date
columns formatted as UK dates, an instructions sheet, and the year's existing data. Read back by
`workbook validate`, the workbook gives exactly the tables it was written from: day dates are
date cells, dates given as a month, a year or a reporting year are text as `span_label` writes
them, numbers are numbers, ids and codes are text, and text a spreadsheet would run as a formula
is neutralised (the reader takes the mark off again).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workbook.core.dates import FORMS, precision, span_label
from workbook.core.errors import OutputsError, ParamsError
from workbook.core.paths import year_folder
from workbook.core.spreadsheet_safety import neutralise
from workbook.inputs.contract import ColumnSpec, TableSpec, load_contract, ranges
from workbook.inputs.excel import INSTRUCTIONS_SHEET, LISTS_SHEET
from workbook.inputs.loading import read_year
from workbook.inputs.params import load_params
from workbook.inputs.partnership import Partnership
from workbook.inputs.validation import validate_tables
from workbook.inputs.vocabularies import vocabulary

BLANK_ROWS = 500
"""Rows below the data that carry the drop-downs and formats, ready to be filled."""
DATE_FORMAT = "dd/mm/yyyy"
REQUIRED_FILL = PatternFill("solid", fgColor="B4C6E7")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
AGENCIES = (
    "multi-agency",
    "Children's social care",
    "Police",
    "Health",
    "Education",
    "Probation",
    "Adult social care",
    "Early help",
    "Youth justice",
    "Partnership",
)
"""Agencies offered in the drop-downs beside those the partnership's data already name."""


@dataclass(frozen=True)
class TemplateWritten:
    path: Path
    rows: dict[str, int]
    problems: int
    """Problems in the existing data (copied as they were, for the agencies to put right)."""


def _existing(params: Partnership, data_dir) -> tuple[dict[str, pd.DataFrame], int]:
    """The year's tables, typed when they are valid, else as written (text), and how many
    problems they have; none when the year has no folder yet."""
    if not year_folder(params.id, params.year, data_dir).is_dir():
        return {}, 0
    raw = read_year(params.id, params.year, data_dir)
    typed, problems = validate_tables(raw, params.report_year, councils=params.council_list())
    if not problems:
        return typed, 0
    return {name: table.frame for name, table in raw.items() if table.present}, len(problems)


def _cell_value(value, column: ColumnSpec, end=None):
    """What a cell holds: a date cell for a day, a label for a coarser date, numbers as numbers,
    everything else as neutralised text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column.type == "date" and isinstance(value, pd.Timestamp):
        if precision(value, end if end is not None and pd.notna(end) else value) == "day":
            return value.to_pydatetime()
        return span_label(value, end)
    if column.type == "integer" and not isinstance(value, str):
        return int(value)
    if column.type == "number" and not isinstance(value, str):
        return float(value)
    return neutralise(str(value))


class _Lists:
    """The hidden `lists` sheet: one column per drop-down list, referenced by the validations."""

    def __init__(self, book: Workbook):
        self.sheet = book.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.columns: dict[tuple[str, ...], str] = {}

    def range_for(self, title: str, values: tuple[str, ...]) -> str:
        if values not in self.columns:
            position = len(self.columns) + 1
            letter = get_column_letter(position)
            self.sheet.cell(1, position, title)
            for row, value in enumerate(values, start=2):
                self.sheet.cell(row, position, neutralise(value))
            self.columns[values] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        return self.columns[values]


def _choices(
    column: ColumnSpec, agencies: tuple[str, ...], councils: tuple[str, ...]
) -> tuple[tuple[str, ...], bool]:
    """A column's drop-down values and whether other values are refused (stop) or only
    questioned (information: several themes, an agency not on the list)."""
    if column.values:
        return tuple(column.values), True
    if column.type == "council":
        return councils, True
    if column.vocabulary:
        return tuple(sorted(vocabulary(column.vocabulary) or ())), column.type == "category"
    if column.name in ("agency", "owner_agency"):
        return agencies, False
    return (), False


def _validations(
    sheet,
    table: TableSpec,
    last_row: int,
    lists: _Lists,
    agencies: tuple[str, ...],
    councils: tuple[str, ...],
) -> None:
    for position, column in enumerate(table.columns.values(), start=1):
        letter = get_column_letter(position)
        cells = f"{letter}2:{letter}{last_row}"
        values, strict = _choices(column, agencies, councils)
        check = None
        if values:
            check = DataValidation(
                type="list",
                formula1=f"={lists.range_for(column.name, values)}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop" if strict else "information",
                errorTitle=column.name,
                error="Choose from the list" + ("" if strict else " (or keep what you typed)"),
            )
        elif column.type == "integer":
            check = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.name,
                error="A whole number of 0 or more",
            )
        elif column.type == "date":
            check = DataValidation(
                allow_blank=True,
                showInputMessage=True,
                promptTitle="Date",
                prompt="A day (12/05/2019), a month (May 2019), a year (2019) "
                "or a reporting year (2019-20)"
                + (", or 'by March', 'by the end of the year'" if column.due else ""),
            )
        if check is not None:
            sheet.add_data_validation(check)
            check.add(cells)
        if column.type == "date":
            for row in range(2, last_row + 1):
                sheet[f"{letter}{row}"].number_format = DATE_FORMAT
        elif column.type in ("id", "ids", "text", "category", "list"):
            for row in range(2, last_row + 1):
                sheet[f"{letter}{row}"].number_format = "@"


def _table_sheet(
    book: Workbook,
    table: TableSpec,
    frame: pd.DataFrame | None,
    lists: _Lists,
    agencies: tuple[str, ...],
    councils: tuple[str, ...],
) -> int:
    sheet = book.create_sheet(table.name)
    for position, column in enumerate(table.columns.values(), start=1):
        cell = sheet.cell(1, position, column.name)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.comment = Comment(
            ("Required. " if column.required else "") + column.description, "workbook"
        )
        sheet.column_dimensions[get_column_letter(position)].width = {
            "text": 48,
            "date": 14,
            "integer": 12,
            "number": 12,
        }.get(column.type, 20)
    sheet.freeze_panes = "A2"
    rows = 0 if frame is None else len(frame)
    if frame is not None and rows:
        for row, (_, record) in enumerate(frame.iterrows(), start=2):
            for position, column in enumerate(table.columns.values(), start=1):
                if column.name not in record.index:
                    continue
                value = _cell_value(record[column.name], column, record.get(f"{column.name}_end"))
                cell = sheet.cell(row, position, value)
                if column.type == "text":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    _validations(sheet, table, rows + 1 + BLANK_ROWS, lists, agencies, councils)
    return rows


def _instructions(book: Workbook, name: str, year: str, problems: int) -> None:
    sheet = book.create_sheet(INSTRUCTIONS_SHEET, 0)
    limits = "; ".join(r.words for r in ranges().values())
    lines = [
        (f"{name}: data for {year}", True),
        (
            "Fill one sheet per table: one row per review, audit, finding, action or figure. Keep "
            "the header row as it is (darker headers are required columns; each header's comment "
            "says what goes in it). Choose coded values from the drop-down lists.",
            False,
        ),
        (f"Dates: {FORMS}. Write a date only as precisely as you know it.", False),
        (
            "Several ids in one cell (a finding from two audits, an action answering two "
            "findings): separate them with ';', e.g. A1; A2.",
            False,
        ),
        (f"Figures in the indicators sheet: {limits}.", False),
        (
            "Put the filled workbook in data/<partnership>/<year>/ in place of the CSV files, then "
            "run: workbook validate <partnership> <year>. Every problem is named by sheet, row and "
            "column.",
            False,
        ),
    ]
    if problems:
        lines.append(
            (
                f"The year's existing data had {problems} problem(s) and are copied as "
                "they were written: `workbook validate` lists them.",
                True,
            )
        )
    lines.append(("", False))
    lines.append(("The sheets:", True))
    lines += [(f"{table.name}: {table.description}", False) for table in load_contract().values()]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row, 1, text)
        cell.font = Font(bold=bold, size=14 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 120


def _agencies(tables: dict[str, pd.DataFrame]) -> tuple[str, ...]:
    named = set()
    for table, column in (("findings", "agency"), ("actions", "owner_agency")):
        if table in tables and column in tables[table]:
            named |= {str(v) for v in tables[table][column].dropna()}
    return tuple(dict.fromkeys([*AGENCIES, *sorted(named - set(AGENCIES))]))


def write_template(
    partnership: str, year: str, out: Path, params_dir=None, data_dir=None
) -> TemplateWritten:
    """Write the Excel template of one partnership-year to `out` (an .xlsx file)."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ParamsError(f"{out}: the template is an Excel workbook: give a name ending .xlsx")
    params = load_params(partnership, year, params_dir)
    tables, problems = _existing(params, data_dir)
    book = Workbook()
    book.remove(book.active)
    lists = _Lists(book)
    agencies = _agencies(tables)
    councils = tuple(dict.fromkeys(v for pair in params.council_list() for v in pair if v))
    rows = {}
    for table in load_contract().values():
        frame = tables.get(table.name)
        rows[table.name] = _table_sheet(book, table, frame, lists, agencies, councils)
    _instructions(book, params.name, params.year, problems)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
    except OSError as exc:
        raise OutputsError(
            f"cannot write {out}: {(exc.strerror or 'refused').lower()}; give "
            "--out a file in a folder you can write to"
        ) from exc
    return TemplateWritten(out, rows, problems)
