"""The local picture's charts' data: each measure's trend over the years beside its comparators,
with its target, and the neighbour measure beside each statistical neighbour and England."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.disclosure.published import PublishedTable
from workbook.facts import YearFacts
from workbook.facts.measures import NEIGHBOUR_MEASURE, TRENDS, in_sentence
from workbook.sections.local_picture.tables import GIVEN, own_measures
from workbook.text.labels import label
from workbook.text.narrative import listed


@dataclass(frozen=True)
class TrendChart:
    """A trend chart to draw: its table (years by area), title, axis words, the target to
    draw, and its caption."""

    table: PublishedTable
    title: str
    axis: str
    target: float | None
    caption: str


TREND_TITLES = {
    "cpp_rate": "Child protection plans per 10,000 children",
    "cin_rate": "Children in need per 10,000 children",
    "cla_rate": "Children looked after per 10,000 children",
}


def trend(facts: YearFacts, indicator_id: str) -> PublishedTable:
    """Years by area for a trend chart: DfE's five years where DfE has the area's figures,
    else the partnership's own figures across the years it supplied."""
    wide = facts.indicators.trends.get(indicator_id, pd.DataFrame())
    frame = wide.rename_axis("Year").reset_index() if len(wide) else pd.DataFrame({"Year": []})
    frame.columns.name = None
    return PublishedTable(
        frame,
        TREND_TITLES.get(indicator_id, facts.indicators.catalogue[indicator_id].name),
        facts.policy,
        dict.fromkeys(frame.columns[1:], GIVEN),
        when_empty=None,
    )


def trend_charts(facts: YearFacts, headline: bool) -> tuple[list[TrendChart], list[str]]:
    """The trend charts to draw (a measure with figures for two years or more) of the
    headline measures, or of the partnership's own figures that have a target (the text names
    it: the chart draws it), and, for the analyst, why each other one is not drawn."""
    indicators = facts.indicators
    drawn, too_short = [], []
    if headline:
        followed = [i for i in TRENDS if i in indicators.headline]
    else:
        followed = [m.id for m in own_measures(facts) if m.has_target]
    for indicator_id in followed:
        measure = indicators.measure(indicator_id)
        table = trend(facts, indicator_id)
        title = table.caption
        area = indicators.area.label
        years = int(table.frame[area].notna().sum()) if area in table.frame else 0
        if not measure.value.recorded:
            too_short.append(
                f"No trend chart for {in_sentence(title)}: the year gives the count, not the rate."
            )
            continue
        if years < 2:
            had = f"figures for {_years(table, area)} only" if years else "no figures by year"
            too_short.append(
                f"No trend chart for {in_sentence(title)}: {had}; a trend needs two years or more."
            )
            continue
        target = measure.target.value.value if measure.has_target else None
        drawn.append(
            TrendChart(
                table,
                title,
                label("unit", measure.indicator.unit),
                target,
                _trend_caption(facts, indicator_id, table, target),
            )
        )
    return drawn, too_short


def _years(table: PublishedTable, area: str | None = None) -> str:
    """The years of the table (where `area` is given, those it has a figure for), as a span."""
    frame = table.frame
    rows = frame[area].notna() if area else pd.Series(True, index=frame.index)
    years = [str(y) for y in frame.loc[rows, "Year"]]
    return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _trend_caption(facts: YearFacts, indicator_id: str, table: PublishedTable, target) -> str:
    """What the chart shows, in words: only the areas drawn, and the target where one is."""
    area = facts.indicators.area.label
    others = [c for c in table.frame.columns[1:] if c != area]
    when = "at 31 March" if facts.indicators.catalogue[indicator_id].national else ""
    caption = f"{area}: {in_sentence(table.caption)}{' ' + when if when else ''}, {_years(table)}"
    if others:
        caption += ", with " + listed(
            [
                "the statistical neighbour median" if c == "Statistical neighbours" else c
                for c in others
            ]
        )
    if target is not None:
        caption += ", and its target"
    source = facts.indicators.trend_source.get(indicator_id)
    caption += (
        " (DfE's figures)." if source == "DfE" else " (as the partnership's reports gave them)."
    )
    return caption


def neighbour_caption(facts: YearFacts) -> str:
    return (
        f"{facts.indicators.area.label} beside its statistical neighbours and England, "
        f"31 March {facts.year.time_period} (DfE's figures)."
    )


def neighbour_gap(facts: YearFacts) -> str | None:
    """Why the neighbour chart is not drawn, for the analyst (None where it is, or where the
    year has no children's social care figure to set beside anything)."""
    indicators = facts.indicators
    if not indicators.neighbours.empty or not indicators.headline:
        return None
    return (
        "No chart of statistical neighbours: it needs DfE's published statistics for the "
        "partnership's councils. " + indicators.dfe_note
    ).strip()


def neighbour_comparison(facts: YearFacts) -> PublishedTable:
    """The area, each statistical neighbour and England, for a bar chart (DfE only)."""
    series = facts.indicators.neighbours.sort_values(ascending=False)
    frame = pd.DataFrame({"Area": series.index, "Rate": series.to_numpy()})
    return PublishedTable(
        frame,
        TREND_TITLES[NEIGHBOUR_MEASURE],
        facts.policy,
        {"Rate": GIVEN},
        when_empty=None,
    )
