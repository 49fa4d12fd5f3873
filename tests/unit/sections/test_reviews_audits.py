"""The case reviews and audits section and the actions section: tables and sentences built on
the year's facts, each sentence true of the data (nothing said of what is not recorded, each
thing called by its kind, a shared finding printed once)."""

from __future__ import annotations

import re

import pytest

from conftest import facts_of
from workbook.sections import learning_actions as la
from workbook.sections import reviews_audits as ra
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

AUDIT_HEADER = (
    "audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,graded_good,"
    "graded_requires_improvement,graded_inadequate\n"
)
ACTION_HEADER = (
    "action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date,impact\n"
)
REVIEW_HEADER = (
    "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,started_date,"
    "completed_date,published_date,status\n"
)
FINDING_HEADER = "finding_id,source_type,source_id,text,kind,agency,themes\n"
STRICT = "withhold_counts_of: [cases_audited, actions, audits, reviews, findings]"
"""A partnership that asked to withhold small counts of its work too."""

AUDITS = (
    AUDIT_HEADER
    + "A1,Neglect,multi_agency_thematic,2019-11-15,12,1,6,4,1\n"
    + "A2,Missing,deep_dive,2020-01-10,10,0,7,3,0\n"
    + "A3,Self-assessment,self_assessment,2019-06-01,,,,,\n"
)
NO_FINDINGS = {"findings": FINDING_HEADER, "actions": ACTION_HEADER}


def _text(template: str, facts, **given) -> str:
    report = facts.report
    return render_narrative(
        template, report.threshold, partnership=report.partnership, year=report.year, **given
    )


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_audit_table_ends_with_the_total_of_every_count_column(tmp_path):
    facts = facts_of(tmp_path, {"audits": AUDITS, **NO_FINDINGS})
    table = ra.audit_table(facts).frame
    total = table.iloc[-1]
    assert total["Audit"] == ra.ALL_AUDITS
    assert total["Cases audited"] == 22
    assert [total[g] for g in ra.GRADE_COLUMNS.values()] == [1, 13, 7, 1]


def test_counts_of_audits_and_their_cases_are_published_as_they_are(tmp_path):
    table = ra.audit_table(facts_of(tmp_path, {"audits": AUDITS, **NO_FINDINGS}))
    assert "c" not in table.cells.to_numpy().ravel()
    assert table.cells.iloc[-1]["Outstanding"] == "1"


def test_grade_chart_shows_only_what_the_published_table_shows(tmp_path):
    from workbook.render import charts

    table = ra.audit_table(facts_of(tmp_path, {"audits": AUDITS, **NO_FINDINGS}, STRICT))
    grades = list(ra.GRADE_COLUMNS.values())
    shown_in_table = {g: table.cells.iloc[-1][g] for g in grades}
    fig, alt = charts.count_bars(
        table, "Cases audited by grade", "Cases", row=ra.ALL_AUDITS, columns=grades
    )
    for grade, cell in shown_in_table.items():
        assert (f"{grade}: withheld" in alt) if cell == "c" else (f"{grade}: {cell}" in alt)
    assert "Outstanding: withheld" in alt and "Inadequate: withheld" in alt
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "1" not in labels  # the small counts are never written on the chart


def test_a_grade_chart_of_nothing_but_zeros_is_not_drawn(tmp_path):
    from workbook.render import charts

    audits = AUDIT_HEADER + "A1,Ungraded,deep_dive,2019-11-15,4,0,0,0,0\n"
    table = ra.audit_table(facts_of(tmp_path, {"audits": audits, **NO_FINDINGS}))
    drawn = charts.count_bars(
        table,
        "Cases audited by grade",
        "Cases",
        row=table.frame.iloc[0, 0],  # the only audit's own row: no total row
        columns=list(ra.GRADE_COLUMNS.values()),
    )
    assert drawn is None


