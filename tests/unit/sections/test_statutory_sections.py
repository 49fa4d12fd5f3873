"""The yearly report's other parts: the checklist points only at sections that exist, says what is
missing, and the summary for children and families reads at the age it is written for."""

from __future__ import annotations

import pytest

from conftest import STATUTORY_TABLES, write_year
from workbook.facts import Gap, year_facts
from workbook.inputs.report import open_report
from workbook.sections import checklist, plain_summary, registry
from workbook.text.narrative import render_template
from workbook.text.readability import MAX_READING_AGE, jargon_in, reading_level


def test_every_section_the_checklist_points_to_has_a_notebook():
    ids = {section.id for section in registry()}
    for element in checklist.load_checklist():
        missing = [s for s in element.sections if s not in ids]
        assert not missing, f"checklist element {element.id!r} points to {missing}"


def test_a_missing_section_is_reported_not_ignored():
    sections = tuple(s for s in registry() if s.id != "voice")
    elements = checklist.checklist({}, None, sections)
    voice = elements[elements["element"].str.startswith("How feedback")].iloc[0]
    assert voice["status"] == checklist.NOT_RENDERED and voice["where"] == ""


def test_checklist_marks_present_and_missing_from_the_years_data(tmp_path):
    write_year(tmp_path, tables=STATUTORY_TABLES)
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    elements = checklist.checklist(report.tables, None).set_index("element")
    status = elements["status"]
    assert (
        status["How feedback from children and families was sought and used"] == checklist.IN_PACK
    )
    assert (
        status["An analysis of areas where there has been little or no progress"]
        == checklist.IN_PACK
    )
    # No scrutiny block and the report was not sent to the What Works centre.
    scrutiny = elements.loc["The independent scrutineer's assessment of the arrangements"]
    assert scrutiny["status"] == checklist.MISSING
    assert "narrative block scrutiny" in scrutiny["to_supply"]
    assert status[next(e for e in status.index if e.startswith("Published"))] == checklist.MISSING
    # A year without any of the new tables misses them all.
    empty = checklist.checklist(
        {name: frame.iloc[0:0] for name, frame in report.tables.items()}, None
    ).set_index("element")["status"]
    assert (
        empty[[e for e in empty.index if "feedback" in e or "training" in e]] == checklist.MISSING
    ).all()


