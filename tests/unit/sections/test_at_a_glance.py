"""The year at a glance: every board question answered from recorded facts, or said plainly to
be unanswerable from the year's data, each answer pointing to the sections of this pack."""

from __future__ import annotations

import re

from conftest import facts_of
from workbook.facts import year_facts
from workbook.inputs.report import open_report
from workbook.sections import at_a_glance, plain_summary, select
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

QUESTIONS = [
    "What did we learn?",
    "What did we do?",
    "Did it make a difference, and how do we know?",
    "What is not yet embedded?",
    "What are next year's priorities?",
    "How effective are the arrangements?",
]


def _page(facts, sections=None) -> str:
    report = facts.report
    titles = {s.id: s.title for s in select(sections)}
    return render_narrative(
        "at_a_glance.md.j2",
        report.threshold,
        partnership=report.partnership,
        year=report.year,
        answers=at_a_glance.answers(facts, titles),
    )


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_every_question_is_answered_from_the_facts_with_the_sections_that_show_it(tmp_path):
    page = _page(facts_of(tmp_path))
    assert re.findall(r"<h2>(.*?)</h2>", page.replace("&#x27;", "'")) == QUESTIONS
    text = _text(page)
    assert "The partnership had 2 case reviews open, completed or published during 2019-20." in text
    assert "The partnership recorded 3 improvement actions; 1 was complete" in text
    assert 'href="#reviews_audits"' in page and 'href="#learning_actions"' in page
    for claim in claims_in(page):  # every number from a fact
        said = re.sub(r"2019-20|March 2020", "", claim["text"])
        printed = {int(n) for n in re.findall(r"\b\d+\b", said)}
        assert printed <= {int(v) for v in claim["values"].values() if v.isdigit()}


def test_what_the_data_cannot_answer_is_said_plainly_not_as_none(tmp_path):
    empty = {
        "reviews": "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,"
        "started_date,completed_date,published_date,status\n",
        "audits": "audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,"
        "graded_good,graded_requires_improvement,graded_inadequate\n",
        "findings": "finding_id,source_type,source_id,text,kind,agency,themes\n",
        "actions": "action_id,finding_id,source_id,action,owner_agency,due_date,status,"
        "completed_date,impact\n",
    }
    text = _text(_page(facts_of(tmp_path, empty)))
    assert text.count("so this report cannot answer it yet") == len(QUESTIONS)
    assert not re.search(r"\b0\b", text) and "no case review" not in text.lower()


def test_an_answer_points_only_to_sections_the_pack_has(tmp_path):
    page = _page(facts_of(tmp_path), sections=("at_a_glance", "reviews_audits"))
    assert set(re.findall(r'href="#([^"]+)"', page)) == {"reviews_audits"}


NEXT_PRIORITIES = (
    "priority_id,priority,commitments,lead,themes\n"
    "P1,Neglect,Relaunch the neglect toolkit.,Neglect sub-group,neglect\n"
    "P2,Exploitation,,,\n"
)


def test_next_years_priorities_are_named_where_the_data_list_them(tmp_path):
    """Northdale's data listed three priorities for the coming year, and the pack said only
    that the partnership set them out "in its own words"."""
    from workbook.sections import priorities

    facts = facts_of(tmp_path, {"next_priorities": NEXT_PRIORITIES})
    text = _text(_page(facts))
    assert "For the coming year the partnership set 2 priorities: Neglect and Exploitation." in text
    table = priorities.coming_table(facts)
    assert table.frame.columns.tolist() == ["Priority", "Lead", "What the partnership commits to"]
    assert table.frame["Priority"].tolist() == ["Neglect", "Exploitation"]
    none = facts_of(tmp_path / "none")
    assert "the partnership's priorities for the coming year" in {g.missing for g in none.gaps()}
    assert priorities.coming_table(none).empty
    assert "cannot answer it yet" in _text(_page(none)).split("How effective")[0]


def test_the_years_themes_are_not_said_to_be_the_reviews_own(tmp_path):
    """ "5 case reviews ... The themes their findings raised most often" named themes coded
    only in an inspection's and other sources' findings (Westmarch 2023-24): the themes are
    of all the year's findings, and both the year at a glance and the plain summary say so."""
    facts = year_facts(open_report("westmarch", "2023-24"))
    sources = set(facts.themes.frame.loc[facts.themes.frame["this_year"], "source_type"])
    assert sources - {"review"}  # the year's findings come from beyond its reviews
    said = re.search(r"The themes[^.]*\.", _text(_page(facts))).group(0)
    assert "their findings" not in said and "the year's findings" in said
    plain = render_narrative(
        "plain_summary.md.j2",
        facts.report.threshold,
        partnership=facts.report.partnership,
        year=facts.report.year,
        s=plain_summary.facts(facts),
    )
    assert "In everything we learned this year, the things that came up most" in _text(plain)


def test_themes_raised_every_year_say_how_many_where_only_the_leading_are_named():
    """Northdale 2020-21's answer read "Themes raised in every year of 2019-20 to 2020-21:
    assessment and planning, neglect and multi-agency working", of 17 such themes."""
    facts = year_facts(open_report("northdale", "2020-21"))
    every = facts.themes.recurring
    assert len(every) > at_a_glance.LEADING
    text = _text(_page(facts))
    assert f"{len(every)} themes were raised in every year of 2019-20 to 2020-21, most often" in (
        text
    )
    assert "Themes raised in every year" not in text
