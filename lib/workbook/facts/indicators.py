"""Facts of the year's indicators: each figure with its unit, the precision it was given to, its
comparators, its target and its trend, and what is recorded and what is not.

Two sources, used together: the partnership's own `indicators` table (how a partnership reports
early help, missing children, care leavers, adults' enquiries, and the national measures as its
report stated them), and DfE's published statistics where the workbook has them (they give
today's revised figures for the children's social care measures, England, the region,
statistical neighbours, rank and five-year trends). Without DfE's figures the facts are the
partnership's alone.

What the facts hold (a figure at the precision it was given, a measure, the year's facts) is
`workbook.facts.measures`.
"""

from __future__ import annotations

import functools

import pandas as pd

from workbook.core.fact import Fact, not_recorded, rows_of
from workbook.disclosure.suppression import is_small, share_mask
from workbook.facts.area_figures import handed_over_or_worked_out
from workbook.facts.measures import (
    COMPARATORS,
    HEADLINE,
    NEIGHBOUR_MEASURE,
    TRENDS,
    IndicatorFacts,
    Measure,
    Quantity,
    headline_not_recorded,
    in_sentence,
    missing_words,
    published_counts,
)
from workbook.national import indicators as ind
from workbook.national.catalogue import Indicator, catalogue, with_local


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
        self.catalogue = with_local(report.tables.get("local_indicators"))
        self.rows = _year_rows(report.tables["indicators"], self.year)
        figures = handed_over_or_worked_out(report.partnership, self.year.label, dfe_dir)
        self.area, self.national = figures.area, figures.national
        self.dfe_table, self.dfe_note = figures.table, figures.note

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
                f"indicators.{ref}", missing_words(indicator, area), f"indicators: {indicator_id}"
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
                name, f"a target for {in_sentence(indicator.name)}", "indicators: target"
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
                else not_recorded(f"dfe.{count.id}", in_sentence(count.name), "DfE")
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
            not_recorded=headline_not_recorded(headline),
        )


def _year_rows(table: pd.DataFrame, year) -> pd.DataFrame:
    """The partnership's rows for the year: any period ending in it (the latest where an
    indicator is given for several), so a figure dated other than 31 March still counts."""
    rows = table[
        (table["period_end"] >= pd.Timestamp(year.start))
        & (table["period_end"] <= pd.Timestamp(year.end))
    ]
    rows = rows.sort_values("period_end", kind="stable")
    return rows.drop_duplicates(["indicator", "breakdown", "area"], keep="last")
