"""Training, priorities, voice and scrutiny on the year's facts: each sentence true of the data
(the evidence recorded said exactly, a follow-up named by what it measured, little progress only
from the partnership's rating, a change or an overdue recommendation only where recorded), one
figure for one thing (the training table owns training; other tables that disagree are named
for the analyst), and nothing shown where nothing is recorded."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import STATUTORY_TABLES, facts_of, folders, write_year
from workbook.sections import priorities, scrutiny, training, voice
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

TRAINING_HEADER = (
    "course_id,title,delivery,themes,sessions,attendances,evaluations,score_before,"
    "score_after,score_out_of,followup_pct,followup_measure,note\n"
)
ACTION_HEADER = (
    "action_id,finding_id,source_id,priority,action,owner_agency,due_date,status,"
    "completed_date,impact\n"
)


def _html(template: str, facts, **given) -> str:
    report = facts.report
    return render_narrative(
        template, report.threshold, partnership=report.partnership, year=report.year, **given
    )


def _plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _training_text(facts) -> str:
    return _plain(_html("training.md.j2", facts, s=training.training_sentences(facts)))


def test_training_says_exactly_which_evidence_was_recorded(tmp_path):
    """Where only sessions were recorded, "Only attendance was recorded" was printed."""
    sessions_only = TRAINING_HEADER + "T1,Neglect,face_to_face,,4,,,,,,,,\nT2,Harm,,,2,,,,,,,,\n"
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "training": sessions_only})
    assert facts.training.recorded == ("sessions",)
    text = _training_text(facts)
    assert "The partnership recorded 2 courses or programmes for 2019-20, with sessions " in text
    assert "recorded for both." in text
    assert "attendance" not in text.lower()
    assert "These records show what was delivered, not what it changed." in text
    assert facts.training.with_impact_evidence.is_zero  # for the checklist and plain summary
    table = training.course_table(facts)
    assert "Attendances" not in table.frame.columns  # no course recorded them

    facts = facts_of(tmp_path, STATUTORY_TABLES)  # T1 recorded everything, T2 attendances only
    text = _training_text(facts)
    assert (
        "with sessions recorded for 1, attendances for both, evaluations for 1, ratings before "
        "and after for 1 and a follow-up later for 1." in text
    )
    assert "not what it changed" not in text
    assert facts.training.with_impact_evidence == 1


def test_a_follow_up_is_labelled_by_what_it_measured_never_by_a_guess(tmp_path):
    """Darlington's 99% confidence rating three months on was labelled "Using it later"."""
    measure = "Delegates who rated their confidence very good or outstanding three months on"
    courses = (
        TRAINING_HEADER
        + f"T1,Programme,mixed,,,,,,,,99,{measure},\n"
        + "T2,Second,face_to_face,,,30,,,,,64,,\n"
    )
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "training": courses})
    table = training.follow_up_table(facts)
    assert table.cells.values.tolist() == [["Programme", "99"]]  # T2's 64 measured nothing said
    assert table.notes == f"What the follow-up measured: {measure}."
    assert not any("later" in c.lower() for c in table.frame.columns)
    assert "Using it later" not in training.evaluation_table(facts).frame.columns
    unmeasured = facts.training.follow_up_unmeasured
    assert not unmeasured.recorded and unmeasured.where == "training: followup_measure"
    assert facts.training.followed_up == 1


NORTHDALE_LIKE = {
    **STATUTORY_TABLES,
    "training": TRAINING_HEADER
    + "T1,Exploitation,face_to_face,,13,203,132,5.1,7.8,10,73,Used it three months on,\n"
    + "T2,Coercive control,virtual,,6,80,,,,,,,\n"
    + "T3,Essentials,elearning,,,950,,,,,,,\n",
    "training_attendance": "course_id,agency,attendances\n"
    + "T1,Police,200\nT1,Health,48\nT2,Police,50\nT2,Health,30\n",
    "indicators": "indicator,breakdown,area,period_end,value,unit,target,source,note\n"
    + "cpp_count,,local,2020-03-31,85,count,,DfE,\n"
    + "training_attendance,,local,2020-03-31,2309,count,,Training report,\n"
    + "elearning_completions,,local,2020-03-31,955,count,,Training report,\n",
}
"""Northdale 2022-23's shape: the same training counted three ways in three tables."""


