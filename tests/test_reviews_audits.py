"""The case reviews and audits section: tables, totals and what the grade chart may show."""

from __future__ import annotations

import pandas as pd

from workbook import reviews_audits as ra
from workbook.actions import ALL_ACTIONS, action_counts
from workbook.suppression import suppress_small_counts
from workbook.years import ReportYear


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
