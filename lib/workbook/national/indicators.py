"""National indicators for a partnership or a council, computed as boards and inspectors read them.

For one area (the councils a partnership covers, added together, or one council) and one year:
the count, the rate per 10,000 children aged 0-17 recomputed from counts and the ONS population
(never an average of the councils' published rates, which would weight a small council like a
large one), England, the region, the statistical neighbour median (DfE's method: the median of
the ten neighbours' rates), the rank and quartile among all councils, a five-year trend with the
direction of travel, and a RAG status against the partnership's own targets.

Everything is read from the tidy DfE figures of workbook.national.dfe; what each indicator is
built from is in specs/indicators.yaml (read by workbook.national.catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from workbook.core.errors import ParamsError, WorkbookError
from workbook.core.years import ReportYear
from workbook.disclosure.formatting import format_given, round_half_up
from workbook.inputs.params import list_partnerships, load_params
from workbook.national.catalogue import Indicator, catalogue, national_indicators
from workbook.national.councils import LA_CODE, OLD_CODE, find_council
from workbook.national.dfe import POPULATION, NationalData, load_spec

AMBER_MARGIN = 0.10
"""A figure within 10% of its target (on the wrong side) is amber rather than red."""
TREND_YEARS = 5
SCALES = {"rate_per_10k": 10_000, "percent": 100}


@dataclass(frozen=True)
class Area:
    """What the figures are for: a label, the councils (old three-digit codes), their region."""

    label: str
    codes: tuple[str, ...]
    region: str | None
    targets: dict[str, float] = field(default_factory=dict)


def old_code(code: str, data: NationalData) -> str:
    """A council's three-digit code from either its old or its new (E06...) code."""
    if OLD_CODE.match(code):
        return code
    figures = data.figures
    match = figures.loc[(figures["level"] == "la") & (figures["new_code"] == code), "code"]
    if match.empty:
        raise WorkbookError(f"LA code {code!r} is not in the DfE figures ({data.origin})")
    return str(match.iloc[0])


def area_for(target: str, year: str, data: NationalData, params_dir=None) -> Area:
    """A partnership id (params/<id>.yaml), or a single council by LA code or name ("Dudley",
    "County Durham"), as an Area; a partnership id wins over a council of the same name."""
    if not LA_CODE.match(target.upper()) and target not in list_partnerships(params_dir):
        try:
            target = find_council(target).old_code
        except ParamsError as exc:
            known = ", ".join(list_partnerships(params_dir)) or "none"
            raise ParamsError(
                f"{exc} (nor is it a partnership of the parameters folder: {known})"
            ) from None
    if LA_CODE.match(target.upper()):
        code = old_code(target.upper(), data)
        rows = data.figures[(data.figures["level"] == "la") & (data.figures["code"] == code)]
        if rows.empty:
            raise WorkbookError(f"LA code {target!r} is not in the DfE figures ({data.origin})")
        latest = rows.sort_values("time_period").iloc[-1]
        return Area(str(latest["name"]), (code,), str(latest["region"]) or None)
    params = load_params(target, year, params_dir)
    codes = tuple(old_code(c, data) for c in params.councils)
    return Area(params.short_name, codes, params.region, dict(params.targets))


def _codes_in(codes: tuple[str, ...], time_period: int) -> tuple[str, ...]:
    """The councils that covered the same ground in another year, across reorganisations.

    A partnership of Bournemouth, Christchurch and Poole and Dorset is, before 2019-20, the old
    Bournemouth, Poole and Dorset: only whole groups are swapped, so the area never changes.
    """
    current = set(codes)
    for change in load_spec().get("reorganisations", []):
        old, new = set(change["from"]), set(change["to"])
        if time_period < change["first_time_period"] and new <= current:
            current = (current - new) | old
        elif time_period >= change["first_time_period"] and old <= current:
            current = (current - old) | new
    return tuple(sorted(current))


def _level(data: NationalData, indicator: str, level: str) -> pd.DataFrame:
    """One indicator's value, symbol and name at one level, every year, by (year, area code)."""
    rows = data.series(indicator, "population" if indicator == POPULATION else "count")
    return rows[rows["level"] == level].set_index(["time_period", "code"])[
        ["value", "symbol", "name"]
    ]


