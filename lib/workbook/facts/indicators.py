"""Facts of the year's indicators: each figure with its unit, the precision it was given to, its
comparators, its target and its trend, and what is recorded and what is not.

Two sources, used together: the partnership's own `indicators` table (how a partnership reports
early help, missing children, care leavers, adults' enquiries, and the national measures as its
report stated them), and DfE's published statistics where the workbook has them (they give
today's revised figures for the children's social care measures, England, the region,
statistical neighbours, rank and five-year trends). Without DfE's figures the facts are the
partnership's alone.

A figure keeps the precision it was given: the typed table holds floats, so 42 reads back as
42.0 and a sentence would say "42.0%". A rate or percentage is a `Quantity`, written with the
fewest decimals (up to the catalogue's) that give its value back (`given_decimals`): "42%",
"357 per 10,000", and a rate computed from DfE's counts with its one decimal. A count is a count
(`Policy.count`: a count of people withheld when small), never a rate: a partnership that gives
only the count of children looked after has that count recorded and the rate not recorded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from workbook.core.errors import WorkbookError
from workbook.core.fact import Fact, not_recorded, rows_of
from workbook.disclosure.formatting import format_given, given_decimals, round_half_up
from workbook.disclosure.suppression import is_small, share_mask
from workbook.national import dfe
from workbook.national import indicators as ind
from workbook.national.catalogue import Indicator, catalogue, with_local

HEADLINE = (
    "cin_rate",
    "cpp_rate",
    "cla_rate",
    "referrals_rate",
    "rereferral_pct",
    "cpp_repeat_pct",
    "cpp_2_years_plus_pct",
)
"""The children's social care measures (each a rate or percentage with the count it is built
on) that DfE publishes for every council, in the order a report gives them."""

TRENDS = ("cpp_rate", "cin_rate", "cla_rate")
"""The headline measures followed over the years (DfE's five, else the partnership's own)."""

NEIGHBOUR_MEASURE = "cpp_rate"
"""The measure set beside each statistical neighbour's (DfE only)."""

COMPARATORS = ("region", "statistical_neighbours", "england")
"""The areas a figure is compared with, in the order a report names them."""


@functools.total_ordering
@dataclass(frozen=True, eq=False)
class Quantity:
    """A rate, percentage or amount of money as it was given: its value, its unit and the
    decimals it was given to. Written, it is "42%", "357" (a rate: the sentence says per
    10,000) or "£1,200"; compared, it is compared as written (28.14 and 28.1 given to one
    decimal are the same)."""

    value: float
    unit: str
    decimals: int

    @classmethod
    def given(cls, value, indicator: Indicator) -> Quantity:
        return cls(float(value), indicator.unit, given_decimals(value, indicator.decimals))

    @property
    def shown(self) -> float:
        return round_half_up(self.value, self.decimals)

    @property
    def number(self) -> str:
        """The figure without its unit: "42", "416.9"."""
        return format_given(self.value, self.decimals)

    def __str__(self) -> str:
        if self.unit == "percent":
            return f"{self.number}%"
        if self.unit == "gbp":
            return f"£{self.number}"
        return self.number

    def __float__(self) -> float:
        return float(self.value)

    def __eq__(self, other) -> bool:
        return self.shown == _shown(other)

    def __lt__(self, other) -> bool:
        return self.shown < _shown(other)

    def __hash__(self) -> int:
        return hash(self.shown)


def _shown(other) -> float:
    return other.shown if isinstance(other, Quantity) else float(other)


@dataclass(frozen=True)
class Measure:
    """One indicator's figure for the partnership this year, and what goes with it.

    `value`: a `Quantity` (rate, percentage, money) or a count (a `WorkCount`, or a plain int
    for a count of people); not recorded where neither DfE nor the partnership gives it.
    `count`: for a headline rate, the count it is built on (DfE's, or the partnership's own);
    None for other measures. `comparators`: England, the region, statistical neighbours, those
    recorded. `source`: "DfE" (as DfE now publishes it) or "partnership" (as its report gave
    it); `cited`: the partnership's own source of the figure, where it named one."""

    id: str
    indicator: Indicator
    value: Fact
    source: str
    cited: str = ""
    count: Fact | None = None
    comparators: dict[str, Fact] = field(default_factory=dict)
    target: Fact | None = None
    rank: tuple[int, int, int] | None = None
    """DfE only: (rank, of how many councils, quartile); rank 1 is the lowest figure."""
    direction: str = ""
    """DfE only: the change from the year before ("down", "up (worse)", "no change")."""

    @property
    def name(self) -> str:
        """The measure's name: the rate's, or the count's where only the count is given."""
        if self.value.recorded or self.count is None or not self.count.recorded:
            return self.indicator.name
        return catalogue()[self.indicator.parts[0]].name

    @property
    def has_target(self) -> bool:
        return self.target is not None and self.target.recorded


