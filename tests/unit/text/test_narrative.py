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


def test_a_sentence_that_runs_into_the_next_is_spaced_and_an_address_is_not():
    """Northdale 2020-21's year at a glance said "an assessment of the arrangements.The year's
    data do not record...": the template's line ended in a block tag, whose line break Jinja
    trims."""
    from workbook.text.narrative import spaced_sentences

    assert spaced_sentences("of the arrangements.The year's data") == (
        "of the arrangements. The year's data"
    )
    assert spaced_sentences("red (little progress).Themes") == "red (little progress). Themes"
    assert spaced_sentences("Done?Yes, 3.5 of them.") == "Done? Yes, 3.5 of them."
    for kept in ("northdale.example/Annual.Report", "www.Leicester.gov.uk", "a@Example.Org"):
        assert spaced_sentences(f"See {kept} now.") == f"See {kept} now."
    assert spaced_sentences("One.\n\nTwo (s.3).") == "One.\n\nTwo (s.3)."


def test_every_template_is_rendered_with_its_sentences_spaced(tmp_path, monkeypatch):
    """The rule is the renderer's, not each template's: a template whose next sentence follows
    a block tag on its own line reads with a space."""
    from workbook.core import paths
    from workbook.text.narrative import render_template

    folder = tmp_path / "templates" / "narrative"
    folder.mkdir(parents=True)
    (folder / "run_on.md.j2").write_text(
        "{% if True %}The scrutineer gives an assessment.{% endif %}\n"
        "{% if True %}\nThe data do not record a judgement.\n{% endif %}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path)
    text = render_template("run_on.md.j2", 5)
    assert "assessment. The data" in text
