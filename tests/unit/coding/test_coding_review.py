"""Precision where the board reads it (issue 29): evidence strength, the board's themes and the
analyst's suggestions, the rules against classes of error, and the demo miscodings the issue
names, coded by the real codebook from the demo's real findings.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.coding.codebook import CodebookError, load_codebook
from workbook.coding.coder import code_findings, final_themes
from workbook.coding.review import (
    ANALYST_DISAGREES,
    WEAK_EVIDENCE,
    board_themes,
    record_decision,
    suggestions,
)
from workbook.core.errors import WorkbookError
from workbook.core.paths import data_dir

SMALL = """\
version: "review-1"
people:
  nobody: [child protection, children's services]
  child: [child*]
  adult_at_risk: [adult*]
passing:
  - child* and adult* at risk
themes:
  - id: plans
    label: Plans
    definition: Plans for children.
    subthemes:
      - id: plans_any
        label: Plans
        patterns:
          - care plan
          - phrase: plan
            evidence: weak
  - id: oversight
    label: Oversight
    definition: Managers' scrutiny.
    subthemes:
      - id: scrutiny
        label: Scrutiny
        patterns:
          - phrase: scrutiny
            excludes: [inspector*, Ofsted]
  - id: voice
    label: Voice
    definition: Children's views.
    subthemes:
      - id: views
        label: Views
        patterns:
          - phrase: views
            who: [child]
  - id: adults
    label: Adults at risk
    definition: Adults with care and support needs.
    subthemes:
      - id: adults_any
        label: Adults
        patterns: [adults at risk]
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("codebook") / "themes.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return load_codebook(path)


def code(codebook, *texts, themes=None):
    frame = pd.DataFrame({"id": [f"F{i}" for i in range(1, len(texts) + 1)], "text": texts})
    if themes is not None:
        frame["themes"] = themes
    return code_findings(frame, codebook)


def automatic(coded, ident):
    rows = coded[(coded["id"] == ident) & (coded["source"] == "automatic")]
    return rows[["theme", "evidence", "confidence", "final"]].values.tolist()


def test_weak_evidence_alone_is_a_suggestion_not_a_code(small):
    coded = code(small, "The plan was not reviewed.")
    assert automatic(coded, "F1") == [["plans", "plan", "weak", False]]
    assert final_themes(coded)["source"].tolist() == ["uncoded"]
    assert board_themes(coded)["coded_by"].tolist() == ["uncoded"]
    offered = suggestions(coded)
    assert offered[["theme", "evidence", "reason"]].values.tolist() == [
        ["plans", "plan", WEAK_EVIDENCE]
    ]


def test_strong_evidence_wins_the_evidence_and_the_board(small):
    coded = code(small, "The plan was late and the care plan was never shared.")
    assert automatic(coded, "F1") == [["plans", "care plan", "strong", True]]
    board = board_themes(coded)
    assert board[["theme", "coded_by", "evidence", "confidence"]].values.tolist() == [
        ["plans", "automatic", "care plan", "strong"]
    ]
    assert suggestions(coded).empty


def test_the_analysts_coding_is_the_board_and_the_coder_disagreeing_is_offered(small):
    coded = code(small, "The care plan was never shared.", themes=["voice"])
    board = board_themes(coded)
    assert board[["theme", "coded_by"]].values.tolist() == [["voice", "analyst"]]
    offered = suggestions(coded)
    assert offered[["theme", "reason"]].values.tolist() == [["plans", ANALYST_DISAGREES]]


def test_excludes_reads_the_whole_sentence(small):
    coded = code(
        small,
        "Managers' scrutiny of casework was weak.",
        "The inspection brought heavy scrutiny from the team of inspectors.",
    )
    assert [row[0] for row in automatic(coded, "F1")] == ["oversight"]
    assert automatic(coded, "F2") == []


def test_a_service_named_after_people_is_nobody(small):
    coded = code(
        small,
        "The review of child protection sets out our views on the system.",
        "Practitioners sought the child's views.",
    )
    assert automatic(coded, "F1") == []
    assert [row[0] for row in automatic(coded, "F2")] == ["voice"]


def test_adults_named_in_passing_beside_children_are_not_adult_safeguarding(small):
    coded = code(
        small,
        "Arrangements promote the welfare of children and adults at risk.",
        "Adults at risk were not offered advocacy.",
    )
    assert automatic(coded, "F1") == []
    assert [row[0] for row in automatic(coded, "F2")] == ["adults"]


def test_who_may_not_name_the_nobody_group(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(SMALL.replace("who: [child]", "who: [nobody]"), encoding="utf-8")
    with pytest.raises(CodebookError, match="nobody"):
        load_codebook(path)


def test_evidence_must_be_strong_or_weak(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(SMALL.replace("evidence: weak", "evidence: maybe"), encoding="utf-8")
    with pytest.raises(CodebookError, match="evidence"):
        load_codebook(path)


def test_record_decision_writes_the_analysts_themes_in_codebook_order(small):
    findings = pd.DataFrame(
        {"finding_id": ["A1", "A2"], "text": ["x", "y"], "themes": ["", "voice"]}
    )
    decided = record_decision(findings, "A1", ["voice", "plans"], small)
    assert decided["themes"].tolist() == ["plans;voice", "voice"]
    cleared = record_decision(decided, "A2", [], small)
    assert cleared["themes"].tolist() == ["plans;voice", ""]
    assert findings["themes"].tolist() == ["", "voice"]
    coded = code_findings(decided, small)
    assert board_themes(coded).query("finding_id == 'A1'")["theme"].tolist() == [
        "plans",
        "voice",
    ]
    with pytest.raises(WorkbookError, match="no finding A9"):
        record_decision(findings, "A9", ["voice"], small)
    with pytest.raises(WorkbookError, match="harm"):
        record_decision(findings, "A1", ["harm"], small)


# --------------------------------------------------------------------------------------------------
# The demo's miscodings (issue 29), by the codebook itself
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def darlington():
    findings = pd.read_csv(
        data_dir() / "darlington" / "2019-20" / "findings.csv",
        dtype="string",
        keep_default_na=False,
    )
    coded = code_findings(findings, load_codebook())
    board = board_themes(coded)
    return {ident: set(rows["theme"].dropna()) for ident, rows in board.groupby("finding_id")}


def test_disproportionate_number_of_assessments_is_not_identity_and_culture(darlington):
    themes = darlington["DSP-F-SFP-1"]
    assert "identity_culture" not in themes
    assert {"workforce_capacity", "assessment_planning", "thresholds_decision_making"} <= themes


def test_professionals_challenging_one_another_is_not_management_oversight(darlington):
    assert darlington["DSP-F-STRAT-2"] == {"multi_agency_working"}


def test_children_and_adults_at_risk_is_not_adult_safeguarding(darlington):
    assert "adult_safeguarding" not in darlington["DSP-F-S11-1"]
