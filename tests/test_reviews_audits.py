"""The case reviews and audits section: tables, totals and what the grade chart may show."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from workbook.core.years import ReportYear
from workbook.disclosure.published import Policy
from workbook.sections import reviews_audits as ra
from workbook.sections.learning_actions import ALL_ACTIONS, action_counts, action_facts
from workbook.text.narrative import render_narrative

YEAR = ReportYear.parse("2019-20")
DEFAULT = Policy(5)
STRICT = Policy(5, frozenset({"cases_audited", "actions", "audits", "reviews", "findings"}))
"""A partnership that asked to withhold small counts of its work too: the old behaviour."""


def _audits(rows):
    columns = ["audit_id", "title", "audit_type", "audit_date", "cases_audited", *ra.GRADE_COLUMNS]
    frame = pd.DataFrame(rows, columns=columns)
    frame["audit_date"] = pd.to_datetime(frame["audit_date"])
    return frame


AUDITS = _audits(
    [
        ("A1", "Neglect", "multi_agency_thematic", "2019-11-15", 12, 1, 6, 4, 1),
        ("A2", "Missing", "deep_dive", "2020-01-10", 10, 0, 7, 3, 0),
        ("A3", "Self-assessment", "self_assessment", "2019-06-01", None, None, None, None, None),
    ]
)


def test_audit_table_ends_with_the_total_of_every_count_column():
    table = ra.audit_table(AUDITS, YEAR, DEFAULT).frame
    total = table.iloc[-1]
    assert total["Audit"] == ra.ALL_AUDITS
    assert total["Cases audited"] == 22
    assert [total[g] for g in ra.GRADE_COLUMNS.values()] == [1, 13, 7, 1]


def test_counts_of_audits_and_their_cases_are_published_as_they_are():
    table = ra.audit_table(AUDITS, YEAR, DEFAULT)
    assert "c" not in table.cells.to_numpy().ravel()
    assert table.cells.iloc[-1]["Outstanding"] == "1"


def test_grade_chart_shows_only_what_the_published_table_shows():
    from workbook.render import charts

    table = ra.audit_table(AUDITS, YEAR, STRICT)
    grades = ra.grade_names(table)
    shown_in_table = {g: table.cells.iloc[-1][g] for g in grades}
    fig, alt = charts.count_bars(
        table, "Cases audited by grade", "Cases", row=ra.ALL_AUDITS, columns=grades
    )
    for grade, cell in shown_in_table.items():
        assert (f"{grade}: withheld" in alt) if cell == "c" else (f"{grade}: {cell}" in alt)
    assert "Outstanding: withheld" in alt and "Inadequate: withheld" in alt
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "1" not in labels  # the small counts are never written on the chart


def test_a_grade_chart_of_nothing_but_zeros_is_not_drawn():
    from workbook.render import charts

    audits = _audits([("A1", "Ungraded", "deep_dive", "2019-11-15", 4, 0, 0, 0, 0)])
    table = ra.audit_table(audits, YEAR, DEFAULT)
    assert (
        charts.count_bars(
            table,
            "Cases audited by grade",
            "Cases",
            row=ra.audit_summary_row(table),
            columns=ra.grade_names(table),
        )
        is None
    )


def test_action_counts_total_row_counts_every_action_once():
    actions = pd.DataFrame(
        {
            "status": ["completed", "in_progress", "not_started", "cancelled", "in_progress"],
            "due_date": pd.to_datetime(
                ["2019-05-01", "2019-06-01", "2021-01-01", None, "2020-12-31"]
            ),
        }
    )
    counts = action_counts(actions, ReportYear.parse("2019-20"), DEFAULT).frame.set_index(
        "Position at year end"
    )["Actions"]
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
    frame["finding_id"] = "F1"
    return frame


def test_actions_that_answer_no_review_or_audit_are_not_said_to_come_from_them():
    year = ReportYear.parse("2022-23")
    acts = _actions(completed=4, in_progress=3)
    text = render_narrative(
        "actions.md.j2",
        5,
        year=year,
        actions=action_facts(action_counts(acts, year, Policy(5)), acts),
    )
    assert "Reviews and audits led to 7 improvement actions." in text
    acts.loc[acts.index[:2], "finding_id"] = None  # two serve a priority only
    text = render_narrative(
        "actions.md.j2",
        5,
        year=year,
        actions=action_facts(action_counts(acts, year, Policy(5)), acts),
    )
    assert (
        "The partnership recorded 7 improvement actions, 5 of them answering reviews and "
        "audits." in text
    )
    assert "led to" not in text


def test_action_narrative_never_states_what_the_table_hides():
    """Northdale 2022-23's shape: one cancelled action is suppressed, so the table hides a
    second position too; the sentence must not state it, or 91 - 39 - 18 - 17 - 16 = 1."""
    year, threshold = ReportYear.parse("2022-23"), 5
    acts = _actions(completed=39, in_progress=18, not_started=17, overdue=16, cancelled=1)
    table = action_counts(acts, year, STRICT)
    hidden = [
        int(n)
        for n, shown in zip(table.frame["Actions"], table.cells["Actions"], strict=True)
        if shown == "c" and n > threshold
    ]
    assert hidden  # the secondary suppression this test is about
    facts = action_facts(table, acts)
    text = render_narrative("actions.md.j2", threshold, actions=facts, year=year)
    stated = [int(n) for n in re.findall(r"\b\d+\b", text.replace("2023", ""))]
    assert not set(hidden) & set(stated), text
    assert facts["withheld"] and "withheld (shown as c)" in text
    assert "91 improvement actions" in text and "39 were complete (43%)" in text


def test_action_narrative_states_every_position_when_the_table_hides_none():
    year = ReportYear.parse("2022-23")
    acts = _actions(completed=20, in_progress=10, not_started=8, overdue=6)
    text = render_narrative(
        "actions.md.j2", 5, year=year, actions=action_facts(action_counts(acts, year, STRICT), acts)
    )
    assert "20 were complete (45%), 10 in progress and 8 not started." in text
    assert "6 actions were overdue" in text and "withheld" not in text


def _findings_none():
    return pd.DataFrame({"source_type": pd.Series(dtype=str), "kind": pd.Series(dtype=str)})


@pytest.mark.parametrize(
    "rows",
    [
        [
            ("A1", "Small", "deep_dive", "2019-11-15", 3, 0, 3, 0, 0),
            ("A2", "Large", "deep_dive", "2020-01-10", 20, 0, 12, 8, 0),
        ],
        [
            ("A1", "Two", "deep_dive", "2019-11-15", 2, 0, 2, 0, 0),
            ("A2", "Two more", "deep_dive", "2020-01-10", 2, 1, 1, 0, 0),
        ],
        [("A1", "Ungraded", "self_assessment", "2019-06-01", None, None, None, None, None)],
    ],
)
def test_audit_sentence_states_the_cases_only_as_the_table_publishes_them(rows):
    """The sentence's cases audited is the table's `All audits` cell: stated where the table
    shows it, not stated where the table shows `c` (or has no figure)."""
    audits = _audits(rows)
    table = ra.audit_table(audits, YEAR, STRICT)
    cell = table.cells.iloc[-1]["Cases audited"]
    facts = ra.audit_facts(table, audits, _findings_none())
    text = render_narrative("audits.md.j2", 5, audits=facts, year=ReportYear.parse("2019-20"))
    raw = table.frame.iloc[-1]["Cases audited"]
    if cell == "c" and raw <= 5:
        assert "5 or fewer cases" in text  # small itself: said as the table's c says it
    elif cell in ("c", "x"):
        assert facts["cases_audited"] is None and "cases" not in text
    else:
        assert f"looked at {cell} cases" in text


def test_audit_sentence_states_the_cases_the_table_publishes():
    facts = ra.audit_facts(ra.audit_table(AUDITS, YEAR, DEFAULT), AUDITS, _findings_none())
    text = render_narrative("audits.md.j2", 5, audits=facts, year=ReportYear.parse("2019-20"))
    assert facts["cases_audited"] == 22
    assert "2 of the 3 audits recorded how many cases they looked at: 22 cases in all" in text
    assert "3 audits during 2019-20" in text  # a count of audits, not of people


def test_small_counts_of_work_read_as_they_are_in_sentences():
    """Real partnerships run a handful of audits and reviews a year: "5 or fewer audits" tells
    a board nothing and protects nobody."""
    audits = AUDITS.iloc[:2]
    facts = ra.audit_facts(ra.audit_table(audits, YEAR, DEFAULT), audits, _findings_none())
    text = render_narrative("audits.md.j2", 5, audits=facts, year=YEAR)
    assert (
        "completed 2 audits during 2019-20 (Multi-agency thematic audit: 1; Deep dive: 1)" in text
    )
    assert "Together they looked at 22 cases." in text
    assert "or fewer" not in text
    strict = ra.audit_facts(ra.audit_table(audits, YEAR, STRICT), audits, _findings_none())
    assert "5 or fewer audits" in render_narrative("audits.md.j2", 5, audits=strict, year=YEAR)


def _reviews(rows):
    columns = [
        "review_id",
        "review_type",
        "subject_pseudonym",
        "notified_date",
        "started_date",
        "completed_date",
        "published_date",
        "status",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns[3:7]:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_carried_forward_and_new_come_only_from_dates_that_say_so():
    reviews = _reviews(
        [
            ("R1", "cspr", "Child A", "2018-11-01", None, None, None, "in_progress"),
            ("R2", "cspr", "Child B", "2019-06-01", None, None, None, "in_progress"),
            ("R3", "scr", None, None, None, "2019-10-01", None, "completed"),
        ]
    )
    facts = ra.review_facts(reviews, YEAR, covers_adults=False, policy=DEFAULT)
    assert (facts["new"], facts["carried_forward"], facts["undated"]) == (1, 1, 1)
    text = render_narrative("reviews.md.j2", 5, reviews=facts, year=YEAR)
    assert "1 review was carried forward" in text
    assert "1 review has no notification or start date recorded" in text
    assert "3 case reviews" in text and "or fewer" not in text


@pytest.mark.parametrize(
    ("year", "adults", "named", "not_named"),
    [
        (
            "2013-14",
            False,
            ["Serious Case Reviews"],
            ["Child Safeguarding Practice Reviews", "Safeguarding Adult Reviews", "rapid reviews"],
        ),
        (
            "2019-20",
            True,
            [
                "Serious Case Reviews",
                "rapid reviews",
                "Child Safeguarding Practice Reviews",
                "Safeguarding Adult Reviews",
            ],
            [],
        ),
        (
            "2022-23",
            False,
            ["rapid reviews", "Child Safeguarding Practice Reviews"],
            ["Serious Case Reviews", "Safeguarding Adult Reviews"],
        ),
    ],
)
def test_no_new_reviews_names_only_the_types_of_the_era_and_remit(year, adults, named, not_named):
    """A 2013-14 children-only board had no CSPRs (they began in 2018) and no SARs."""
    reviews = _reviews([("R1", "local_learning_review", None, None, None, None, None, "completed")])
    facts = ra.review_facts(reviews, ReportYear.parse(year), covers_adults=adults, policy=DEFAULT)
    text = render_narrative("reviews.md.j2", 5, reviews=facts, year=ReportYear.parse(year))
    for words in named:
        assert words in text
    for words in not_named:
        assert words not in text
