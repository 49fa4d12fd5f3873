"""The yearly report's other parts publish through `PublishedTable`: counts of people (who took
part in feedback) withheld when small, counts of the partnership's work (courses, attendances,
recommendations, priorities, reviews) published as they are, in tables and in sentences."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest

from conftest import STATUTORY_TABLES, TINY_TABLES, write_year
from workbook.disclosure.policy import WorkCount
from workbook.facts import year_facts
from workbook.facts.priorities import served_priority
from workbook.inputs.report import open_report
from workbook.sections import checklist, priorities, scrutiny, training, voice
from workbook.text.narrative import render_narrative

pytestmark = pytest.mark.unit

EMPTY_YEAR = {name: text.splitlines()[0] + "\n" for name, text in TINY_TABLES.items()}
"""An earlier year with nothing but what a test gives it."""


def sentence(template: str, report, **facts) -> str:
    """A narrative as a reader reads it: its HTML (each claim marked, as a section shows it)
    without the markup."""
    html = render_narrative(
        template, report.threshold, year=report.year, partnership=report.partnership, **facts
    )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def report(tmp_path):
    write_year(tmp_path, tables=STATUTORY_TABLES)
    return open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")


@pytest.fixture
def facts(report):
    """The year's facts of the report (a test changing a table does so before asking)."""
    return year_facts(report)


def test_feedback_participants_are_people_withheld_when_small(facts):
    table = voice.participants(facts)
    assert table.cells["Took part"].tolist() == ["42", "c"]
    # The sentence gets the small count as a plain int: it reads "5 or fewer".
    assert table.value("Parents' views in the neglect audit", "Took part") == 3
    assert not isinstance(
        table.value("Parents' views in the neglect audit", "Took part"), WorkCount
    )


def test_activities_are_work_stated_as_they_are(report, facts):
    activities = facts.feedback.activities
    assert isinstance(activities.get(), WorkCount) and activities == 2
    text = sentence("voice.md.j2", report, v=facts.feedback)
    assert "sought views 2 times" in text and "or fewer" not in text


def test_you_said_we_did_states_only_the_changes_recorded(facts):
    """A blank "we did" is not a recorded "nothing has changed": it is left blank."""
    table = voice.you_said_we_did(facts)
    assert table.cells["We did"].tolist() == ["Online safety sessions added to the programme", ""]


def test_themes_raised_sit_beside_findings_on_the_same_theme(facts):
    coded = pd.DataFrame(
        {"feedback_id": ["V1", "V2", "V2"], "theme": ["neglect", "neglect", "education"]}
    )
    findings = pd.DataFrame(
        {
            "finding_id": ["2019-20/F1", "2019-20/F2", "2019-20/F3", "2019-20/F3"],
            "source_type": ["review", "audit", "audit", "audit"],
            "theme": ["neglect", "neglect", "neglect", "education"],
            "year": ["2019-20"] * 4,
        }
    )
    table = voice.beside_reviews_and_audits(
        facts, coded, findings, {"neglect": "Neglect", "education": "Education"}
    )
    assert table.frame.values.tolist() == [["Neglect", 2, 1, 2], ["Education", 1, 0, 1]]


def test_attendances_by_agency_have_a_total_and_small_ones_are_published(report):
    report.tables["training_attendance"].loc[2, "attendances"] = 3
    report.tables["training"].loc[0, "attendances"] = 219  # as the breakdown adds up
    table = training.attendance_by_agency(year_facts(report))
    assert table.cells.values.tolist() == [
        ["Children's social care", "120"],
        ["Health", "96"],
        ["Schools", "3"],
        ["All agencies", "219"],
    ]
    assert table.notes == "Attendance by agency is shown for 1 of the year's 2 courses."


