"""Contract v3: what real reports hold that v2 could not, each fact validated where it is given.

The reporting period, the remit and a partnership's councils in the parameters; a review's
later history, title, recommendations and joint partner; inspections and their judgements;
findings from other sources of learning and the Board's response; stated counts and zeros;
training evaluated beyond feedback; linked feedback; due dates in the year's words; next year's
priorities; effectiveness, partners, child protection teams and the agreed data set. Every v2
file stays valid (tests/unit/inputs/test_contract_v2.py); here each addition is accepted, and each bad value
is named by file, row and column with what to write instead.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from conftest import TINY_PARAMS, TINY_TABLES, write_year
from workbook.core.errors import ParamsError
from workbook.core.years import ReportYear
from workbook.inputs.contract import (
    additions_summary,
    contract_markdown,
    contract_version,
    load_contract,
    unused_additions,
)
from workbook.inputs.params import load_params
from workbook.inputs.validation import load_valid_tables, validate_year

TWO_COUNCILS = TINY_PARAMS.replace(
    'councils: ["841"]',
    'councils: ["E06000998", "E06000997"]\n'
    'council_names: {"E06000998": "Westmarch", "E06000997": "Eastmere"}',
).replace("covers_adults: false", "remit: [children, adults, community_safety]")
"""Testshire as a partnership of two (fictional) councils with the whole remit."""

OCTOBER_YEAR = (
    TWO_COUNCILS + 'years:\n  "2019-20": {period_start: 2019-10-01, period_end: 2020-09-30}\n'
)

V3 = {
    "reviews": """\
review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,started_date,completed_date,published_date,status,title,incident_date,recommendations,joint_with,remit,briefing_published_date
R1,cspr,Child T,under_1,2019-05-01,2019-05-20,2019-06-01,2020-02-01,June 2020,completed_publication_delayed,,April 2019,11,Eastborough Safeguarding Partnership,,2020-05-14
R2,thematic_review,,,,,2019-07-01,2020-03-01,2020-03-20,published,Safeguarding babies under one,,6,,children,
""",
    "audits": TINY_TABLES["audits"]
    .replace("graded_inadequate\n", "graded_inadequate,council\n")
    .replace("12,1,6,4,1\n", "12,1,6,4,1,Westmarch\n"),
    "inspections": """\
inspection_id,kind,title,inspected_by,of_whom,council,date,published_date,overall_judgement
I1,ofsted_ilacs,Inspection of children's services,Ofsted,the council's children's services,E06000998,November 2019,2020-01-10,good
I2,ofsted_focused_visit,Focused visit: children in need,Ofsted,the council's children's services,Eastmere,2020-02-04,,not_judged
""",
    "inspection_judgements": """\
inspection_id,area,judgement
I1,The impact of leaders on social work practice with children and families,good
I1,The experiences and progress of children in care,requires_improvement
""",
    "learning_sources": """\
source_id,kind,title,date
L1,learning_event,Learning event: babies and safe sleep,2019-11-20
L2,sub_group_report,Quality assurance sub-group annual report,March 2020
""",
    "findings": """\
finding_id,source_type,source_id,text,kind,agency,themes,response,response_reason
F1,review,R1,Information was not shared between the GP and the health visitor.,recommendation,multi-agency,,not_accepted,A national review of the same question is due; the Board will act on its findings.
F2,audit,A1,The voice of the child was clearly recorded.,strength,children's social care,,,
F3,inspection,I1,Management oversight was not consistent.,area_for_development,children's social care,,,
F4,learning_event,L1,Practitioners did not know the safe sleep guidance.,learning,health visiting,,,
F5,review,R1;R2,Both reviews found chronologies missing.,area_for_development,multi-agency,,,
""",
    "actions": """\
action_id,finding_id,source_id,priority,action,owner_agency,due_date,status,completed_date,impact,council
X1,F3,,,Relaunch supervision standards,Children's services,by March,in_progress,,,E06000998
X2,,I1,,Share the inspection's learning,Partnership,by the end of the year,completed,2020-01-20,,
""",
    "review_counts": """\
