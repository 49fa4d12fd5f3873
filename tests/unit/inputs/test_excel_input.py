"""A year supplied as one Excel workbook: every problem named by sheet, row, column and cell,
and what Excel did to a cell (a formula never calculated, an id turned into a date, a month
typed as a date) read as the person meant it or said."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from conftest import TINY_PARAMS, TINY_TABLES, folders
from workbook.inputs.loading import read_year
from workbook.inputs.validation import validate_tables
from workbook.run.cli import main


def write_book(root: Path, tables: dict[str, str] | None = None, edit=None) -> Path:
    """TINY_TABLES as one workbook in root/data/testshire/2019-20/ (cells as text, as a person
    pasting CSV would have them), after `edit(book)` if given."""
    folder = root / "data" / "testshire" / "2019-20"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "params").mkdir(exist_ok=True)
    (root / "params" / "testshire.yaml").write_text(TINY_PARAMS, encoding="utf-8")
    book = Workbook()
    book.remove(book.active)
    for name, text in (TINY_TABLES if tables is None else tables).items():
        sheet = book.create_sheet(name)
        for row in csv.reader(io.StringIO(text)):
            sheet.append([cell or None for cell in row])
    if edit:
        edit(book)
    path = folder / "testshire.xlsx"
    book.save(path)
    return path


def check(root: Path):
    warnings: list = []
    raw = read_year("testshire", "2019-20", root / "data")
    typed, problems = validate_tables(raw, "2019-20", None, warnings)
    return typed, [str(p) for p in problems], [str(w) for w in warnings]


def test_a_bad_cell_is_named_by_sheet_row_column_and_cell(tmp_path):
    def edit(book):
        book["audits"]["E2"] = "twelve"
        book["findings"]["E3"] = "lesson"

    path = write_book(tmp_path, edit=edit)
    _, problems, _ = check(tmp_path)
    assert (
        f"{path}, sheet 'audits', row 2, column 'cases_audited' (cell E2): 'twelve' is not "
        "a whole number: write digits only, e.g. 12" in problems
    )
    assert any(
        p.startswith(
            f"{path}, sheet 'findings', row 3, column 'kind' (cell E3): 'lesson' "
            "is not one of: strength"
        )
        for p in problems
    ), problems
    assert not any(".csv" in p for p in problems)


def test_a_formula_with_no_saved_value_is_a_warning_naming_the_cell(tmp_path, capsys):
    def edit(book):
        book["audits"]["E2"] = "=SUM(F2:I2)"  # openpyxl saves no value for it, as a script would

    path = write_book(tmp_path, edit=edit)
    typed, problems, warnings = check(tmp_path)
    assert problems == []
    assert pd.isna(typed["audits"]["cases_audited"].iloc[0])
    assert warnings == [
        f"{path}, sheet 'audits', row 2, column 'cases_audited' (cell E2): the "
        "cell holds a formula with no saved value (=SUM(F2:I2)), read as blank: "
        "open the workbook in Excel, let it calculate and save it, or type the "
        "value"
    ]
    code = main(["validate", "testshire", "2019-20", *folders(tmp_path)])
    assert code == 0
    assert "warning: " in capsys.readouterr().err


def test_missing_sheets_are_named_with_the_workbook_not_csv_files(tmp_path):
    tables = {name: TINY_TABLES[name] for name in ("reviews", "audits")}
    path = write_book(tmp_path, tables, edit=lambda book: book.create_sheet("Sheet3"))
    _, problems, _ = check(tmp_path)
    assert (
        f"{path}: the workbook has no sheet 'findings', 'actions', 'indicators' (its sheets: "
        "'reviews', 'audits', 'Sheet3'): add a sheet for each table, named as the table, with "
        "its header row" in problems
    )
    assert not any(".csv" in p for p in problems), problems
    assert any("sheet 'Sheet3'" in p and "'sheet3' is not a table" in p for p in problems)


def test_an_id_excel_turned_into_a_date_is_refused(tmp_path):
    def edit(book):
        book["reviews"]["A2"] = datetime(2020, 3, 1)

    path = write_book(tmp_path, edit=edit)
    _, problems, _ = check(tmp_path)
    assert (
        f"{path}, sheet 'reviews', row 2, column 'review_id' (cell A2): Excel has turned this "
        "id into a date (2020-03-01): format the column as Text and type the id again" in problems
    )


def test_a_month_typed_into_a_date_cell_stays_a_month(tmp_path):
    def edit(book):
        cell = book["reviews"]["E2"]  # notified_date: Excel turns "May 2019" into this
        cell.value, cell.number_format = datetime(2019, 5, 1), "mmm-yy"
        cell = book["reviews"]["F2"]
        cell.value, cell.number_format = datetime(2019, 5, 20), "dd/mm/yyyy"

    write_book(tmp_path, edit=edit)
    typed, problems, _ = check(tmp_path)
    assert problems == []
    reviews = typed["reviews"]
    assert reviews["notified_date"].iloc[0] == pd.Timestamp("2019-05-01")
    assert reviews["notified_date_end"].iloc[0] == pd.Timestamp("2019-05-31")
    assert reviews["decided_date"].iloc[0] == reviews["decided_date_end"].iloc[0]


def test_instruction_and_list_sheets_are_not_tables(tmp_path):
    def edit(book):
        book.create_sheet("Instructions")["A1"] = "Fill in every sheet"
        book.create_sheet("lists")["A1"] = "review_type"

    write_book(tmp_path, edit=edit)
    assert check(tmp_path)[1] == []


def test_rows_keep_their_spreadsheet_numbers_after_blank_rows(tmp_path):
    def edit(book):
        sheet = book["findings"]
        sheet.insert_rows(3, amount=2)  # two blank rows: F2 moves to row 5
        sheet["E5"] = "lesson"

    path = write_book(tmp_path, edit=edit)
    _, problems, _ = check(tmp_path)
    assert any(
        p.startswith(f"{path}, sheet 'findings', row 5, column 'kind' (cell E5)") for p in problems
    ), problems
