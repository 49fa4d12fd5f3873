"""The multi-year thematic review, on a small hand-built set of findings whose every count below was
worked out by hand from the table in ``FINDINGS``.

Final themes (analyst's where given, else automatic) of the findings:

    F1 2017-18 review R1 learning            neglect, oversight
    F2 2017-18 audit  A1 strength            oversight
    F3 2018-19 review R2 learning            neglect
    F4 2018-19 audit  A2 area_for_development voice
    F9 2018-19 audit  A2 learning            training
    F5 2019-20 review R3 recommendation      neglect, housing
    F6 2019-20 audit  A3 strength            oversight
    F7 2019-20 audit  A3 learning            (uncoded)
    F8 2019-20 review R3 learning            voice (analyst; the text alone says neglect)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.coding.analysis import (
    actions_by_theme,
    audit_echoes_review,
    cooccurrence,
    emerging_terms,
    prevalence_by_kind,
    prevalence_by_source,
    prevalence_by_year,
    recurring_themes,
    theme_order,
    theme_table,
)
from workbook.coding.codebook import load_codebook
from workbook.coding.coder import code_findings
from workbook.core.errors import WorkbookError
from workbook.core.years import ReportYear
from workbook.facts.actions import POSITIONS, position_at_year_end

CODEBOOK = """\
version: "t1"
themes:
  - id: neglect
    label: Neglect
    definition: d
    negatable: true
    subthemes: [{id: neglect_any, label: Neglect, patterns: [neglect]}]
  - id: oversight
    label: Oversight
    definition: d
    subthemes: [{id: supervision, label: Supervision, patterns: [supervision]}]
  - id: voice
    label: Voice
    definition: d
    subthemes: [{id: voice_any, label: Voice, patterns: ["voice ... child*"]}]
  - id: housing
    label: Housing
    definition: d
    subthemes: [{id: housing_any, label: Housing, patterns: [housing]}]
  - id: training
    label: Training
    definition: d
    subthemes: [{id: training_any, label: Training, patterns: [training]}]
