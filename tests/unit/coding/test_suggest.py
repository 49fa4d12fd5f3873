"""Learning from the analyst: suggestions come from the disagreements, only accepted ones change
the codebook, the codebook keeps its comments, and the changed codebook codes what was missed."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.coding.codebook import load_codebook
from workbook.coding.coder import code_findings
from workbook.coding.suggest import (
    apply_suggestions,
    read_suggestions,
    suggest,
    suggestions_yaml,
)
from workbook.core.errors import WorkbookError

CODEBOOK = """\
# An analyst's comment that must survive.
version: "s-1"
themes:
  - id: planning
    label: Planning
    definition: Plans for children.
    subthemes:
      - id: plans
        label: Plans
        patterns:
          - plan   # the child's plan
  - id: exploitation
    label: Exploitation
    definition: Exploitation.
    subthemes:
      - id: criminal
        label: Criminal exploitation
        patterns: [county lines]
      - id: online
        label: Online
        patterns: [online grooming]
"""

FINDINGS = pd.DataFrame(
    {
        "id": [f"F{i}" for i in range(1, 9)],
        "text": [
            "The action plan for county lines was late.",  # planning wrongly given
            "The action plan did not mention cuckooing.",  # planning wrong, exploitation missed
            "The child's plan drifted.",  # planning right
            "Cuckooing of the flat was not recognised.",  # exploitation missed
            "Cuckooing continued for months.",  # exploitation missed
            "County lines and cuckooing were linked.",  # exploitation right
            "The review met four times.",  # not coded by the analyst
            "The plan for the child was reviewed.",  # planning right
        ],
        "themes": [
            "exploitation",
            "exploitation",
            "planning",
            "exploitation",
            "exploitation",
            "exploitation",
            "",
            "planning",
        ],
    }
)


@pytest.fixture()
def codebook_file(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return path


def test_suggestions_come_from_the_disagreements(codebook_file):
    found = suggest(FINDINGS, load_codebook(codebook_file))
    adds = [(s.theme, s.phrase, s.support, s.against) for s in found if s.kind == "add"]
    excludes = [
        (s.theme, s.phrase, s.unless, s.support, s.against) for s in found if s.kind == "exclude"
    ]
    assert ("exploitation", "cuckooing", 3, 0) in adds
    assert excludes == [("planning", "plan", "action plan", 2, 0)]
    assert all(not s.accept for s in found)


def test_only_accepted_suggestions_change_the_codebook_which_keeps_its_comments(
    codebook_file, tmp_path
):
    found = suggest(FINDINGS, load_codebook(codebook_file))
    file = tmp_path / "suggestions.yaml"
    file.write_text(suggestions_yaml(found), encoding="utf-8")
    read = read_suggestions(file)
    assert [(s.kind, s.phrase, s.unless) for s in read] == [
        (s.kind, s.phrase, s.unless) for s in found
    ]
    assert apply_suggestions(read, codebook_file) == 0
    assert codebook_file.read_text(encoding="utf-8") == CODEBOOK
    for item in read:
        item.accept = item.phrase in {"cuckooing", "plan"}
    assert apply_suggestions(read, codebook_file) == 2
    text = codebook_file.read_text(encoding="utf-8")
    assert "# An analyst's comment that must survive." in text and "# the child's plan" in text
    coded = code_findings(FINDINGS.drop(columns="themes"), load_codebook(codebook_file))
    automatic = coded[coded["source"] == "automatic"]
    by_finding = automatic.groupby("id")["theme"].apply(set).to_dict()
    assert by_finding["F1"] == by_finding["F2"] == {"exploitation"}
    assert by_finding["F4"] == by_finding["F5"] == {"exploitation"}
    assert by_finding["F3"] == {"planning"}


def test_a_suggestion_that_would_break_the_codebook_changes_nothing(codebook_file):
    found = suggest(FINDINGS, load_codebook(codebook_file))
    broken = [s for s in found if s.kind == "add"][:1]
    broken[0].accept, broken[0].phrase = True, "re:("
    with pytest.raises(WorkbookError, match="not changed"):
        apply_suggestions(broken, codebook_file)
    assert codebook_file.read_text(encoding="utf-8") == CODEBOOK


def test_suggestions_need_the_analysts_coding(codebook_file):
    with pytest.raises(WorkbookError, match="themes"):
        suggest(FINDINGS.drop(columns="themes"), load_codebook(codebook_file))
    with pytest.raises(WorkbookError, match="no finding has analyst themes"):
        suggest(FINDINGS.assign(themes=""), load_codebook(codebook_file))


def test_a_suggestions_file_without_the_list_is_named(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("hello: 1\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="s.yaml.*suggestions"):
        read_suggestions(path)