def test_disagreements_between_tables_are_found_and_named_by_file_row_and_figure(tmp_path):
    facts = facts_of(tmp_path, NORTHDALE_LIKE)
    found = [str(d) for d in facts.training.disagreements]
    assert len(found) == 3, found
    course, taught, online = found
    assert "Attendances at 'Exploitation'" in course
    assert re.search(
        r"training\.csv, row 2: 203; .*training_attendance\.csv, rows 2 to 3: 248", course
    )
    assert re.search(r"training\.csv, rows 2 to 3: 283; .*indicators\.csv, row 3: 2,309", taught)
    assert re.search(r"training\.csv, row 4: 950; .*indicators\.csv, row 4: 955", online)
    assert all("The pack follows the training table" in d for d in found)
    assert training.disagreements(facts)[0].startswith("Attendances at 'Exploitation' differ: ")
    assert "/" not in training.disagreements(facts)[0]  # the analyst's companion: file names only
    # One number in the pack: attendance by agency only where it agrees with the course table
    by_agency = training.attendance_by_agency(facts)
    assert by_agency.value(training.ALL_AGENCIES, "Attendances") == 80
    assert by_agency.notes == "Attendance by agency is shown for 1 of the year's 3 courses."
    # ...and the local picture leaves the training indicators to the training section
    assert facts.training.held_indicators == {"training_attendance", "elearning_completions"}


def test_a_report_giving_all_courses_in_one_row_agrees_with_its_indicator(tmp_path):
    """Darlington gives its 2,861 face-to-face attendances as one row beside the neglect
    workshops: the indicator's 2,861 agrees with the training table."""
    courses = (
        TRAINING_HEADER
        + "T1,All face-to-face courses,face_to_face,,,2861,,,,,,,\n"
        + "T2,Neglect workshops,face_to_face,,,281,,,,,,,\n"
    )
    indicators = (
        NORTHDALE_LIKE["indicators"]
        .replace("2309", "2861")
        .replace("elearning_completions,,local,2020-03-31,955,count,,Training report,\n", "")
    )
    facts = facts_of(
        tmp_path,
        {
            **STATUTORY_TABLES,
            "training": courses,
            "training_attendance": "course_id,agency,attendances\n",
            "indicators": indicators,
        },
    )
    assert facts.training.disagreements == ()
    assert facts.training.held_indicators == {"training_attendance"}


def test_workbook_validate_warns_of_a_training_figure_given_otherwise(tmp_path, capsys):
    from workbook.run.cli import main

    write_year(tmp_path, tables=NORTHDALE_LIKE)
    code = main(["validate", "testshire", "2019-20", *folders(tmp_path)])
    warned = [line for line in capsys.readouterr().err.splitlines() if " differ: " in line]
    assert code == 0 and len(warned) == 3
    assert warned[0].startswith("warning: Attendances at 'Exploitation' differ: ")
    assert str(tmp_path / "data" / "testshire" / "2019-20" / "training_attendance.csv") in warned[0]


PRIORITIES = STATUTORY_TABLES["priorities"] + (
    "P3,Exploitation,,,,Exploitation group,amber,Tracker extended,Interviews stayed late\n"
)


