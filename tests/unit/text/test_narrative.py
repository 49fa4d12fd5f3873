"""Narrative formatting: how a sentence writes a rate or percentage."""

from __future__ import annotations

from workbook.text.narrative import format_number


def test_sentences_round_halves_up_as_the_tables_and_dfe_do():
    """Python's formatting rounds 22.5 to even ("22"); a report, like DfE, writes "23"."""
    assert [format_number(v, d) for v, d in [(22.5, 0), (2.25, 1), (37.85, 1), (0.125, 2)]] == [
        "23",
        "2.3",
        "37.9",
        "0.13",
    ]
    assert format_number(1_234_567.05, 1) == "1,234,567.1"
    assert format_number(float("nan"), 1) == "x"  # as a table shows a missing figure