def test_inspections_and_self_assessments_are_not_audits_the_partnership_ran(tmp_path):
    """An Ofsted visit became "The partnership completed 1 audit"; a section 11 return is an
    agency's own self-assessment."""
    audits = (
        AUDIT_HEADER
        + "A1,Neglect,multi_agency_thematic,2019-11-15,12,,,,\n"
        + "I1,Focused visit,ofsted_ilacs,2020-01-15,,,,,\n"
        + "S1,Section 11 returns,section_11,2019-09-01,,,,,\n"
    )
    facts = facts_of(tmp_path, {"audits": audits, **NO_FINDINGS})
    text = _plain(_text("audits.md.j2", facts, s=ra.audit_sentences(facts)))
    assert "the partnership ran 1 multi-agency audit." in text
    assert "Agencies reported 1 self-assessment to the partnership." in text
    assert "1 inspection or visit of the partnership's services was reported" in text
    assert "3 audits" not in text and "completed" not in text
    assert ra.inspection_table(facts).frame["Inspection or review"].tolist() == ["Focused visit"]
    assert ra.audit_table(facts).frame["Audit"].tolist()[:2] == ["Neglect", "Section 11 returns"]


def test_the_cases_audited_are_said_of_the_audits_that_recorded_them(tmp_path):
    facts = facts_of(tmp_path, {"audits": AUDITS, **NO_FINDINGS})
    text = _plain(_text("audits.md.j2", facts, s=ra.audit_sentences(facts)))
    assert "2 of them recorded how many cases they looked at: 22 cases in all." in text
    assert "or fewer" not in text  # counts of work read as they are
    strict = facts_of(tmp_path, {"audits": AUDITS, **NO_FINDINGS}, STRICT)
    text = _plain(_text("audits.md.j2", strict, s=ra.audit_sentences(strict)))
    assert "5 or fewer" in text


def test_no_audits_recorded_is_one_gap_not_one_per_thing_audits_would_say(tmp_path):
    """ "Audits" and "How many cases the audits looked at" were both listed for a year with no
    audits; the second follows from the first."""
    missing = {
        g.missing for g in facts_of(tmp_path, {"audits": AUDIT_HEADER, **NO_FINDINGS}).gaps()
    }
    assert "audits" in missing and "how many cases the audits looked at" not in missing
    some = {g.missing for g in facts_of(tmp_path / "b", {"audits": AUDITS, **NO_FINDINGS}).gaps()}
    assert "how many cases the audits looked at" in some  # A3 did not say: a gap in its row


ACTIONS = (
    ACTION_HEADER
    + "X1,F1,,Briefing,Partnership,2019-12-31,completed,2019-12-01,Read by 400 staff\n"
    + "X2,F1,,Guidance,Police,2019-06-01,in_progress,,\n"
    + "X3,F1,,Re-audit,Partnership,2021-01-01,not_started,,\n"
    + "X4,F1,,Cancelled one,Partnership,,cancelled,,\n"
    + "X5,F1,,Another,Partnership,2020-12-31,in_progress,,\n"
)


def test_action_counts_total_row_counts_every_action_once(tmp_path):
    facts = facts_of(tmp_path, {"actions": ACTIONS})
    counts = la.action_counts(facts).frame.set_index("Position at year end")["Actions"]
    assert counts[la.ALL_ACTIONS] == 5
    assert counts.drop(la.ALL_ACTIONS).sum() == 5
    assert counts["Overdue"] == 1  # in progress, due 1 June 2019


def test_overdue_is_not_said_where_no_open_action_has_a_due_date(tmp_path):
    """Darlington's shape: "No action was overdue at the year end" and an "Overdue 0" row when
    no due date was recorded."""
    actions = (
        ACTION_HEADER
        + "X1,F1,,Briefing,Partnership,,completed,,\n"
        + "X2,F1,,Guidance,Police,,in_progress,,\n"
    )
    facts = facts_of(tmp_path, {"actions": actions})
    assert not facts.actions.overdue.recorded
    counts = la.action_counts(facts)
    text = _plain(_text("actions.md.j2", facts, s=la.action_sentences(facts, counts)))
    assert "overdue" not in text.lower() and "due date" not in text
    assert "Overdue" not in counts.frame["Position at year end"].tolist()


def test_overdue_counts_only_the_actions_whose_due_date_is_known(tmp_path):
    actions = ACTIONS + "X6,F1,,No date,Partnership,,in_progress,,\n"
    facts = facts_of(tmp_path, {"actions": actions})
    counts = la.action_counts(facts)
    assert facts.actions.overdue.get() == 1 and facts.actions.overdue.unknown == 1
    assert "1 open action has no due date recorded" in counts.notes
    text = _plain(_text("actions.md.j2", facts, s=la.action_sentences(facts, counts)))
    assert "1 action was overdue" in text and "Every open action" not in text


