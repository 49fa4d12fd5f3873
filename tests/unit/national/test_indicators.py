"""Indicators for an area: summing councils, neighbour median, rank, trend, RAG, revision notes.

Hand-made files (see test_dfe.tiny_folder) pin the arithmetic; the tests taking `dfe_dir` check
`workbook indicators` against figures computed here from the raw published files.
"""

from __future__ import annotations

import io
import math
from contextlib import redirect_stdout

import pandas as pd
import pytest

from conftest import tiny_folder
from workbook.core.errors import ExitCode, WorkbookError
from workbook.disclosure.formatting import round_half_up
from workbook.national import dfe
from workbook.national import indicators as ind
from workbook.national import store as national_store
from workbook.run.cli import main

CPP_RATE = ind.catalogue()["cpp_rate"]
CPP_COUNT = ind.catalogue()["cpp_count"]


@pytest.fixture
def tiny(tmp_path) -> dfe.NationalData:
    return dfe.read_folder(tiny_folder(tmp_path / "dfe"))


def test_catalogue_has_every_id_the_demo_data_uses():
    ids = set(ind.catalogue())
    assert {
        "early_help_assessments",
        "rhi_within_72h_pct",
        "adult_s42_conversion_pct",
        "care_leavers_neet_pct",
        "cpp_rate",
        "cin_rate",
        "cla_rate",
        "rereferral_pct",
        "cpp_repeat_pct",
        "cpp_2_years_plus_pct",
        "referrals",
    } <= ids
    for indicator in ind.catalogue().values():
        assert indicator.unit in {"count", "percent", "rate_per_10k", "gbp", "days"}
        assert indicator.higher_is_better in {True, False, None}
        assert indicator.name and indicator.definition and indicator.source


def test_rate_is_recomputed_from_count_and_population(tiny):
    figure = ind.area_figure(tiny, CPP_RATE, ind.Area("D", ("841",), "North East"), 2020)
    assert figure.value == pytest.approx(80 / 20_000 * 10_000)
    assert (figure.numerator, figure.denominator) == (80, 20_000)


def test_partnership_sums_counts_and_populations_not_rates(tiny):
    """Darlington 40.0 and Hartlepool 30.0: together 110 / 30,000 = 36.7, not the mean 35.0."""
    figure = ind.area_figure(tiny, CPP_RATE, ind.Area("P", ("841", "805"), "North East"), 2020)
    assert figure.value == pytest.approx(110 / 30_000 * 10_000)
    count = ind.area_figure(tiny, CPP_COUNT, ind.Area("P", ("841", "805"), "North East"), 2020)
    assert count.value == 110


def test_a_suppressed_council_makes_the_sum_missing_and_says_why(tiny):
    figure = ind.area_figure(tiny, CPP_COUNT, ind.Area("P", ("841", "806"), None), 2020)
    assert math.isnan(figure.value)
    assert figure.symbol == "c"


def test_partnership_from_params_sums_its_councils(tiny, tmp_path):
    params = tmp_path / "params"
    params.mkdir()
    (params / "teesdale.yaml").write_text(
        "name: Teesdale Safeguarding Partnership\nshort_name: Teesdale\n"
        "councils: ['841', 'E06000001']\nregion: North East\ncovers_adults: false\n"
        "targets: {cpp_repeat_pct: 20}\n",
        encoding="utf-8",
    )
    area = ind.area_for("teesdale", "2019-20", tiny, params)
    assert area.codes == ("841", "805")  # the new code read as the old one
    assert area.targets == {"cpp_repeat_pct": 20.0}
    row = ind.indicator_row(tiny, CPP_RATE, area, "2019-20")
    assert row["value"] == pytest.approx(36.667, abs=1e-3)


def test_england_and_region_come_from_their_own_rows(tiny):
    assert ind.comparator(tiny, CPP_RATE, 2020, "national") == pytest.approx(50.0)
    assert ind.comparator(tiny, CPP_RATE, 2020, "regional", "North East") == pytest.approx(80.0)


