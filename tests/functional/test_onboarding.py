"""A new partnership's first pack: `workbook new`, then `workbook template`, validate and run.

Everything goes through the real command line, in a temporary project folder.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import V2, folders, tiny_folder, write_year
from workbook.core import paths
from workbook.inputs.contract import load_contract
from workbook.inputs.params import load_params
from workbook.inputs.validation import load_valid_tables, validate_year
from workbook.onboarding.scaffold import latest_complete_year
from workbook.onboarding.template import write_template
from workbook.run.cli import main

TABLES = [name for name in load_contract() if name != "narrative"]


def cli(project: Path, *args: str, outputs: bool = False) -> int:
    return main([*args, *folders(project, outputs)])


@pytest.fixture
def testshire(tmp_path, capsys) -> Path:
    """The issue's first step: `workbook new testshire --council E10000016 --year 2024-25`."""
    (tmp_path / "params").mkdir()
    assert cli(tmp_path, "new", "testshire", "--council", "E10000016", "--year", "2024-25") == 0
    capsys.readouterr()
    return tmp_path


def test_new_writes_parameters_looked_up_from_the_council_every_key_commented(testshire):
    params = load_params("testshire", "2024-25", testshire / "params")
    assert params.name == "Kent Safeguarding Children Partnership"
    assert (params.short_name, params.councils, params.region) == (
        "Kent",
        ("E10000016",),
        "South East",
    )
    text = (testshire / "params" / "testshire.yaml").read_text(encoding="utf-8")
    keys = [line for line in text.splitlines() if re.match(r"^\s*[\w\"-]+:", line)]
    assert len(keys) == 12
    assert all("  # " in line for line in keys), [k for k in keys if "  # " not in k]
    assert "# sections:" in text  # the optional key is there, commented out, with its meaning


def test_new_writes_an_empty_year_that_validates(testshire, capsys):
    folder = testshire / "data" / "testshire" / "2024-25"
    for table in TABLES:
        header = (folder / f"{table}.csv").read_text(encoding="utf-8").strip()
        assert header == ",".join(load_contract()[table].columns)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "workbook template testshire 2024-25" in readme and "`reviews.csv`" in readme
    assert cli(testshire, "validate", "testshire", "2024-25") == 0
    out = capsys.readouterr().out
    assert "data valid" in out
    assert "still empty in 2024-25: reviews, audits, findings, actions, indicators" in out


@pytest.mark.render
def test_a_new_partnership_renders_at_once_with_dfes_figures(testshire, dfe_dir, capsys):
    """The issue's test: new, validate and run on a fresh project, DfE's files at hand."""
    assert cli(testshire, "validate", "testshire", "2024-25") == 0
    assert cli(testshire, "run", "testshire", "2024-25", outputs=True) == 0, capsys.readouterr().err
    pages = testshire / "outputs" / "testshire" / "2024-25"
    assert (pages / "board_pack.pdf").stat().st_size > 1000
    assert "Kent" in (pages / "02_local_picture.html").read_text(encoding="utf-8")


@pytest.mark.render
def test_a_new_partnership_renders_at_once_without_dfes_figures(testshire, capsys, monkeypatch):
    """Without DfE's files too; the pack says what is still to be supplied."""
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    assert cli(testshire, "run", "testshire", "2024-25", outputs=True) == 0, capsys.readouterr().err
    pages = testshire / "outputs" / "testshire" / "2024-25"
    assert (pages / "board_pack.pdf").stat().st_size > 1000
    pack = (pages / "board_pack.html").read_text(encoding="utf-8")
    for missing in (
        "The partnership's budget",  # said once, in the list of what the year does not record
        # said once, in the list of what the year's data do not record (the local picture
        # itself shows nothing)
        "Figures for children in need, referrals, child protection plans and children looked after",
    ):
        assert missing in pack, missing
    assert "No foreword, description of the arrangements or budget" not in pack
    # none recorded: no claim is made of them (the year at a glance says it cannot answer)
    assert not re.search(r"\d+ improvement actions?", pack)