def test_evaluations_are_out_of_ten_and_only_for_courses_that_have_one(report):
    report.tables["training"].loc[0, ["score_before", "score_after", "score_out_of"]] = [
        2.6,
        4.05,
        5,
    ]
    table = training.evaluation_table(year_facts(report))
    assert table.cells.values.tolist() == [["Neglect workshops", "190", "5.2", "8.1"]]


def test_training_followed_into_audits_counts_findings_before_and_after_by_hand(tmp_path):
    # Neglect taught in 2019-20 (the first year with a course on it), and 2020-21 has data.
    # Audit findings on neglect: 2019-20 two (one a strength), 2020-21 three (two strengths);
    # a review finding and a finding on another theme do not count.
    write_year(tmp_path, tables=STATUTORY_TABLES)
    write_year(tmp_path, year="2020-21", tables=EMPTY_YEAR)
    report = open_report("testshire", "2020-21", tmp_path / "data", tmp_path / "params")
    table = pd.DataFrame(
        {
            "finding_id": ["a", "b", "c", "d", "e", "f", "g"],
            "source_type": ["audit"] * 5 + ["review", "audit"],
            "kind": [
                "strength",
                "learning",
                "strength",
                "strength",
                "learning",
                "strength",
                "strength",
            ],
            "theme": ["neglect"] * 6 + ["education"],
            "year": ["2019-20", "2019-20", "2020-21", "2020-21", "2020-21", "2020-21", "2020-21"],
        }
    )
    facts = year_facts(report)
    followed = training.followed_into_audits(facts, table, {"neglect": "Neglect"})
    assert followed.frame.values.tolist() == [["Neglect", "2019-20", 2, 1, 3, 2]]
    said = training.training_sentences(facts, followed)
    assert said["shifts"] == [
        {
            "theme": "Neglect",
            "trained": "2019-20",
            "before_pct": 50.0,
            "after_pct": pytest.approx(200 / 3),
            "before": 2,
            "after": 3,
        }
    ]
    assert isinstance(said["shifts"][0]["before"], WorkCount)


def test_a_topic_first_taught_in_the_last_year_has_no_after_to_show(report, facts):
    """Findings "after" a course taught in the last year with data are not recorded, not 0."""
    table = pd.DataFrame(
        {
            "finding_id": ["a"],
            "source_type": ["audit"],
            "kind": ["strength"],
            "theme": ["neglect"],
            "year": ["2019-20"],
        }
    )
    assert training.followed_into_audits(facts, table, {"neglect": "Neglect"}).empty


def test_priority_served_by_id_or_wording_whatever_the_case(facts):
    current = facts.priorities.frame
    actions = pd.DataFrame(
        {"priority": ["P1", "  hear the VOICE of the child ", None, "Something else"]}
    )
    served = served_priority(actions, current)
    assert [p if pd.notna(p) else None for p in served] == ["P1", "P2", None, None]


def test_actions_by_priority_when_actions_name_them(report, tmp_path):
    """Actions that record no priority show nothing (not a sentence saying they cannot)."""
    unnamed = priorities.actions_by_priority(year_facts(report))
    assert unnamed.empty and unnamed.when_empty is None
    assert not year_facts(report).priorities.actions_served.recorded
    actions = report.tables["actions"]
    report.tables["actions"] = actions.assign(priority=["P1", "P1", "Recruitment"])
    report.__dict__.pop("_facts")
    table = priorities.actions_by_priority(year_facts(report))
    counts = table.frame.set_index("Priority")
    assert counts.loc["Neglect: use the graded care profile", "Completed"] == 1
    assert counts.loc["Neglect: use the graded care profile", "All actions"] == 2
    assert counts.loc["Hear the voice of the child", "All actions"] == 0
    assert table.notes == (
        "1 further action names a priority not in the year's list of priorities: Recruitment."
    )
    assert isinstance(table.value("Hear the voice of the child", "All actions"), WorkCount)