def la_values(data: NationalData, indicator: Indicator, time_period: int) -> pd.DataFrame:
    """Every council's figure for a year: value, numerator, denominator, symbol, by LA code."""
    return _values(data, indicator.id, time_period, "la")


@lru_cache(maxsize=4096)
def _values(data: NationalData, indicator_id: str, time_period: int, level: str) -> pd.DataFrame:
    """Cached: a table and its trend chart ask for the same council figures many times."""
    every_year = _values_every_year(data, indicator_id, level)
    if time_period not in every_year.index.get_level_values("time_period"):
        return every_year.iloc[0:0].droplevel("time_period")
    return every_year.xs(time_period, level="time_period")


@lru_cache(maxsize=512)
def _values_every_year(data: NationalData, indicator_id: str, level: str) -> pd.DataFrame:
    """An indicator's figures at one level for every year at once, by (year, area code): a
    table of 30 indicators over five years asks for some 450 year-and-level slices, and
    building each from the tidy figures took seconds of every run."""
    indicator = catalogue()[indicator_id]
    numerator, denominator = indicator.parts
    top = _level(data, numerator, level)
    out = pd.DataFrame({"numerator": top["value"], "symbol": top["symbol"], "name": top["name"]})
    if denominator is None:
        out["denominator"] = float("nan")
        out["value"] = out["numerator"]
        return out
    bottom = _level(data, denominator, level)
    out["denominator"] = bottom["value"].reindex(out.index)
    out["symbol"] = out["symbol"].where(
        out["symbol"] != "", bottom["symbol"].reindex(out.index).fillna("")
    )
    scale = SCALES[indicator.unit]
    out["value"] = (out["numerator"] / out["denominator"].where(out["denominator"] > 0)) * scale
    return out


@dataclass(frozen=True)
class Figure:
    """One area's figure for one year, with what it was computed from."""

    value: float
    numerator: float
    denominator: float
    symbol: str = ""


def _combine(frame: pd.DataFrame, codes, indicator: Indicator) -> Figure:
    """Add councils' numerators and denominators, then divide (missing if any council is)."""
    rows = frame.reindex(list(codes))
    symbols = [s for s in rows["symbol"].fillna("") if s]
    if rows["numerator"].isna().any():
        return Figure(float("nan"), float("nan"), float("nan"), symbols[0] if symbols else "")
    numerator = float(rows["numerator"].sum())
    if indicator.parts[1] is None:
        return Figure(numerator, numerator, float("nan"))
    if rows["denominator"].isna().any() or rows["denominator"].sum() <= 0:
        return Figure(float("nan"), numerator, float("nan"), symbols[0] if symbols else "")
    denominator = float(rows["denominator"].sum())
    return Figure(numerator / denominator * SCALES[indicator.unit], numerator, denominator)


def area_figure(data: NationalData, indicator: Indicator, area: Area, time_period: int) -> Figure:
    return _combine(
        la_values(data, indicator, time_period), _codes_in(area.codes, time_period), indicator
    )


def comparator(
    data: NationalData, indicator: Indicator, time_period: int, level: str, name: str | None = None
) -> float:
    """England's or a region's figure, recomputed from DfE's (rounded) counts."""
    frame = _values(data, indicator.id, time_period, level)
    if level == "regional":
        frame = frame[frame["name"] == name]
    return float(frame["value"].iloc[0]) if len(frame) else float("nan")


@lru_cache(maxsize=1024)
def neighbours(data: NationalData, codes: tuple[str, ...], time_period: int) -> tuple[str, ...]:
    """The statistical neighbours in force for a year: the latest model published by then.

    Years before the first model use the earliest one.  A partnership of several councils takes
    the neighbours of all of them, leaving out its own councils. Cached: every indicator of
    every year asks for the same neighbours.
    """
    models = sorted(data.neighbours["model"].unique())
    if not models:
        return ()
    usable = [m for m in models if m <= time_period]
    model = usable[-1] if usable else models[0]
    table = data.neighbours[data.neighbours["model"] == model].sort_values("rank")
    found = table[table["code"].isin(codes)]["neighbour"]
    return tuple(dict.fromkeys(n for n in found if n not in codes))