def test_new_takes_councils_by_name_and_names_the_neighbours(tmp_path, capsys):
    (tmp_path / "params").mkdir()
    dfe = tiny_folder(tmp_path / "dfe")
    assert (
        cli(
            tmp_path,
            "new",
            "tees",
            "--council",
            "darlington",
            "--council",
            "Hartlepool",
            "--year",
            "2019-20",
            "--dfe-dir",
            str(dfe),
        )
        == 0
    )
    params = load_params("tees", "2019-20", tmp_path / "params")
    assert params.councils == ("E06000005", "E06000001")
    assert params.name == "Darlington and Hartlepool Safeguarding Children Partnership"
    text = (tmp_path / "params" / "tees.yaml").read_text(encoding="utf-8")
    assert "#   Middlesbrough (806)" in text and "#   Redcar and Cleveland (807)" in text
    assert "statistical neighbours: Middlesbrough (806)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["new", "Test Shire", "--council", "Kent"], "'Test Shire' is not a partnership id"),
        (["new", "testshire", "--council", "Kentt"], "did you mean 'Kent'"),
        (["new", "testshire"], "give the partnership's council with --council"),
        (["new", "testshire", "--council", "Kent", "--year", "2024/26"], "is not a reporting year"),
    ],
)
def test_new_says_what_to_write_instead(tmp_path, capsys, args, words):
    (tmp_path / "params").mkdir()
    assert cli(tmp_path, *args) == 2  # the command line is wrong
    assert words in capsys.readouterr().err
    assert not (tmp_path / "params" / "testshire.yaml").exists()


def test_new_sets_councils_remit_and_period(tmp_path, capsys):
    (tmp_path / "params").mkdir()
    args = ["new", "tees", "--council", "Darlington", "--council", "Hartlepool", "--year"]
    args += ["2023-24", "--remit", "adults", "--remit", "community_safety"]
    args += ["--period-start", "2023-10-01", "--period-end", "2024-09-30"]
    assert cli(tmp_path, *args) == 0
    params = load_params("tees", "2023-24", tmp_path / "params")
    assert params.remit == ("children", "adults", "community_safety")
    assert params.council_list() == (("E06000005", "Darlington"), ("E06000001", "Hartlepool"))
    assert params.report_year.period_text == "October 2023 to September 2024"
    assert params.name == "Darlington and Hartlepool Safeguarding Partnership"
    capsys.readouterr()
    assert cli(tmp_path, "validate", "tees", "2023-24") == 0
    out = capsys.readouterr().out
    assert "2023-24 (October 2023 to September 2024): data valid" in out
    assert "contract v3 adds" in out and "tables not used yet" in out
    assert "audits (council)" in out  # two councils: the council columns are worth using


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--period-start", "2023-10-01"], "give both period_start and period_end"),
        (["--period-start", "1/10/2023", "--period-end", "2024-09-30"], "written 2024-10-01"),
        (["--period-start", "2026-10-01", "--period-end", "2027-09-30"], "does not overlap"),
        (["--remit", "police"], "invalid choice: 'police'"),
    ],
)
def test_new_refuses_a_bad_period_or_remit(tmp_path, capsys, extra, words):
    (tmp_path / "params").mkdir()
    args = ["new", "testshire", "--council", "Kent", "--year", "2023-24", *extra]
    assert cli(tmp_path, *args) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "params" / "testshire.yaml").exists()


def test_the_template_offers_the_partnerships_councils(tmp_path):
    out = tmp_path / "westmarch.xlsx"
    write_template("westmarch", "2023-24", out, paths.params_dir(), paths.data_dir())
    book = load_workbook(out)
    position = list(load_contract()["actions"].columns).index("council") + 1
    letter = get_column_letter(position)
    checks = {str(v.sqref): v for v in book["actions"].data_validations.dataValidation}
    council = next(v for ref, v in checks.items() if ref.startswith(f"{letter}2:"))
    assert council.type == "list" and council.errorStyle == "stop"
    first, last = council.formula1.split("!")[1].replace("$", "").split(":")
    offered = {row[0].value for row in book["lists"][first:last]}
    assert offered == {"E06000998", "Westmarch", "E06000997", "Eastmere"}
    # Every table of the contract has its sheet, the new ones too.
    assert {"inspections", "review_counts", "effectiveness"} <= set(book.sheetnames)


def test_new_never_overwrites_a_partnership(testshire, capsys):
    before = (testshire / "params" / "testshire.yaml").read_text(encoding="utf-8")
    assert cli(testshire, "new", "testshire", "--council", "Dudley", "--year", "2024-25") != 0
    assert "already exists" in capsys.readouterr().err
    assert (testshire / "params" / "testshire.yaml").read_text(encoding="utf-8") == before


# ---- the Excel template ---------------------------------------------------------------------


def _frames_equal(first: dict, second: dict) -> None:
    assert set(first) == set(second)
    for name in first:
        pd.testing.assert_frame_equal(
            first[name].reset_index(drop=True), second[name].reset_index(drop=True), obj=name
        )