def test_neighbour_median_is_the_median_of_the_neighbours_with_a_figure(tiny):
    """Neighbours 805 (30.0), 806 (suppressed) and 807 (50.0): median 40.0 of two."""
    median, used = ind.neighbour_median(tiny, CPP_RATE, ind.Area("D", ("841",), None), 2020)
    assert (median, used) == (pytest.approx(40.0), 2)
    median, used = ind.neighbour_median(tiny, CPP_RATE, ind.Area("D", ("841",), None), 2019)
    assert (median, used) == (pytest.approx(20.0), 3)  # 20.0, 20.0 and 45.0


def test_rank_and_quartile_among_councils(tiny):
    """Rates 2019-20: 805 30.0, 841 40.0, 807 50.0 (806 suppressed)."""
    assert ind.rank_among_councils(tiny, CPP_RATE, ind.Area("D", ("841",), None), 2020) == (2, 3, 2)
    assert ind.rank_among_councils(tiny, CPP_RATE, ind.Area("H", ("805",), None), 2020) == (1, 3, 1)
    assert ind.rank_among_councils(tiny, CPP_RATE, ind.Area("R", ("807",), None), 2020) == (3, 3, 3)
    # A partnership of 841 and 807 (280 / 60,000 = 46.7) ranks among the other councils.
    assert ind.rank_among_councils(tiny, CPP_RATE, ind.Area("P", ("841", "807"), None), 2020) == (
        2,
        2,
        3,
    )


def test_trend_and_direction_of_travel(tiny):
    area = ind.Area("Darlington", ("841",), "North East")
    series = ind.trend(tiny, CPP_RATE, area, "2019-20")
    assert list(series.index) == ["2018-19", "2019-20"]
    assert series.loc["2018-19", "Darlington"] == pytest.approx(45.0)
    assert ind.indicator_row(tiny, CPP_RATE, area, "2019-20")["direction"] == "down"
    repeat = ind.catalogue()["cpp_repeat_pct"]  # lower is better
    assert ind.direction(12.0, 10.0, repeat) == "up (worse)"
    assert ind.direction(10.0, 12.0, repeat) == "down (better)"
    assert ind.direction(10.04, 10.0, repeat) == "no change"
    assert ind.direction(10.0, float("nan"), repeat) == ""


@pytest.mark.parametrize(
    ("value", "target", "higher", "expected"),
    [
        (25, 30, False, "green"),
        (30, 30, False, "green"),
        (32, 30, False, "amber"),
        (34, 30, False, "red"),
        (90, 85, True, "green"),
        (80, 85, True, "amber"),
        (70, 85, True, "red"),
        (50, 30, None, ""),
        (50, None, False, ""),
    ],
)
def test_rag_against_target(value, target, higher, expected):
    assert ind.rag(value, target, higher) == expected


def test_rag_uses_the_params_target(tiny):
    area = ind.Area("D", ("841",), None, {"cpp_2_years_plus_pct": 5})
    row = ind.indicator_row(tiny, ind.catalogue()["cpp_2_years_plus_pct"], area, "2019-20")
    assert (row["value"], row["target"], row["rag"]) == (0.0, 5, "green")


def test_reorganised_councils_are_followed_back_in_time():
    assert ind._codes_in(("940", "941"), 2021) == ("928",)
    assert ind._codes_in(("940", "941"), 2022) == ("940", "941")
    assert ind._codes_in(("928",), 2023) == ("940", "941")
    assert ind._codes_in(("940",), 2021) == ("940",)  # half an area is never swapped


def test_round_half_up_as_dfe_rounds():
    assert round_half_up(28.749999999999996, 1) == 28.8
    assert round_half_up(0.25, 1) == 0.3
    assert round_half_up(116.5, 0) == 117


