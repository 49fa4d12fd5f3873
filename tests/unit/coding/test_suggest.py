"""Learning from the analyst: suggestions come from the disagreements, only accepted ones change
the codebook, the codebook keeps its comments, and the changed codebook codes what was missed."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SMALL_CODEBOOK
from workbook.coding.codebook import load_codebook
from workbook.coding.coder import code_findings
from workbook.coding.suggest import (
    apply_suggestions,
    read_suggestions,
    suggest,
    suggestions_yaml,
)
from workbook.core.errors import WorkbookError

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


def test_suggestions_come_from_the_disagreements(small_codebook):
    found = suggest(FINDINGS, load_codebook(small_codebook))
    adds = [(s.theme, s.phrase, s.support, s.against) for s in found if s.kind == "add"]
    excludes = [
        (s.theme, s.phrase, s.unless, s.support, s.against) for s in found if s.kind == "exclude"
    ]
    assert ("exploitation", "cuckooing", 3, 0) in adds
    assert excludes == [("planning", "plan", "action plan", 2, 0)]
    assert all(not s.accept for s in found)


def test_only_accepted_suggestions_change_the_codebook_which_keeps_its_comments(
    small_codebook, tmp_path
):
    found = suggest(FINDINGS, load_codebook(small_codebook))
    file = tmp_path / "suggestions.yaml"
    file.write_text(suggestions_yaml(found), encoding="utf-8")
    read = read_suggestions(file)
    assert [(s.kind, s.phrase, s.unless) for s in read] == [
        (s.kind, s.phrase, s.unless) for s in found
    ]
    assert apply_suggestions(read, small_codebook) == 0
    assert small_codebook.read_text(encoding="utf-8") == SMALL_CODEBOOK
    for item in read:
        item.accept = item.phrase in {"cuckooing", "plan"}
    assert apply_suggestions(read, small_codebook) == 2
    text = small_codebook.read_text(encoding="utf-8")
    assert "# An analyst's comment that must survive." in text and "# the child's plan" in text
    coded = code_findings(FINDINGS.drop(columns="themes"), load_codebook(small_codebook))
    automatic = coded[coded["source"] == "automatic"]
    by_finding = automatic.groupby("id")["theme"].apply(set).to_dict()
    assert by_finding["F1"] == by_finding["F2"] == {"exploitation"}
    assert by_finding["F4"] == by_finding["F5"] == {"exploitation"}
    assert by_finding["F3"] == {"planning"}


def test_a_suggestion_that_would_break_the_codebook_changes_nothing(small_codebook):
    found = suggest(FINDINGS, load_codebook(small_codebook))
    broken = [s for s in found if s.kind == "add"][:1]
    broken[0].accept, broken[0].phrase = True, "re:("
    with pytest.raises(WorkbookError, match="not changed"):
        apply_suggestions(broken, small_codebook)
    assert small_codebook.read_text(encoding="utf-8") == SMALL_CODEBOOK


def test_suggestions_need_the_analysts_coding(small_codebook):
    with pytest.raises(WorkbookError, match="themes"):
        suggest(FINDINGS.drop(columns="themes"), load_codebook(small_codebook))
    with pytest.raises(WorkbookError, match="no finding has analyst themes"):
        suggest(FINDINGS.assign(themes=""), load_codebook(small_codebook))


def test_a_suggestions_file_without_the_list_is_named(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("hello: 1\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="s.yaml.*suggestions"):
        read_suggestions(path)
