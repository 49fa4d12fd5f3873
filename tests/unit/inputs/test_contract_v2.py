"""Contract v2: what real partnerships' data needed, and every v1 file still valid (and, under
contract v3, every v2 file too: tests/unit/inputs/test_contract_v3.py has what v3 adds).

Partial dates, several sources per finding, actions tied to several findings or to none,
inspections and satisfactory findings, optional status and owner, local indicators, and figures
in the range their unit allows; each problem named by file, row and column.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import (
    ACTIONS_V2,
    AUDITS_V2,
    FINDINGS_V2,
    INDICATORS_V2,
    LOCAL_V2,
    REVIEWS_V2,
    TINY_TABLES,
    V2,
    write_year,
)
from workbook.core import paths
from workbook.inputs.contract import contract_markdown, contract_version, load_contract
from workbook.inputs.validation import load_valid_tables, validate_year


def problems_for(root, **tables) -> str:
    write_year(root, tables=tables)
    return "\n".join(map(str, validate_year("testshire", "2019-20", root / "data")))


@pytest.fixture
def v2_tables(tmp_path):
    write_year(tmp_path, tables=V2)
    return load_valid_tables("testshire", "2019-20", tmp_path / "data")


@pytest.fixture
def v2_view(tmp_path):
    """The v2 year as contract v3 means it (`Report.view`)."""
    from workbook.inputs.report import open_report

    write_year(tmp_path, tables=V2)
    return open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params").view()


def test_the_contract_is_version_2_or_later_and_v1_files_stay_valid(tmp_path):
    assert contract_version() >= 2
    write_year(tmp_path)  # conftest's tables are version 1 files, as a v1 partnership wrote them
    assert validate_year("testshire", "2019-20", tmp_path / "data") == []
    v1_data = paths.project_root() / "data"  # Darlington's data were written to contract v1
    assert validate_year("darlington", "2019-20", v1_data) == []


def test_version_2_data_are_valid(tmp_path):
    write_year(tmp_path, tables=V2)
    assert validate_year("testshire", "2019-20", tmp_path / "data") == []


def test_partial_dates_are_typed_as_first_and_last_day(v2_tables, v2_view):
    reviews = v2_tables["reviews"].set_index("review_id")
    assert reviews["notified_date"].dtype == "datetime64[ns]"
    assert reviews["notified_date_end"].dtype == "datetime64[ns]"
    assert reviews.loc["R1", "notified_date"] == pd.Timestamp("2019-05-01")
    assert reviews.loc["R1", "notified_date_end"] == pd.Timestamp("2019-05-31")
    assert reviews.loc["R1", "completed_date"] == pd.Timestamp("2019-04-01")
    assert reviews.loc["R1", "completed_date_end"] == pd.Timestamp("2020-03-31")
    assert reviews.loc["R2", "published_date"] == reviews.loc["R2", "published_date_end"]
    assert pd.isna(reviews.loc["R1", "published_date"])
    assert pd.isna(reviews.loc["R1", "published_date_end"])
    audits = v2_tables["audits"].set_index("audit_id")
    assert audits.loc["I2", "audit_date_end"] == pd.Timestamp("2019-12-31")
    # I2, a JTAI given in the audits table as v2 did, is read as an inspection (contract v3).
    inspections = v2_view["inspections"].set_index("inspection_id")
    assert inspections.loc["I2", "date"] == pd.Timestamp("2019-01-01")
    assert inspections.loc["I2", "date_end"] == pd.Timestamp("2019-12-31")


def test_date_rules_hold_for_the_whole_span(tmp_path):
    audits = AUDITS_V2.replace(
        "I2,JTAI: child exploitation,jtai,2019,", "I2,JTAI: child exploitation,jtai,2018,"
    )
    reviews = REVIEWS_V2.replace("12/03/2019,published", "2020,published")
    messages = problems_for(tmp_path, **{**V2, "audits": audits, "reviews": reviews})
    assert (
        "audits.csv, row 5, column 'audit_date': '2018' is outside the reporting year" in messages
    )  # 2018 does not overlap 2019-20 (2019 does: it was accepted above)
    assert (
        "reviews.csv, row 3, column 'published_date': '2020' is after the end of the "
        "reporting year" not in messages
    )  # 2020 starts before 31 March 2020
    # Contract v3: a review may be published after the year end (the report says so); a
    # review completed after it belongs to a later year's data.
    late = REVIEWS_V2.replace("12/03/2019,published", "April 2020,published")
    assert problems_for(tmp_path, **{**V2, "reviews": late}) == ""
    late = REVIEWS_V2.replace("2018-19,12/03/2019,published", "April 2020,,completed")
    messages = problems_for(tmp_path, **{**V2, "reviews": late})
    assert (
        "reviews.csv, row 3, column 'completed_date': 'April 2020' is after the end of the "
        "reporting year (31 March 2020)" in messages
    )


def test_dates_out_of_order_fail_only_when_one_span_ends_before_the_other_starts(tmp_path):
    # R1 is notified "May 2019" and decided "2019-06": in order. "in 2019" started (a span
    # that overlaps both) cannot be said to be out of order.
    assert problems_for(tmp_path, **V2) == ""
    reviews = REVIEWS_V2.replace("May 2019,2019-06,in 2019", "May 2019,April 2019,in 2019")
    messages = problems_for(tmp_path, **{**V2, "reviews": reviews})
    assert (
        "reviews.csv, row 2, column 'decided_date': April 2019 is before notified_date "
        "(May 2019)" in messages
    )


def test_review_status_and_action_owner_may_be_blank(v2_tables):
    reviews = v2_tables["reviews"].set_index("review_id")
    actions = v2_tables["actions"].set_index("action_id")
    assert pd.isna(reviews.loc["R1", "status"])
    assert pd.isna(actions.loc["X2", "owner_agency"])
    spec = load_contract()
    assert not spec["reviews"].columns["status"].required
    assert not spec["actions"].columns["owner_agency"].required


def test_findings_name_several_sources_each_checked(v2_tables, tmp_path):
    findings = v2_tables["findings"].set_index("finding_id")
    assert findings.loc["F2", "source_id"] == "A1;A2"  # spaces gone, as the themes list
    assert findings.loc["F4", "source_id"] == "R1;R2"
    bad = FINDINGS_V2.replace("A1; A2", "A1; A9").replace("R1;R2", "R1;A1")
    messages = problems_for(tmp_path, **{**V2, "findings": bad}).splitlines()
    assert sorted(m.split("findings.csv, ")[1] for m in messages) == [
        "row 3, column 'source_id': 'A9' is not an audit (audits.audit_id) in this year's data: "
        "check the id, or add the row it names",
        "row 5, column 'source_id': 'A1' is not a review (reviews.review_id) in this year's "
        "data: check the id, or add the row it names",
    ]


def test_actions_answer_several_findings_or_sources_or_none_and_serve_a_priority(
    v2_tables, tmp_path
):
    actions = v2_tables["actions"].set_index("action_id")
    assert actions.loc["X1", "finding_id"] == "F1;F4"
    assert actions.loc["X2", "source_id"] == "I1;P1"
    assert pd.isna(actions.loc["X3", "finding_id"]) and pd.isna(actions.loc["X3", "source_id"])
    assert actions.loc["X3", "priority"] == "Exploitation"
    bad = ACTIONS_V2.replace("F1;F4", "F1;F9").replace("I1;P1", "I1;Q1")
    messages = problems_for(tmp_path, **{**V2, "actions": bad})
    assert (
        "actions.csv, row 2, column 'finding_id': 'F9' is not the finding_id of any "
        "finding" in messages
    )
    assert (
        "actions.csv, row 3, column 'source_id': 'Q1' is not the id of any review or "
        "audit" in messages
    )
    twice = ACTIONS_V2.replace("F1;F4", "F1;F1")
    assert "names the same id twice" in problems_for(tmp_path, **{**V2, "actions": twice})


def test_inspections_peer_reviews_self_assessments_and_satisfactory_findings(v2_tables, v2_view):
    kinds = set(v2_tables["audits"]["audit_type"])
    assert {"ofsted_ilacs", "jtai", "send_area_inspection", "lga_peer_review"} <= kinds
    # In the view of contract v3, v2 inspection rows of the audits table are inspections,
    # with the findings that name them; self-assessments stay audits.
    assert {"section_11", "section_175"} <= set(v2_view["audits"]["audit_type"])
    assert not {"I1", "I2", "I3", "P1"} & set(v2_view["audits"]["audit_id"])
    assert set(v2_view["inspections"]["kind"]) == {
        "ofsted_ilacs",
        "jtai",
        "send_area_inspection",
        "lga_peer_review",
    }
    findings = v2_view["findings"].set_index("finding_id")
    assert findings.loc["F3", "source_type"] == "inspection"
    assert findings.loc["F2", "source_type"] == "audit"
    assert "satisfactory" in set(v2_tables["findings"]["kind"])
    assert {"teenager", "13_to_17"} <= set(v2_tables["reviews"]["age_group"])


def test_local_indicators_define_figures_the_indicators_table_then_uses(v2_tables, tmp_path):
    local = v2_tables["local_indicators"].set_index("id")
    assert local.loc["contacts", "counts"] == "referrals"
    assert local.loc["contacts", "period"] == "year"
    figures = v2_tables["indicators"].set_index("indicator")
    assert figures.loc["contacts", "value"] == 5210
    unknown = INDICATORS_V2.replace("lado_allegations,,local", "lado_alegations,,local")
    messages = problems_for(tmp_path, **{**V2, "indicators": unknown})
    assert (
        "indicators.csv, row 7, column 'indicator': 'lado_alegations' is not a known "
        "indicator id (of the catalogue or of local_indicators) (did you mean "
        "'lado_allegations'?)" in messages
    )


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (
            (
                "contacts,Contacts received by the front door,count,referrals,,year",
                "cpp_count,Contacts received by the front door,count,referrals,,year",
            ),
            "local_indicators.csv, row 2, column 'id'",
            "'cpp_count' is an indicator of the catalogue",
        ),
        (
            ("count,referrals,,year,Contacts", "count,,,,Contacts"),
            "local_indicators.csv, row 2, column 'counts'",
            "a value is required here when unit is count",
        ),
        (
            ("count,referrals,,year,Contacts", "count,pupils,,year,Contacts"),
            "local_indicators.csv, row 2, column 'counts'",
            "'pupils' is not a known unit a count",
        ),
        (
            (
                "year,Share of contacts that became a referral.,contacts",
                "year,Share of contacts that became a referral.,contacts_to_referral_pct",
            ),
            "local_indicators.csv, row 4, column 'part_of'",
            "'contacts_to_referral_pct' is not a count (its unit is percent)",
        ),
    ],
)
def test_local_indicators_say_what_they_are(tmp_path, change, where, words):
    messages = problems_for(tmp_path, **{**V2, "local_indicators": LOCAL_V2.replace(*change)})
    assert f"{where}: {words}" in messages, messages


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (
            "cpp_count,,local,2020-03-31,-85,count,,DfE,",
            "'-85' cannot be a count figure: a count is a whole number of 0 or more",
        ),
        ("cpp_count,,local,2020-03-31,85.5,count,,DfE,", "'85.5' cannot be a count figure"),
        (
            "rereferral_pct,,local,2020-03-31,142,percent,,DfE,",
            "'142' cannot be a percent figure: a percentage is from 0 to 100",
        ),
        (
            "cpp_rate,,local,2020-03-31,-3.2,rate_per_10k,,DfE,",
            "'-3.2' cannot be a rate_per_10k figure: a rate is 0 or more",
        ),
        (
            "cpp_rate,,local,2020-03-31,37.8,percent,,DfE,",
            "'percent' is not the unit of cpp_rate (rate_per_10k)",
        ),
    ],
)
def test_figures_outside_their_units_range_are_refused_naming_the_cell(tmp_path, row, words):
    indicators = "\n".join(TINY_TABLES["indicators"].splitlines()[:1] + [row]) + "\n"
    messages = problems_for(tmp_path, indicators=indicators)
    assert "indicators.csv, row 2, column '" in messages and words in messages, messages


def test_a_negative_count_never_reaches_a_section(tmp_path):
    from workbook.core.errors import DataValidationError

    indicators = TINY_TABLES["indicators"].replace(",85,count", ",-85,count")
    write_year(tmp_path, tables={"indicators": indicators})
    with pytest.raises(DataValidationError, match="'-85' cannot be a count figure"):
        load_valid_tables("testshire", "2019-20", tmp_path / "data")


def test_the_contract_document_explains_partial_dates_ranges_and_version():
    document = contract_markdown()
    assert document.startswith(f"# Data contract v{contract_version()}")
    for words in (
        "| `May 2019`, `2019-05`, `05/2019` | the whole month | May 2019 |",
        "a percentage is from 0 to 100",
        "keeps every file of the earlier versions valid",
        "## `local_indicators` (optional)",
        "range set by `unit`",
        "required when `unit` is `count`",
        "one id, or several separated by ;",
    ):
        assert words in document, words
