"""Reading DfE's Explore Education Statistics files as published.

The small hand-made files here run everywhere; the tests marked by the `dfe_dir` fixture read the
real files (WORKBOOK_DFE_DIR) and skip without them.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from conftest import tiny_folder
from workbook.core.errors import WorkbookError
from workbook.national import dfe
from workbook.national import indicators as ind
from workbook.national import store as national_store


@pytest.fixture
def tiny(tmp_path) -> dfe.NationalData:
    return dfe.read_folder(tiny_folder(tmp_path / "dfe"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c", "c"),
        ("x", "x"),
        ("z", "z"),
        ("u", "u"),
        ("low", "low"),
        ("k", "k"),
        ("LOW", "low"),
    ],
)
def test_symbols_become_missing_with_the_symbol_kept(text, expected):
    value, symbol = dfe.parse_cell(text, "f.csv", 2, "col")
    assert math.isnan(value)
    assert symbol == expected


def test_numbers_read_with_thousands_separators_and_blanks_are_missing():
    assert dfe.parse_cell("1,234", "f.csv", 2, "col") == (1234.0, "")
    assert dfe.parse_cell("37.8", "f.csv", 2, "col") == (37.8, "")
    value, symbol = dfe.parse_cell("", "f.csv", 2, "col")
    assert math.isnan(value) and symbol == ""


def test_an_unknown_cell_is_an_error_naming_file_row_and_column():
    with pytest.raises(WorkbookError, match=r"b1\.csv, row 7, column 'At31_episodes'.*'n/a'"):
        dfe.parse_cell("n/a", "b1.csv", 7, "At31_episodes")


def test_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "with_bom.csv"
    path.write_bytes("\ufefftime_period,value\n2020,5\n".encode())
    assert list(dfe.read_ees_csv(path).columns) == ["time_period", "value"]


def test_time_period_2020_is_report_year_2019_20(tiny):
    rows = tiny.series("cpp_count")
    assert set(rows.loc[rows["time_period"] == 2020, "year"]) == {"2019-20"}


def test_ons_mid_2019_is_the_population_for_2019_20(tiny):
    """DfE divides the year ending March 2020 by the mid-2019 estimate."""
    population = tiny.series("population_0_17", "population")
    assert set(population["time_period"]) == {2019, 2020}
    assert set(population.loc[population["time_period"] == 2020, "year"]) == {"2019-20"}


def test_levels_codes_and_symbols_in_the_tidy_store(tiny):
    rows = tiny.series("cpp_count")
    rows = rows[rows["time_period"] == 2020].set_index("code")
    assert rows.loc["E92000001", "level"] == "national"
    assert rows.loc["E12000001", "level"] == "regional"
    assert rows.loc["841", "new_code"] == "E06000005"
    assert math.isnan(rows.loc["806", "value"]) and rows.loc["806", "symbol"] == "c"
    published = tiny.series("cpp_2_years_plus_pct", "published")
    low = published[(published["code"] == "807") & (published["time_period"] == 2020)]
    assert low["symbol"].item() == "low"


def test_neighbour_model_read_without_blank_columns(tiny):
    neighbours = tiny.neighbours[tiny.neighbours["code"] == "841"]
    assert list(neighbours.sort_values("rank")["neighbour"]) == ["805", "806", "807"]


def test_bad_cell_in_a_file_names_the_file_row_and_column(tmp_path):
    folder = tiny_folder(tmp_path / "dfe")
    path = folder / "d5_cpps_at31march_test.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",80,", ",eighty,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        WorkbookError,
        match=r"d5_cpps_at31march_test\.csv, row 4, "
        r"column 'CPP_At31'",
    ):
        dfe.read_folder(folder)


def test_a_council_row_without_its_code_names_the_file_and_row(tmp_path):
    folder = tiny_folder(tmp_path / "dfe")
    path = folder / "d5_cpps_at31march_test.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    council = next(i for i, line in enumerate(lines) if ",805,E06000001," in line)
    lines[council] = lines[council].replace(",805,E06000001,", ",,E06000001,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        WorkbookError,
        match=rf"d5_cpps_at31march_test\.csv, row {council + 1}, column 'old_la_code'",
    ):
        dfe.read_folder(folder)


def test_a_file_without_country_columns_is_england_by_default(tmp_path):
    folder = tiny_folder(tmp_path / "dfe")
    path = folder / "d5_cpps_at31march_test.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=["country_code", "country_name"]).to_csv(path, index=False)
    rows = dfe.read_folder(folder).series("cpp_count")
    england = rows[rows["level"] == "national"]
    assert set(england["code"]) == {"E92000001"} and set(england["name"]) == {"England"}
    councils = rows[rows["level"] == "la"]
    assert set(councils["region"]) == {"North East"}
    assert dict(zip(councils["code"], councils["new_code"], strict=False))["841"] == "E06000005"


def test_a_missing_column_names_the_file_and_the_indicator(tmp_path):
    folder = tiny_folder(tmp_path / "dfe")
    path = folder / "d5_cpps_at31march_test.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("CPP_At31", "CPP_at_31"), encoding="utf-8"
    )
    with pytest.raises(
        WorkbookError,
        match=r"d5_cpps_at31march_test\.csv: no column "
        r"'CPP_At31' \(read for 'cpp_count'",
    ):
        dfe.read_folder(folder)


def test_a_folder_with_no_known_files_is_an_error(tmp_path):
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="none of its files is a DfE file"):
        dfe.read_folder(tmp_path)


def test_import_writes_the_store_and_it_reads_back_the_same(tmp_path):
    store = tmp_path / "store"
    imported = national_store.import_folder(tiny_folder(tmp_path / "dfe"), store)
    national_store.load_store.cache_clear()
    loaded = national_store.load_store(store)
    assert len(loaded.figures) == len(imported.figures)
    pd.testing.assert_series_equal(loaded.figures["value"], imported.figures["value"])
    assert list(loaded.figures["code"].head(3)) == list(imported.figures["code"].head(3))


def _half_up(value: float, decimals: int) -> float:
    """DfE's rounding (half up), after dropping float noise such as 28.749999999999996."""
    exact = Decimal(str(round(float(value), 9)))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