@dataclass(frozen=True)
class IndicatorFacts:
    """The year's indicator figures and what is known about them.

    `frame`: the partnership's rows for the year (the latest where an indicator is given for
    several periods ending in it). `headline`: the children's social care measures with any
    figure, in `HEADLINE` order; `own`: the partnership's other figures (no breakdown), in the
    order its table gives them; `breakdowns`: per indicator, its breakdown rows. `withheld`:
    the partnership's figures that would give a small count of people away beside another
    published figure. `trends`: per measure followed over the years, a frame of years by area.
    """

    frame: pd.DataFrame
    catalogue: dict[str, Indicator]
    headline: dict[str, Measure]
    own: dict[str, Measure]
    breakdowns: dict[str, pd.DataFrame]
    withheld: frozenset[str]
    trends: dict[str, pd.DataFrame]
    trend_source: dict[str, str]
    """Per trend, "DfE" or "partnership"."""
    neighbours: pd.Series
    """The neighbour measure for the area, each statistical neighbour and England (DfE)."""
    area: ind.Area
    dfe_note: str
    """Why DfE's figures are not used ("" where they are), for the analyst."""
    revisions: tuple[str, ...]
    """Figures of the partnership's own report that DfE has since revised."""
    rates_recomputed: Fact
    """Whether any figure shown is a rate per 10,000 children that the workbook recomputed
    from DfE's counts and the ONS population (the methods note says so only then)."""
    not_recorded: dict[str, Fact]
    """What the year's figures do not show of children's social care, for the list of what
    the report could not show (`YearFacts.gaps`): each headline measure neither the
    partnership nor DfE gives (its rate, where only its count is given), or, where none is
    given at all, the whole of it once."""

    @property
    def recorded(self) -> bool:
        """Whether the year has any figure at all to show."""
        return bool(self.headline or self.own or self.breakdowns)

    def measure(self, indicator_id: str) -> Measure | None:
        """A measure by id, headline or the partnership's own."""
        return self.headline.get(indicator_id) or self.own.get(indicator_id)

    def published_counts(self, count_id: str) -> list[float]:
        """Every figure the section publishes for a count (`published_counts`), for
        withholding a part or share of it that would give a small count away."""
        return published_counts(self.frame, self.headline, count_id)


def indicator_facts(report, dfe_dir: str = "") -> IndicatorFacts:
    """The facts of the year's indicators, with DfE's figures where the workbook has them (a
    folder given as `dfe_dir`, an imported store, or WORKBOOK_DFE_DIR)."""
    return _Builder(report, dfe_dir).facts()


