"""The tables of the yearly report's other parts validate like the rest: each one typed, each bad
cell named by file, row and column, references between them checked."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import STATUTORY_TABLES, write_year
from workbook.inputs.contract import load_contract
from workbook.inputs.validation import load_valid_tables, validate_year


def problems_for(root, **tables):
    write_year(root, tables={**STATUTORY_TABLES, **tables})
    return "\n".join(map(str, validate_year("testshire", "2019-20", root / "data")))


def test_every_new_table_is_in_the_contract_and_optional():
    contract = load_contract()
    for name in STATUTORY_TABLES:
        assert name in contract and not contract[name].required


def test_a_year_with_every_new_table_is_valid_and_typed(tmp_path):
    write_year(tmp_path, tables=STATUTORY_TABLES)
    tables = load_valid_tables("testshire", "2019-20", tmp_path / "data")
    assert tables["priorities"]["rag_status"].tolist() == ["green", "red"]
    assert tables["feedback"]["participants"].tolist() == [42, 3]
    assert tables["training"]["score_after"].iloc[0] == pytest.approx(8.1)
    assert tables["training_attendance"]["attendances"].sum() == 281
    assert tables["scrutiny_recommendations"]["made_date"].iloc[0] == pd.Timestamp("2019-09-12")
    assert tables["arrangements_changes"]["change_date"].isna().tolist() == [False, True]
    assert tables["relevant_agencies"]["sector"].tolist() == ["education", "early_years", "fire"]
    assert tables["publication"]["published_date"].iloc[0] == pd.Timestamp("2020-09-30")


def test_a_year_without_them_is_still_valid(tiny_project):
    tables = load_valid_tables("testshire", "2019-20", tiny_project / "data")
    assert all(tables[name].empty for name in STATUTORY_TABLES)


def test_priorities_rating_and_indicator_ids(tmp_path):
    bad = (
        STATUTORY_TABLES["priorities"]
        .replace(",green,", ",blue,")
        .replace(",cpp_rate,", ",cpp_rates,")
    )
    messages = problems_for(tmp_path, priorities=bad)
    assert (
        "priorities.csv, row 2, column 'rag_status': 'blue' is not one of: green, amber, "
        "red" in messages
    )
    assert (
        "priorities.csv, row 2, column 'indicators': 'cpp_rates' is not a known indicator id "
        "(of the catalogue or of local_indicators) (did you mean 'cpp_rate'?)" in messages
    )


def test_priority_ids_are_unique_and_required(tmp_path):
    bad = (
        STATUTORY_TABLES["priorities"]
        .replace("P2,", "P1,")
        .replace("P1,Neglect: use the graded care profile", "P1,")
    )
    messages = problems_for(tmp_path, priorities=bad)
    assert "'P1' appears more than once" in messages
    assert "priorities.csv, row 2, column 'priority': a value is required here" in messages


def test_feedback_whose_views_when_and_how_many(tmp_path):
    bad = (
        STATUTORY_TABLES["feedback"]
        .replace(",young_people,42,2019-07-10,", ",pupils,forty,2020-07-10,")
        .replace(",workforce_capacity", ",staff_turnover")
    )
    messages = problems_for(tmp_path, feedback=bad)
    assert "feedback.csv, row 2, column 'from_whom': 'pupils' is not one of" in messages
    assert "feedback.csv, row 2, column 'participants': 'forty' is not a whole number" in messages
    assert (
        "feedback.csv, row 2, column 'sought_date': '2020-07-10' is outside the reporting "
        "year 2019-20" in messages
    )
    assert (
        "feedback.csv, row 3, column 'themes': 'staff_turnover' is not a known theme id of "
        "data/codebook/themes.yaml" in messages
    )


def test_training_numbers_and_attendance_references(tmp_path):
    training = (
        STATUTORY_TABLES["training"].replace(",12,281,", ",-2,281,").replace(",5.2,", ",five,")
    )
    attendance = STATUTORY_TABLES["training_attendance"].replace("T1,Schools", "T9,Schools")
    messages = problems_for(tmp_path, training=training, training_attendance=attendance)
    assert "training.csv, row 2, column 'sessions': -2 cannot be negative" in messages
    assert "training.csv, row 2, column 'score_before': 'five' is not a number" in messages
    assert (
        "training_attendance.csv, row 4, column 'course_id': 'T9' is not the course_id of "
        "any training in this year's data" in messages
    )


def test_training_attendance_once_per_course_and_agency(tmp_path):
    attendance = STATUTORY_TABLES["training_attendance"].replace("T1,Health", "T1,Schools")
    messages = problems_for(tmp_path, training_attendance=attendance)
    assert "the same course_id, agency appears more than once" in messages


def test_scrutiny_recommendations_tracked_like_actions(tmp_path):
    bad = (
        STATUTORY_TABLES["scrutiny_recommendations"]
        .replace("independent_scrutineer,2019-09-12", "scrutineer,2020-09-12")
        .replace(",in_progress,", ",ongoing,")
    )
    messages = problems_for(tmp_path, scrutiny_recommendations=bad)
    assert "column 'made_by': 'scrutineer' is not one of" in messages
    assert "column 'made_date': '2020-09-12' is after the end of the reporting year" in messages
    assert (
        "scrutiny_recommendations.csv, row 3, column 'status': 'ongoing' is not one of" in messages
    )


def test_arrangements_changes_agencies_and_publication(tmp_path):
    changes = STATUTORY_TABLES["arrangements_changes"].replace("C1,2019-07-01", "C1,2020-07-01")
    agencies = STATUTORY_TABLES["relevant_agencies"].replace("fire,", "firefighters,")
    publication = STATUTORY_TABLES["publication"].replace("2020-10-02", "2 Octobre 2020")
    messages = problems_for(
        tmp_path, arrangements_changes=changes, relevant_agencies=agencies, publication=publication
    )
    assert (
        "arrangements_changes.csv, row 2, column 'change_date': '2020-07-01' is after the "
        "end of the reporting year" in messages
    )
    assert "relevant_agencies.csv, row 4, column 'sector': 'firefighters' is not one of" in messages
    assert (
        "publication.csv, row 2, column 'sent_to_panel_date': '2 Octobre 2020' is not a date"
        in messages
    )
