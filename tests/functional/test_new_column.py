"""Adding a column to a table is one edit to the contract (lib/workbook/specs/contract.yaml) and
the code that uses it: everything else that lays out the tables reads the contract. Here a column
no table has is added to the contract as it is loaded, and each of those readers must offer it
without a change of its own: the contract's document, the loader (a file with the column and a
file without it), the empty year of `workbook new`, the Excel template of `workbook template`
(a column with a drop-down list of its values) and the demo generator's CSV files. (The
hypothesis test, tests/functional/test_any_valid_year.py, writes its files with the contract's
columns in the same way.)"""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from conftest import demo_generator, write_year
from workbook.core.years import ReportYear
from workbook.inputs.contract import ColumnSpec, contract_markdown, load_contract
from workbook.inputs.report import open_report
from workbook.onboarding.scaffold import write_empty_year
from workbook.onboarding.template import write_template

TABLE, COLUMN = "budget", "funding_route"
NEW = ColumnSpec(
    name=COLUMN,
    type="category",
    description="How the money reaches the partnership (a column added by this test).",
    values=("pooled_budget", "direct_payment"),
    since=3,
)


@pytest.fixture
def with_new_column(monkeypatch):
    """The contract as loaded, with one more column in the budget table (put back after)."""
    monkeypatch.setitem(load_contract()[TABLE].columns, COLUMN, NEW)


def test_the_document_and_the_loader_take_a_new_column(with_new_column, tmp_path):
    assert f"| `{COLUMN}` |" in contract_markdown()
    budget = "contributor,amount_gbp\nCouncil,1000\n"
    write_year(tmp_path, tables={TABLE: budget})
    without = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    assert without.tables[TABLE][COLUMN].isna().all()
    given = f"contributor,amount_gbp,{COLUMN}\nCouncil,1000,Pooled_budget\n"
    write_year(tmp_path, tables={TABLE: given})
    read = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    assert read.tables[TABLE][COLUMN].tolist() == ["pooled_budget"]


def test_a_new_year_and_the_excel_template_lay_out_a_new_column(with_new_column, tmp_path):
    folder = tmp_path / "data" / "testshire" / "2019-20"
    write_empty_year(folder, "testshire", ReportYear.parse("2019-20"), "Testshire")
    header = (folder / f"{TABLE}.csv").read_text(encoding="utf-8").strip().split(",")
    assert header == list(load_contract()[TABLE].columns) and header[-1] == COLUMN
    write_year(tmp_path)
    out = tmp_path / "testshire.xlsx"
    write_template("testshire", "2019-20", out, tmp_path / "params", tmp_path / "data")
    sheet = load_workbook(out)[TABLE]
    headings = [cell.value for cell in sheet[1]]
    assert COLUMN in headings
    letter = sheet.cell(1, headings.index(COLUMN) + 1).column_letter
    offered = [v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(letter)]
    assert offered and offered[0].type == "list"


def test_the_demo_generator_writes_a_new_column(with_new_column):
    generator = demo_generator()
    files = generator.build()
    for path, text in files.items():
        if path.endswith(f"/{TABLE}.csv"):
            header = next(csv.reader([text.splitlines()[0]]))
            assert header == list(load_contract()[TABLE].columns), path