class _Builder:
    """Works the facts out once: the year's rows, DfE's table for the area, and each measure."""

    def __init__(self, report, dfe_dir: str):
        self.report = report
        self.policy = report.policy
        self.year = report.year
        partnership = report.partnership
        self.area = ind.Area(
            partnership.short_name,
            tuple(partnership.councils),
            partnership.region,
            dict(partnership.targets),
        )
        self.catalogue = with_local(report.tables.get("local_indicators"))
        self.rows = _year_rows(report.tables["indicators"], self.year)
        self.national, self.dfe_table, self.dfe_note = self._national(dfe_dir)

    def _national(self, dfe_dir: str):
        """DfE's figures for the area and year, or why there are none."""
        national = dfe.national_data(dfe_dir)
        reported = "figures are those the partnership reported"
        if national is None:
            return (
                None,
                pd.DataFrame(),
                f"DfE's published statistics were not supplied: {reported}.",
            )
        try:
            codes = tuple(ind.old_code(code, national) for code in self.area.codes)
        except WorkbookError:
            return (
                None,
                pd.DataFrame(),
                f"The partnership's councils are not in DfE's published statistics: {reported}.",
            )
        self.area = ind.Area(self.area.label, codes, self.area.region, self.area.targets)
        try:
            table = ind.indicator_table(national, self.area, self.year.label)
        except WorkbookError:
            return (
                None,
                pd.DataFrame(),
                f"DfE's published statistics do not cover {self.year.label}: {reported}.",
            )
        return national, table.set_index("indicator"), ""

    # ---- the partnership's rows ---------------------------------------------------------------

    @functools.cached_property
    def local(self) -> pd.DataFrame:
        """The partnership's rows with no breakdown."""
        return self.rows[self.rows["breakdown"].isna()]

    def _row(self, indicator_id: str, area: str = "local"):
        rows = self.local[
            (self.local["indicator"] == indicator_id)
            & (self.local["area"] == area)
            & self.local["value"].notna()
        ]
        return None if rows.empty else rows.iloc[0]

    def _given(self, indicator_id: str, area: str = "local") -> Fact:
        """The partnership's figure for an area, as a fact."""
        indicator = self.catalogue[indicator_id]
        row = self._row(indicator_id, area)
        ref = indicator_id if area == "local" else f"{indicator_id}/{area}"
        if row is None:
            return not_recorded(
                f"indicators.{ref}", _missing_words(indicator, area), f"indicators: {indicator_id}"
            )
        return Fact(
            f"indicators.{ref}",
            self._value(row["value"], indicator),
            rows_of("indicators", [ref]),
        )

    def _value(self, value, indicator: Indicator):
        if indicator.unit == "count":
            return self.policy.count(value, indicator.counts)
        return Quantity.given(value, indicator)

    def _target(self, indicator_id: str) -> Fact:
        """The partnership's target: its parameters' where they set one, else its table's."""
        indicator = self.catalogue[indicator_id]
        name = f"indicators.{indicator_id}.target"
        if indicator_id in self.area.targets:
            return Fact(
                name,
                Quantity.given(self.area.targets[indicator_id], indicator),
                (f"params/targets/{indicator_id}",),
            )
        row = self._row(indicator_id)
        if row is None or pd.isna(row["target"]):
            return not_recorded(
                name, f"a target for {_lower(indicator.name)}", "indicators: target"
            )
        return Fact(
            name, Quantity.given(row["target"], indicator), rows_of("indicators", [indicator_id])
        )

    def _cited(self, indicator_id: str) -> str:
        row = self._row(indicator_id)
        return "" if row is None or pd.isna(row["source"]) else str(row["source"])

    # ---- measures ----------------------------------------------------------------------------

    def _dfe(self, indicator_id: str) -> pd.Series | None:
        table = self.dfe_table
        if table.empty or indicator_id not in table.index:
            return None
        row = table.loc[indicator_id]
        return row if pd.notna(row["value"]) else None

    def headline(self) -> dict[str, Measure]:
        measures = {}
        for indicator_id in HEADLINE:
            measure = self._dfe_measure(indicator_id) or self._partnership_measure(indicator_id)
            if measure is not None:
                measures[indicator_id] = measure
        return measures

    def _dfe_measure(self, indicator_id: str) -> Measure | None:
        published = self._dfe(indicator_id)
        if published is None:
            return None
        indicator = catalogue()[indicator_id]
        count = catalogue()[indicator.parts[0]]
        ref = rows_of("dfe", [indicator_id])
        compared = {
            area: Fact(
                f"dfe.{indicator_id}.{area}", Quantity.given(published[area], indicator), ref
            )
            for area in COMPARATORS
            if pd.notna(published[area])
        }
        rank = published["rank"]
        return Measure(
            indicator_id,
            indicator,
            Fact(f"dfe.{indicator_id}", Quantity.given(published["value"], indicator), ref),
            "DfE",
            count=(
                Fact(
                    f"dfe.{count.id}",
                    self.policy.count(published["numerator"], count.counts),
                    rows_of("dfe", [count.id]),
                )
                if pd.notna(published["numerator"])
                else not_recorded(f"dfe.{count.id}", _lower(count.name), "DfE")
            ),
            comparators=compared,
            target=self._target(indicator_id),
            rank=(
                (int(rank), int(published["of"]), int(published["quartile"]))
                if rank is not None and pd.notna(rank)
                else None
            ),
            direction=str(published["direction"] or ""),
        )

    def _partnership_measure(self, indicator_id: str) -> Measure | None:
        indicator = catalogue()[indicator_id]
        value, count = self._given(indicator_id), self._given(indicator.parts[0])
        if not value.recorded and not count.recorded:
            return None
        compared = {area: self._given(indicator_id, area) for area in COMPARATORS}
        return Measure(
            indicator_id,
            indicator,
            value,
            "partnership",
            self._cited(indicator_id if value.recorded else indicator.parts[0]),
            count=count,
            comparators={area: fact for area, fact in compared.items() if fact.recorded},
            target=self._target(indicator_id),
        )

    def own(self, headline: dict[str, Measure]) -> dict[str, Measure]:
        """Every other figure the partnership gave for itself, its own local indicators too."""
        shown = {*HEADLINE, *(catalogue()[i].parts[0] for i in HEADLINE)}
        measures = {}
        mine = self.local[(self.local["area"] == "local") & self.local["value"].notna()]
        for indicator_id in dict.fromkeys(mine["indicator"]):
            if indicator_id in shown or indicator_id not in self.catalogue:
                continue
            measures[indicator_id] = Measure(
                indicator_id,
                self.catalogue[indicator_id],
                self._given(indicator_id),
                "partnership",
                self._cited(indicator_id),
                comparators={
                    area: fact
                    for area in COMPARATORS
                    if (fact := self._given(indicator_id, area)).recorded
                },
                target=self._target(indicator_id),
            )
        return measures

    def breakdowns(self) -> dict[str, pd.DataFrame]:
        rows = self.rows[
            self.rows["breakdown"].notna()
            & (self.rows["area"] == "local")
            & self.rows["value"].notna()
        ]
        return {
            indicator_id: rows.loc[rows["indicator"] == indicator_id, ["breakdown", "value"]]
            .astype({"breakdown": str, "value": float})
            .reset_index(drop=True)
            for indicator_id in dict.fromkeys(rows["indicator"])
            if indicator_id in self.catalogue
        }

    # ---- disclosure across figures -----------------------------------------------------------

    def withheld(self, headline: dict[str, Measure]) -> frozenset[str]:
        """The partnership's figures (no breakdown) that are parts or percentages of a
        published count of people (`part_of` in the catalogue) and would give a small count
        away beside it: a percentage standing for 1 to threshold people, or leaving that few
        out, and a part whose rest is that small. (A small part itself is withheld as any count
        is.)"""
        withheld = set()
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            indicator = self.catalogue.get(row.indicator)
            if indicator is None or indicator.part_of is None or pd.isna(row.value):
                continue
            if not self.policy.withholds(self.catalogue[indicator.part_of].counts):
                continue
            for base in published_counts(self.rows, headline, indicator.part_of):
                if indicator.unit == "percent":
                    gives_away = share_mask(
                        pd.Series([row.value]), base, self.policy.threshold
                    ).iloc[0]
                else:
                    gives_away = is_small(base - row.value, self.policy.threshold)
                if gives_away:
                    withheld.add(row.indicator)
        return frozenset(withheld)

    # ---- trends and neighbours ---------------------------------------------------------------

    def trend(self, indicator_id: str) -> tuple[pd.DataFrame, str]:
        """Years by area: DfE's five years where DfE has the area's figures, else the
        partnership's own figures across the years it supplied."""
        if self.national is not None and self.catalogue[indicator_id].national:
            series = ind.trend(
                self.national, catalogue()[indicator_id], self.area, self.year.label
            ).dropna(how="all", axis=1)
            if self.area.label in series and series[self.area.label].notna().sum() >= 2:
                return series, "DfE"
        frames = self.report.across_lookback("indicators")
        rows = frames[
            (frames["indicator"] == indicator_id)
            & frames["breakdown"].isna()
            & frames["value"].notna()
        ]
        if rows.empty:
            return pd.DataFrame(), "partnership"
        wide = rows.pivot_table(index="year", columns="area", values="value", aggfunc="last")
        names = {
            "local": self.area.label,
            "england": "England",
            "region": self.area.region or "Region",
            "statistical_neighbours": "Statistical neighbours",
        }
        wide = wide[[area for area in names if area in wide.columns]].rename(columns=names)
        wide.columns.name = None
        return wide.astype(float), "partnership"

    def neighbours(self) -> pd.Series:
        shown = {}
        if self.national is not None and not self.dfe_table.empty:
            indicator = catalogue()[NEIGHBOUR_MEASURE]
            time_period = self.year.time_period
            values = ind.la_values(self.national, indicator, time_period)
            shown[self.area.label] = ind.area_figure(
                self.national, indicator, self.area, time_period
            ).value
            for code in ind.neighbours(self.national, self.area.codes, time_period):
                if code in values.index and pd.notna(values.loc[code, "value"]):
                    shown[str(values.loc[code, "name"])] = values.loc[code, "value"]
            shown["England"] = ind.comparator(self.national, indicator, time_period, "national")
        return pd.Series(shown, dtype=float).dropna()

    def revisions(self) -> tuple[str, ...]:
        if self.national is None or self.dfe_table.empty:
            return ()
        return tuple(
            ind.revision_notes(
                self.report.tables["indicators"],
                self.dfe_table.reset_index(),
                self.area,
                self.year.label,
                self.report.threshold,
            )
        )

    # ---- all together ------------------------------------------------------------------------

    def facts(self) -> IndicatorFacts:
        headline = self.headline()
        own = self.own(headline)
        trended = [i for i in TRENDS if i in headline] + [
            i for i, m in {**headline, **own}.items() if m.has_target and i not in TRENDS
        ]
        trends, sources = {}, {}
        for indicator_id in trended:
            frame, source = self.trend(indicator_id)
            if not frame.empty:
                trends[indicator_id], sources[indicator_id] = frame, source
        recomputed = [
            m.id
            for m in headline.values()
            if m.source == "DfE" and m.indicator.unit == "rate_per_10k"
        ]
        return IndicatorFacts(
            frame=self.rows,
            catalogue=self.catalogue,
            headline=headline,
            own=own,
            breakdowns=self.breakdowns(),
            withheld=self.withheld(headline),
            trends=trends,
            trend_source=sources,
            neighbours=self.neighbours(),
            area=self.area,
            dfe_note=self.dfe_note,
            revisions=self.revisions(),
            rates_recomputed=Fact(
                "indicators.rates_recomputed", bool(recomputed), rows_of("dfe", recomputed)
            ),
            not_recorded=_not_recorded(headline),
        )