def neighbour_median(
    data: NationalData, indicator: Indicator, area: Area, time_period: int
) -> tuple[float, int]:
    """Median of the neighbours' figures (DfE's method), and how many neighbours had one."""
    values = la_values(data, indicator, time_period)["value"]
    codes = _codes_in(area.codes, time_period)
    present = values.reindex(neighbours(data, codes, time_period)).dropna()
    return (float(present.median()) if len(present) else float("nan")), len(present)


def rank_among_councils(
    data: NationalData, indicator: Indicator, area: Area, time_period: int
) -> tuple[int | None, int, int | None]:
    """(rank, of, quartile): rank 1 is the lowest figure; quartile 1 the lowest quarter."""
    codes = _codes_in(area.codes, time_period)
    values = la_values(data, indicator, time_period)["value"]
    figure = _combine(la_values(data, indicator, time_period), codes, indicator).value
    others = values.drop(index=[c for c in codes if c in values.index]).dropna()
    if pd.isna(figure):
        return None, len(others), None
    rank = int((others < figure).sum()) + 1
    of = len(others) + 1
    return rank, of, min(4, 4 * (rank - 1) // of + 1)


def direction(latest: float, previous: float, indicator: Indicator) -> str:
    """Direction of travel from the previous year, and whether that is better or worse."""
    if pd.isna(latest) or pd.isna(previous):
        return ""
    change = round_half_up(latest, indicator.decimals) - round_half_up(previous, indicator.decimals)
    if abs(change) < 10 ** -(indicator.decimals + 1):
        return "no change"
    word = "up" if change > 0 else "down"
    if indicator.higher_is_better is None:
        return word
    better = (change > 0) == indicator.higher_is_better
    return f"{word} (better)" if better else f"{word} (worse)"


def rag(value: float, target: float | None, higher_is_better: bool | None) -> str:
    """Green on or past the target, amber within 10% short of it, red beyond; blank if no target.

    An indicator where a higher figure is neither better nor worse gets no RAG status, even with
    a target, since there is no side of the target to be on.
    """
    if target is None or pd.isna(target) or pd.isna(value) or higher_is_better is None:
        return ""
    shortfall = (target - value) if higher_is_better else (value - target)
    if shortfall <= 0:
        return "green"
    return "amber" if shortfall <= abs(target) * AMBER_MARGIN else "red"


def trend(
    data: NationalData, indicator: Indicator, area: Area, year: str, years: int = TREND_YEARS
) -> pd.DataFrame:
    """Wide frame for a trend chart: rows are years, columns the area and its comparators."""
    last = ReportYear.parse(year)
    rows = {}
    for offset in range(years - 1, -1, -1):
        report_year = last.shifted(-offset)
        time_period = report_year.time_period
        if time_period not in data.time_periods:
            continue
        region = _region_of(data, area.codes, area.region)
        rows[report_year.label] = {
            area.label: area_figure(data, indicator, area, time_period).value,
            "England": comparator(data, indicator, time_period, "national"),
            f"{region or 'Region'}": comparator(data, indicator, time_period, "regional", region),
            "Statistical neighbours": neighbour_median(data, indicator, area, time_period)[0],
        }
    return pd.DataFrame.from_dict(rows, orient="index")


@lru_cache(maxsize=256)
def _region_of(data: NationalData, codes: tuple[str, ...], given: str | None) -> str | None:
    """The area's region, or its councils' (cached: asked for each indicator and year)."""
    if given:
        return given
    rows = data.figures[(data.figures["level"] == "la") & data.figures["code"].isin(codes)]
    return str(rows["region"].iloc[0]) if len(rows) else None


def indicator_row(data: NationalData, indicator: Indicator, area: Area, year: str) -> dict:
    """Everything the table shows about one indicator for one area and year."""
    report_year = ReportYear.parse(year)
    time_period = report_year.time_period
    figure = area_figure(data, indicator, area, time_period)
    region = _region_of(data, area.codes, area.region)
    median, used, rank, of, quartile = float("nan"), 0, None, None, None
    if indicator.unit != "count":  # councils differ in size: only rates and shares compare
        median, used = neighbour_median(data, indicator, area, time_period)
        rank, of, quartile = rank_among_councils(data, indicator, area, time_period)
    series = trend(data, indicator, area, year)
    history = series[area.label] if area.label in series else pd.Series(dtype=float)
    previous = area_figure(data, indicator, area, time_period - 1).value
    target = area.targets.get(indicator.id)
    return {
        "indicator": indicator.id,
        "name": indicator.name,
        "unit": indicator.unit,
        "year": report_year.label,
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "england": comparator(data, indicator, time_period, "national"),
        "region": comparator(data, indicator, time_period, "regional", region),
        "statistical_neighbours": median,
        "neighbours_with_data": used,
        "rank": rank,
        "of": of,
        "quartile": quartile,
        "trend": ", ".join(f"{y}: {_shown(v, indicator)}" for y, v in history.items()),
        "direction": direction(figure.value, previous, indicator),
        "target": target,
        "rag": rag(figure.value, target, indicator.higher_is_better),
        "symbol": figure.symbol,
    }


def _shown(value: float, indicator: Indicator) -> str:
    if pd.isna(value):
        return "-"
    return f"{round_half_up(value, indicator.decimals):,.{indicator.decimals}f}"


def indicator_table(data: NationalData, area: Area, year: str) -> pd.DataFrame:
    """Every national indicator for an area and year (the `workbook indicators` table)."""
    time_period = ReportYear.parse(year).time_period
    if time_period not in data.time_periods:
        have = ", ".join(ReportYear(t - 1).label for t in data.time_periods)
        raise WorkbookError(f"no DfE figures for {year} in {data.origin} (it has {have})")
    rows = [
        indicator_row(data, indicator, area, year)
        for indicator in national_indicators()
        if not data.series(indicator.parts[0]).empty
    ]
    return pd.DataFrame(rows)


def printable(table: pd.DataFrame) -> pd.DataFrame:
    """The indicator table as an analyst reads it: figures rounded, blanks for missing."""
    out = table.drop(columns=["name", "numerator", "denominator"]).astype(object)
    units = dict(zip(table["indicator"], table["unit"], strict=True))
    for column in ("value", "england", "region", "statistical_neighbours", "target"):
        out[column] = [
            _shown(v, catalogue()[i]) if v is not None else ""
            for i, v in zip(table["indicator"], table[column], strict=True)
        ]
    for column in ("rank", "of", "quartile"):
        out[column] = ["" if pd.isna(v) else str(int(v)) for v in table[column]]
    out["unit"] = [units[i] for i in table["indicator"]]
    return out.fillna("")


def revision_notes(
    local: pd.DataFrame, table: pd.DataFrame, area: Area, year: str, threshold: int
) -> list[str]:
    """Where the partnership's own (published) figures differ from DfE's figures as now published.

    DfE revises figures after a local report is written (late returns, and rates recomputed
    with revised population estimates such as those rebased on Census 2021), so a reader must be
    told which figure is which rather than left to wonder at two numbers.  One short item per
    difference, e.g. "Rate of ... (Darlington): the report gave 37.8, DfE now gives 38.2".
    """
    end = ReportYear.parse(year).end
    columns = {
        "local": "value",
        "england": "england",
        "region": "region",
        "statistical_neighbours": "statistical_neighbours",
    }
    names = {
        "local": area.label,
        "england": "England",
        "region": "the region",
        "statistical_neighbours": "statistical neighbours",
    }
    ours = table.set_index("indicator") if len(table) else pd.DataFrame()
    notes = []
    headline = local[
        local["breakdown"].isna() & (pd.to_datetime(local["period_end"]).dt.date == end)
    ]
    for row in headline.itertuples(index=False):
        if row.indicator not in ours.index or row.area not in columns:
            continue
        indicator = catalogue()[row.indicator]
        now = ours.loc[row.indicator, columns[row.area]]
        if pd.isna(now) or pd.isna(row.value):
            continue
        stated = round_half_up(float(row.value), indicator.decimals)
        revised = round_half_up(float(now), indicator.decimals)
        if indicator.unit == "count" and min(stated, revised) <= threshold:
            continue  # a note must not publish a count small enough to identify a child
        if abs(stated - revised) > 10 ** -(indicator.decimals + 1):
            # Each figure with the precision it was given: the report's "357", not "357.0".
            notes.append(
                f"{indicator.name} ({names[row.area]}): the report gave "
                f"{format_given(row.value, indicator.decimals)}, DfE now gives "
                f"{format_given(now, indicator.decimals)}"
            )
    return notes