def test_actions_that_answer_no_review_or_audit_are_not_said_to_come_from_them(tmp_path):
    facts = facts_of(tmp_path, {"actions": ACTIONS})
    text = _plain(
        _text("actions.md.j2", facts, s=la.action_sentences(facts, la.action_counts(facts)))
    )
    assert "Reviews and audits led to 5 improvement actions." in text
    two_for_a_priority = ACTIONS.replace("X1,F1,", "X1,,").replace("X2,F1,", "X2,,")
    facts = facts_of(tmp_path, {"actions": two_for_a_priority})
    text = _plain(
        _text("actions.md.j2", facts, s=la.action_sentences(facts, la.action_counts(facts)))
    )
    assert "The partnership recorded 5 improvement actions, 3 of them answering reviews" in text
    assert "led to" not in text


def _many_actions(**by_status) -> str:
    """Actions with the given number in each status; `overdue` ones are in progress, due in
    June 2019, the rest due after the 2019-20 year end."""
    rows, n = [], 0
    for status, how_many in by_status.items():
        for _ in range(how_many):
            n += 1
            due = "2019-06-01" if status == "overdue" else "2021-01-01"
            real = "in_progress" if status == "overdue" else status
            rows.append(f"X{n},F1,,Action {n},Partnership,{due},{real},,\n")
    return ACTION_HEADER + "".join(rows)


def test_action_narrative_never_states_what_the_table_hides(tmp_path):
    """One cancelled action is withheld under a strict policy, so the table hides a second
    position too; the sentence must not state it, or it could be worked out."""
    actions = _many_actions(completed=39, in_progress=18, not_started=17, overdue=16, cancelled=1)
    facts = facts_of(tmp_path, {"actions": actions}, STRICT)
    table = la.action_counts(facts)
    hidden = [
        int(n)
        for n, shown in zip(table.frame["Actions"], table.cells["Actions"], strict=True)
        if shown == "c" and n > 5
    ]
    assert hidden  # the secondary suppression this test is about
    text = _plain(_text("actions.md.j2", facts, s=la.action_sentences(facts, table)))
    stated = [int(n) for n in re.findall(r"\b\d+\b", text.replace("2020", ""))]
    assert not set(hidden) & set(stated), text
    assert "withheld (shown as c)" in text and "91 improvement actions" in text


def test_every_claim_names_the_rows_it_rests_on(tmp_path):
    facts = facts_of(tmp_path, {"actions": ACTIONS})
    html = _text("actions.md.j2", facts, s=la.action_sentences(facts, la.action_counts(facts)))
    claims = claims_in(html)
    overdue = next(c for c in claims if "overdue" in c["text"])
    assert overdue["facts"] == ["actions.overdue"] and overdue["rows"] == ["actions/X2"]
    assert overdue["values"] == {"actions.overdue": "1"}
    ids = {f"actions/X{n}" for n in range(1, 6)}
    assert all(set(c["rows"]) <= ids for c in claims)


REVIEWS = (
    REVIEW_HEADER
    + "R1,cspr,Child A,under_1,2018-11-01,,,,,in_progress\n"
    + "R2,cspr,Child B,under_1,2019-06-01,,,,,in_progress\n"
    + "R3,scr,,,,,,2019-10-01,,completed\n"
)


def test_carried_forward_and_new_come_only_from_dates_that_say_so(tmp_path):
    facts = facts_of(tmp_path, {"reviews": REVIEWS, **NO_FINDINGS})
    r = facts.reviews
    assert (r.new.get(), r.carried_forward.get(), r.new.unknown) == (1, 1, 1)
    text = _plain(_text("reviews.md.j2", facts, s=ra.review_sentences(facts)))
    assert "1 review was carried forward" in text and "1 review began during the year" in text
    assert "3 case reviews" in text and "or fewer" not in text
    # the undated review is neither new nor carried forward, and no sentence says so
    assert "counted neither" not in text