def test_actions_that_name_no_priority_are_not_counted_as_serving_none(report):
    """Northdale's table said 0 actions served three of its priorities: 90 of its 91 actions
    recorded no priority at all."""
    actions = report.tables["actions"]
    report.tables["actions"] = actions.assign(priority=["P1", None, None])
    report.__dict__.pop("_facts", None)
    facts = year_facts(report)
    assert priorities.actions_by_priority(facts).empty  # 1 of 3: mostly unknown
    text = sentence("priorities.md.j2", report, s=priorities.priority_sentences(facts))
    assert "1 of the year's 3 improvement actions records the priority it serves" in text
    report.tables["actions"] = actions.assign(priority=["P1", "P1", None])
    report.__dict__.pop("_facts")
    table = priorities.actions_by_priority(year_facts(report))
    assert table.frame.set_index("Priority").loc["Hear the voice of the child", "All actions"] == 0
    assert table.notes == "1 of the 3 actions records no priority and is not counted here."


def test_priorities_narrative_states_small_counts_and_only_ratings_given(report, facts):
    text = sentence("priorities.md.j2", report, s=priorities.priority_sentences(facts))
    assert "worked on 2 priorities" in text
    assert "it rated 1 green (achieved or on track) and 1 red (little or no progress)" in text
    assert "amber" not in text and "or fewer" not in text


def test_a_priority_is_followed_across_years(tmp_path):
    write_year(
        tmp_path,
        year="2018-19",
        tables={
            **EMPTY_YEAR,
            "priorities": """\
priority_id,priority,rag_status
P2,Hear the voice of the child,amber
""",
        },
    )
    write_year(tmp_path, tables=STATUTORY_TABLES)
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    facts = year_facts(report)
    table = priorities.ratings_over_years(facts)
    assert table.cells.values.tolist() == [
        ["Neglect: use the graded care profile", priorities.NOT_RUNNING, "Green"],
        ["Hear the voice of the child", "Amber", "Red"],
    ]
    assert facts.priorities.carried == 1


def test_a_measures_trend_withholds_a_percentage_that_gives_a_small_count_away(tmp_path):
    def indicators(missing: int, in_care_pct: float) -> str:
        return TINY_TABLES["indicators"].replace("2020-03-31", "2019-03-31") + (
            f"missing_children,,local,2019-03-31,{missing},count,,Police,\n"
            f"missing_children_in_care_pct,,local,2019-03-31,{in_care_pct},percent,,Police,\n"
        )

    table = STATUTORY_TABLES["priorities"].replace(",cpp_rate,", ",missing_children_in_care_pct,")
    write_year(
        tmp_path,
        year="2018-19",
        tables={**EMPTY_YEAR, "priorities": table, "indicators": indicators(8, 87.5)},
    )
    write_year(
        tmp_path,
        tables={
            **STATUTORY_TABLES,
            "priorities": table,
            "indicators": indicators(40, 50.0).replace("2019-03-31", "2020-03-31"),
        },
    )
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    table = priorities.measures_table(year_facts(report))
    # 87.5% of 8 children leaves one out: withheld; 50% of 40 gives nothing away.
    assert table.cells.iloc[0][["2018-19", "2019-20"]].tolist() == ["c", "50"]