review_type,stage,count,note
dhr,referred,0,No domestic homicide reviews were received
sar,referred,14,
""",
    "training": """\
course_id,title,sessions,attendances,kind,topics,reaction_pct,results
T1,Multi-agency safeguarding programme,76,,programme,27,,
T2,Safe sleep,4,80,course,,92,A later audit found safe sleep advice recorded in 9 of 10 cases
""",
    "feedback": """\
feedback_id,activity,from_whom,said,changed,led_to
V1,Parents' survey,parents_carers,They wanted clearer letters,Letters rewritten,X2
V2,Young people's forum,young_people,,,T2
""",
    "priorities": """\
priority_id,priority,themes
P1,Neglect,neglect
""",
    "next_priorities": """\
priority_id,priority,commitments,lead,themes
P1,Neglect,Re-audit neglect cases in the autumn,Quality sub-group,neglect
P9,Exploitation,Set up a contextual safeguarding panel,Police,exploitation_missing
""",
    "effectiveness": """\
judged_by,judgement,summary,judged_date,evidence
safeguarding_partners,partly_effective,Learning reaches practice but slowly,2020-06-30,Re-audits
independent_scrutineer,effective,The arrangements are effective,2020-07-15,
""",
    "partners": """\
agency,role,role_title,signed_off_report
Westmarch Council,lead_safeguarding_partner,Chief Executive,yes
Westmarch Council,delegated_safeguarding_partner,Director of Children's Services,no
""",
    "relevant_agencies": """\
agency,sector,note,participation
Schools,education,,Headteachers sit on the Education Safeguarding Forum
""",
    "child_protection_teams": """\
agency,role,in_place_date
Westmarch Council,social worker,2020-03-01
""",
    "data_set": """\
