"""Three real partnership-years, built from what their public annual reports state (issue 24):
Leicester 2019-20 (children only), Cambridgeshire and Peterborough 2020-21 (children and adults,
two councils) and B&NES 2023-24 (children, adults and community safety). Their shapes are unlike
the demos': reviews with no dates or no type, no findings, no audits, no indicators, actions
without due dates, training as sessions only. Where each figure comes from:
tests/data/real/data/<id>/README.md.

They validate, their facts are the hand counts of those READMEs, and what their reports do not
state stays "not recorded" (never a zero); the slow test renders them as a run does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbook.facts import year_facts
from workbook.inputs.params import load_params
from workbook.inputs.report import open_report
from workbook.inputs.validation import validate_year
from workbook.run.runner import RunSettings, run_partnership_year
from workbook.sections import registry

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
DATA, PARAMS = REAL / "data", REAL / "params"
YEARS = [("leicester", "2019-20"), ("cambs-peterborough", "2020-21"), ("bcssp", "2023-24")]


def report_of(partnership: str, year: str):
    return open_report(partnership, year, DATA, PARAMS)


@pytest.mark.unit
@pytest.mark.parametrize(("partnership", "year"), YEARS)
def test_each_real_year_is_valid_and_says_where_it_comes_from(partnership, year):
    params = load_params(partnership, year, PARAMS)
    assert not params.fictional
    errors = [p for p in validate_year(partnership, year, DATA) if not p.warning]
    assert errors == []
    readme = (DATA / partnership / "README.md").read_text(encoding="utf-8")
    assert "Not held by contract v2" in readme
    assert "https://" in readme  # every source is named by its address


@pytest.mark.unit
@pytest.mark.parametrize(("partnership", "year"), YEARS)
def test_every_group_of_facts_is_worked_out_and_its_gaps_listed(partnership, year):
    facts = year_facts(report_of(partnership, year))
    for group in facts.GROUPS:
        assert getattr(facts, group).frame is not None
    missing = {gap.missing for gap in facts.gaps()}
    # None of the three reports names an audit or a finding: an empty table is not a zero.
    assert not facts.audits.total.recorded
    assert not facts.findings.total.recorded
    assert {"audits", "the findings of reviews and audits"} <= missing


@pytest.mark.unit
def test_leicester_two_commissioned_reviews_and_nothing_else_counted():
    facts = year_facts(report_of("leicester", "2019-20"))
    assert facts.remit == ("children",)
    assert facts.reviews.total.get() == 2
    assert facts.reviews.by_type["cspr"].get() == 2
    # Commissioned at a date the report does not give: neither new nor carried forward is known.
    assert not facts.reviews.new.recorded and facts.reviews.new.unknown == 2
    assert not facts.actions.total.recorded
    assert not facts.training.courses.recorded


@pytest.mark.unit
def test_cambridgeshire_and_peterborough_reviews_of_no_stated_type_have_no_remit():
    report = report_of("cambs-peterborough", "2020-21")
    assert len(report.partnership.councils) == 2
    facts = year_facts(report)
    assert facts.reviews.total.get() == 7
    assert facts.reviews.published.get() == 7  # "within the time period": published 2020-21
    assert facts.reviews.by_type["other"].get() == 7
    assert facts.reviews.by_remit == {}  # whose they are is not in the data
    assert not facts.reviews.new.recorded


@pytest.mark.unit
def test_bcssp_open_actions_without_due_dates_are_never_on_time_or_overdue():
    facts = year_facts(report_of("bcssp", "2023-24"))
    reviews = facts.reviews
    assert reviews.total.get() == 7
    assert {t: f.get() for t, f in reviews.by_type.items()} == {
        "rapid_review": 2,
        "cspr": 1,
        "sar": 4,
    }
    assert {r: f.get() for r, f in reviews.by_remit.items()} == {"children": 3, "adults": 4}
    assert reviews.completed.get() == 5
    assert reviews.new.get() == 2 and reviews.new.unknown == 5
    actions = facts.actions
    assert actions.total.get() == 5
    assert actions.positions["completed"].get() == 2
    assert actions.open.get() == 3
    assert not actions.overdue.recorded and actions.overdue.unknown == 3
    training = facts.training
    assert training.recorded == ("sessions",)  # 76 sessions, no attendance recorded
    assert training.evidence["sessions"].get() == 1
    assert not training.evidence["attendances"].recorded


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize(("partnership", "year"), YEARS)
def test_each_real_year_renders_every_section_and_the_board_pack(partnership, year, tmp_path):
    settings = RunSettings(DATA, PARAMS, tmp_path / "outputs", force=True)
    result = run_partnership_year(partnership, year, settings, echo=lambda *_: None)
    assert result.status == "rendered"
    assert result.pages and result.pages > 2
    manifest = json.loads((result.target / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["sections"]) == {section.id for section in registry()}
    for record in manifest["sections"].values():  # a section with nothing for the board has no page
        assert "html" not in record or (result.target / record["html"]).is_file()
    assert (result.target / "board_pack.pdf").stat().st_size > 0