def _measures_project(tmp_path, earlier: str, now: str, named: str) -> object:
    """Two years whose priority names `named`; each year's extra indicator rows as given."""
    table = STATUTORY_TABLES["priorities"].replace(",cpp_rate,", f",{named},")
    head = TINY_TABLES["indicators"].splitlines()[0] + "\n"
    write_year(tmp_path, year="2018-19", tables={**EMPTY_YEAR, "indicators": head + earlier})
    write_year(
        tmp_path,
        tables={**STATUTORY_TABLES, "priorities": table, "indicators": head + now},
    )
    return year_facts(open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params"))


def test_the_priorities_measures_are_one_table_a_row_each_with_each_years_figure(tmp_path):
    facts = _measures_project(
        tmp_path,
        earlier=(
            "missing_children,,local,2019-03-31,40,count,,Police,\n"
            "rhi_within_72h_pct,,local,2019-03-31,81,percent,,Police,\n"
        ),
        now=(
            "missing_children,,local,2020-03-31,3,count,,Police,\n"
            "rhi_within_72h_pct,,local,2020-03-31,89,percent,90,Police,\n"
            "child_deaths,,local,2020-03-31,4,count,,CDOP,\n"
        ),
        named="missing_children;rhi_within_72h_pct;child_deaths",
    )
    table = priorities.measures_table(facts)
    # child deaths has one year only: no change to show, so no row
    assert table.cells.values.tolist() == [
        ["Children reported missing", "40", "c", ""],  # 3 children: a small count, withheld
        ["Return home interviews held within 72 hours (%)", "81", "89", "90%"],
    ]
    assert list(table.frame.columns) == ["Measure", "2018-19", "2019-20", "Target"]
    assert "2018-19 to 2019-20" in table.caption


def test_the_priorities_measures_have_no_target_column_where_none_is_set(tmp_path):
    facts = _measures_project(
        tmp_path,
        earlier="rhi_within_72h_pct,,local,2019-03-31,81,percent,,Police,\n",
        now="rhi_within_72h_pct,,local,2020-03-31,89,percent,,Police,\n",
        named="rhi_within_72h_pct",
    )
    assert list(priorities.measures_table(facts).frame.columns) == ["Measure", "2018-19", "2019-20"]


def test_no_priority_measure_with_two_years_gives_an_empty_table(tmp_path):
    facts = _measures_project(
        tmp_path,
        earlier="",
        now="rhi_within_72h_pct,,local,2020-03-31,89,percent,90,Police,\n",
        named="rhi_within_72h_pct",
    )
    assert priorities.measures_table(facts).frame.empty


def test_scrutiny_tables_and_sentence(report, facts):
    assert scrutiny.recommendations(facts).cells["Position at year end"].tolist() == [
        "Completed",
        "Overdue",
    ]
    # dated changes first, at the precision given; a change with no date has a blank cell
    assert scrutiny.changes(facts).cells["When"].tolist() == ["1 July 2019", ""]
    agencies = scrutiny.agencies(facts)
    assert agencies.cells.values.tolist() == [
        ["Education", "Testshire schools"],
        ["Early years", "Early years settings"],
        ["Fire and rescue", "Testshire fire service"],
    ]  # no count column nor total row: the names are the count, the narrative the total
    record = scrutiny.publication_record(facts).cells.iloc[0]
    assert record["Where"] == "example.org/report"  # the pack links to nothing outside itself
    assert "Sent to the What Works centre" not in record  # no row recorded it
    # the pack says each document's record in a line, with only the dates recorded
    assert scrutiny.publication_lines(facts) == [
        "Annual report 2019-20: published on 30 September 2020 at example.org/report; "
        "sent to the national panel on 2 October 2020."
    ]
    assert "The arrangements name 3 relevant agencies or groups of agencies in 3 sectors" in (
        sentence("scrutiny.md.j2", report, s=scrutiny.scrutiny_sentences(facts))
    )
    text = sentence("scrutiny.md.j2", report, s=scrutiny.scrutiny_sentences(facts))
    assert (
        "2 recommendations made to the partnership were tracked in 2019-20, 1 of them from a "
        "national review. At the year end 1 was complete and 1 overdue." in text
    )
    assert "or fewer" not in text


def test_empty_tables_show_nothing(tiny_project):
    """Nothing recorded, nothing shown: no sentence saying so (what a year could not show is
    listed once, at the end of the pack, from the facts not recorded)."""
    report = open_report("testshire", "2019-20", tiny_project / "data", tiny_project / "params")
    facts = year_facts(report)
    for table in (
        scrutiny.changes(facts),
        scrutiny.agencies(facts),
        scrutiny.publication_record(facts),
        scrutiny.recommendations(facts),
        training.attendance_by_agency(facts),
        training.evaluation_table(facts),
        training.follow_up_table(facts),
        training.course_table(facts),
        voice.participants(facts),
        voice.you_said_we_did(facts),
        priorities.priority_table(facts),
        priorities.little_progress(facts),
        priorities.actions_by_priority(facts),
    ):
        assert table.empty and table.when_empty is None, table.caption


def test_the_checklist_table_has_every_element_and_the_board_reads_the_missing_ones(report):
    elements = checklist.checklist(report.tables, None)
    table = checklist.checklist_table(elements, report.policy)
    assert len(table.frame) == len(checklist.load_checklist())
    missing = checklist.board_sentences(year_facts(report), elements)["missing"]
    assert any("Child Safeguarding Practice Review Panel" in m for m in missing)


def test_effectiveness_is_in_the_pack_only_with_a_recorded_judgement(report):
    """A checklist claimed "What the partners have done and how effective they have been: In
    the pack" where no page judged effectiveness (a foreword was enough)."""
    elements = checklist.checklist(report.tables, None).set_index("element")
    effective = elements.loc[[e for e in elements.index if "how effective" in e][0]]
    assert effective["status"] != checklist.IN_PACK
    judged = pd.DataFrame({"judged_by": ["independent_scrutineer"], "judgement": ["effective"]})
    elements = checklist.checklist({**report.tables, "effectiveness": judged}, None)
    effective = elements.set_index("element").loc[effective.name]
    assert effective["status"] == checklist.IN_PACK


def test_impact_is_partly_shown_by_owners_notes_and_in_the_pack_only_with_change_seen(report):
    """ "Evidence of impact on outcomes: In the pack" on the strength of one impact note."""
    elements = checklist.checklist(report.tables, None).set_index("element")
    impact = elements.loc[
        [e for e in elements.index if e.startswith("Evidence of the impact of the work")][0]
    ]
    assert impact["status"] == checklist.PARTLY and "no later evidence" in impact["reason"]
    seen = checklist.checklist(report.tables, None, holds={"change_seen": True})
    assert seen.set_index("element").loc[impact.name, "status"] == checklist.IN_PACK


def test_training_partly_shown_names_only_the_delivery_the_courses_record(report):
    """ "Only what was delivered is recorded" was said of courses recording sessions but no
    attendances (listed just above as not recorded)."""

    def reason(**columns) -> str:
        training = pd.DataFrame({"course_id": ["T1", "T2"], "title": ["A", "B"], **columns})
        elements = checklist.checklist({**report.tables, "training": training}, None)
        row = elements.set_index("element").loc["Evidence of the impact of training"]
        assert row["status"] == checklist.PARTLY
        return row["reason"]

    sessions_only = reason(sessions=[4, None], attendances=[None, None])
    assert "how many sessions were held" in sessions_only and "places" not in sessions_only
    both = reason(sessions=[4, None], attendances=[None, 30])
    assert "how many sessions were held and how many places were taken" in both
    neither = reason(sessions=[None, None])
    assert "which courses ran" in neither and "sessions" not in neither


def test_the_national_comparison_states_each_figure_as_its_source_does(report):
    from workbook.facts import year_facts
    from workbook.sections import national_themes

    # Testshire's one children's review with findings (R1), given a finding on neglect too (one
    # review: the analyst's comparison; the board's needs three).
    findings = report.tables["findings"]
    neglect = findings.iloc[[0]].assign(
        finding_id="F9", text="Neglect was not recognised early.", themes="neglect"
    )
    report.tables["findings"] = pd.concat([findings, neglect], ignore_index=True)
    facts = year_facts(report)
    table = national_themes.comparison_table(facts, minimum=1).cells.set_index(
        "National factor (our theme)"
    )
    assert table.loc["Neglect", "National figure"] == "about 75% of 235 serious case reviews [1]"
    assert table.loc["Neglect", national_themes.LOCAL] == "1"
    assert table.loc["Neglect", national_themes.SHARE] == "100"
    assert table.loc["Domestic abuse (domestic violence)", national_themes.LOCAL] == "0"
    assert table.loc["Parental drug misuse (substance misuse)", "National figure"].endswith("[2]")
    assert national_themes.sources(facts)[0].startswith("Learning for the future")


def test_no_ratings_at_all_never_reads_as_progress_everywhere(report):
    current = report.tables["priorities"]
    report.tables["priorities"] = current.assign(rag_status=pd.NA, barriers=pd.NA)
    facts = year_facts(report)
    assert priorities.little_progress(facts).frame.empty
    assert not facts.priorities.little_progress.recorded  # not rated: not "none red"
    assert not facts.priorities.rated.recorded
    assert facts.priorities.rated.where == "priorities: rag_status"
    text = sentence("priorities.md.j2", report, s=priorities.priority_sentences(facts))
    assert "worked on 2 priorities" in text and "rated" not in text


def test_without_local_reviews_with_findings_the_comparison_shows_nothing(report):
    """National figures beside no local figure tell the board nothing about the partnership:
    the section leaves the table, its sentences and its sources out."""
    from workbook.facts import year_facts
    from workbook.sections import national_themes
    from workbook.text.narrative import render_narrative

    report.tables["findings"] = report.tables["findings"].iloc[0:0]
    facts = year_facts(report)
    assert not facts.themes.reviews_assessed(national_themes.CHILD_REVIEW_TYPES).recorded
    table = national_themes.comparison_table(facts)
    assert table.empty and table.when_empty is None
    said = render_narrative(
        "national_themes.md.j2",
        report.threshold,
        n=national_themes.sentences(facts, table),
        partnership=report.partnership,
        year=report.year,
    )
    assert said.strip() == ""


def test_average_ratings_are_over_attendees_when_every_course_counts_its_evaluations(report):
    courses = report.tables["training"]
    extra = courses.iloc[[0]].assign(
        course_id="T3",
        title="Second course",
        evaluations=10,
        score_before=2.0,
        score_after=4.0,
        score_out_of=10,
    )
    report.tables["training"] = pd.concat([courses, extra], ignore_index=True)
    t = year_facts(report).training
    # T1: 190 evaluations, 5.2 -> 8.1; T3: 10 evaluations, 2.0 -> 4.0
    assert t.mean_before.detail["over"] == "attendees"
    assert t.mean_before == pytest.approx(round((190 * 5.2 + 10 * 2.0) / 200, 1))
    assert t.mean_after == pytest.approx(round((190 * 8.1 + 10 * 4.0) / 200, 1))
    report.tables["training"] = pd.concat(
        [courses, extra.assign(evaluations=pd.NA)], ignore_index=True
    )
    report.__dict__.pop("_facts")
    facts = year_facts(report)
    assert facts.training.mean_before.detail["over"] == "courses"
    assert facts.training.mean_before == pytest.approx(round((5.2 + 2.0) / 2, 1))
    text = sentence("training.md.j2", report, s=training.training_sentences(facts))
    assert "averaged over courses" in text and "attendees who returned" not in text


def test_the_checklist_asks_only_for_the_publication_dates_not_given(report):
    publication = report.tables["publication"]
    # Testshire: published and sent to the Panel; the What Works date is blank
    elements = checklist.checklist(report.tables, None).set_index("element")
    row = elements.loc[[e for e in elements.index if e.startswith("Published")][0]]
    assert row["status"] == checklist.MISSING
    assert row["to_supply"] == "the date it was sent to the What Works centre (publication table)"
    report.tables["publication"] = publication.iloc[0:0]
    elements = checklist.checklist(report.tables, None).set_index("element")
    row = elements.loc[[e for e in elements.index if e.startswith("Published")][0]]
    assert row["to_supply"].startswith("the publication date and the dates the report was sent")
