"""Whose a review is, and how many cases the reviews looked at: the data's own remit decides
before the type, and a rapid review and the review it led to are one case, not two."""

from __future__ import annotations

from conftest import facts_of
from workbook.sections import plain_summary
from workbook.text.narrative import render_template

HEADER = (
    "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,"
    "started_date,completed_date,published_date,status,title,incident_date,recommendations,"
    "joint_with,remit,briefing_published_date\n"
)


def _facts(tmp_path, rows: str, params: str = ""):
    findings = "finding_id,source_type,source_id,text,kind,agency,themes\n"
    actions = "action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date\n"
    tables = {"reviews": HEADER + rows, "findings": findings, "actions": actions}
    return facts_of(tmp_path, tables, params)


def _summary(facts) -> str:
    report = facts.report
    return render_template(
        "plain_summary.md.j2",
        report.threshold,
        s=plain_summary.facts(facts),
        partnership=report.partnership,
        year=report.year,
    )


def test_a_reviews_stated_remit_says_whose_it_is_where_its_type_does_not(tmp_path):
    reviews = _facts(
        tmp_path,
        "O1,other,,,2019-05-01,,,,,in_progress,,,,,adults,\n"
        "O2,other,,,2019-06-01,,,,,in_progress,,,,,,\n",
        "covers_adults: true",
    ).reviews
    assert {k: v.get() for k, v in reviews.by_remit.items()} == {"adults": 1}
    assert reviews.remits_of() == {"O1": {"adults"}}


def test_reviews_of_one_subject_are_one_case(tmp_path):
    reviews = _facts(
        tmp_path,
        "RR1,rapid_review,Child K,10_to_15,2019-05-01,,,,,completed,,,,,,\n"
        "CS1,cspr,Child K,10_to_15,2019-06-01,,,,,in_progress,,,,,,\n"
        "RR2,rapid_review,,under_1,2019-07-01,,,,,decided_not_to_review,,,,,,\n",
    ).reviews
    assert reviews.total.get() == 3
    assert reviews.cases.get() == 2
    assert reviews.cases.rows == ("reviews/RR1", "reviews/RR2")
    assert {k: v.get() for k, v in reviews.cases_by_remit.items()} == {"children": 2}


def test_the_plain_summary_says_whose_cases_it_counts(tmp_path):
    """It said "When someone is badly hurt ... we looked at 4 cases like this" on a page for
    children of two children's reviews, a SAR and a domestic homicide review."""
    text = _summary(
        _facts(
            tmp_path,
            "C1,cspr,Child A,under_1,2019-05-01,,,,,in_progress,,,,,,\n"
            "L1,local_learning_review,Child B,1_to_4,2019-05-01,,,,,in_progress,,,,,,\n"
            "S1,sar,Adult C,65_plus,2019-05-01,,,,,in_progress,,,,,,\n"
            "D1,dhr,Adult D,25_to_64,2019-05-01,,,,,in_progress,,,,,,\n",
            "covers_adults: true",
        )
    )
    assert (
        "This year we looked at 4 cases like this: 2 about children, 1 about adults who need "
        "care and 1 about people at risk of harm in the community." in text
    )


def test_the_plain_summary_of_childrens_cases_alone_speaks_of_a_child(tmp_path):
    text = _summary(
        _facts(
            tmp_path,
            "RR1,rapid_review,Child K,10_to_15,2019-05-01,,,,,completed,,,,,,\n"
            "CS1,cspr,Child K,10_to_15,2019-06-01,,,,,in_progress,,,,,,\n"
            "RR2,rapid_review,Child J,under_1,2019-07-01,,,,,decided_not_to_review,,,,,,\n",
        )
    )
    assert "When a child is badly hurt" in text
    assert "This year we looked at 2 cases like this." in text


def test_cases_nobody_recorded_whose_are_not_called_anyones(tmp_path):
    text = _summary(
        _facts(
            tmp_path,
            "C1,cspr,Child A,under_1,2019-05-01,,,,,in_progress,,,,,,\n"
            "O1,other,,,2019-05-01,,,,,in_progress,,,,,,\n",
        )
    )
    assert "When someone is badly hurt" in text
    assert "This year we looked at 2 cases like this: 1 about children and 1 other." in text