def test_what_the_report_could_not_show_says_each_thing_once(tmp_path):
    """Cambridgeshire and Peterborough's real year listed "The partnership's budget" and "The
    budget and each partner's contribution"; "The findings of reviews and audits" and "The
    findings of some case reviews"; and years the thematic review looks back over, for a pack
    with no thematic review."""
    write_year(
        tmp_path,
        tables={
            "findings": "finding_id,source_type,source_id,text,kind\n",
            "actions": "action_id,finding_id,action,status\n",
        },
    )
    facts = year_facts(open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params"))
    names = [name for gap in facts.gaps() for name in gap.facts]
    assert "findings.total" in names
    assert not [n for n in names if n.startswith("themes.")]  # implied by no findings
    board = checklist.board_sentences(facts, checklist.year_checklist(facts))
    said = [g["missing"] for g in board["gaps"]] + board["missing"]
    assert "The budget and each partner's contribution" in board["missing"]
    assert "the partnership's budget" not in said  # said once, by the guidance's element
    assert "the partnership's budget" in [g.missing for g in facts.gaps()]  # the analyst's list
    assert len(said) == len(set(said))


def test_three_or_more_gaps_in_a_row_of_one_part_are_said_in_one_line():
    """Seven children's social care measures not recorded are one line of the board's list,
    each still named; two of a part, or parts apart, keep a line each."""
    gaps = [
        Gap("audits", "audits table", 0, ("audits.total",)),
        Gap("rate of children in need", "indicators: cin_rate", 0, ("indicators.cin_rate",)),
        Gap("rate of referrals", "indicators: referrals_rate", 0, ("indicators.referrals_rate",)),
        Gap("re-referrals (%)", "indicators: rereferral_pct", 0, ("indicators.rereferral_pct",)),
        Gap("attendances", "training: attendances", 0, ("training.evidence.attendances",)),
        Gap("due dates", "actions: due_date", 2, ("actions.overdue",)),
        Gap("evaluations", "training: evaluations", 0, ("training.evidence.evaluations",)),
    ]
    assert checklist.grouped_gaps(gaps) == [
        {"missing": "audits", "count": ""},
        {"missing": "rate of children in need; rate of referrals; re-referrals (%)", "count": ""},
        {"missing": "attendances", "count": ""},
        {"missing": "due dates", "count": gaps[5].items},
        {"missing": "evaluations", "count": ""},
    ]
    grouped = checklist.grouped_gaps([gaps[5]] * 3)
    assert grouped == [
        {"missing": "; ".join([f"due dates (for {gaps[5].items})"] * 3), "count": ""}
    ]


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
@pytest.mark.parametrize(
    ("partnership", "year"),
    [("darlington", "2019-20"), ("northdale", "2019-20"), ("northdale", "2022-23")],
)
def test_the_summary_for_children_reads_at_eleven_or_under_without_jargon(partnership, year):
    report = open_report(partnership, year)
    text = render_template(
        "plain_summary.md.j2",
        report.threshold,
        s=plain_summary.facts(year_facts(report)),
        partnership=report.partnership,
        year=report.year,
    )
    level = reading_level(text)
    assert level.reading_age <= MAX_READING_AGE, (level, text)
    assert level.reading_ease >= 70, level
    assert jargon_in(text) == [], text
    assert report.partnership.short_name in text


def test_every_codebook_theme_has_plain_words():
    from workbook.coding.codebook import load_codebook

    words = plain_summary.theme_words()
    assert {t.id for t in load_codebook().themes} <= set(words)
    assert all(jargon_in(w) == [] for w in words.values())


def test_an_empty_year_summary_says_what_did_not_happen_in_words_not_noughts(tmp_path):
    write_year(tmp_path, tables={})
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    empty = {name: frame.iloc[0:0] for name, frame in report.tables.items()}
    report.tables.update(empty)
    text = render_template(
        "plain_summary.md.j2",
        report.threshold,
        s=plain_summary.facts(year_facts(report)),
        partnership=report.partnership,
        year=report.year,
    )
    # nothing recorded, nothing said: no "we did not write down...", no promise
    for untrue in ("did not", "We want to do better", "We will keep", "website", "0 "):
        assert untrue not in text, untrue
    assert "What we learned" not in text and "What we did" not in text
    level = reading_level(text)
    assert level.reading_age <= MAX_READING_AGE and jargon_in(text) == []


def test_the_summary_for_children_says_only_what_the_facts_say(tmp_path):
    """Real partnerships' packs said "The council" of two councils, "things to make children
    safer" of adults' actions, "read the full report on our website" with no address, and
    made promises ("We will keep checking...") no partnership made."""
    from conftest import facts_of

    reviews = (
        "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,"
        "started_date,completed_date,published_date,status\n"
        "S1,sar,Adult A,65_plus,,,,,,in_progress\n"
        "C1,cspr,Child C,under_1,2019-05-01,,,,,in_progress\n"
    )
    actions = (
        "action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date,"
        "impact\n"
        "X1,,S1,Self-neglect guidance,Partnership,,completed,,\n"
        "X2,,C1,Safe sleep briefing,Partnership,,in_progress,,\n"
    )
    facts = facts_of(
        tmp_path,
        {
            "reviews": reviews,
            "actions": actions,
            "findings": "finding_id,source_type,source_id,text,kind,agency,themes\n",
        },
        'covers_adults: true\ncouncils: ["841", "807"]',
    )
    report = facts.report
    text = render_template(
        "plain_summary.md.j2",
        report.threshold,
        s=plain_summary.facts(facts),
        partnership=report.partnership,
        year=report.year,
    )
    assert "The councils, the police" in text and "adults who need care" in text
    assert "We said we would do 2 things." in text and "children safer" not in text
    assert "By March 2020 we had done 1 of them." in text
    for untrue in ("website", "We will keep", "We want to do better", "still need to do"):
        assert untrue not in text, untrue


@pytest.mark.parametrize(
    ("block", "element"),
    [
        ("voice", "How feedback from children and families was sought and used"),
        ("learning_actions", "Decisions and actions taken on the recommendations of local"),
        ("training", "Evidence of the impact of training"),
    ],
)
def test_an_element_the_pack_shows_in_the_partnerships_words_is_partly_there(block, element):
    """Leicester 2019-20's pack showed how young people were engaged and what their input
    changed (its voice block), and its checklist said the year's data did not hold it."""
    import pandas as pd

    tables = {"narrative": pd.DataFrame({"block": [block], "text": ["In our own words."]})}
    rows = checklist.checklist(tables, None).set_index("element")
    row = rows.loc[next(e for e in rows.index if e.startswith(element))]
    assert row["status"] == checklist.PARTLY, row
    assert "in its own words" in row["reason"]


def test_a_narrative_block_vouches_only_for_an_element_its_section_shows():
    """A block is evidence of an element only where a notebook of one of the element's
    sections places it: the pack must show what the checklist says it shows."""
    import json
    import re

    from workbook.core import paths

    placed: dict[str, set[str]] = {}
    for notebook in paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"):
        section = notebook.stem.split("_", 1)[1]
        code = "".join(
            "".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]
        )
        for block in re.findall(r'analyst_block\(report, "(\w+)"', code):
            placed.setdefault(block, set()).add(section)
    for element in checklist.load_checklist():
        for entry in (*element.evidence, *element.partly):
            if "block" in entry:
                assert placed.get(entry["block"], set()) & set(element.sections), (
                    element.id,
                    entry["block"],
                )


def test_what_the_partnership_says_in_its_own_words_is_not_listed_again_as_not_recorded(
    tmp_path,
):
    """Leicester 2019-20's last page listed "How children, young people and families were
    asked for their views" as not recorded, beside its voice section telling how they were."""
    folder = write_year(tmp_path)
    (folder / "narrative").mkdir()
    (folder / "narrative" / "voice.md").write_text(
        "Young people were engaged at events.\n", encoding="utf-8"
    )
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    facts = year_facts(report)
    said = checklist.board_sentences(facts, checklist.year_checklist(facts))
    assert any(p["element"].startswith("How feedback") for p in said["partly"])
    assert not any("asked for their views" in g["missing"] for g in said["gaps"])
    assert "How feedback from children and families was sought and used" not in said["missing"]
