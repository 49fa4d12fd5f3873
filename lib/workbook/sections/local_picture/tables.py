"""The local picture's tables and chart data, each a `PublishedTable`.

The headline table sets the partnership's children's social care figures beside England, the
region and statistical neighbours; the partnership's own figures follow, counts apart from
rates and percentages, then every breakdown it gave. Trend and neighbour tables feed the charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.disclosure.published import Count, Figure, PublishedTable, Share
from workbook.disclosure.suppression import share_mask
from workbook.disclosure.units import all_units
from workbook.national import indicators as ind
from workbook.sections.local_picture.figures import (
    BREAKDOWNS,
    NEIGHBOUR_CHART,
    TRENDS,
    measure,
)

if TYPE_CHECKING:
    from workbook.sections.local_picture.figures import LocalPicture


def headline_table(picture: LocalPicture) -> PublishedTable:
    """Children's social care against England, the region and statistical neighbours."""
    rows = picture.headline_rows
    catalogue = ind.catalogue()
    frame = pd.DataFrame(
        {
            "Measure": [measure(r) for r in rows],
            "Number": [r["count"] for r in rows],
            "Figure": [r["value"] for r in rows],
            "England": [r["england"] for r in rows],
            "Region": [r["region"] for r in rows],
            "Statistical neighbours": [r["statistical_neighbours"] for r in rows],
            "Rank among councils": [
                f"{int(r['rank'])} of {int(r['of'])} (quartile {int(r['quartile'])})"
                if r["rank"] is not None and pd.notna(r["rank"])
                else ""
                for r in rows
            ],
            "Direction of travel": [r["direction"] for r in rows],
        },
        columns=[
            "Measure",
            "Number",
            "Figure",
            "England",
            "Region",
            "Statistical neighbours",
            "Rank among councils",
            "Direction of travel",
        ],
    )
    # Rank and direction come only with DfE's figures: without them the columns would be
    # empty, and on an A4 page they squeeze the measures' names into five lines.
    frame = frame.drop(
        columns=[
            c for c in ("Rank among councils", "Direction of travel") if (frame[c] == "").all()
        ]
    )
    return PublishedTable(
        frame,
        "Children's social care: the partnership, England, the region and statistical neighbours",
        picture.report.policy,
        {
            "Number": Count(tuple(catalogue[r["count_id"]].counts for r in rows)),
            "Figure": Share("Number"),
            "England": Figure(1),
            "Region": Figure(1),
            "Statistical neighbours": Figure(1),
        },
        notes=notes(picture),
        when_empty="The partnership supplied no figures for children in need, child "
        "protection or children looked after this year"
        + (
            "."
            if picture.national is not None
            else ", and DfE's published statistics were not available."
        ),
    )


def _shown_in_headline(picture: LocalPicture) -> set[str]:
    return {i for r in picture.headline_rows for i in (r["id"], r["count_id"])}


def local_table(picture: LocalPicture, kind: str) -> PublishedTable:
    """The partnership's other figures for the year, `kind` "count" or "figure" (rates and
    percentages, with targets and RAG status), so each column holds one kind of figure.
    Every figure the partnership gave that the headline table does not show is here, its own
    local indicators included."""
    catalogue = picture.catalogue
    shown = _shown_in_headline(picture)
    rows = []
    for row in picture.local[picture.local["area"] == "local"].itertuples(index=False):
        indicator = catalogue.get(row.indicator)
        if (
            indicator is None
            or row.indicator in shown
            or pd.isna(row.value)
            or ((indicator.unit == "count") != (kind == "count"))
        ):
            continue
        target = picture._target(row.indicator)
        hidden = row.indicator in picture.withheld
        rows.append(
            {
                "Measure": indicator.name,
                "value": row.value,
                "unit": indicator.counts,
                "Target": target,
                # A status beside a withheld figure says which side of the target it is, and
                # so narrows the small count down: it goes with the figure.
                "Status": ""
                if hidden
                else ind.rag(row.value, target, indicator.higher_is_better).upper(),
                "Source": "" if pd.isna(row.source) else str(row.source),
                "withheld": hidden,
            }
        )
    column = "Number" if kind == "count" else "Figure"
    frame = pd.DataFrame(
        rows, columns=["Measure", "value", "unit", "Target", "Status", "Source", "withheld"]
    )
    hidden = pd.DataFrame({column: frame["withheld"].astype(bool)})
    out = frame.rename(columns={"value": column})[["Measure", column, "Target", "Status", "Source"]]
    if kind == "count" or out["Target"].isna().all():
        out = out.drop(columns=["Target", "Status"])
    columns = (
        {column: Count(tuple(frame["unit"]))}
        if kind == "count"
        else {column: Figure(1), **({"Target": Figure(1)} if "Target" in out else {})}
    )
    caption = (
        "The partnership's own figures for the year"
        if kind == "count"
        else "The partnership's own percentages and rates for the year, with targets where set"
    )
    return PublishedTable(
        out, caption, picture.report.policy, columns, withheld=hidden, when_empty=None
    )


def breakdown_tables(picture: LocalPicture) -> list[PublishedTable]:
    """Every breakdown the partnership gave for the year (placements, categories of
    abuse, training by course...), one table each."""
    rows = picture._year_rows
    found = rows.loc[rows["breakdown"].notna() & (rows["area"] == "local"), "indicator"]
    return [breakdown_table(picture, i) for i in dict.fromkeys(found) if i in picture.catalogue]