def _round_trip(partnership: str, year: str, data: Path, tmp_path: Path) -> None:
    params = load_params(partnership, year, data.parent / "params")
    original = load_valid_tables(partnership, year, data, params)
    copy = tmp_path / "copy"
    (copy / partnership / year).mkdir(parents=True)
    write_template(
        partnership,
        year,
        copy / partnership / year / "year.xlsx",
        params_dir=data.parent / "params",
        data_dir=data,
    )
    _frames_equal(original, load_valid_tables(partnership, year, copy, params))


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
@pytest.mark.parametrize(
    ("partnership", "year"),
    [("darlington", "2019-20"), ("northdale", "2022-23"), ("westmarch", "2023-24")],
)
def test_the_template_reads_back_as_the_data_it_was_written_from(tmp_path, partnership, year):
    _round_trip(partnership, year, paths.data_dir(), tmp_path)


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
def test_the_template_round_trip_keeps_partial_dates_several_ids_and_formula_text(tmp_path):
    findings = V2["findings"].replace(
        "Both reviews found chronologies missing.", '"=HYPERLINK(""http://x"")"'
    )
    write_year(tmp_path, tables={**V2, "findings": findings})
    _round_trip("testshire", "2019-20", tmp_path / "data", tmp_path)


def test_the_template_has_lists_formats_instructions_and_neutralised_text(tmp_path):
    findings = V2["findings"].replace("Both reviews found chronologies missing.", "=1+1")
    write_year(tmp_path, tables={**V2, "findings": findings})
    out = tmp_path / "year.xlsx"
    assert cli(tmp_path, "template", "testshire", "2019-20", "--out", str(out)) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["instructions", *load_contract(), "lists"]
    assert book["lists"].sheet_state == "hidden"
    reviews = book["reviews"]
    assert [c.value for c in reviews[1]] == list(load_contract()["reviews"].columns)
    assert "Required." in reviews["B1"].comment.text
    lists = {str(v.sqref): v for v in reviews.data_validations.dataValidation}
    assert lists["B2:B503"].type == "list" and lists["B2:B503"].errorStyle == "stop"
    listed = [c.value for c in book["lists"]["A"][1:] if c.value]
    assert listed == list(load_contract()["reviews"].columns["review_type"].values)
    assert reviews["E2"].value == "May 2019"  # a month stays a month
    assert (
        reviews["I3"].value == datetime(2019, 3, 12) and reviews["I3"].number_format == "dd/mm/yyyy"
    )
    themes = {str(v.sqref): v for v in book["findings"].data_validations.dataValidation}
    assert themes["G2:G505"].errorStyle == "information"  # several themes may be typed
    cell = book["findings"]["D5"]
    assert cell.value == "'=1+1" and cell.data_type == "s"
    instructions = " ".join(str(c.value) for c in book["instructions"]["A"] if c.value)
    assert "a percentage is from 0 to 100" in instructions and "May 2019" in instructions


def _fill(book) -> None:
    """What an agency types, with openpyxl standing in for Excel."""

    def rows(sheet, *values):  # from row 2 down, as a person fills the sheet
        for number, row in enumerate(values, start=2):
            for position, value in enumerate(row, start=1):
                book[sheet].cell(number, position, value)

    rows(
        "reviews",
        (
            "R1",
            "cspr",
            "Child T",
            "teenager",
            "May 2024",
            datetime(2024, 6, 3),
            "2024",
            "2024-25",
            None,
            None,
        ),
        (
            "R2",
            "scr",
            "Child S",
            "13_to_17",
            "in 2022",
            None,
            None,
            datetime(2024, 9, 30),
            "January 2025",
            "published",
        ),
    )
    rows(
        "audits",
        ("A1", "Neglect", "multi_agency_thematic", datetime(2024, 11, 15), 12, 1, 6, 4, 1),
        ("A2", "Neglect: single agency", "single_agency", "2024-25", 8, 0, 5, 2, 1),
        ("I1", "Ofsted inspection of children's services", "ofsted_ilacs", "March 2025"),
    )
    rows(
        "findings",
        (
            "F1",
            "review",
            "R1",
            "Information was not shared between the GP and the school.",
            "learning",
            "multi-agency",
            "communication_information_sharing",
        ),
        (
            "F2",
            "audit",
            "A1; A2",
            "Neglect chronologies were missing in both audits.",
            "area_for_development",
            "Children's social care",
        ),
        (
            "F3",
            "audit",
            "I1",
            "Management oversight of early help was found satisfactory.",
            "satisfactory",
            "Early help",
        ),
    )
    rows(
        "actions",
        (
            "X1",
            "F1",
            None,
            None,
            "Issue a briefing on information sharing",
            "Partnership",
            datetime(2024, 12, 31),
            "completed",
            datetime(2024, 12, 1),
            "Read by 400 staff",
        ),
        (
            "X2",
            None,
            None,
            "Neglect",
            "Relaunch the threshold guidance",
            None,
            "2024",
            "in_progress",
        ),
        (
            "X3",
            None,
            "I1",
            None,
            "Answer the inspection's recommendations",
            "Police",
            "2025-26",
            "in_progress",
        ),
    )
    rows(
        "local_indicators",
        (
            "contacts",
            "Contacts received by the front door",
            "count",
            "referrals",
            None,
            "year",
            "Contacts received by the front door during the year.",
        ),
    )
    rows(
        "indicators",
        ("contacts", None, "local", datetime(2025, 3, 31), 5210, "count", None, "Front door"),
        ("cpp_count", None, "local", datetime(2025, 3, 31), 85, "count", None, "DfE"),
        ("rereferral_pct", None, "local", datetime(2025, 3, 31), 21.5, "percent", 20, "DfE"),
    )


