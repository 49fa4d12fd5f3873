"""The case reviews and audits section: tables, totals and what the grade chart may show."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from workbook.core.years import ReportYear
from workbook.disclosure.suppression import suppress_small_counts
from workbook.sections import reviews_audits as ra
from workbook.sections.learning_actions import ALL_ACTIONS, action_counts, action_facts
from workbook.text.narrative import render_narrative


def _audits(rows):
    columns = ["audit_id", "title", "audit_type", "audit_date", "cases_audited",
               *ra.GRADE_COLUMNS]
    frame = pd.DataFrame(rows, columns=columns)
    frame["audit_date"] = pd.to_datetime(frame["audit_date"])
    return frame


AUDITS = _audits([
    ("A1", "Neglect", "multi_agency_thematic", "2019-11-15", 12, 1, 6, 4, 1),
    ("A2", "Missing", "deep_dive", "2020-01-10", 10, 0, 7, 3, 0),
    ("A3", "Self-assessment", "self_assessment", "2019-06-01", None, None, None, None, None),
])


def test_audit_table_ends_with_the_total_of_every_count_column():
    table = ra.audit_table(AUDITS)
    total = table.iloc[-1]
    assert total["Audit"] == ra.ALL_AUDITS
    assert total["Cases audited"] == 22
    assert [total[g] for g in ra.GRADE_COLUMNS.values()] == [1, 13, 7, 1]


def test_grade_chart_shows_only_what_the_published_table_shows():
    threshold = 5
    published = suppress_small_counts(ra.audit_table(AUDITS), threshold, ra.AUDIT_COUNTS,
                                      row_total="Cases audited", total_row=ra.ALL_AUDITS)
    shown_in_table = {g: published.iloc[-1][g] for g in ra.GRADE_COLUMNS.values()}
    chart = ra.published_grade_totals(AUDITS, threshold)
    for grade, cell in shown_in_table.items():
        if cell == "c":
            assert grade not in chart.index
        else:
            assert f"{int(chart[grade]):,}" == cell
    assert "Outstanding" not in chart.index and "Inadequate" not in chart.index


def test_action_counts_total_row_counts_every_action_once():
    actions = pd.DataFrame({
        "status": ["completed", "in_progress", "not_started", "cancelled", "in_progress"],
        "due_date": pd.to_datetime(["2019-05-01", "2019-06-01", "2021-01-01", None,
                                    "2020-12-31"]),
    })
    counts = action_counts(actions, ReportYear.parse("2019-20")).set_index(
        "Position at year end")["Actions"]
    assert counts[ALL_ACTIONS] == 5
    assert counts.drop(ALL_ACTIONS).sum() == 5
    assert counts["Overdue"] == 1  # in progress, due 1 June 2019


def _actions(**by_status):
    """Actions with the given number in each status; `overdue` ones are in progress, due in
    June 2022, the rest due after the 2022-23 year end."""
    rows = []
    for status, n in by_status.items():
        due = "2022-06-01" if status == "overdue" else "2024-01-01"
        rows += [("in_progress" if status == "overdue" else status, due)] * n
    frame = pd.DataFrame(rows, columns=["status", "due_date"])
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    frame["impact"] = None
    return frame


def test_action_narrative_never_states_what_the_table_hides():
    """Northdale 2022-23's shape: one cancelled action is suppressed, so the table hides a
    second position too; the sentence must not state it, or 91 - 39 - 18 - 17 - 16 = 1."""
    year, threshold = ReportYear.parse("2022-23"), 5
    acts = _actions(completed=39, in_progress=18, not_started=17, overdue=16, cancelled=1)
    published = suppress_small_counts(action_counts(acts, year), threshold, ["Actions"],
                                      total_row=ALL_ACTIONS).set_index("Position at year end")
    hidden = [int(n) for n, shown in zip(action_counts(acts, year)["Actions"],
                                         published["Actions"], strict=True)
              if shown == "c" and n > threshold]
    assert hidden  # the secondary suppression this test is about
    facts = action_facts(acts, year, threshold)
    text = render_narrative("actions.md.j2", threshold, actions=facts, year=year)
    stated = [int(n) for n in re.findall(r"\b\d+\b", text.replace("2023", ""))]
    assert not set(hidden) & set(stated), text
    assert facts["withheld"] and "withheld (shown as c)" in text
    assert "91 improvement actions" in text and "39 were complete (43%)" in text


def test_action_narrative_states_every_position_when_the_table_hides_none():
    year = ReportYear.parse("2022-23")
    text = render_narrative("actions.md.j2", 5, year=year, actions=action_facts(
        _actions(completed=20, in_progress=10, not_started=8, overdue=6), year, 5))
    assert "20 were complete (45%), 10 in progress and 8 not started." in text
    assert "6 actions were overdue" in text and "withheld" not in text


def _findings_none():
    return pd.DataFrame({"source_type": pd.Series(dtype=str), "kind": pd.Series(dtype=str)})


@pytest.mark.parametrize("rows", [
    [("A1", "Small", "deep_dive", "2019-11-15", 3, 0, 3, 0, 0),
     ("A2", "Large", "deep_dive", "2020-01-10", 20, 0, 12, 8, 0)],
    [("A1", "Two", "deep_dive", "2019-11-15", 2, 0, 2, 0, 0),
     ("A2", "Two more", "deep_dive", "2020-01-10", 2, 1, 1, 0, 0)],
    [("A1", "Ungraded", "self_assessment", "2019-06-01", None, None, None, None, None)],
])
def test_audit_sentence_states_the_cases_only_as_the_table_publishes_them(rows):
    """The sentence's cases audited is the table's `All audits` cell: stated where the table
    shows it, not stated where the table shows `c` (or has no figure)."""
    audits = _audits(rows)
    published = suppress_small_counts(ra.audit_table(audits), 5, ra.AUDIT_COUNTS,
                                      row_total="Cases audited", total_row=ra.ALL_AUDITS)
    cell = published.iloc[-1]["Cases audited"]
    facts = ra.audit_facts(audits, _findings_none(), 5)
    text = render_narrative("audits.md.j2", 5, audits=facts, year=ReportYear.parse("2019-20"))
    if cell in ("c", "x"):
        assert facts["cases_audited"] is None and "cases" not in text
    else:
        assert f"looked at {cell} cases" in text


def test_audit_sentence_states_the_cases_the_table_publishes():
    facts = ra.audit_facts(AUDITS, _findings_none(), 5)
    text = render_narrative("audits.md.j2", 5, audits=facts, year=ReportYear.parse("2019-20"))
    assert facts["cases_audited"] == 22 and "looked at 22 cases" in text