def test_revision_note_where_the_local_report_differs(tiny):
    area = ind.Area("Darlington", ("841",), "North East")
    table = ind.indicator_table(tiny, area, "2019-20")
    local = pd.DataFrame(
        {
            "indicator": ["cpp_rate", "cpp_count", "cpp_rate"],
            "breakdown": [pd.NA] * 3,
            "area": ["local", "local", "england"],
            "period_end": pd.to_datetime(["2020-03-31"] * 3),
            "value": [37.8, 80, 50.0],
        }
    )
    notes = ind.revision_notes(local, table, area, "2019-20", threshold=5)
    assert len(notes) == 1
    # Each figure as it was given: DfE's 80 of 20,000 children is exactly 40 per 10,000.
    assert notes[0].endswith("(Darlington): the report gave 37.8, DfE now gives 40")


def test_unknown_year_and_code_are_user_errors(tiny):
    with pytest.raises(WorkbookError, match="no DfE figures for 2030-31"):
        ind.indicator_table(tiny, ind.Area("D", ("841",), None), "2030-31")
    with pytest.raises(WorkbookError, match="'999' is not in the DfE figures"):
        ind.area_for("999", "2019-20", tiny)


def _cli_csv(*argv) -> pd.DataFrame:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["indicators", *argv, "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(out.getvalue())).set_index("indicator")


def test_cli_on_the_tiny_folder(tmp_path):
    folder = tiny_folder(tmp_path / "dfe")
    table = _cli_csv("841", "2019-20", "--dfe-dir", str(folder))
    assert table.loc["cpp_rate", "value"] == pytest.approx(40.0)
    assert table.loc["cpp_rate", "statistical_neighbours"] == pytest.approx(40.0)


def test_cli_reports_a_bad_folder_without_a_traceback(tmp_path, capsys):
    code = main(["indicators", "841", "2019-20", "--dfe-dir", str(tmp_path / "none")])
    assert code == ExitCode.NATIONAL
    assert "no such folder" in capsys.readouterr().err


# ---- against the real files -------------------------------------------------------------------


def _raw(dfe_dir, pattern) -> pd.DataFrame:
    (path,) = dfe_dir.glob(pattern)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _independent(dfe_dir, code: str, time_period: int) -> dict[str, float]:
    """CPP, re-referral and looked-after figures for one council, straight from the raw files."""
    population = _raw(dfe_dir, "ons_*.csv")
    population = population[population["time_period"] == str(time_period - 1)]
    pop = population[population["geographic_level"] == "Local authority"].set_index("old_la_code")[
        "population_estimate"
    ]
    d5 = _raw(dfe_dir, "d5_*.csv")
    d5 = d5[
        (d5["time_period"] == str(time_period)) & (d5["geographic_level"] == "Local authority")
    ].set_index("old_la_code")
    rates = (
        pd.to_numeric(d5["CPP_At31"], errors="coerce")
        / pd.to_numeric(pop.reindex(d5.index), errors="coerce")
        * 10_000
    )
    sn_2021 = _raw(dfe_dir, "New_Statistical_Neighbour_Groupings_April_2021.csv")
    sn_2025 = _raw(dfe_dir, "sn_model_2025_wide.csv")
    if time_period >= 2025:
        row = sn_2025[sn_2025["old_la_code"] == code].iloc[0]
        neighbours = [row[f"SN_{i}"] for i in range(1, 11)]
    else:
        row = sn_2021[sn_2021["LA number"] == code].iloc[0]
        neighbours = [row[f"SN{i}"] for i in range(1, 11)]
    national = _raw(dfe_dir, "d5_*.csv")
    national = national[
        (national["time_period"] == str(time_period)) & (national["geographic_level"] == "National")
    ].iloc[0]
    england_pop = population[population["geographic_level"] == "National"].iloc[0]
    c1 = _raw(dfe_dir, "c1_*.csv")
    c1 = c1[(c1["time_period"] == str(time_period)) & (c1["old_la_code"] == code)].iloc[0]
    cla = _raw(dfe_dir, "cla_number*.csv")
    cla = cla[
        (cla["time_period"] == str(time_period))
        & (cla["old_la_code"] == code)
        & (cla["population_type"] == "Children looked after on 31 March each year")
    ]
    figures = {
        "cpp_count": float(d5.loc[code, "CPP_At31"]),
        "cpp_rate": rates[code],
        "cpp_rate_england": float(national["CPP_At31"])
        / float(england_pop["population_estimate"])
        * 10_000,
        "cpp_rate_sn": rates.reindex(neighbours).dropna().median(),
        "cpp_rate_rank": int((rates.drop(code).dropna() < rates[code]).sum()) + 1,
        "rereferral_pct": float(c1["rereferral_count"]) / float(c1["referral_count"]) * 100,
    }
    if len(cla):
        figures["cla_rate"] = float(cla.iloc[0]["children_count"]) / float(pop[code]) * 10_000
    return figures


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "year"),
    [
        ("841", "2019-20"),
        ("E06000005", "2023-24"),
        ("202", "2021-22"),
        ("940", "2024-25"),
        ("919", "2015-16"),
    ],
)
def test_cli_matches_an_independent_computation_from_the_raw_files(dfe_dir, code, year):
    table = _cli_csv(code, year, "--dfe-dir", str(dfe_dir))
    old = {"E06000005": "841"}.get(code, code)
    expected = _independent(dfe_dir, old, int(year[:4]) + 1)
    assert table.loc["cpp_count", "value"] == expected["cpp_count"]
    assert table.loc["cpp_rate", "value"] == pytest.approx(expected["cpp_rate"])
    assert table.loc["cpp_rate", "england"] == pytest.approx(expected["cpp_rate_england"])
    assert table.loc["cpp_rate", "statistical_neighbours"] == pytest.approx(expected["cpp_rate_sn"])
    assert table.loc["cpp_rate", "rank"] == expected["cpp_rate_rank"]
    assert table.loc["rereferral_pct", "value"] == pytest.approx(expected["rereferral_pct"])
    if "cla_rate" in expected:
        assert table.loc["cla_rate", "value"] == pytest.approx(expected["cla_rate"])