@pytest.mark.slow
def test_recomputed_rates_equal_published_rates_for_every_council_and_year(dfe_dir):
    """The whole shared folder: every council-year where DfE publishes a rate or percentage.

    Published figures are read here straight from the CSV files with pandas, not through the
    workbook's reader; the recomputation under test is workbook.national.indicators.la_values.
    """
    data = dfe.read_folder(dfe_dir)
    checked, blank = 0, 0
    for indicator in ind.national_indicators():
        spec = indicator.dfe
        if "published" not in spec:
            continue
        base = ind.catalogue()[spec.get("numerator") or spec.get("rate_of")].dfe
        (path,) = dfe_dir.glob(spec.get("file") or base["file"])
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        raw = raw[raw["geographic_level"] == "Local authority"]
        for column, value in (spec.get("filter") or base.get("filter") or {}).items():
            raw = raw[raw[column] == value]
        for time_period, rows in raw.groupby("time_period"):
            mine = ind.la_values(data, indicator, int(time_period))
            for code, published in zip(rows["old_la_code"], rows[spec["published"]], strict=True):
                try:
                    published = float(published)
                except ValueError:
                    continue  # a symbol: DfE publishes no figure to compare with
                recomputed = mine["value"].get(code)
                if recomputed is None or pd.isna(recomputed):
                    # DfE writes 0 for a percentage of nothing (or of a suppressed count); the
                    # workbook leaves it blank rather than invent a figure.
                    denominator = mine["denominator"].get(code)
                    assert published == 0 and (pd.isna(denominator) or denominator == 0), (
                        indicator.id,
                        time_period,
                        code,
                    )
                    blank += 1
                    continue
                assert _half_up(recomputed, spec["published_decimals"]) == published, (
                    indicator.id,
                    time_period,
                    code,
                    recomputed,
                    published,
                )
                checked += 1
    print(
        f"checked {checked} council-year figures ({blank} published as 0 over a zero or "
        "suppressed denominator)"
    )
    assert checked > 10_000


@pytest.mark.slow
def test_every_council_year_has_a_population(dfe_dir):
    """Every council with a count in a year has the population that year's rate needs,
    except the councils ONS no longer publishes (areas since reorganised)."""
    data = dfe.read_folder(dfe_dir)
    counts = data.series("cpp_count")
    counts = counts[counts["level"] == "la"]
    population = data.series("population_0_17", "population").set_index(["time_period", "code"])
    missing = [
        (t, c)
        for t, c in zip(counts["time_period"], counts["code"], strict=True)
        if (t, c) in population.index and pd.isna(population.loc[(t, c), "value"])
    ]
    assert {c for _, c in missing} <= {"835", "836", "837"}