def test_little_progress_is_the_partnerships_own_red_rating_never_inferred(tmp_path):
    """An amber priority with a reason recorded was listed as "little or no progress"."""
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "priorities": PRIORITIES})
    text = _plain(_html("priorities.md.j2", facts, s=priorities.priority_sentences(facts)))
    assert "It rated little or no progress on Hear the voice of the child." in text
    assert "Exploitation" not in text
    held = priorities.little_progress(facts).cells
    assert held.values.tolist()[1] == [
        "Exploitation",
        "Amber (some progress)",
        "Interviews stayed late",
    ]
    assert "AMBER" not in text and "rated 1 green" in text  # ratings in sentence case
    assert priorities.priority_table(facts).cells["Rating at year end"].tolist() == [
        "Green",
        "Red",
        "Amber",
    ]


def test_no_priorities_recorded_shows_nothing(tmp_path):
    """An empty table printed "The partnership has not yet set out its priorities"."""
    header = STATUTORY_TABLES["priorities"].splitlines()[0] + "\n"
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "priorities": header})
    assert _html("priorities.md.j2", facts, s=priorities.priority_sentences(facts)).strip() == ""
    assert not facts.priorities.total.recorded
    assert facts.priorities.total.missing == "the year's priorities"
    assert priorities.ratings_over_years(facts).empty


def test_actions_by_priority_show_overdue_only_where_due_dates_say_so(tmp_path):
    actions = (
        ACTION_HEADER
        + "X1,F1,,P1,Briefing,Partnership,,completed,2019-12-01,\n"
        + "X2,F3,,P1,Guidance,Police,,in_progress,,\n"
    )
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "actions": actions})
    table = priorities.actions_by_priority(facts)
    assert "Overdue" not in table.frame.columns
    assert table.value("Neglect: use the graded care profile", priorities.ALL_ACTIONS) == 2
    dated = actions.replace("X2,F3,,P1,Guidance,Police,,", "X2,F3,,P1,Guidance,Police,2019-06-01,")
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "actions": dated})
    table = priorities.actions_by_priority(facts)
    assert table.value("Neglect: use the graded care profile", "Overdue") == 1


def test_a_change_is_said_only_where_one_is_recorded(tmp_path):
    unchanged = STATUTORY_TABLES["feedback"].replace(
        "Online safety sessions added to the programme", ""
    )
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "feedback": unchanged})
    text = _plain(_html("voice.md.j2", facts, v=facts.feedback))
    assert text.startswith("The partnership sought views 2 times in 2019-20")
    assert "changed" not in text and "nothing" not in text.lower()
    assert facts.feedback.changed.is_zero  # for the plain summary: no change recorded
    assert "We did" not in voice.you_said_we_did(facts).frame.columns
    facts = facts_of(tmp_path, STATUTORY_TABLES)
    text = _plain(_html("voice.md.j2", facts, v=facts.feedback))
    assert "On 1 of those 2 occasions, what they said changed something." in text
    empty = STATUTORY_TABLES["feedback"].splitlines()[0] + "\n"
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "feedback": empty})
    assert _html("voice.md.j2", facts, v=facts.feedback).strip() == ""


def test_participants_are_withheld_when_small(tmp_path):
    facts = facts_of(tmp_path, STATUTORY_TABLES)
    assert voice.participants(facts).cells["Took part"].tolist() == ["42", "c"]


RECOMMENDATIONS = (
    "recommendation_id,made_by,made_date,recommendation,response,owner,due_date,status,"
    "completed_date,impact\n"
    "S1,independent_scrutineer,2019-09-12,Hear young people,,,,in_progress,,\n"
    "S2,inspection,2019-12-01,Act on it,,,,not_started,,\n"
)


def test_recommendations_are_overdue_only_where_due_dates_say_so(tmp_path):
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "scrutiny_recommendations": RECOMMENDATIONS})
    assert not facts.recommendations.overdue.recorded
    said = scrutiny.scrutiny_sentences(facts)
    text = _plain(_html("scrutiny.md.j2", facts, s=said))
    assert "At the year end 1 was in progress and 1 not started." in text
    assert "overdue" not in text.lower()
    table = scrutiny.recommendations(facts)
    assert "Overdue" not in table.cells["Position at year end"].tolist()
    assert {"Due", "Owner", "What the partnership decided"}.isdisjoint(table.frame.columns)


