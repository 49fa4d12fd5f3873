"""The sections and the thematic analysis read contract v2's forms right: dates at their
precision, findings of several sources, actions answering several findings or none, satisfactory
findings, a blank owner, and local indicators.

Built on test_contract_v2's year (Testshire 2019-20), validated as a run would validate it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import TINY_TABLES, V2, write_year
from workbook.coding.analysis import (
    audit_echoes_review,
    each_source,
    prevalence_by_kind,
)
from workbook.core.years import ReportYear
from workbook.disclosure.published import Policy
from workbook.facts import year_facts
from workbook.facts.actions import POSITIONS
from workbook.facts.reviews import review_facts
from workbook.inputs.report import open_report
from workbook.sections import learning_actions as la
from workbook.sections import local_picture
from workbook.sections import reviews_audits as ra
from workbook.sections import thematic_review as tr

YEAR = ReportYear.parse("2019-20")


@pytest.fixture
def report(tmp_path):
    write_year(tmp_path, tables=V2)
    return open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")


def test_the_review_table_shows_dates_as_precisely_as_they_were_given(report):
    facts = year_facts(report)
    table = ra.review_table(facts).frame
    table = table.set_index("Review")
    assert table.loc["Child T", "Notified"] == "May 2019"
    assert table.loc["Child T", "Completed"] == "2019-20"
    assert table.loc["Child T", "Published"] == "Not recorded"
    assert table.loc["Child T", "Status at year end"] == "Not recorded"
    assert table.loc["Child S", "Notified"] == "2015"
    assert table.loc["Child S", "Published"] == "12 March 2019"
    audits = ra.audit_table(facts).frame.set_index("Audit")
    assert audits.loc["Neglect follow-up", "Reported"] == "2019-20"
    inspections = ra.inspection_table(facts).frame.set_index("Inspection or review")
    assert inspections.loc["JTAI: child exploitation", "Reported"] == "2019"
    assert inspections.loc["Ofsted ILACS", "Type"] == (
        "Ofsted inspection of children's services (ILACS)"
    )
    assert "Ofsted ILACS" not in audits.index  # an inspection is not an audit


def test_new_and_carried_forward_are_stated_only_from_dates_that_say_so():
    reviews = pd.DataFrame(
        {
            "review_id": ["new", "before", "too_coarse", "no_dates"],
            "review_type": ["cspr"] * 4,
            "notified_date": pd.to_datetime(["2019-05-01", "2018-05-01", "2019-01-01", None]),
            "notified_date_end": pd.to_datetime(["2019-05-31", "2018-05-31", "2019-12-31", None]),
            "started_date": pd.to_datetime([None] * 4),
            "started_date_end": pd.to_datetime([None] * 4),
            "completed_date": pd.to_datetime(["2019-04-01", None, "2020-01-01", None]),
            "completed_date_end": pd.to_datetime(["2020-03-31", None, "2020-12-31", None]),
            "published_date": pd.to_datetime([None] * 4),
            "published_date_end": pd.to_datetime([None] * 4),
        }
    )
    facts = review_facts(reviews, YEAR, Policy(5))
    assert (facts.new.get(), facts.carried_forward.get(), facts.completed.get()) == (1, 1, 1)
    assert (facts.total.get(), facts.new.unknown) == (4, 1)


def test_a_finding_of_several_sources_is_listed_once_naming_the_others(report):
    facts = year_facts(report)
    learning = {item["title"]: item for item in ra.audit_learning(facts)}
    text = "The voice of the child was clearly recorded in both audits."
    assert [f["text"] for f in learning["Neglect"]["strength"]] == [text]
    assert learning["Neglect"]["strength"][0]["also"] == ["Neglect follow-up"]
    assert "Neglect follow-up" not in learning  # its only finding is listed under Neglect
    assert [f["text"] for f in learning["Ofsted ILACS"]["satisfactory"]] == [
        "Management oversight was satisfactory."
    ]
    reviews = ra.review_learning(facts)
    assert [len(item["area_for_development"]) for item in reviews] == [1]
    assert reviews[0]["area_for_development"][0]["also"] == ["Serious Case Review: Child S"]
    assert ra.audit_sentences(facts)["strengths"].get() == 1  # one finding, not two


def test_distinct_sources_count_each_source_of_a_joint_finding(report):
    themes = year_facts(report).themes
    assert themes.by_source["review"] == 2  # R1, R2
    audits = {k: f.get() for k, f in themes.by_source.items() if k != "review" and f.recorded}
    assert sum(audits.values()) == 3  # A1, A2, I1
    assert audits["inspection"] == 1  # I1, an Ofsted inspection, is not called an audit
    assert set(each_source(report.tables["findings"])["source_id"]) == {
        "R1",
        "R2",
        "A1",
        "A2",
        "I1",
    }
    echo = audit_echoes_review(themes.table).set_index("theme")
    themed = themes.table.dropna(subset=["theme"])
    for theme in echo.index:
        rows = themed[themed["theme"] == theme]
        audits = {
            s
            for ids in rows.loc[rows["source_type"] == "audit", "source_id"]
            for s in ids.split(";")
        }
        assert echo.loc[theme, "audits"] == len(audits) == themes.audits_featuring(theme)


def test_kinds_add_up_to_every_finding_with_satisfactory_apart(report):
    facts = year_facts(report)
    kinds = prevalence_by_kind(facts.themes.table)
    assert set(kinds["kind_group"]) == {"strength", "for_development", "neutral"}
    listing = tr.findings_listing(facts).frame.set_index("Id")
    assert listing.loc["F3", "Kind"] == "Satisfactory"
    assert listing.loc["F3", "From"] == "Audit I1"


def test_a_column_no_row_recorded_is_left_out_of_the_table_of_themes(tmp_path):
    def columns(root, tables=None):
        write_year(root, tables=tables)
        report = open_report("testshire", "2019-20", root / "data", root / "params")
        return tr.themes_table(year_facts(report)).frame.columns

    assert tr.OPEN_ACTIONS in columns(tmp_path / "open")  # X2 (in progress) answers F3, coded
    done = (
        TINY_TABLES["actions"]
        .replace("in_progress", "completed")
        .replace("not_started", "completed")
    )
    assert tr.OPEN_ACTIONS not in columns(tmp_path / "done", {"actions": done})


def test_an_action_answering_two_findings_counts_under_the_themes_of_both(report):
    themes = year_facts(report).themes
    themes_of = {
        finding: set(themes.frame.set_index("finding_id").loc[finding, "themes"])
        for finding in ("F1", "F4")
    }
    expected = themes_of["F1"] | themes_of["F4"]
    assert expected  # both findings are coded
    x1 = themes.actions.set_index("action_id").loc["X1"]
    assert set(x1["themes"]) == expected and len(x1["themes"]) == len(expected)  # each once
    unlinked = themes.actions[themes.actions["themes"].map(len) == 0]
    assert sorted(unlinked["action_id"]) == ["X2", "X3"]  # sources only, and neither


def test_actions_with_a_blank_owner_or_a_due_month(report):
    facts = year_facts(report)
    table = la.action_table(facts, list(POSITIONS), "All actions").frame.set_index("Action")
    assert table.loc["Relaunch threshold guidance", "Owner"] == "Not recorded"
    assert table.loc["Relaunch threshold guidance", "Due"] == "2020-21"
    assert table.loc["Set up a contextual safeguarding panel", "Due"] == "March 2020"
    positions = facts.actions.frame["position"]
    # Due "March 2020": its last day is the year end, so it has passed by 31 March (as a day
    # date of 31 March has); due "2020-21" has not.
    assert list(positions) == ["completed", "in_progress", "overdue"]


def test_local_indicators_appear_with_their_own_names(report):
    facts = year_facts(report)
    counts = local_picture.local_table(facts, "count").cells.set_index("Measure")
    assert counts.loc["Contacts received by the front door", "Number"] == "5,210"
    assert counts.loc["Allegations managed by the LADO", "Number"] == "c"  # 3 allegations
    figures = local_picture.local_table(facts, "figure").cells.set_index("Measure")
    assert figures.loc["Contacts that became referrals", "Figure"] == "28.4"
    catalogue = facts.indicators.catalogue
    assert catalogue["contacts"].counts == "referrals"
    assert catalogue["contacts"].period == "year"
    assert catalogue["contacts_to_referral_pct"].higher_is_better is True
