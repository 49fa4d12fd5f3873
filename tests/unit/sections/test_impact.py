"""The chain from learning to impact (`workbook.facts.impact`), built on constructed years: each
link type, the evidence levels, no link from a theme's name alone, no evidence of change from a
finding dated before or overlapping an action's completion, and the checklist's impact line.

Testshire looks back two years: 2019-20 holds the findings and the actions answering them,
2020-21 the audit that finds practice again.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import facts_of
from workbook.facts.chain import (
    CHANGE_SEEN,
    DONE,
    MEASURE_MOVED,
    NO_EVIDENCE,
    PERSISTS,
)
from workbook.sections import impact as im
from workbook.sections.checklist import IN_PACK, checklist, year_checklist
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

FINDINGS = "finding_id,source_type,source_id,text,kind,agency,themes\n"
ACTIONS = (
    "action_id,finding_id,source_id,priority,action,owner_agency,due_date,status,"
    "completed_date,impact\n"
)
AUDITS = (
    "audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,graded_good,"
    "graded_requires_improvement,graded_inadequate\n"
)
PRIORITIES = (
    "priority_id,priority,success,measures,indicators,lead,rag_status,evidence,barriers,themes\n"
)
INDICATORS = "indicator,breakdown,area,period_end,value,unit,target,source,note\n"

FIRST = {
    "audits": AUDITS
    + "A1,Plans,multi_agency_thematic,2019-11-15,12,1,6,4,1\n"
    + "A4,Wishes,multi_agency_thematic,2020-01-15,10,1,6,2,1\n",
    "findings": FINDINGS
    + "F1,review,R1,The toolkit was not used.,learning,multi-agency,neglect\n"
    + "F2,audit,A1,Wishes were not in plans.,area_for_development,multi-agency,voice_of_child\n"
    + "F3,audit,A1,Risk at home was not assessed.,area_for_development,police,domestic_abuse\n"
    + "F4,review,R1,The GP did not pass on what it knew.,learning,health,"
    "communication_information_sharing\n"
    + "F5,audit,A1,Plans for the family drifted.,area_for_development,multi-agency,neglect\n"
    + "F6,audit,A4,Wishes were recorded well.,strength,multi-agency,voice_of_child\n",
    "actions": ACTIONS
    + "X1,F1,,,Relaunch the toolkit,Partnership,2019-12-31,completed,2019-12-01,Relaunched\n"
    + "X2,F2,,,Relaunch the standard,Council,2020-01-31,completed,January 2020,\n"
    + "X3,F3,,,Routine enquiry,Health,2020-03-31,completed,2020-03-31,\n"
    + "X4,F4,,Information sharing,Neglect briefing for GPs,Health,2019-10-31,completed,"
    "2019-10-01,\n" + "X5,F1,,,Neglect training,Partnership,2020-09-30,in_progress,,\n",
    "priorities": PRIORITIES
    + "P1,Domestic abuse,,,cpp_rate,Board,amber,,,domestic_abuse\n"
    + "P2,Information sharing,,,cin_rate,Board,amber,,,\n"
    + "P3,Neglect,,,cla_rate,Board,amber,,,\n",
    "indicators": INDICATORS
    + "cpp_rate,,local,2020-03-31,37.8,rate_per_10k,,DfE,\n"
    + "cin_rate,,local,2019-06-30,300,rate_per_10k,,DfE,\n"
    + "cla_rate,,local,2019-06-30,60,rate_per_10k,,DfE,\n",
}
"""2019-20: findings on five themes, and the actions answering them."""

LATER = {
    "reviews": "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,"
    "started_date,completed_date,published_date,status\n",
    "audits": AUDITS + "A2,Re-audit,multi_agency_thematic,2020-06-10,12,1,6,4,1\n",
    "findings": FINDINGS
    + "G1,audit,A2,The toolkit was used in most cases.,strength,multi-agency,neglect\n"
    + "G2,audit,A2,Wishes were still missing from plans.,area_for_development,multi-agency,"
    "voice_of_child\n",
    "actions": ACTIONS,
    "priorities": PRIORITIES + "P1,Domestic abuse,,,cpp_rate,Board,green,,,domestic_abuse\n",
    "indicators": INDICATORS
    + "cpp_rate,,local,2021-03-31,35.1,rate_per_10k,,DfE,\n"
    + "cin_rate,,local,2021-03-31,340,rate_per_10k,,DfE,\n"
    + "cla_rate,,local,2021-03-31,70,rate_per_10k,,DfE,\n",
}
"""2020-21: the re-audit finds the toolkit used and the wishes still missing."""


@pytest.fixture
def impact(tmp_path):
    facts_of(tmp_path, FIRST)
    return facts_of(tmp_path, LATER, year="2020-21").impact


def _link(impact, action: str, theme: str):
    rows = impact.chain[(impact.chain["action_id"] == action) & (impact.chain["theme"] == theme)]
    assert len(rows) == 1, (action, theme, impact.chain[["action_id", "theme"]])
    return rows.iloc[0]


def test_a_later_strength_on_the_theme_is_practice_change_seen(impact):
    link = _link(impact, "X1", "neglect")
    assert link["level"] == CHANGE_SEEN
    assert link["later"] == ["G1"] and link["seen"] == ["G1"]
    assert link["answers"] == ["2019-20/F1"] and link["finding"] == "The toolkit was not used."


def test_a_finding_dated_before_the_completion_is_not_evidence_of_change(impact):
    # F5 (neglect, audit of 15 November 2019) came before the toolkit's relaunch on 1 December.
    assert "2019-20/F5" not in _link(impact, "X1", "neglect")["later"]


def test_a_finding_overlapping_a_completion_given_as_a_month_is_not_evidence(impact):
    # X2 was completed in January 2020; A4's strength of 15 January 2020 may have come before.
    link = _link(impact, "X2", "voice_of_child")
    assert "2019-20/F6" not in link["later"] and link["seen"] == []
    assert link["later"] == ["G2"] and link["level"] == PERSISTS


def test_another_finding_of_the_review_the_action_answers_is_not_its_later_evidence(tmp_path):
    # R1 was signed off (1 February 2020) after the toolkit's relaunch (1 December 2019); its
    # other finding on neglect is the same review's learning, not a later look at practice.
    first = {
        **FIRST,
        "findings": FIRST["findings"]
        + "F7,review,R1,Neglect was not recognised by the school.,learning,education,neglect\n",
    }
    link = _link(facts_of(tmp_path, first).impact, "X1", "neglect")
    assert link["later"] == [] and link["level"] == DONE


def test_a_later_finding_asking_for_change_again_is_learning_not_yet_embedded(impact):
    (recurrence,) = impact.not_embedded
    assert recurrence.theme == "voice_of_child"
    assert list(recurrence.actions["action_id"]) == ["X2"]
    assert list(recurrence.later["ref"]) == ["G2"]
    assert recurrence.later["date"].iloc[0] == "10 June 2020"


def test_an_indicator_linked_to_the_theme_by_a_priority_is_an_outcome_measure(impact):
    link = _link(impact, "X3", "domestic_abuse")
    assert link["level"] == MEASURE_MOVED
    assert "from 37.8 to 35.1" in link["measure"]


def test_no_link_is_made_from_a_theme_name_alone(impact):
    # X4 is called a "Neglect briefing" but answers a finding on information sharing: it is on
    # that theme only. The priority it serves names an indicator but no theme, and the one
    # priority called "Neglect" names none: no measure reaches the themes by their names.
    assert list(impact.chain.loc[impact.chain["action_id"] == "X4", "theme"]) == [
        "communication_information_sharing"
    ]
    x4 = _link(impact, "X4", "communication_information_sharing")
    assert "children in need" in x4["measure"]  # through the priority the action records
    assert _link(impact, "X1", "neglect")["measure"] == ""


def test_an_action_not_completed_is_no_evidence_yet_and_one_done_without_later_is_done(
    tmp_path,
):
    impact = facts_of(tmp_path, {**FIRST, "priorities": PRIORITIES}).impact
    assert _link(impact, "X5", "neglect")["level"] == NO_EVIDENCE
    assert _link(impact, "X3", "domestic_abuse")["level"] == DONE  # nothing later in one year
    assert not impact.change_seen.get()


def test_the_checklist_impact_line_is_in_the_pack_only_beyond_action_done(tmp_path):
    only_done = facts_of(tmp_path / "one", {**FIRST, "priorities": PRIORITIES})
    assert set(only_done.impact.chain["level"]) <= {NO_EVIDENCE, DONE}
    facts_of(tmp_path / "two", FIRST)
    later = facts_of(tmp_path / "two", LATER, year="2020-21")
    assert later.impact.change_seen.get()

    def impact_line(facts):
        table = year_checklist(facts)
        return table.loc[table["element"].str.startswith("Evidence of the impact of the work")]

    assert impact_line(only_done)["status"].iloc[0] != IN_PACK
    assert impact_line(later)["status"].iloc[0] == IN_PACK


def test_the_backlog_counts_actions_last_recorded_open_by_the_year_raised(impact):
    assert impact.backlog.loc["2019-20", "2019-20"] == 1  # X5
    assert impact.backlog.loc["2019-20", "2020-21"] == 1  # not recorded again: last known open
    assert int(impact.open_backlog.get()) == 1
    assert not impact.backlog_grows.get()


def test_training_is_counted_by_the_highest_level_of_evaluation(tmp_path):
    header = (
        "course_id,title,sessions,attendances,evaluations,score_before,score_after,"
        "score_out_of,followup_pct,followup_measure,results\n"
    )
    training = (
        header
        + "C1,Neglect,2,20,15,,,,,,\n"
        + "C2,Voice,2,20,15,4,8,10,,,\n"
        + "C3,Missing,2,20,15,4,8,10,60,Asked three months later,\n"
        + "C4,Sleep,2,20,,,,,,,The re-audit found safe sleep advice given in every case\n"
    )
    levels = facts_of(tmp_path, {"training": training}).impact.training_levels
    assert {k: int(v.get()) for k, v in levels.items()} == {
        "reaction": 1,
        "learning": 1,
        "behaviour": 1,
        "results": 1,
    }


def test_effectiveness_and_the_arrangements_elements_are_recorded_only_where_given(tmp_path):
    bare = facts_of(tmp_path / "bare").impact
    assert not bare.judged.recorded and not bare.judged.missing  # the checklist says it once
    assert not bare.elements["lead_partners"].recorded
    given = facts_of(
        tmp_path / "given",
        {
            "effectiveness": "judged_by,judgement,summary\n"
            "independent_scrutineer,partly_effective,Learning reaches practice in part.\n",
            "partners": "agency,role,role_title,signed_off_report\n"
            "Council,lead_safeguarding_partner,Chief Executive,yes\n"
            "Police,lead_safeguarding_partner,Chief Constable,no\n"
            "Council,delegated_safeguarding_partner,Director of Children's Services,\n",
            "data_set": "indicator,agreed\ncpp_rate,\ncla_rate,no\n",
        },
    ).impact
    assert int(given.judged.get()) == 1
    elements = {k: int(v.get()) for k, v in given.elements.items() if v.recorded}
    assert elements == {"lead_partners": 2, "delegates": 1, "signed_off": 1, "data_set": 1}


def test_sars_concluded_in_the_year_give_each_finding_its_response_and_what_was_done(tmp_path):
    facts = facts_of(
        tmp_path,
        {
            "reviews": "review_id,review_type,completed_date,status\n"
            "S1,sar,2019-12-01,completed\nS2,sar,,in_progress\nR1,cspr,2020-02-01,completed\n",
            "findings": FINDINGS.strip() + ",response,response_reason\n"
            "H1,review,S1,Providers should know how to raise concerns.,recommendation,adults,"
            "adult_safeguarding,accepted,\n"
            "H2,review,S1,The Board should commission a hoarding service.,recommendation,"
            "adults,adult_safeguarding,not_accepted,The council already commissions one.\n",
            "actions": ACTIONS + "Y1,H1,,,Brief providers,Council,2020-03-31,completed,"
            "2020-02-01,\n",
        },
        params="covers_adults: true",
    )
    impact = facts.impact
    assert int(impact.sars_concluded.get()) == 1 and int(impact.sars_in_progress.get()) == 1
    rows = impact.sar_findings.set_index("finding_id")
    assert rows.loc["H1", "done"] == [{"action": "Brief providers", "status": "completed"}]
    assert rows.loc["H2", "done"] == []
    assert rows.loc["H2", "response_reason"] == "The council already commissions one."


def test_the_arrangements_elements_are_asked_only_of_the_years_the_guidance_asks_them_of():
    tables = {"partners": pd.DataFrame()}
    lead = "The lead safeguarding partners and their delegates, and who signed the report off"
    assert lead not in set(checklist(tables, None, year="2019-20")["element"])
    assert lead in set(checklist(tables, None, year="2023-24")["element"])
    teams = "The multi-agency child protection teams, when in place"
    assert teams not in set(checklist(tables, None, year="2025-26")["element"])
    assert teams in set(checklist(tables, None, year="2026-27")["element"])


def _page(facts, template: str, **given) -> str:
    report = facts.report
    return render_narrative(
        template, report.threshold, partnership=report.partnership, year=report.year, **given
    )


def test_the_board_reads_each_theme_with_what_we_learned_did_and_how_we_know(tmp_path):
    facts_of(tmp_path, FIRST)
    facts = facts_of(tmp_path, LATER, year="2020-21")
    blocks = im.theme_blocks(facts)
    page = _page(
        facts, "impact.md.j2", blocks=blocks, e=im.not_embedded(facts), b=im.backlog(facts)
    )
    claims = claims_in(page)
    neglect = next(c for c in claims if "The toolkit was used in most cases" in c["text"])
    # What the later evidence is, named as what its source was, and what it found: good
    # practice on the theme, not a change the data do not show happened.
    assert (
        "a later multi-agency audit (10 June 2020) found good practice on the same theme"
        in neglect["text"]
    )
    assert "actions/X1" in neglect["rows"] and "findings/G1" in neglect["rows"]
    assert any("Relaunch the toolkit, completed 1 December 2019" in c["text"] for c in claims)
    voice = next(c for c in claims if "Wishes were still missing" in c["text"])
    # A later finding on the same theme, not the action's problem found again: the chain
    # links by theme (Northdale quoted a graded care profile finding as a DASH problem
    # persisting).
    assert (
        "a later multi-agency audit (10 June 2020) found more to change on the same theme"
        in voice["text"]
    )
    assert "problem persists" not in page
    assert any("Learning not yet embedded: Voice of the child" in c["text"] for c in claims)
    # Each action is told once, whatever its themes.
    told = [b["fact"].rows[0] for b in blocks]
    assert len(told) == len(set(told))


def test_without_a_recorded_judgement_effectiveness_says_so_once_and_gives_the_evidence(
    tmp_path,
):
    facts = facts_of(tmp_path, FIRST)
    page = _page(facts, "effectiveness.md.j2", v=im.effectiveness(facts))
    text = re.sub(r"<[^>]+>", "", page)
    assert text.count("No judgement of how effective the arrangements were is recorded") == 1
    assert "is done with no later evidence" in text or "are done with no later evidence" in text
    judged = facts_of(
        tmp_path / "judged",
        {
            **FIRST,
            "effectiveness": "judged_by,judgement,summary\n"
            "independent_scrutineer,partly_effective,Learning reaches practice in part.\n",
        },
    )
    text = _page(judged, "effectiveness.md.j2", v=im.effectiveness(judged))
    assert "No judgement" not in text
    assert "The independent scrutineer judged the arrangements partly effective" in text


@pytest.mark.filterwarnings("error::DeprecationWarning")  # pandas 4's refusals, warned of now
def test_the_chain_of_a_year_whose_findings_have_no_dates_is_built_without_warnings(tmp_path):
    """A findings date column read as strings made the chain and a boolean mask with it, which
    pandas 4 refuses (Pandas4Warning today)."""
    bare = facts_of(tmp_path / "bare", {"findings": FINDINGS, "actions": ACTIONS})
    assert bare.impact.chain is not None


def test_with_neither_a_judgement_nor_evidence_effectiveness_is_left_out_not_promised(tmp_path):
    bare = facts_of(tmp_path / "bare", {"findings": FINDINGS, "actions": ACTIONS})
    effective = im.effectiveness(bare)
    assert not effective["judgements"] and not effective["evidence"]
    assert not effective["shown"]  # the notebook shows neither heading nor sentence
    text = re.sub(r"<[^>]+>", "", _page(bare, "effectiveness.md.j2", v=effective))
    assert "set out below" not in text
    with_evidence = facts_of(tmp_path / "evidence", FIRST)
    effective = im.effectiveness(with_evidence)
    assert effective["evidence"] and effective["shown"]
    text = re.sub(r"<[^>]+>", "", _page(with_evidence, "effectiveness.md.j2", v=effective))
    assert "the evidence the workbook holds is set out below" in text


def test_later_evidence_from_an_inspection_is_called_an_inspection_not_an_audit(tmp_path):
    facts_of(tmp_path, FIRST)
    later = {
        **LATER,
        "audits": AUDITS + "A2,Ofsted's visit,ofsted_ilacs,2020-06-10,,,,,\n",
        "findings": FINDINGS
        + "G1,audit,A2,The toolkit was used in most cases.,strength,multi-agency,neglect\n",
    }
    facts = facts_of(tmp_path, later, year="2020-21")
    page = _page(
        facts,
        "impact.md.j2",
        blocks=im.theme_blocks(facts),
        e=im.not_embedded(facts),
        b=im.backlog(facts),
    )
    said = " ".join(c["text"] for c in claims_in(page) if "toolkit was used" in c["text"])
    assert "a later inspection or visit (10 June 2020) found good practice" in said
    assert "audit" not in said