def _not_recorded(headline: dict[str, Measure]) -> dict[str, Fact]:
    if not headline:
        return {
            "headline": not_recorded(
                "indicators.headline",
                "figures for children in need, referrals, child protection plans and children "
                "looked after",
                "indicators: " + ", ".join(HEADLINE) + " (or their counts)",
            )
        }
    missing = {}
    for indicator_id in HEADLINE:
        measure = headline.get(indicator_id)
        if measure is None:
            indicator = catalogue()[indicator_id]
            missing[indicator_id] = not_recorded(
                f"indicators.{indicator_id}",
                _lower(indicator.name),
                f"indicators: {indicator_id} or {indicator.parts[0]}",
            )
        elif not measure.value.recorded:
            missing[indicator_id] = measure.value
    return missing


def published_counts(
    rows: pd.DataFrame, headline: dict[str, Measure], count_id: str
) -> list[float]:
    """Every figure published for a count: the partnership's own (its row with no breakdown)
    and the headline's, DfE's where DfE gives it (a revised figure can differ, and a reader
    may use either)."""
    own = rows.loc[
        (rows["indicator"] == count_id)
        & rows["breakdown"].isna()
        & (rows["area"] == "local")
        & rows["value"].notna(),
        "value",
    ]
    found = [*own.astype(float)]
    found += [
        float(m.count.value)
        for m in headline.values()
        if m.indicator.parts[0] == count_id and m.count is not None and m.count.recorded
    ]
    return list(dict.fromkeys(found))


def _year_rows(table: pd.DataFrame, year) -> pd.DataFrame:
    """The partnership's rows for the year: any period ending in it (the latest where an
    indicator is given for several), so a figure dated other than 31 March still counts."""
    rows = table[
        (table["period_end"] >= pd.Timestamp(year.start))
        & (table["period_end"] <= pd.Timestamp(year.end))
    ]
    rows = rows.sort_values("period_end", kind="stable")
    return rows.drop_duplicates(["indicator", "breakdown", "area"], keep="last")


def _lower(name: str) -> str:
    """A measure's name inside a sentence: "Rate of ..." as "rate of ..." (an initialism such
    as "LADO" stays as it is)."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _missing_words(indicator: Indicator, area: str) -> str:
    where = {
        "local": "",
        "england": " for England",
        "region": " for the region",
        "statistical_neighbours": " for statistical neighbours",
    }[area]
    return f"{_lower(indicator.name)}{where}"