indicator,agreed
cpp_rate,
cla_rate,no
""",
}


def _project(tmp_path, params: str = TWO_COUNCILS, **tables):
    write_year(tmp_path, tables={**V3, **tables})
    (tmp_path / "params" / "testshire.yaml").write_text(params, encoding="utf-8")
    return load_params("testshire", "2019-20", tmp_path / "params")


def problems_for(tmp_path, params: str = TWO_COUNCILS, **tables) -> str:
    partnership = _project(tmp_path, params, **tables)
    problems = validate_year("testshire", "2019-20", tmp_path / "data", partnership)
    return "\n".join(map(str, problems))


def tables_for(tmp_path, params: str = TWO_COUNCILS, **tables) -> dict[str, pd.DataFrame]:
    partnership = _project(tmp_path, params, **tables)
    return load_valid_tables("testshire", "2019-20", tmp_path / "data", partnership)


def view_for(tmp_path, params: str = TWO_COUNCILS, **tables) -> dict[str, pd.DataFrame]:
    """The year as contract v3 means it (`Report.view`)."""
    from workbook.inputs.report import open_report

    _project(tmp_path, params, **tables)
    return open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params").view()


def test_the_contract_is_version_3_and_its_additions_are_marked():
    assert contract_version() == 3
    contract = load_contract()
    assert {t for t, spec in contract.items() if spec.since == 3} == {
        "inspections",
        "inspection_judgements",
        "learning_sources",
        "review_counts",
        "next_priorities",
        "effectiveness",
        "partners",
        "child_protection_teams",
        "data_set",
    }
    document = contract_markdown()
    assert "## `inspections` (optional, new in v3)" in document
    assert "| `joint_with` | text |  | new in v3 |" in document
    assert "October to September year" in document


def test_a_year_using_every_addition_is_valid(tmp_path):
    assert problems_for(tmp_path) == ""


def test_what_v3_adds_is_typed_as_a_report_gives_it(tmp_path):
    tables = tables_for(tmp_path)
    reviews = tables["reviews"].set_index("review_id")
    assert reviews.loc["R1", "status"] == "completed_publication_delayed"
    assert reviews.loc["R1", "recommendations"] == 11
    assert reviews.loc["R1", "published_date"] == pd.Timestamp("2020-06-01")  # after the year end
    assert reviews.loc["R2", "title"] == "Safeguarding babies under one"
    # Councils are typed as their codes, whether the data named them by code or by name.
    assert tables["audits"]["council"].tolist() == ["E06000998"]
    assert tables["inspections"]["council"].tolist() == ["E06000998", "E06000997"]
    actions = tables["actions"].set_index("action_id")
    # "By March": the March of the year; "by the end of the year": the whole year, due at its end.
    assert (actions.loc["X1", "due_date"], actions.loc["X1", "due_date_end"]) == (
        pd.Timestamp("2020-03-01"),
        pd.Timestamp("2020-03-31"),
    )
    assert (actions.loc["X2", "due_date"], actions.loc["X2", "due_date_end"]) == (
        pd.Timestamp("2019-04-01"),
        pd.Timestamp("2020-03-31"),
    )
    assert tables["review_counts"].set_index(["review_type", "stage"])["count"].to_dict() == {
        ("dhr", "referred"): 0,
        ("sar", "referred"): 14,
    }
    assert tables["data_set"].set_index("indicator")["agreed"].to_dict() == {
        "cpp_rate": "yes",  # blank means agreed
        "cla_rate": "no",
    }
    assert pd.isna(tables["feedback"].set_index("feedback_id").loc["V2", "said"])


@pytest.mark.parametrize(
    ("table", "old", "new", "where", "words"),
    [
        (
            "audits",
            "Westmarch\n",
            "Northmoor\n",
            "audits.csv, row 2, column 'council'",
            "'Northmoor' is not a council of the partnership: write E06000998 (Westmarch) or "
            "E06000997 (Eastmere), or leave it blank",
        ),
        (
            "reviews",
            ",11,",
            ",eleven,",
            "reviews.csv, row 2, column 'recommendations'",
            "'eleven' is not a whole number",
        ),
        (
            "reviews",
            "Safeguarding babies under one,,6,,children,",
            "Safeguarding babies under one,,6,,police,",
            "reviews.csv, row 3, column 'remit'",
            "'police' is not one of: children, adults, community_safety",
        ),
        (
            "reviews",
            "completed_publication_delayed",
            "delayed",
            "reviews.csv, row 2, column 'status'",
            "'delayed' is not one of: notified, decided_not_to_review",
        ),
        (
            "reviews",
            ",April 2019,",
            ",June 2019,",
            "reviews.csv, row 2, column 'notified_date'",
            "2019-05-01 is before incident_date (June 2019): check both dates",
        ),
        (
            "inspections",
            "ofsted_focused_visit",
            "focused visit",
            "inspections.csv, row 3, column 'kind'",
            "'focused visit' is not one of: ofsted_ilacs, ofsted_focused_visit",
        ),
        (
            "inspections",
            ",good\n",
            ",adequate\n",
            "inspections.csv, row 2, column 'overall_judgement'",
            "'adequate' is not one of: outstanding, good, requires_improvement, inadequate",
        ),
        (
            "inspection_judgements",
            "I1,The experiences",
            "I7,The experiences",
            "inspection_judgements.csv, row 3, column 'inspection_id'",
            "'I7' is not the id of any inspection or audit in this year's data",
        ),
        (
            "findings",
            "F3,inspection,I1,",
            "F3,inspection,I9,",
            "findings.csv, row 4, column 'source_id'",
            "'I9' is not an inspection (inspections.inspection_id)",
        ),
        (
            "findings",
            "F4,learning_event,L1,",
            "F4,scrutiny_report,L1,",
            "findings.csv, row 5, column 'source_type'",
            "'L1' is a learning_event in learning_sources, not a scrutiny_report",
        ),
        (
            "findings",
            "not_accepted,A national review of the same question is due; the Board will act "
            "on its findings.",
            "not_accepted,",
            "findings.csv, row 2, column 'response_reason'",
            "a value is required here when response is not_accepted",
        ),
        (
            "findings",
            ",not_accepted,",
            ",rejected,",
            "findings.csv, row 2, column 'response'",
            "'rejected' is not one of: accepted, partly_accepted, not_accepted",
        ),
        (
            "actions",
            "by March",
            "by Marhc",
            "actions.csv, row 2, column 'due_date'",
            "'by Marhc' is not a date",
        ),
        (
            "review_counts",
            "sar,referred,14,",
            "sar,referred,several,",
            "review_counts.csv, row 3, column 'count'",
            "'several' is not a whole number",
        ),
        (
            "review_counts",
            "sar,referred,14,",
            "sar,considered,14,",
            "review_counts.csv, row 3, column 'stage'",
            "'considered' is not one of: referred, notified, decided",
        ),
        (
            "training",
            ",92,",
            ",120,",
            "training.csv, row 3, column 'reaction_pct'",
            "'120': a percentage is from 0 to 100",
        ),
        (
            "training",
            ",programme,",
            ",series,",
            "training.csv, row 2, column 'kind'",
            "'series' is not one of: course, programme",
        ),
        (
            "feedback",
            ",X2\n",
            ",X7\n",
            "feedback.csv, row 2, column 'led_to'",
            "'X7' is not the id of any action or training in this year's data",
        ),
        (
            "next_priorities",
            ",exploitation_missing\n",
            ",exploitation\n",
            "next_priorities.csv, row 3, column 'themes'",
            "'exploitation' is not a known theme id",
        ),
        (
            "effectiveness",
            "independent_scrutineer,effective",
            "independent_scrutineer,good",
            "effectiveness.csv, row 3, column 'judgement'",
            "'good' is not one of: effective, partly_effective, not_yet_effective, not_rated",
        ),
        (
            "partners",
            "lead_safeguarding_partner,",
            "lead_partner,",
            "partners.csv, row 2, column 'role'",
            "'lead_partner' is not one of: lead_safeguarding_partner",
        ),
        (
            "child_protection_teams",
            ",2020-03-01",
            ",soon",
            "child_protection_teams.csv, row 2, column 'in_place_date'",
            "'soon' is not a date",
        ),
        (
            "data_set",
            "cla_rate,no",
            "cla_rates,no",
            "data_set.csv, row 3, column 'indicator'",
            "'cla_rates' is not a known indicator id (of the catalogue or of local_indicators) "
            "(did you mean 'cla_rate'?)",
        ),
    ],
)
def test_each_new_column_names_file_row_and_column_and_what_to_write(
    tmp_path, table, old, new, where, words
):
    assert old in V3[table], old
    messages = problems_for(tmp_path, **{table: V3[table].replace(old, new)})
    found = [line for line in messages.splitlines() if where in line]
    assert any(words in line for line in found), (words, messages)


def test_the_period_sets_every_date_rule(tmp_path):
    # October 2019 to September 2020: an audit of June 2020 is inside the year; one of
    # July 2019 is not, though it would be in April-to-March 2019-20.
    audits = V3["audits"].replace("2019-11-15", "2020-06-15")
    assert problems_for(tmp_path, OCTOBER_YEAR, audits=audits) == ""
    audits = V3["audits"].replace("2019-11-15", "2019-07-15")
    messages = problems_for(tmp_path, OCTOBER_YEAR, audits=audits)
    assert (
        "audits.csv, row 2, column 'audit_date': '2019-07-15' is outside the reporting year "
        "2019-20 (01 October 2019 to 30 September 2020)" in messages
    )
    # "By March" is the March of the period; "by September" too (2020, not 2019).
    actions = V3["actions"].replace("by March", "by September")
    tables = tables_for(tmp_path, OCTOBER_YEAR, actions=actions)
    assert tables["actions"].set_index("action_id").loc["X1", "due_date"] == pd.Timestamp(
        "2020-09-01"
    )
    assert (
        load_params("testshire", "2019-20", tmp_path / "params").report_year.period_text
        == "October 2019 to September 2020"
    )


def test_a_24_month_first_report_holds_two_marches_and_says_which_to_write(tmp_path):
    first = (
        TWO_COUNCILS + 'years:\n  "2019-20": {period_start: 2018-04-01, period_end: 2020-03-31}\n'
    )
    params = _project(tmp_path, first)
    assert params.report_year.months == 24
    audits = V3["audits"].replace("2019-11-15", "2018-06-01")  # in the first of the two years
    actions = V3["actions"].replace("by March", "March 2020")
    assert problems_for(tmp_path, first, audits=audits, actions=actions) == ""
    messages = problems_for(tmp_path, first)
    assert (
        "actions.csv, row 2, column 'due_date': 'by March': the reporting period April 2018 to "
        "March 2020 holds more than one March: write March 2019 or March 2020" in messages
    )


def test_relative_due_dates_are_refused_where_a_date_is_not_a_due_date(tmp_path):
    reviews = V3["reviews"].replace("2019-05-01,2019-05-20", "by March,2019-05-20")
    assert "'by March' needs its year" in problems_for(tmp_path, reviews=reviews)


def test_a_stated_count_below_the_reviews_listed_is_a_warning(tmp_path):
    counts = V3["review_counts"].replace("dhr,referred,0", "cspr,notified,0")
    partnership = _project(tmp_path, review_counts=counts)
    from workbook.inputs.loading import read_year
    from workbook.inputs.validation import validate_tables

    warnings: list = []
    raw = read_year("testshire", "2019-20", tmp_path / "data")
    _, problems = validate_tables(
        raw, partnership.report_year, None, warnings, partnership.council_list()
    )
    assert problems == []
    assert [str(w).split("review_counts.csv, ")[1] for w in warnings] == [
        "row 2, column 'count': states 0 cspr notified in the year, but the reviews table lists "
        "1 with a notified_date in the year: check both"
    ]


def test_an_inspection_kept_as_an_audit_and_as_an_inspection_is_refused(tmp_path):
    audits = V3["audits"] + "I1,Ofsted ILACS,ofsted_ilacs,2019-11-01,,,,,,\n"
    assert (
        "inspections.csv, row 2, column 'inspection_id': 'I1' is also an inspection in the "
        "audits table" in problems_for(tmp_path, audits=audits)
    )


def test_v2_inspection_audits_and_v3_inspections_read_as_one_table(tmp_path):
    audits = V3["audits"] + "J1,JTAI: neglect,jtai,2019-12-01,,,,,,Eastmere\n"
    findings = V3["findings"] + "F6,audit,J1,Neglect was recognised late.,learning,police,,,\n"
    assert "J1" in set(tables_for(tmp_path, audits=audits, findings=findings)["audits"]["audit_id"])
    tables = view_for(tmp_path, audits=audits, findings=findings)
    inspections = tables["inspections"].set_index("inspection_id")
    assert list(inspections.index) == ["I1", "I2", "J1"]
    assert inspections.loc["J1", "kind"] == "jtai"
    assert inspections.loc["J1", "inspected_by"] == "Ofsted, CQC, HMICFRS and HMI Probation"
    assert inspections.loc["J1", "council"] == "E06000997"
    assert inspections.loc["J1", "date_end"] == pd.Timestamp("2019-12-01")
    assert "J1" not in set(tables["audits"]["audit_id"])
    assert tables["findings"].set_index("finding_id").loc["F6", "source_type"] == "inspection"


def test_validate_names_the_additions_a_year_does_not_use_yet(tmp_path):
    tables = tables_for(tmp_path)
    # The year records no budget, so the budget's `kind` is named with the rest.
    assert unused_additions(tables) == ([], {"indicators": ["council"], "budget": ["kind"]})
    write_year(tmp_path / "v1")  # a v1 year: none of v3 used
    v1 = load_valid_tables("testshire", "2019-20", tmp_path / "v1" / "data")
    unused_tables, unused_columns = unused_additions(v1, several_councils=False)
    assert "inspections" in unused_tables and "review_counts" in unused_tables
    assert unused_columns["reviews"] == [
        "title",
        "incident_date",
        "recommendations",
        "joint_with",
        "remit",
        "briefing_published_date",
    ]
    assert "audits" not in unused_columns  # one council: a council column is never needed
    lines = additions_summary(v1, several_councils=False)
    assert lines[0].startswith("contract v3 adds 9 tables and")
    assert len(lines) <= 8  # one short block, not a wall


def test_params_take_remit_councils_and_periods_and_v2_files_stay_valid(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "testshire.yaml").write_text(OCTOBER_YEAR, encoding="utf-8")
    params = load_params("testshire", "2019-20", folder)
    assert params.remit == ("children", "adults", "community_safety")
    assert params.covers_adults and params.covers_community_safety
    assert params.report_year.start == date(2019, 10, 1)
    assert params.year_of("2018-19") == ReportYear(2018)  # other years: April to March
    assert params.year_of("2018-19").start == date(2018, 4, 1)
    assert params.council_list() == (("E06000998", "Westmarch"), ("E06000997", "Eastmere"))
    (folder / "testshire.yaml").write_text(
        TINY_PARAMS.replace("covers_adults: false", "covers_adults: true"), encoding="utf-8"
    )
    assert load_params("testshire", "2019-20", folder).remit == ("children", "adults")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("covers_adults: false", "remit: [adults]"), "the remit includes children"),
        (("covers_adults: false", "remit: [children, police]"), "'police' is not allowed"),
        (("covers_adults: false\n", ""), "remit is required"),
        (
            ("covers_adults: false", "covers_adults: false\nremit: [children, adults]"),
            "covers_adults: false disagrees with remit",
        ),
        (
            ("lookback_years: 2", 'lookback_years: 2\ncouncil_names: {"E06000001": "Hartlepool"}'),
            "E06000001: not in councils",
        ),
        (
            (
                "lookback_years: 2",
                'lookback_years: 2\nyears:\n  "2019-20": {period_start: 2019-10-01}',
            ),
            "give both period_start and period_end",
        ),
        (
            (
                "lookback_years: 2",
                'lookback_years: 2\nyears:\n  "2019-20": {period_start: 2019-10-01, '
                "period_end: 2022-09-30}",
            ),
            "is longer than 24 months",
        ),
        (
            (
                "lookback_years: 2",
                'lookback_years: 2\nyears:\n  "2019-20": {period_start: 2021-10-01, '
                "period_end: 2022-09-30}",
            ),
            "does not overlap April 2019 to March 2020",
        ),
        (
            (
                "lookback_years: 2",
                'lookback_years: 2\nyears:\n  "2019-20": {period_start: soon, '
                "period_end: 2020-09-30}",
            ),
            "'soon' is not a date: write it as 2022-10-01",
        ),
    ],
)
def test_bad_remit_councils_and_periods_name_the_key(tmp_path, change, words):
    (tmp_path / "testshire.yaml").write_text(TINY_PARAMS.replace(*change), encoding="utf-8")
    with pytest.raises(ParamsError, match="testshire.yaml") as raised:
        load_params("testshire", "2019-20", tmp_path)
    assert words in str(raised.value)


LABELLED = {
    ("reviews", "review_type"): "review_type",
    ("reviews", "status"): "status",
    ("inspections", "kind"): "inspection_kind",
    ("inspections", "overall_judgement"): "judgement",
    ("inspection_judgements", "judgement"): "judgement",
    ("findings", "source_type"): "source_type",
    ("findings", "response"): "response",
    ("review_counts", "stage"): "stage",
    ("training", "kind"): "training_kind",
    ("effectiveness", "judged_by"): "judged_by",
    ("effectiveness", "judgement"): "effectiveness",
    ("partners", "role"): "role",
}


@pytest.mark.parametrize(("column", "field"), LABELLED.items(), ids=lambda v: str(v))
def test_every_code_v3_adds_reads_as_words(column, field):
    from workbook.text.labels import codes

    table, name = column
    values = set(load_contract()[table].columns[name].values)
    assert values <= set(codes(field)), values - set(codes(field))
