"""The coding review: each finding's themes, who coded them and the evidence, and decisions
saved in the year's findings table (CSV or Excel) that the next run keeps, with every other
cell of the file as it was."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import TINY_TABLES, write_year
from workbook.core.errors import DataError, WorkbookError
from workbook.core.paths import year_folder
from workbook.inputs.loading import read_year
from workbook.lab.coding_review import CodingReview, review_table
from workbook.lab.writeback import write_analyst_themes

YEAR = "2019-20"


@pytest.fixture
def project(tiny_project):
    """The tiny Testshire year: F1 coded by the analyst, F2 and F3 not."""
    return tiny_project


def _review(project) -> CodingReview:
    return CodingReview("testshire", YEAR, project / "data")


# ---- what the review shows --------------------------------------------------------------------


def test_each_finding_with_its_themes_who_coded_them_and_the_evidence(project):
    table = _review(project).table.set_index("Finding")
    # F1: the analyst coded it (findings.csv's themes column)
    assert table.loc["F1", "Themes that count"] == "Communication and information sharing"
    assert table.loc["F1", "Coded by"] == "analyst"
    assert table.loc["F1", "Evidence"] == ""  # an analyst's theme needs no phrase
    # F2: coded automatically, with the phrase of the finding that matched
    assert table.loc["F2", "Coded by"] == "automatic"
    assert (
        "Voice of the child (or adult): \u201cvoice of the child\u201d"
        in (table.loc["F2", "Evidence"])
    )
    assert table.loc["F2", "Text"] == "The voice of the child was clearly recorded."
    assert table.loc["F2", "Kind"] == "Strength"


def test_the_confidence_of_a_match_and_anything_else_the_coder_says_are_shown(project):
    review = _review(project)
    table = review.table.set_index("Finding")
    assert "\u201cvoice of the child\u201d (confidence strong)" in table.loc["F2", "Evidence"]
    coded = review.coded.assign(note=["first hit"] * len(review.coded))
    table = review_table(review.findings, coded, review.codebook).set_index("Finding")
    assert "(confidence strong, note first hit)" in table.loc["F2", "Evidence"]


# ---- decisions, saved where the year is read from, kept by the next run -----------------------


def test_a_correction_is_saved_in_the_findings_table_and_the_next_run_keeps_it(project):
    from workbook.facts import year_facts
    from workbook.inputs.report import open_report

    csv = year_folder("testshire", YEAR, project / "data") / "findings.csv"
    before = csv.read_bytes().splitlines(keepends=True)
    said = _review(project).correct("F3", ["Assessment and planning", "workforce_capacity"])
    assert said.startswith(f"Saved in {csv}. F3: Assessment and planning; Workforce and capacity")
    after = csv.read_bytes().splitlines(keepends=True)
    assert after[3].endswith(
        b",area_for_development,multi-agency,assessment_planning;workforce_capacity\n"
    )
    assert [line for n, line in enumerate(after) if n != 3] == [
        line for n, line in enumerate(before) if n != 3
    ]
    # a fresh run reads it as the analyst's coding: the codes the board is shown
    report = open_report("testshire", YEAR, project / "data", project / "params")
    codes = year_facts(report).themes.codes
    f3 = codes[codes["key"] == f"{YEAR}/F3"]
    assert set(f3["theme"]) == {"assessment_planning", "workforce_capacity"}
    assert set(f3["coded_by"]) == {"analyst"}


def test_accept_and_back_to_automatic(project):
    review = _review(project)
    automatic = review.counted("F2")
    review.accept("F2")
    assert review.coded_by("F2") == "analyst" and review.counted("F2") == automatic
    review.back_to_automatic("F2")
    assert review.coded_by("F2") == "automatic" and review.counted("F2") == automatic
    csv = year_folder("testshire", YEAR, project / "data") / "findings.csv"
    assert csv.read_text(encoding="utf-8") == TINY_TABLES["findings"]  # as it was, byte for byte


def test_a_decision_that_cannot_be_saved_says_why_and_writes_nothing(project):
    review = _review(project)
    csv = year_folder("testshire", YEAR, project / "data") / "findings.csv"
    with pytest.raises(
        WorkbookError, match=r"'negelct' is not a theme of the codebook \(did you mean neglect\?\)"
    ):
        review.correct("F3", ["negelct"])
    with pytest.raises(WorkbookError, match="no theme given for F3"):
        review.correct("F3", [])
    with pytest.raises(WorkbookError, match=r"no finding 'F9' in testshire 2019-20"):
        review.correct("F9", ["neglect"])
    assert csv.read_text(encoding="utf-8") == TINY_TABLES["findings"]


# ---- the file: every other byte kept ------------------------------------------------------------

AWKWARD = (
    "\ufefffinding_id,source_type,source_id,text,kind,agency,themes\r\n"
    'F1,review,R1,"Information was not shared, said the GP.",learning,multi-agency,\r\n'
    "\r\n"
    '"F2","audit","A1","The voice of the child\r\nwas clearly recorded.","strength","csc",""\r\n'
    "F3,audit,A1,Chronologies were missing in most cases.,area_for_development,multi-agency"
)
"""A findings CSV as spreadsheets and hands leave them: a byte-order mark, Windows line
endings, a blank line, a row quoted throughout with a line break in a cell, a last row without
its themes cell and without a line break."""


def test_only_the_themes_cells_decided_change_in_a_csv(tmp_path):
    folder = write_year(tmp_path, tables={"findings": ""})
    (folder / "findings.csv").write_bytes(AWKWARD.encode("utf-8"))
    write_analyst_themes(
        "testshire",
        YEAR,
        {"F2": ["voice_of_child"], "F3": ["assessment_planning"]},
        tmp_path / "data",
    )
    assert (folder / "findings.csv").read_bytes().decode("utf-8") == AWKWARD.replace(
        '"csc",""', '"csc","voice_of_child"'
    ).replace(
        "in most cases.,area_for_development,multi-agency",
        "in most cases.,area_for_development,multi-agency,assessment_planning",
    )


def test_a_csv_without_a_themes_column_gets_one_after_the_last(tmp_path):
    text = (
        "finding_id,source_type,source_id,text,kind\n"
        "F1,review,R1,One.,learning\n"
        "F2,audit,A1,Two.,strength\n"
    )
    folder = write_year(tmp_path, tables={"findings": text})
    write_analyst_themes("testshire", YEAR, {"F2": ["neglect"]}, tmp_path / "data")
    assert (folder / "findings.csv").read_text(encoding="utf-8") == (
        "finding_id,source_type,source_id,text,kind,themes\n"
        "F1,review,R1,One.,learning,\n"
        "F2,audit,A1,Two.,strength,neglect\n"
    )


def test_an_unknown_finding_or_a_theme_that_is_no_id_changes_nothing(tmp_path):
    folder = write_year(tmp_path)
    with pytest.raises(DataError, match="no finding F9 to save themes for"):
        write_analyst_themes("testshire", YEAR, {"F9": ["neglect"]}, tmp_path / "data")
    with pytest.raises(DataError, match=r"not theme ids: '=cmd\|x', 'a;b'"):
        write_analyst_themes("testshire", YEAR, {"F1": ["=cmd|x", "a;b"]}, tmp_path / "data")
    assert (folder / "findings.csv").read_text(encoding="utf-8") == TINY_TABLES["findings"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.csv" for n in TINY_TABLES)


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
def test_themes_are_saved_in_the_years_excel_workbook(tmp_path):
    from openpyxl import load_workbook

    from workbook.onboarding.template import write_template

    folder = write_year(tmp_path)
    book = folder / "testshire.xlsx"
    write_template("testshire", YEAR, book, tmp_path / "params", tmp_path / "data")
    for name in TINY_TABLES:
        (folder / f"{name}.csv").unlink()
    before = {n: t.frame for n, t in read_year("testshire", YEAR, tmp_path / "data").items()}
    validations = len(load_workbook(book)["findings"].data_validations.dataValidation)
    write_analyst_themes("testshire", YEAR, {"F3": ["assessment_planning"]}, tmp_path / "data")
    after = {n: t.frame for n, t in read_year("testshire", YEAR, tmp_path / "data").items()}
    assert after["findings"].loc[2, "themes"] == "assessment_planning"
    after["findings"].loc[2, "themes"] = before["findings"].loc[2, "themes"]
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame)
    assert len(load_workbook(book)["findings"].data_validations.dataValidation) == validations


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
def test_a_workbook_with_formulas_is_not_saved_outside_excel(tmp_path):
    from openpyxl import load_workbook

    from workbook.onboarding.template import write_template

    folder = write_year(tmp_path)
    book = folder / "testshire.xlsx"
    write_template("testshire", YEAR, book, tmp_path / "params", tmp_path / "data")
    for name in TINY_TABLES:
        (folder / f"{name}.csv").unlink()
    opened = load_workbook(book)
    opened["audits"]["E2"] = "=6*2"
    opened.save(book)
    saved = book.read_bytes()
    with pytest.raises(DataError, match=r"holds formulas \(sheet 'audits', cell E2\)"):
        write_analyst_themes("testshire", YEAR, {"F3": ["neglect"]}, tmp_path / "data")
    assert book.read_bytes() == saved


def test_the_review_of_a_year_without_findings_says_so(tmp_path):
    header = TINY_TABLES["findings"].splitlines()[0] + "\n"
    actions = "action_id,finding_id,source_id,action,owner_agency,due_date,status\n"
    write_year(tmp_path, tables={"findings": header, "actions": actions})
    review = CodingReview("testshire", YEAR, tmp_path / "data")
    assert review.table.empty
    assert review.widget().value == (
        "<p>No finding was recorded for testshire 2019-20: there is no coding to review.</p>"
    )


def test_the_review_widget_opens_the_finding_chosen_and_saves_a_correction(project):
    box = _review(project).widget()
    table, chosen, detail, themes = box.children[1:5]
    table.selected_rows = [2]  # a click on the third finding
    assert chosen.value == "F3" and "Chronologies were missing" in detail.value
    themes.value = ("assessment_planning",)
    save = box.children[5].children[1]
    save.click()
    assert "Saved in" in box.children[6].value
    assert _review(project).counted("F3") == ["assessment_planning"]
