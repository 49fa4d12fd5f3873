"""The name screen on invented sentences: the floor of its recall and the ceiling of its false
alarms (benchmarks/name_screen.py prints the figures; docs/name-screen.md quotes them)."""

from __future__ import annotations

import sys

import pytest

from workbook.core import paths
from workbook.text.names import find_names, lists

sys.path.insert(0, str(paths.project_root() / "benchmarks"))
from name_screen import measure  # noqa: E402


@pytest.mark.parametrize(
    "keys", [("with_names", "without_names"), ("held_out_with_names", "held_out_without_names")]
)
def test_recall_and_false_alarms_hold(keys):
    figures = measure(*keys)
    assert figures["named"] + figures["plain"] >= 50
    assert figures["recall"] >= 0.9, figures["missed"]
    assert figures["false_alarm_rate"] <= 0.05, figures["false_alarms"]


def test_the_sets_together_hold_at_least_a_hundred_sentences():
    development, held_out = measure(), measure("held_out_with_names", "held_out_without_names")
    assert sum(f["named"] + f["plain"] for f in (development, held_out)) >= 100


@pytest.mark.parametrize(
    "text, kind, words",
    [
        ("Aleksandra Nowak was not told.", "full_name", "Aleksandra Nowak"),
        (
            "Aleksandra Nowak, the grandmother, was not told.",
            "name_beside_relation",
            "Aleksandra Nowak",
        ),
        ("The chair, Margaret Holloway, wrote to us.", "name_beside_relation", "Margaret Holloway"),
        ("Siobhan, the aunt, offered care.", "name_beside_relation", "Siobhan"),
        ("A referral was made by K Patel.", "initial_and_surname", "K Patel"),
        ("Nobody asked Nathaniel.", "given_name", "Nathaniel"),
        ("Baby Harvey was born early.", "name_beside_relation", "Harvey"),
        ("Ellie-Mae went missing.", "given_name", "Ellie-Mae"),
    ],
)
def test_each_rule_finds_its_kind_of_name(text, kind, words):
    assert (kind, words) in find_names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Child J's mother moved to Darlington.",
        "Will agencies share information?",
        "Clare's Law disclosures rose.",
        "The James Cook University Hospital team attended.",
        "Stanley Park Children's Centre ran groups.",
        "Baby D and Sibling B were seen.",
        "Grace periods were not agreed.",
        "In May 2019 the North East procedures changed.",
    ],
)
def test_ordinary_report_language_is_not_a_name(text):
    assert find_names(text) == []


def test_the_lists_are_broad():
    names = lists()
    assert len(names.given) + len(names.given_words) > 20000
    assert len(names.surnames) + len(names.surname_words) > 20000
    assert {
        "Aleksandra",
        "Chukwuemeka",
        "Siobhan",
        "Mohammed",
        "Priya",
        "Agnieszka",
    } <= names.given | names.given_words
    assert {"Nowak", "Patel", "Okafor", "Kowalski"} <= names.surnames | names.surname_words