def test_reviews_are_counted_by_type_only_where_a_type_has_more_than_one(tmp_path):
    """A count of each type, every count 1, repeats the table's column of types below."""
    facts = facts_of(tmp_path, {"reviews": REVIEWS, **NO_FINDINGS})
    text = _plain(_text("reviews.md.j2", facts, s=ra.review_sentences(facts)))
    assert "3 case reviews open, completed or published (" in text  # 2 of one type
    one_each = (
        REVIEW_HEADER
        + "R1,cspr,Child A,under_1,2019-06-01,,,,,in_progress\n"
        + ("R3,scr,,,,,,2019-10-01,,completed\n")
    )
    facts = facts_of(tmp_path, {"reviews": one_each, **NO_FINDINGS})
    text = _plain(_text("reviews.md.j2", facts, s=ra.review_sentences(facts)))
    assert "case reviews open, completed or published." in text and ": 1" not in text
    # Every review of one type: a count of it is the total again ("(Other review: 2)").
    one_type = REVIEW_HEADER + "".join(
        f"R{i},cspr,Child {i},under_1,2019-06-01,,,,,in_progress\n" for i in (1, 2)
    )
    facts = facts_of(tmp_path, {"reviews": one_type, **NO_FINDINGS})
    text = _plain(_text("reviews.md.j2", facts, s=ra.review_sentences(facts)))
    assert "2 case reviews open, completed or published." in text and ": 2" not in text


def test_no_new_review_of_a_type_is_said_because_the_list_has_none(tmp_path):
    """ "There were no new rapid reviews" when the data say nothing about rapid reviews."""
    facts = facts_of(tmp_path, {"reviews": REVIEWS, **NO_FINDINGS})
    text = _plain(_text("reviews.md.j2", facts, s=ra.review_sentences(facts)))
    assert "no new" not in text.lower() and "rapid" not in text.lower()


def test_a_completed_review_is_signed_off_by_whoever_signs_its_kind_off(tmp_path):
    """Four SARs were "signed off by the statutory safeguarding partners" (a SAR is the
    Safeguarding Adults Board's, and where a joint partnership holds that board's duties itself
    no separate body is named)."""
    reviews = (
        REVIEW_HEADER
        + "S1,sar,Adult A,65_plus,,,2019-05-01,2019-12-01,,completed\n"
        + "S2,sar,Adult B,25_to_64,,,2019-05-01,2020-01-01,,completed\n"
        + "C1,cspr,Child C,under_1,2019-04-10,,,2020-02-01,,completed\n"
        + "L1,local_learning_review,Review D,,,,,2019-07-01,,completed\n"
    )
    facts = facts_of(tmp_path, {"reviews": reviews, **NO_FINDINGS}, "covers_adults: true")
    text = _plain(_text("reviews.md.j2", facts, s=ra.review_sentences(facts)))
    assert (
        "2 Safeguarding Adult Reviews and 1 local learning review were completed during the "
        "year." in text
    )
    assert (
        "1 Child Safeguarding Practice Review was completed during the year and signed off by "
        "the safeguarding partners." in text
    )


def test_a_finding_shared_by_several_reviews_is_listed_once(tmp_path):
    reviews = REVIEW_HEADER + "".join(
        f"R{n},cspr,Child {n},under_1,2019-05-01,,,,,in_progress\n" for n in range(1, 5)
    )
    findings = (
        FINDING_HEADER
        + "F1,review,R1;R2;R3;R4,Neglect was not recognised.,learning,multi-agency,\n"
        + "F2,review,R2,Information was not shared.,learning,multi-agency,\n"
    )
    facts = facts_of(tmp_path, {"reviews": reviews, "findings": findings, "actions": ACTION_HEADER})
    learning = ra.review_learning(facts)
    listed = [entry["id"] for item in learning for entry in item["learning"]]
    assert sorted(listed) == ["F1", "F2"]
    shared = next(e for item in learning for e in item["learning"] if e["id"] == "F1")
    assert len(shared["also"]) == 3
    assert facts.findings.total.get() == 2
    assert facts.findings.sources_with_findings["review"].get() == 4


@pytest.mark.parametrize("template", ["reviews.md.j2", "audits.md.j2", "actions.md.j2"])
def test_an_empty_year_says_only_what_is_recorded(tmp_path, template):
    facts = facts_of(
        tmp_path,
        {"reviews": REVIEW_HEADER, "audits": AUDIT_HEADER, **NO_FINDINGS},
    )
    given = {
        "reviews.md.j2": lambda: {"s": ra.review_sentences(facts)},
        "audits.md.j2": lambda: {"s": ra.audit_sentences(facts)},
        "actions.md.j2": lambda: {"s": la.action_sentences(facts, la.action_counts(facts))},
    }[template]()
    text = _plain(_text(template, facts, **given))
    assert not re.search(r"\b0\b", text), text