"""

FINDINGS = [
    ("F1", "2017-18", "review", "R1", "learning", "Neglect missed; weak supervision.", ""),
    ("F2", "2017-18", "audit", "A1", "strength", "Supervision was reflective.", ""),
    ("F3", "2018-19", "review", "R2", "learning", "Neglect of the baby.", ""),
    ("F4", "2018-19", "audit", "A2", "area_for_development", "Voice of the child absent.", ""),
    ("F9", "2018-19", "audit", "A2", "learning", "Training was out of date.", ""),
    ("F5", "2019-20", "review", "R3", "recommendation", "Neglect and housing.", ""),
    ("F6", "2019-20", "audit", "A3", "strength", "Good supervision.", ""),
    ("F7", "2019-20", "audit", "A3", "learning", "Nothing to code here.", ""),
    ("F8", "2019-20", "review", "R3", "learning", "Neglect again.", "voice"),
]
WINDOW = ["2016-17", "2017-18", "2018-19", "2019-20"]


@pytest.fixture(scope="module")
def codebook(tmp_path_factory):
    path = tmp_path_factory.mktemp("codebook") / "themes.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return load_codebook(path)


@pytest.fixture(scope="module")
def findings():
    columns = ["finding_id", "year", "source_type", "source_id", "kind", "text", "themes"]
    return pd.DataFrame(FINDINGS, columns=columns)


@pytest.fixture(scope="module")
def table(findings, codebook):
    return theme_table(findings, code_findings(findings, codebook))


def rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return frame[columns].values.tolist()


# --------------------------------------------------------------------------------------------------
# The theme table
# --------------------------------------------------------------------------------------------------


def test_theme_table_has_final_themes_with_uncoded_kept(table):
    themes = table.groupby("finding_id")["theme"].apply(lambda s: sorted(s.dropna())).to_dict()
    assert themes == {
        "F1": ["neglect", "oversight"],
        "F2": ["oversight"],
        "F3": ["neglect"],
        "F4": ["voice"],
        "F5": ["housing", "neglect"],
        "F6": ["oversight"],
        "F7": [],
        "F8": ["voice"],
        "F9": ["training"],
    }
    assert table.loc[table["finding_id"] == "F8", "coded_by"].tolist() == ["analyst"]
    assert table.loc[table["finding_id"] == "F7", "coded_by"].tolist() == ["uncoded"]
    assert "text" not in table.columns and "themes" not in table.columns


def test_theme_table_refuses_findings_that_were_not_coded(findings, codebook):
    coded = code_findings(findings.iloc[:3], codebook)
    with pytest.raises(WorkbookError, match="6 finding"):
        theme_table(findings, coded)


def test_theme_table_needs_finding_ids_in_the_coded_table(findings, codebook):
    coded = code_findings(findings.rename(columns={"finding_id": "id"}), codebook)
    with pytest.raises(WorkbookError, match="finding_id"):
        theme_table(findings, coded)


def test_theme_order_most_findings_first_ties_by_id(table):
    # neglect 3 (F1 F3 F5), oversight 3 (F1 F2 F6), voice 2, housing 1, training 1
    assert theme_order(table) == ["neglect", "oversight", "voice", "housing", "training"]


# --------------------------------------------------------------------------------------------------
# Prevalence
# --------------------------------------------------------------------------------------------------


def test_prevalence_by_source(table):
    out = prevalence_by_source(table).set_index(["source_type", "theme"])
    # reviews: F1 F3 F5 F8 (4); audits: F2 F4 F6 F7 F9 (5, F7 uncoded but counted)
    assert out.loc["review", "group_findings"].unique().tolist() == [4]
    assert out.loc["audit", "group_findings"].unique().tolist() == [5]
    assert out.loc[("review", "neglect"), "findings"] == 3
    assert out.loc[("review", "neglect"), "share"] == pytest.approx(0.75)
    assert out.loc[("audit", "neglect"), "findings"] == 0
    assert out.loc[("audit", "oversight"), "findings"] == 2
    assert out.loc[("audit", "oversight"), "share"] == pytest.approx(0.4)
    assert out.loc[("review", "voice"), "findings"] == 1  # F8, by the analyst
    assert len(out) == 2 * 5, "every source and theme, zeros included"


def test_prevalence_by_year_over_a_window_longer_than_the_data(table):
    out = prevalence_by_year(table, WINDOW)
    assert out["year"].unique().tolist() == WINDOW
    empty = out[out["year"] == "2016-17"]
    assert empty["findings"].sum() == 0 and empty["group_findings"].unique().tolist() == [0]
    assert empty["share"].tolist() == [0.0] * 5, "no findings gives a share of 0, not NaN"
    counts = out.set_index(["year", "theme"])["findings"]
    assert counts["2017-18"].to_dict() == {
        "neglect": 1,
        "oversight": 2,
        "voice": 0,
        "housing": 0,
        "training": 0,
    }
    assert counts["2018-19"].to_dict() == {
        "neglect": 1,
        "oversight": 0,
        "voice": 1,
        "housing": 0,
        "training": 1,
    }
    assert counts["2019-20"].to_dict() == {
        "neglect": 1,
        "oversight": 1,
        "voice": 1,
        "housing": 1,
        "training": 0,
    }
    group = out.drop_duplicates("year").set_index("year")["group_findings"].to_dict()
    assert group == {"2016-17": 0, "2017-18": 2, "2018-19": 3, "2019-20": 4}


def test_prevalence_by_year_defaults_to_the_years_in_the_data_oldest_first(table):
    shuffled = table.sample(frac=1, random_state=3)
    assert prevalence_by_year(shuffled)["year"].unique().tolist() == WINDOW[1:]


def test_prevalence_by_kind_strengths_against_asks_for_change(table):
    out = prevalence_by_kind(table).set_index(["kind_group", "theme"])
    # strengths: F2 F6; asking for change: learning, areas for development, recommendations (7)
    assert out.loc["strength", "group_findings"].unique().tolist() == [2]
    assert out.loc["for_development", "group_findings"].unique().tolist() == [7]
    assert out.loc[("strength", "oversight"), "findings"] == 2
    assert out.loc[("strength", "neglect"), "findings"] == 0
    assert out.loc[("for_development", "neglect"), "findings"] == 3
    assert out.loc[("for_development", "voice"), "findings"] == 2
    assert out.loc[("for_development", "oversight"), "share"] == pytest.approx(1 / 7)


# --------------------------------------------------------------------------------------------------
# Recurrence, co-occurrence, echo
# --------------------------------------------------------------------------------------------------


def test_recurring_themes_ignore_years_without_findings(table):
    out = recurring_themes(table, WINDOW)
    # 2016-17 has no findings, so recurring means every one of 2017-18 .. 2019-20: only neglect.
    assert out.columns.tolist() == ["theme", "2017-18", "2018-19", "2019-20", "total"]
    assert rows(out, out.columns.tolist()) == [["neglect", 1, 1, 1, 3]]


def test_recurring_themes_within_a_shorter_window(table):
    out = recurring_themes(table, ["2018-19", "2019-20"])
    # neglect 1+1, voice 1+1 (F4, F8); oversight and training miss a year
    assert rows(out, ["theme", "total"]) == [["neglect", 2], ["voice", 2]]


def test_recurring_themes_of_an_empty_window(table):
    assert recurring_themes(table, ["2010-11"]).empty


def test_cooccurrence_counts_findings_with_both_themes(table):
    matrix = cooccurrence(table)
    order = ["neglect", "oversight", "voice", "housing", "training"]
    assert matrix.index.tolist() == order and matrix.columns.tolist() == order
    expected = np.diag([3, 3, 2, 1, 1])
    expected[0, 1] = expected[1, 0] = 1  # F1
    expected[0, 3] = expected[3, 0] = 1  # F5
    np.testing.assert_array_equal(matrix.to_numpy(), expected)


def test_audit_echoes_review(table):
    out = audit_echoes_review(table).set_index("theme")
    assert out.loc[
        "neglect", ["review_findings", "audit_findings", "reviews", "audits", "echo"]
    ].tolist() == [3, 0, 3, 0, "reviews_only"]
    assert out.loc[
        "oversight", ["review_findings", "audit_findings", "reviews", "audits", "echo"]
    ].tolist() == [1, 2, 1, 2, "both"]
    assert out.loc["voice", "echo"] == "both"
    assert out.loc["housing", "echo"] == "reviews_only"
    assert out.loc["training", "echo"] == "audits_only"
    assert out.index.tolist() == ["neglect", "oversight", "voice", "housing", "training"]


# --------------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------------

ACTIONS = pd.DataFrame(
    [
        ("X1", "F1", "completed", "2019-06-30"),
        ("X2", "F3", "in_progress", "2020-03-31"),  # due on the last day of 2019-20
        ("X3", "F5", "in_progress", "2020-04-01"),  # due the first day of 2020-21
        ("X4", "F6", "not_started", "2019-01-01"),
        ("X5", None, "not_started", None),  # not linked to a finding
        ("X6", "F7", "completed", "2019-09-01"),  # linked to an uncoded finding
    ],
    columns=["action_id", "finding_id", "status", "due_date"],
)
POSITION_COLUMNS = ["completed", "in_progress", "not_started", "overdue", "cancelled", "total"]


def _by_position(actions: pd.DataFrame, table: pd.DataFrame, year: str) -> pd.DataFrame:
    """`actions_by_theme` with each action's position worked out as the year's facts work it."""
    dated = actions.assign(due_date=pd.to_datetime(actions["due_date"]))
    placed = dated.assign(position=position_at_year_end(dated, ReportYear.parse(year)))
    return actions_by_theme(placed, table, year, POSITIONS)


def by_theme(out: pd.DataFrame) -> dict:
    return {
        (None if pd.isna(theme) else theme): values
        for theme, *values in out[["theme", *POSITION_COLUMNS]].values.tolist()
    }


def test_actions_by_theme_with_overdue_at_the_year_end(table):
    out = _by_position(ACTIONS, table, "2019-20")
    assert out.columns.tolist() == ["theme", *POSITION_COLUMNS]
    assert by_theme(out) == {
        #             completed, in progress, not started, overdue, cancelled, total
        "neglect": [1, 1, 0, 1, 0, 3],  # X1, X3 (due after 31 March), X2 (due on it)
        "oversight": [1, 0, 0, 1, 0, 2],  # X1, X4
        "housing": [0, 1, 0, 0, 0, 1],  # X3
        None: [1, 0, 1, 0, 0, 2],  # X6 (uncoded finding), X5 (no finding)
    }
    assert pd.isna(out["theme"].iloc[-1]), "actions without a theme come last"


def test_the_same_actions_a_year_earlier_are_not_yet_overdue(table):
    out = by_theme(_by_position(ACTIONS, table, "2018-19"))
    assert out["neglect"] == [1, 2, 0, 0, 0, 3]  # X2 due 31 March 2020 is not overdue in 2018-19
    assert out["oversight"] == [1, 0, 0, 1, 0, 2]  # X4 due 1 January 2019 is


def test_actions_take_their_latest_state_up_to_the_report_year(table):
    history = pd.DataFrame(
        [
            ("X2", "F3", "in_progress", "2020-03-31", "2018-19"),
            ("X2", "F3", "completed", "2020-03-31", "2019-20"),
            ("X2", "F3", "cancelled", "2020-03-31", "2020-21"),  # after the report year
        ],
        columns=["action_id", "finding_id", "status", "due_date", "year"],
    )
    assert by_theme(_by_position(history, table, "2019-20"))["neglect"] == [1, 0, 0, 0, 0, 1]
    assert by_theme(_by_position(history, table, "2018-19"))["neglect"] == [0, 1, 0, 0, 0, 1]


def test_actions_need_their_columns(table):
    with pytest.raises(WorkbookError, match="position"):
        actions_by_theme(ACTIONS, table, "2019-20", POSITIONS)


# --------------------------------------------------------------------------------------------------
# Emerging terms
# --------------------------------------------------------------------------------------------------

EMERGING = pd.DataFrame(
    [
        ("2018-19", "Transport delays."),
        ("2018-19", "Transport delays again."),
        ("2019-20", "Cuckooing and neglect."),
        ("2019-20", "Cuckooing and neglect."),
        ("2019-20", "Cuckooing at the food bank."),
        ("2019-20", "Transport delays."),
        ("2019-20", "A food bank."),
    ],
    columns=["year", "text"],
)


def test_emerging_terms_rise_in_the_latest_year_and_are_not_covered(codebook):
    out = emerging_terms(EMERGING, codebook, min_count=2)
    # latest year: 5 findings. cuckooing 3 (0 before); food, bank, "food bank" 2 each (0 before);
    # neglect 2 but covered by the codebook; transport, delays 1 each: under min_count.
    assert rows(out, ["term", "findings_latest", "findings_earlier"]) == [
        ["cuckooing", 3, 0],
        ["bank", 2, 0],
        ["food", 2, 0],
        ["food bank", 2, 0],
    ]
    assert out["share_latest"].tolist() == pytest.approx([0.6, 0.4, 0.4, 0.4])
    assert out["rise"].tolist() == pytest.approx([0.6, 0.4, 0.4, 0.4])


def test_terms_steady_or_falling_are_not_emerging(codebook):
    extra = pd.DataFrame({"year": ["2019-20"], "text": ["Transport delays."]})
    frame = pd.concat([EMERGING, extra], ignore_index=True)
    out = emerging_terms(frame, codebook, min_count=2)
    # transport and delays: 2 of 6 latest (0.33) against 2 of 2 earlier (1.0): falling.
    assert "transport" not in out["term"].tolist() and "delays" not in out["term"].tolist()


def test_emerging_terms_are_never_added_to_the_codebook(codebook):
    before = (codebook.path.read_bytes(), codebook.themes)
    emerging_terms(EMERGING, codebook, min_count=2)
    assert (codebook.path.read_bytes(), codebook.themes) == before
    assert codebook.scan_many(["cuckooing"]).empty
    fresh = load_codebook(codebook.path)
    assert fresh.scan_many(["cuckooing"]).empty


def test_emerging_terms_top_and_latest_year(codebook):
    assert len(emerging_terms(EMERGING, codebook, min_count=2, top=1)) == 1
    # Taking 2018-19 as the latest year, transport and delays (2 of 2) emerge; 2019-20's use of
    # them is later, not earlier, so it counts for nothing.
    earlier = emerging_terms(EMERGING, codebook, latest_year="2018-19", min_count=2)
    assert set(earlier["term"]) == {"transport", "delays", "transport delays"}
    assert earlier["findings_earlier"].tolist() == [0, 0, 0]
    assert earlier["rise"].tolist() == [1.0, 1.0, 1.0]


def test_words_only_seen_inside_a_covered_phrase_are_not_candidates(codebook):
    # "voice of the child" is covered by the pattern "voice ... child*", though "voice" alone is
    # not: once the matched phrase is cut out, "voice" is no candidate, while "unheard", outside
    # the match, still rises; and no phrase is made across the cut ("child unheard").
    frame = pd.DataFrame(
        {
            "year": ["2018-19", "2019-20", "2019-20", "2019-20"],
            "text": [
                "Transport delays.",
                "The voice of the child unheard.",
                "Voice of the child unheard again.",
                "Voice of each child unheard.",
            ],
        }
    )
    assert codebook.scan_many(["voice"]).empty
    terms = set(emerging_terms(frame, codebook, min_count=2)["term"])
    assert "voice" not in terms and "child unheard" not in terms
    assert "unheard" in terms


JUNK = (
    "early",
    "supported",
    "auditors",
    "auditor",
    "practitioners'",
    "practitioner",
    "seek",
    "person's",
    "person",
)


def test_emerging_terms_leave_out_report_vocabulary_and_count_word_forms_together(codebook):
    frame = pd.DataFrame(
        {
            "year": ["2018-19"] + ["2019-20"] * 4,
            "text": [
                "A quiet year.",
                "Auditors supported practitioners' early work to seek the person's view on vaping.",
                "The auditor noted that practitioners seek early advice about vaping.",
                "Vape shops near the school; the person's auditors were supported.",
                "Transport delays; a transport delay.",
            ],
        }
    )
    out = emerging_terms(frame, codebook, min_count=2)
    shown = set(out["term"])
    assert not shown & set(JUNK)
    # "vaping" (twice) and "vape" are one lemma, shown as it is most often written
    assert rows(out[out["term"] == "vaping"], ["findings_latest", "findings_earlier"]) == [[3, 0]]
