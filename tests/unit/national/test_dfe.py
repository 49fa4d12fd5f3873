"""Reading DfE's Explore Education Statistics files as published.

The small hand-made files here run everywhere; the tests marked by the `dfe_dir` fixture read the
real files (WORKBOOK_DFE_DIR) and skip without them.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.errors import WorkbookError
from workbook.national import dfe
from workbook.national import indicators as ind

HEAD = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name"
)
PLACES = {
    "E": "National,E92000001,England,,,,,",
    "NE": "Regional,E92000001,England,E12000001,North East,,,",
    "841": "Local authority,E92000001,England,E12000001,North East,841,E06000005,Darlington",
    "805": "Local authority,E92000001,England,E12000001,North East,805,E06000001,Hartlepool",
    "806": "Local authority,E92000001,England,E12000001,North East,806,E06000002,Middlesbrough",
    "807": "Local authority,E92000001,England,E12000001,North East,807,E06000003,Redcar",
}
D5_COLUMNS = (
    "category,CPP_At31,3_months_or_less,3_months_or_less_percent,"
    "2_years_or_more,2_years_or_more_percent"
)


def ees(header: str, rows: list[tuple[int, str, str]]) -> str:
    """An EES-style CSV: rows of (time_period, place key, the figures as CSV text)."""
    lines = [f"{HEAD},{header}"]
    lines += [f"{tp},Reporting year,{PLACES[place]},{rest}" for tp, place, rest in rows]
    return "\n".join(lines) + "\n"


def tiny_folder(folder: Path) -> Path:
    """Four North East councils, two years: populations, CPP counts and a neighbour model."""
    folder.mkdir(parents=True, exist_ok=True)
    population = [
        (tp, p, str(n))
        for tp in (2018, 2019)
        for p, n in {
            "E": 1_000_000,
            "NE": 100_000,
            "841": 20_000,
            "805": 10_000,
            "806": 30_000,
            "807": 40_000,
        }.items()
    ]
    (folder / "ons_mid-year_population_estimates_test.csv").write_text(
        "\ufeff"
        + ees(
            "age_group,population_estimate",
            [(tp, p, f"Children aged 0 to 17 years,{n}") for tp, p, n in population],
        ),
        encoding="utf-8",
    )
    d5 = {
        2020: {
            "E": "5000,1000,20,100,2",
            "NE": "800,200,25,10,1.3",
            "841": "80,20,25,0,0",
            "805": "30,10,33.3,3,10",
            "806": "c,c,c,c,c",
            "807": "200,50,25,low,low",
        },
        2019: {
            "E": "4800,1000,20.8,100,2.1",
            "NE": "790,200,25.3,10,1.3",
            "841": "90,20,22.2,0,0",
            "805": "20,10,50,3,15",
            "806": "60,10,16.7,0,0",
            "807": "180,50,27.8,0,0",
        },
    }
    (folder / "d5_cpps_at31march_test.csv").write_text(
        ees(
            D5_COLUMNS,
            [
                (tp, p, f"Child Protection Plans by length of time,{v}")
                for tp, rows in d5.items()
                for p, v in rows.items()
            ],
        ),
        encoding="utf-8",
    )
    (folder / "sn_model_2025_wide.csv").write_text(
        "\ufeffold_la_code,la_name,region_ind,region_name,"
        + ",".join(f"SN_{i},SN_{i}P" for i in range(1, 11))
        + "\n"
        + "841,Darlington,1,North East,805,Close,806,Close,807,Close"
        + "," * 14
        + "\n"
        + "805,Hartlepool,1,North East,841,Close,806,Close,807,Close"
        + "," * 14
        + "\n",
        encoding="utf-8",
    )
    return folder


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
    imported = dfe.import_folder(tiny_folder(tmp_path / "dfe"), store)
    dfe.load_store.cache_clear()
    loaded = dfe.load_store(store)
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
