"""National theme prevalences: a versioned, cited file, and the share of the partnership's
reviews (not findings) featuring each theme, counted by the year's theme facts and checked
against a count made by hand."""

from __future__ import annotations

import pytest

from conftest import facts_of
from workbook.coding.codebook import load_codebook
from workbook.national.themes import CHILD_REVIEW_TYPES, load_national_themes
from workbook.sections import national_themes as nt

REVIEW_HEADER = (
    "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,started_date,"
    "completed_date,published_date,status\n"
)
FINDING_HEADER = "finding_id,source_type,source_id,text,kind,agency,themes\n"
ACTION_HEADER = (
    "action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date,impact\n"
)
REVIEWS = REVIEW_HEADER + "".join(
    f"{rid},{kind},,under_1,2019-05-01,,,2019-12-01,,completed\n"
    for rid, kind in [("R1", "cspr"), ("R2", "rapid_review"), ("R3", "sar"), ("R4", "scr")]
    + [("R5", "cspr"), ("R6", "cspr")]
)
FINDINGS = FINDING_HEADER + "".join(
    f"{fid},{source_type},{source},Finding {fid}.,learning,multi-agency,{theme}\n"
    for fid, source_type, source, theme in [
        ("F1", "review", "R1", "neglect"),
        ("F2", "review", "R1", "neglect"),
        ("F3", "review", "R1", "domestic_abuse"),
        ("F4", "review", "R2", "neglect"),
        ("F5", "review", "R2", ""),
        ("F6", "review", "R3", "neglect"),
        ("F7", "review", "R4", "parental_mental_health"),
        ("F8", "review", "R4;R6", "domestic_abuse"),  # a joint finding of two reviews
        ("F10", "audit", "A1", "neglect"),
    ]
)
"""Analyst-coded findings (the words "Finding F1." match no theme, so only the analyst's
themes count): one row per finding, as the year's data hold them."""


@pytest.fixture
def facts(tmp_path):
    return facts_of(tmp_path, {"reviews": REVIEWS, "findings": FINDINGS, "actions": ACTION_HEADER})


def test_share_of_reviews_matches_a_hand_count(facts):
    # By hand: children's reviews with findings are R1, R2, R4 and R6 (R3 is a SAR, R5 has no
    # findings, A1 is an audit): 4. Neglect: R1 and R2 (R1's two neglect findings count once)
    # = 2 of 4. Domestic abuse: R1, R4 and R6 (F8 is a finding of both R4 and R6) = 3 of 4.
    # Parental mental health: R4 = 1 of 4.
    themes = facts.themes
    assessed = themes.reviews_assessed(CHILD_REVIEW_TYPES)
    assert assessed == 4 and assessed.unknown == 1  # R5
    featuring = {
        t: themes.reviews_featuring(t, types=CHILD_REVIEW_TYPES)
        for t in ("neglect", "domestic_abuse", "parental_mental_health", "substance_misuse")
    }
    assert {t: f.get() for t, f in featuring.items()} == {
        "neglect": 2,
        "domestic_abuse": 3,
        "parental_mental_health": 1,
        "substance_misuse": 0,
    }
    assert featuring["domestic_abuse"].rows == ("reviews/R1", "reviews/R4", "reviews/R6")
    table = nt.comparison_table(facts).frame.set_index("National factor (our theme)")
    assert table.loc["Neglect", nt.LOCAL] == 2 and table.loc["Neglect", nt.SHARE] == 50
    assert table.loc["Domestic abuse (domestic violence)", nt.SHARE] == 75


def test_adult_reviews_count_when_asked_for(facts):
    themes = facts.themes
    assert themes.reviews_featuring("neglect", types=("sar",)) == 1
    assert themes.reviews_assessed(("sar",)) == 1
    assert themes.reviews_featuring("neglect") == 3  # R1, R2 and R3, any review type


def test_reviews_whose_findings_match_no_theme_still_count_in_the_denominator(tmp_path):
    # No finding carries a theme, yet R1, R2, R4 and R6 (children's reviews) have findings,
    # so every share is 0 of 4, not a share of nothing: the comparison then says so in a
    # sentence, not in a table of noughts.
    untagged = FINDING_HEADER + "".join(
        line.rsplit(",", 1)[0] + ",\n" for line in FINDINGS.splitlines()[1:]
    )
    facts = facts_of(tmp_path, {"reviews": REVIEWS, "findings": untagged, "actions": ACTION_HEADER})
    assert facts.themes.reviews_assessed(CHILD_REVIEW_TYPES) == 4
    assert facts.themes.reviews_featuring("neglect", types=CHILD_REVIEW_TYPES) == 0
    table = nt.comparison_table(facts)
    assert table.empty
    assert nt.sentences(facts, table)["none_featured"]
    assert nt.for_the_board(nt.sentences(facts, table))  # that none featured is a finding


def test_too_few_reviews_are_said_in_a_sentence_not_a_table_of_hundreds_and_noughts(tmp_path):
    """Westmarch's one children's review with findings gave a table of 100% and 0% beside
    national analyses of hundreds of reviews."""
    from workbook.text.narrative import render_narrative

    one = FINDING_HEADER + "".join(
        line + "\n" for line in FINDINGS.splitlines()[1:] if ",R1," in line
    )
    facts = facts_of(tmp_path, {"reviews": REVIEWS, "findings": one, "actions": ACTION_HEADER})
    table = nt.comparison_table(facts)
    assert table.empty
    said = nt.sentences(facts, table)
    assert said["too_few"] and not said["none_featured"]
    assert not nt.for_the_board(said)  # the pack has no section of one sentence about it
    report = facts.report
    text = render_narrative(
        "national_themes.md.j2",
        report.threshold,
        partnership=report.partnership,
        year=report.year,
        n=said,
    )
    assert "1 children's review with recorded findings" in text and "too few" in text
    behind = nt.comparison_table(facts, minimum=1)  # the analyst's companion still has it
    assert behind.frame.set_index("National factor (our theme)")[nt.LOCAL].max() == 1


def test_each_national_figure_sits_beside_the_local_count_of_its_theme(facts):
    table = nt.comparison_table(facts).frame
    national = load_national_themes()
    assert len(table) == len(national.figures)
    substance = table[table["National factor (our theme)"].str.contains("substance misuse")]
    assert (substance[nt.LOCAL] == 0).all()  # no local review featured it


def test_the_national_file_is_cited_and_uses_codebook_themes():
    national = load_national_themes()
    themes = {t.id for t in load_codebook().themes}
    assert national.version and national.figures
    for figure in national.figures:
        assert figure.theme in themes, figure
        assert 0 < figure.percent <= 100 and figure.of and figure.checked
        for key in ("title", "publisher", "year", "url", "location"):
            assert figure.source.get(key), (figure.factor, key)
        assert figure.source["url"].startswith(("https://", "http://"))
    # The figures proposed in the issue that could not be checked are listed, not used.
    left_out = " ".join(entry["figure"] for entry in national.not_verified)
    assert "54%" in left_out and "53%" in left_out and "47%" in left_out
    assert not any(f.percent in (54, 53, 47) for f in national.figures)