@pytest.mark.render
def test_a_template_filled_in_excel_validates_and_renders(testshire, capsys):
    folder = testshire / "data" / "testshire" / "2024-25"
    out = testshire / "testshire.xlsx"
    assert cli(testshire, "template", "testshire", "2024-25", "--out", str(out)) == 0
    book = load_workbook(out)
    _fill(book)
    for table in TABLES:
        (folder / f"{table}.csv").unlink()
    book.save(folder / "testshire.xlsx")
    assert validate_year("testshire", "2024-25", testshire / "data") == []
    assert cli(testshire, "run", "testshire", "2024-25", outputs=True) == 0, capsys.readouterr().err
    pages = testshire / "outputs" / "testshire" / "2024-25"
    reviews = (pages / "03_reviews_audits.html").read_text(encoding="utf-8")
    for shown in (
        "May 2024",
        "2024-25",
        "30 September 2024",
        "January 2025",
        "Ofsted inspection of children's services (ILACS)",
        "Found satisfactory",
        "Management oversight of early help was found satisfactory.",
    ):
        assert shown in reviews, shown
    # A finding of two audits is listed once, under the first, naming the other.
    assert reviews.count("Neglect chronologies were missing in both audits.") == 1
    assert "Neglect chronologies were missing in both audits. Also from" in reviews
    actions = (pages / "08_learning_actions.html").read_text(encoding="utf-8")
    overdue = re.sub(r"<td[^>]*>", "<td>", actions.split("Actions overdue at the year end")[1])
    # Due "2024", not done by 31 March 2025: overdue (its owner not recorded: the only overdue
    # action, so the owner column is left out); the action due "2025-26" is not overdue.
    assert (
        '<th scope="row">Relaunch the threshold guidance</th><td>2024</td><td>Overdue</td>'
    ) in overdue
    assert "recommendations" not in overdue
    local = (pages / "02_local_picture.html").read_text(encoding="utf-8")
    assert "Contacts received by the front door" in local and "5210" in local.replace(",", "")


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
def test_a_bad_cell_of_a_filled_template_is_named_by_sheet_row_and_column(testshire, capsys):
    folder = testshire / "data" / "testshire" / "2024-25"
    out = folder / "testshire.xlsx"
    assert cli(testshire, "template", "testshire", "2024-25", "--out", str(out)) == 0
    book = load_workbook(out)
    _fill(book)
    book["indicators"]["E4"] = 142  # rereferral_pct: a percentage of 142
    for table in TABLES:
        (folder / f"{table}.csv").unlink()
    book.save(out)
    assert cli(testshire, "validate", "testshire", "2024-25") != 0
    err = capsys.readouterr().err
    assert (
        f"{out}, sheet 'indicators', row 4, column 'value' (cell E4): '142' cannot be a "
        "percent figure: a percentage is from 0 to 100" in err
    )
    assert ".csv" not in err


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2025, 3, 31), "2023-24"),
        (date(2025, 4, 1), "2024-25"),
        (date(2025, 12, 1), "2024-25"),
    ],
)
def test_without_a_year_new_starts_the_last_year_that_ended(today, year):
    assert latest_complete_year(today).label == year