def breakdown_table(picture: LocalPicture, indicator_id: str) -> PublishedTable:
    """One breakdown for the year. Counts that break down a published total (placements of
    the children looked after) end with a total row, so secondary suppression protects a
    small cell from subtraction; shares of a published count are withheld where they
    stand for a small count (see `share_mask`)."""
    rows = picture._year_rows
    rows = rows[
        (rows["indicator"] == indicator_id) & rows["breakdown"].notna() & (rows["area"] == "local")
    ]
    indicator = picture.catalogue[indicator_id]
    label = BREAKDOWNS.get(indicator_id, "Breakdown")
    caption = (
        f"{indicator.name} by {label.lower()}"
        if indicator_id in BREAKDOWNS
        else f"{indicator.name}: breakdown given by the partnership"
    )
    policy = picture.report.policy
    frame = pd.DataFrame(
        {
            label: rows["breakdown"].astype(str).to_list(),
            "value": rows["value"].astype(float).to_list(),
        }
    )
    if indicator.unit == "count":
        column = all_units()[indicator.counts].capitalize()
        frame = frame.rename(columns={"value": column})
        partition = indicator_id in BREAKDOWNS
        if partition and len(frame):
            frame = pd.concat(
                [frame, pd.DataFrame({label: ["Total"], column: [frame[column].sum()]})],
                ignore_index=True,
            )
        return PublishedTable(
            frame,
            caption,
            policy,
            {column: Count(indicator.counts)},
            total_row="Total" if partition and len(frame) else None,
            when_empty=None,
        )
    column = "Per cent" if indicator.unit == "percent" else "Figure"
    frame = frame.rename(columns={"value": column})
    hidden = pd.Series(False, index=frame.index)
    base_id = indicator.part_of
    if base_id and policy.withholds(picture.catalogue[base_id].counts):
        for base in picture.published_counts(base_id):
            hidden |= share_mask(frame[column], base, policy.threshold, partition=True)
    return PublishedTable(
        frame,
        caption,
        policy,
        {column: Figure(1)},
        withheld=pd.DataFrame({column: hidden}),
        when_empty=None,
    )


def notes(picture: LocalPicture) -> str:
    """What a reader must know to read the headline table right."""
    parts = [
        "Figures are rates per 10,000 children aged 0 to 17, or percentages where the "
        "measure says so. (DfE): as DfE now publishes it; (report): as the "
        "partnership's own report gave it."
    ]
    parts += [picture.dfe_note] if picture.dfe_note else []
    if picture.national is not None and not picture.dfe_table.empty:
        parts.append(
            "England and regional figures are computed from DfE's counts, which "
            "DfE rounds to the nearest 10. Statistical neighbours: the median of "
            "the ten neighbours' figures. Rank 1 is the lowest figure; quartile 1 "
            "the lowest quarter of councils."
        )
        revised = ind.revision_notes(
            picture.report.tables["indicators"],
            picture.dfe_table,
            picture.area,
            picture.year,
            picture.report.threshold,
        )
        if revised:
            parts.append(
                "Figures in the partnership's own report that DfE has since revised "
                "(late returns, and rates recomputed with revised population "
                "estimates): " + "; ".join(revised) + "."
            )
    return " ".join(parts)


def trend(picture: LocalPicture, indicator_id: str) -> PublishedTable:
    """Years by area for a trend chart: DfE's five years where DfE has the area's figures,
    else the partnership's own figures across the years it supplied."""
    wide = _trend_frame(picture, indicator_id)
    frame = wide.rename_axis("Year").reset_index() if len(wide) else pd.DataFrame({"Year": []})
    frame.columns.name = None
    return PublishedTable(
        frame,
        TRENDS.get(indicator_id, indicator_id),
        picture.report.policy,
        {c: Figure(1) for c in frame.columns[1:]},
    )


def _trend_frame(picture: LocalPicture, indicator_id: str) -> pd.DataFrame:
    if picture.national is not None and not picture.dfe_table.empty:
        series = ind.trend(
            picture.national, ind.catalogue()[indicator_id], picture.area, picture.year
        ).dropna(how="all", axis=1)
        if picture.area.label in series and series[picture.area.label].notna().sum() >= 2:
            return series
    frames = picture.report.across_lookback("indicators")
    rows = frames[(frames["indicator"] == indicator_id) & frames["breakdown"].isna()]
    if rows.empty:
        return pd.DataFrame()
    wide = rows.pivot_table(index="year", columns="area", values="value", aggfunc="last")
    names = {
        "local": picture.area.label,
        "england": "England",
        "region": picture.area.region or "Region",
        "statistical_neighbours": "Statistical neighbours",
    }
    wide = wide[[area for area in names if area in wide.columns]].rename(columns=names)
    wide.columns.name = None
    return wide.astype(float)


def neighbour_comparison(
    picture: LocalPicture, indicator_id: str = NEIGHBOUR_CHART
) -> PublishedTable:
    """The area, each statistical neighbour and England, for a bar chart (DfE only)."""
    shown = {}
    if picture.national is not None and not picture.dfe_table.empty:
        indicator = ind.catalogue()[indicator_id]
        time_period = picture.report.year.time_period
        values = ind.la_values(picture.national, indicator, time_period)
        codes = ind.neighbours(picture.national, picture.area.codes, time_period)
        shown[picture.area.label] = ind.area_figure(
            picture.national, indicator, picture.area, time_period
        ).value
        for code in codes:
            if code in values.index and pd.notna(values.loc[code, "value"]):
                shown[str(values.loc[code, "name"])] = values.loc[code, "value"]
        shown["England"] = ind.comparator(picture.national, indicator, time_period, "national")
    series = pd.Series(shown, dtype=float).dropna().sort_values(ascending=False)
    frame = pd.DataFrame({"Area": series.index, "Rate": series.to_numpy()})
    return PublishedTable(
        frame,
        TRENDS.get(indicator_id, indicator_id),
        picture.report.policy,
        {"Rate": Figure(1)},
        when_empty=None,
    )
