"""The bundled demo data: Darlington 2019-20 (from its public annual report), the fictional
Northdale partnership (four years made by scripts/generate_demo.py) and the fictional Westmarch and
Eastmere (one year of two councils, written from its facts by the same generator).

The demo data must validate, the generator must be deterministic and in step with the committed
files, the fictional partnership must carry enough to make multi-year analysis meaningful, and
Darlington's headline figures must be the report's.
"""

from __future__ import annotations

import filecmp
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from conftest import demo_generator
from workbook.core.years import ReportYear
from workbook.inputs.params import load_params
from workbook.inputs.validation import load_valid_tables, validate_year

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
NORTHDALE_YEARS = ["2019-20", "2020-21", "2021-22", "2022-23"]
DEMO_YEARS = (
    [("darlington", "2019-20")]
    + [("northdale", y) for y in NORTHDALE_YEARS]
    + [("westmarch", "2023-24")]
)
FICTIONAL = ("northdale", "westmarch")


def _read(partnership: str, year: str, table: str) -> pd.DataFrame:
    return pd.read_csv(DATA / partnership / year / f"{table}.csv", dtype=str, keep_default_na=False)


def _files(root: Path) -> list[str]:
    found = sorted(
        p.relative_to(root).as_posix()
        for partnership in FICTIONAL
        for p in (root / "data" / partnership).rglob("*")
        if p.is_file()
    )
    return found + [f"params/{partnership}.yaml" for partnership in FICTIONAL]


# ---- validity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("partnership", "year"), DEMO_YEARS)
def test_demo_year_validates(partnership, year):
    params = load_params(partnership, year, ROOT / "params")
    problems = validate_year(partnership, year, DATA, params)
    assert problems == [], "\n".join(str(p) for p in problems)


@pytest.mark.parametrize(("partnership", "year"), DEMO_YEARS)
def test_demo_params_load(partnership, year):
    params = load_params(partnership, year, ROOT / "params")
    assert params.fictional is (partnership in FICTIONAL)
    if partnership in FICTIONAL:
        assert "fictional" in params.name.lower()


# ---- the generator ------------------------------------------------------------------------------


def test_generator_is_deterministic(tmp_path):
    generator = demo_generator()
    first, second = tmp_path / "first", tmp_path / "second"
    generator.write(first)
    generator.write(second)
    assert _files(first) == _files(second)
    mismatch, errors = filecmp.cmpfiles(first, second, _files(first), shallow=False)[1:]
    assert mismatch == [] and errors == []


def test_committed_demo_data_equals_a_fresh_generation():
    assert demo_generator().differences(ROOT) == [], (
        "data/northdale, data/westmarch or their parameters differ from the generator's output: "
        "run python scripts/generate_demo.py and commit the result"
    )