def test_darlington_2019_20_is_38_2_per_10000_now(dfe_dir):
    """The report said 37.8; DfE's figures now give 85 / 22,237 children = 38.2."""
    table = _cli_csv("darlington", "2019-20", "--dfe-dir", str(dfe_dir))
    assert table.loc["cpp_count", "value"] == 85
    assert round_half_up(table.loc["cpp_rate", "value"], 1) == 38.2
    assert round_half_up(table.loc["cpp_rate", "england"], 1) == 43.7


def test_cli_import_fills_the_store_that_later_commands_read(
    tmp_path, tiny_project, monkeypatch, capsys
):
    monkeypatch.setenv("WORKBOOK_ROOT", str(tiny_project))
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    national_store.load_store.cache_clear()
    try:
        assert main(["indicators", "import", str(tiny_folder(tmp_path / "dfe"))]) == 0
        assert "(2018-19 to 2019-20)" in capsys.readouterr().out
        assert (tiny_project / "data" / "national" / "figures.csv").exists()
        table = _cli_csv("testshire", "2019-20")  # no --dfe-dir: the imported store
        assert table.loc["cpp_rate", "value"] == pytest.approx(40.0)
    finally:
        national_store.load_store.cache_clear()


def test_cli_without_any_dfe_figures_says_how_to_get_them(tiny_project, monkeypatch, capsys):
    monkeypatch.setenv("WORKBOOK_ROOT", str(tiny_project))
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    national_store.load_store.cache_clear()
    assert main(["indicators", "841", "2019-20"]) == 1
    assert "workbook indicators import" in capsys.readouterr().err
