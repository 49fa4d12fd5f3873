"""How well the personal-identifier screen finds names: recall and false alarms.

    .venv/bin/python benchmarks/name_screen.py [--show]

Reads tests/data/name_screen_sentences.yaml (invented sentences, with and without names) and
prints, for the development set (used while writing the rules) and the held-out set (written
after), the share of sentences with a name that the screen flags (recall) and the share of
sentences without one that it flags all the same (false alarms); `--show` lists each miss and
false alarm. docs/name-screen.md quotes the figures.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from workbook.text.safety import find_identifiers

SENTENCES = Path(__file__).resolve().parents[1] / "tests" / "data" / "name_screen_sentences.yaml"


def measure(named_key: str = "with_names", plain_key: str = "without_names") -> dict:
    """Recall over the sentences with names, false alarms over those without, and the
    sentences behind each figure (the keys choose the development or the held-out set)."""
    sentences = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    missed = [s for s in sentences[named_key] if not find_identifiers(s)]
    alarms = [(s, find_identifiers(s)) for s in sentences[plain_key]]
    alarms = [(s, flags) for s, flags in alarms if flags]
    named, plain = len(sentences[named_key]), len(sentences[plain_key])
    return {
        "named": named,
        "plain": plain,
        "missed": missed,
        "false_alarms": alarms,
        "recall": (named - len(missed)) / named,
        "false_alarm_rate": len(alarms) / plain,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    show = parser.parse_args().show
    for title, keys in (
        ("development set", ("with_names", "without_names")),
        ("held-out set", ("held_out_with_names", "held_out_without_names")),
    ):
        figures = measure(*keys)
        print(f"{title}:")
        if show:
            for sentence in figures["missed"]:
                print(f"  missed: {sentence}")
            for sentence, flags in figures["false_alarms"]:
                print(f"  false alarm: {sentence} {flags}")
        print(
            f"  recall: {figures['named'] - len(figures['missed'])} of {figures['named']} "
            f"sentences with a name flagged ({figures['recall']:.0%})"
        )
        print(
            f"  false alarms: {len(figures['false_alarms'])} of {figures['plain']} sentences "
            f"without a name flagged ({figures['false_alarm_rate']:.0%})"
        )


if __name__ == "__main__":
    main()