def test_check_option_fails_on_a_changed_file(tmp_path):
    generator = demo_generator()
    generator.write(tmp_path)
    assert generator.main(["--root", str(tmp_path), "--check"]) == 0
    findings = tmp_path / "data" / "northdale" / "2019-20" / "findings.csv"
    findings.write_text(findings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert generator.main(["--root", str(tmp_path), "--check"]) == 1


def test_a_different_seed_gives_different_data():
    generator = demo_generator()
    assert generator.build(1) != generator.build(2)


def test_scaled_data_holds_the_committed_year_and_independent_copies_with_ids_of_their_own(
    tmp_path,
):
    demo_generator().main(["--root", str(tmp_path), "--scale", "3"])
    year = "2022-23"
    assert validate_year("northdale", year, tmp_path / "data") == []
    for table in ("reviews", "audits", "findings", "actions"):
        scaled = pd.read_csv(
            tmp_path / "data" / "northdale" / year / f"{table}.csv",
            dtype=str,
            keep_default_na=False,
        )
        committed = _read("northdale", year, table)
        # reviews and audits are Northdale's list three times; findings per audit are drawn
        assert (
            len(scaled) == 3 * len(committed)
            if table in ("reviews", "audits")
            else 2.5 * len(committed) < len(scaled) < 3.5 * len(committed)
        )
        assert scaled.iloc[: len(committed)].equals(committed)  # copy 1 is the committed data
        key = scaled.columns[0]
        assert scaled[key].is_unique
        copies = scaled.iloc[len(committed) :]
        assert set(copies[key].str[:5]) == {"ND02-", "ND03-"}
    findings = pd.read_csv(tmp_path / "data" / "northdale" / year / "findings.csv", dtype=str)
    texts = [
        findings.loc[findings["finding_id"].str.startswith(f"{prefix}-RR-"), "text"].tolist()
        for prefix in ("ND", "ND02")
    ]
    assert texts[0] != texts[1]  # drawn from seeds of their own, not the same rows renamed
    indicators = pd.read_csv(tmp_path / "data" / "northdale" / year / "indicators.csv")
    assert len(indicators) == len(_read("northdale", year, "indicators"))


def test_a_national_batch_is_that_many_partnerships_of_their_own(tmp_path):
    demo_generator().main(["--root", str(tmp_path), "--partnerships", "2"])
    assert sorted(p.name for p in (tmp_path / "params").iterdir()) == [
        "northdale001.yaml",
        "northdale002.yaml",
    ]
    first, second = (
        load_params(p, "2022-23", tmp_path / "params") for p in ("northdale001", "northdale002")
    )
    assert first.name == "Northdale 001 Safeguarding Partnership (fictional)"
    assert second.short_name == "Northdale 002"
    assert validate_year("northdale002", "2022-23", tmp_path / "data") == []
    texts = [
        (tmp_path / "data" / p / "2022-23" / "findings.csv").read_text()
        for p in ("northdale001", "northdale002")
    ]
    assert texts[0] != texts[1]


@pytest.mark.parametrize("option", [["--scale", "2"], ["--partnerships", "2"]])
def test_synthetic_projects_are_never_written_into_the_repository(option, capsys):
    with pytest.raises(SystemExit) as stopped:
        demo_generator().main(["--root", str(ROOT), *option])
    assert stopped.value.code == 2
    assert "--root" in capsys.readouterr().err


# ---- the fictional partnership's substance ------------------------------------------------------


def _northdale(table: str) -> pd.DataFrame:
    return pd.concat(
        [_read("northdale", y, table).assign(year=y) for y in NORTHDALE_YEARS], ignore_index=True
    )


def test_northdale_has_four_consecutive_years():
    folders = sorted(p.name for p in (DATA / "northdale").iterdir() if p.is_dir())
    assert folders == NORTHDALE_YEARS
    starts = [ReportYear.parse(y).start.year for y in folders]
    assert starts == list(range(starts[0], starts[0] + 4))


def test_northdale_meets_the_minimums():
    reviews, audits = _northdale("reviews"), _northdale("audits")
    findings, actions = _northdale("findings"), _northdale("actions")
    assert reviews["review_id"].nunique() >= 8
    assert {"rapid_review", "cspr", "sar", "dhr"} <= set(reviews["review_type"])
    graded = audits[audits["graded_good"] != ""]
    assert audits["audit_id"].nunique() >= 12 and len(graded) >= 12
    assert len(findings) >= 300 and findings["finding_id"].is_unique
    v3 = demo_generator().facts("northdale", "contract_v3")
    told = {f["finding_id"] for y in v3.values() for f in y.get("add", {}).get("findings", [])}
    for year in NORTHDALE_YEARS:
        in_year = findings[findings["year"] == year]
        answered = {
            i
            for cell in actions.loc[actions["year"] == year, "finding_id"]
            for i in cell.split(";")
        }
        # Every generated finding has an action; only findings the report states as they are
        # (an inspection's strength, later evidence, a recommendation not accepted) may have none.
        unanswered = set(in_year["finding_id"]) - answered
        assert unanswered <= told, f"{year}: a finding has no action: {sorted(unanswered - told)}"
    assert {"completed", "in_progress", "not_started"} <= set(actions["status"])
    assert (findings["themes"] != "").any() and (findings["themes"] == "").any()


def test_northdale_has_overdue_actions_and_small_counts():
    overdue = 0
    for year in NORTHDALE_YEARS:
        actions = load_valid_tables("northdale", year, DATA)["actions"]
        year_end = pd.Timestamp(ReportYear.parse(year).end)
        open_ = actions["status"].isin(["not_started", "in_progress"])
        overdue += int((open_ & (actions["due_date_end"] < year_end)).sum())
    assert overdue > 0
    indicators = _northdale("indicators")
    counts = pd.to_numeric(indicators.loc[indicators["unit"] == "count", "value"])
    assert counts.between(1, 5).any(), "no small counts: suppression would never show"
    ids = set(indicators["indicator"])
    for year in NORTHDALE_YEARS:
        assert set(indicators.loc[indicators["year"] == year, "indicator"]) == ids


def test_northdale_uses_pseudonyms_only():
    reviews = _northdale("reviews")
    assert reviews["subject_pseudonym"].str.fullmatch(r"(Child|Adult) [A-Z]").all()


# ---- Darlington: the report's figures -----------------------------------------------------------


def test_darlington_key_figures_are_the_reports():
    indicators = _read("darlington", "2019-20", "indicators")
    local = indicators[indicators["area"] == "local"].set_index(["indicator", "breakdown"])
    value = local["value"].astype(float)
    assert value[("cpp_count", "")] == 85
    assert value[("cpp_rate", "")] == 37.8
    assert value[("cla_count", "")] == 270
    assert value[("cla_rate", "")] == 120.1
    placements = indicators[indicators["indicator"] == "cla_placements"]["value"].astype(int)
    assert placements.sum() == 270
    comparators = indicators[
        (indicators["indicator"] == "cpp_rate") & (indicators["area"] != "local")
    ]
    assert dict(zip(comparators["area"], comparators["value"].astype(float), strict=True)) == {
        "region": 63.1,
        "statistical_neighbours": 50.4,
        "england": 43.7,
    }


def test_darlington_budget_keeps_the_listed_contributions():
    budget = _read("darlington", "2019-20", "budget")
    # The report lists twelve lines summing to 233,688 but states a total of 233,666.
    assert len(budget) == 12
    assert budget["amount_gbp"].astype(int).sum() == 233_688


# ---- contract v3 in the demos -------------------------------------------------------------------


def _typed(partnership: str, year: str) -> dict[str, pd.DataFrame]:
    params = load_params(partnership, year, ROOT / "params")
    return load_valid_tables(partnership, year, DATA, params)


@cache
def _every_demo_year() -> list[dict[str, pd.DataFrame]]:
    return [_typed(p, y) for p, y in DEMO_YEARS]


def test_every_table_and_column_v3_adds_is_used_by_a_demo():
    """So that `make demo` renders every v3 path: each table v3 added has rows in some demo
    year, and each column it added to an older table is given somewhere."""
    from workbook.inputs.contract import contract_version, load_contract

    version = contract_version()
    unused = []
    for spec in load_contract().values():
        frames = [t[spec.name] for t in _every_demo_year() if not t[spec.name].empty]
        if spec.since == version and not frames:
            unused.append(spec.name)
        for column in spec.columns.values():
            added = column.since == version and spec.since < version
            if added and not any(f[column.name].notna().any() for f in frames):
                unused.append(f"{spec.name}.{column.name}")
    # Westmarch, the demo of two councils, has no audits (a small partnership's year); an
    # audit's council is validated like every council column
    # (tests/unit/inputs/test_contract_v3.py).
    assert unused == ["audits.council"]


def test_northdale_holds_each_link_of_the_chain_from_learning_to_impact():
    """Issue 28's links, each made by the data: an action completed before a later audit's
    finding on the same theme (a strength: change seen; an area for development: it recurs)."""

    def chain(action_year, action_id, later_year, finding_id):
        action = _typed("northdale", action_year)["actions"].set_index("action_id").loc[action_id]
        answered = _typed("northdale", action_year)["findings"].set_index("finding_id")
        later = _typed("northdale", later_year)
        finding = later["findings"].set_index("finding_id").loc[finding_id]
        audit = later["audits"].set_index("audit_id").loc[finding["source_id"].split(";")[0]]
        theme = set(answered.loc[action["finding_id"], "themes"].split(";"))
        assert action["status"] == "completed"
        assert audit["audit_date"] > action["completed_date"]  # evidence dated after completion
        assert theme & set(finding["themes"].split(";"))
        return finding["kind"]

    assert chain("2020-21", "ND-X-2021-GCP", "2021-22", "ND-A-2122-03-F90") == "strength"
    assert (
        chain("2020-21", "ND-X-2021-VOICE", "2022-23", "ND-A-2223-03-F90") == "area_for_development"
    )
    sar = _typed("northdale", "2020-21")["findings"].set_index("finding_id")
    refused = sar[sar["response"] == "not_accepted"]
    assert list(refused.index) == ["ND-SAR-2021-01-F91"]
    assert refused["response_reason"].notna().all() and refused["kind"].eq("recommendation").all()
    last = _typed("northdale", "2022-23")
    assert set(last["effectiveness"]["judged_by"]) == {
        "safeguarding_partners",
        "independent_scrutineer",
    }
    courses = pd.concat([_typed("northdale", y)["training"] for y in NORTHDALE_YEARS])
    assert courses["reaction_pct"].notna().any() and courses["results"].notna().any()
    priorities = last["priorities"].set_index("priority_id")
    assert priorities.loc["ND-P-EXPLOIT", "indicators"] == "missing_children;rhi_within_72h_pct"


def test_northdale_holds_what_issue_26_asks_of_it():
    years = {y: _typed("northdale", y) for y in NORTHDALE_YEARS}
    inspections = pd.concat([t["inspections"] for t in years.values()])
    assert set(inspections["kind"]) == {"ofsted_ilacs", "ofsted_focused_visit"}
    assert len(years["2021-22"]["inspection_judgements"]) == 4
    reviews = pd.concat([t["reviews"] for t in years.values()])
    assert reviews["joint_with"].notna().any()
    counts = years["2022-23"]["review_counts"].set_index(["review_type", "stage"])["count"]
    assert counts[("dhr", "referred")] == 0  # a stated zero
    findings = pd.concat([t["findings"] for t in years.values()])
    shared = findings[findings["source_id"].str.contains(";")]
    assert {"review", "audit"} <= set(shared["source_type"])
    assert all(len(t["next_priorities"]) for y, t in years.items() if y >= "2021-22")
    feedback = pd.concat([t["feedback"] for t in years.values()])
    assert feedback["led_to"].notna().sum() >= 3 and feedback["said"].isna().any()


def test_westmarch_is_small_and_shows_what_northdale_does_not():
    params = load_params("westmarch", "2023-24", ROOT / "params")
    assert len(params.councils) == 2 and params.covers_community_safety
    assert not params.report_year.is_april_to_march
    tables = _typed("westmarch", "2023-24")
    assert len(tables["reviews"]) <= 6 and len(tables["inspections"]) == 1
    assert tables["audits"].empty
    assert tables["actions"]["due_date"].isna().any()
    assert set(tables["training"]["kind"]) == {"programme"}
    assert tables["training"]["attendances"].isna().all()
    given = set(tables["indicators"]["indicator"])
    assert {"cin_count", "cla_rate"}.isdisjoint(given)  # some catalogue figures not given
    assert tables["indicators"]["council"].notna().any()
    dates = tables["reviews"]["notified_date"], tables["reviews"]["notified_date_end"]
    assert (dates[0] != dates[1]).any()  # a partial date
    learning = set(tables["learning_sources"]["kind"])
    assert learning == set(
        __import__("workbook.inputs.contract", fromlist=["load_contract"])
        .load_contract()["learning_sources"]
        .columns["kind"]
        .values
    )