def test_a_log_of_changes_is_a_count_of_changes_recorded_not_of_times(tmp_path):
    """ "The arrangements changed 2 times" from a log whose second change has no date."""
    changes = STATUTORY_TABLES["arrangements_changes"].replace("C1,2019-07-01,", "C1,July 2019,")
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "arrangements_changes": changes})
    text = _plain(_html("scrutiny.md.j2", facts, s=scrutiny.scrutiny_sentences(facts)))
    assert "2 changes to the arrangements were recorded for 2019-20." in text
    assert "times" not in text and "changed" not in text
    # a date at the precision given: "July 2019", not "1 July 2019"
    assert scrutiny.changes(facts).cells["When"].tolist() == ["July 2019", ""]
    assert facts.arrangements.dated == 1 and facts.arrangements.dated.unknown == 1


def test_a_publication_record_of_nothing_but_names_is_not_shown(tmp_path):
    """Darlington: a table with every cell "Not recorded" but the document's name."""
    record = (
        "document,kind,due_date,published_date,url,sent_to_panel_date,sent_to_what_works_date,"
        "note\nAnnual report 2019-20,annual_report,,,,,,Not stated\n"
    )
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "publication": record})
    assert scrutiny.publication_record(facts).empty
    addressed = record.replace(",,,,,,Not stated", ",,,www.example.org,,,Not stated")
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "publication": addressed})
    assert scrutiny.publication_record(facts).empty  # an address says nothing of when
    assert scrutiny.publication_lines(facts) == []
    published = facts.publication.annual_report["published_date"]
    assert not published.recorded and published.where == "publication: published_date"
    month = record.replace(",,,,,,Not stated", ",,2020-09,www.example.org,,,Not stated")
    facts = facts_of(tmp_path, {**STATUTORY_TABLES, "publication": month})
    # a date at the precision given, and nothing said of a sending not recorded
    assert scrutiny.publication_lines(facts) == [
        "Annual report 2019-20: published in September 2020 at www.example.org."
    ]


@pytest.mark.parametrize("case", ["full", "empty"])
def test_every_sentence_is_a_claim_naming_rows_that_exist(tmp_path, case):
    tables = dict(STATUTORY_TABLES)
    if case == "empty":
        tables = {name: text.splitlines()[0] + "\n" for name, text in tables.items()}
    facts = facts_of(tmp_path, {**tables, "budget": "contributor,amount_gbp\nCouncil,100\n"})
    from workbook.sections import introduction

    rendered = {
        "training.md.j2": {"s": training.training_sentences(facts)},
        "priorities.md.j2": {"s": priorities.priority_sentences(facts)},
        "voice.md.j2": {"v": facts.feedback},
        "scrutiny.md.j2": {"s": scrutiny.scrutiny_sentences(facts)},
        "budget.md.j2": {"s": introduction.budget_sentences(facts)},
    }
    rows = set()
    for table, frame in facts.report.tables.items():
        for column in frame.columns:
            if column.endswith("_id"):
                rows |= {f"{table}/{i}" for i in frame[column].astype(str)}
        rows |= {f"{table}/{i + 2}" for i in frame.index}
    for template, given in rendered.items():
        html = _html(template, facts, **given)
        claims = claims_in(html)
        said = _plain(html)
        if case == "empty":
            assert said in (
                "",
                "The partnership's budget for 2019-20 was £100, from 1 contributor.",
            )
            continue
        assert claims, template
        # every sentence is inside a claim, bar the fixed caveat under the audit shares
        outside = _plain(re.sub(r'<span class="claim".*?</span>', "", html, flags=re.S))
        assert outside in ("", ":"), (template, outside)
        for found in claims:
            assert set(found["rows"]) <= rows, (template, found)
