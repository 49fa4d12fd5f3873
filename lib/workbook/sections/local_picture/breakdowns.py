"""The local picture's breakdowns: one table for each breakdown the partnership gave for the year
(categories of abuse, placements, its own), with secondary suppression where counts break down
a published total."""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.published import Count, PublishedTable
from workbook.disclosure.suppression import share_mask
from workbook.disclosure.units import all_units
from workbook.facts import YearFacts
from workbook.sections.local_picture.tables import GIVEN, left_to_training_section

BREAKDOWNS = {"cpp_category_pct": "Category of abuse", "cla_placements": "Placement type"}
"""Breakdowns the catalogue knows, with the name of their categories."""


def breakdown_tables(facts: YearFacts, headline: bool | None = None) -> list[PublishedTable]:
    """The breakdowns the partnership gave for the year, one table each: those of children's
    social care the catalogue knows (`BREAKDOWNS`: categories of abuse, placements) with
    `headline`, the others (its own, its training figures where the training section does not
    show them) without; all of them where `headline` is None."""
    left = left_to_training_section(facts)
    return [
        breakdown_table(facts, i)
        for i in facts.indicators.breakdowns
        if i not in left and (headline is None or (i in BREAKDOWNS) == headline)
    ]


def breakdown_table(facts: YearFacts, indicator_id: str) -> PublishedTable:
    """One breakdown for the year. Counts that break down a published total (placements of
    the children looked after) end with a total row, so secondary suppression protects a
    small cell from subtraction; shares of a published count are withheld where they stand
    for a small count (see `share_mask`)."""
    indicators = facts.indicators
    rows = indicators.breakdowns[indicator_id]
    indicator = indicators.catalogue[indicator_id]
    label = BREAKDOWNS.get(indicator_id, "Breakdown")
    policy = facts.policy
    frame = pd.DataFrame({label: rows["breakdown"].to_list(), "value": rows["value"].to_list()})
    caption = breakdown_caption(indicator.name, indicator_id)
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
    if base_id and policy.withholds(indicators.catalogue[base_id].counts):
        for base in indicators.published_counts(base_id):
            hidden |= share_mask(frame[column], base, policy.threshold, partition=True)
    return PublishedTable(
        frame,
        caption,
        policy,
        {column: GIVEN},
        withheld=pd.DataFrame({column: hidden}),
        when_empty=None,
    )


def breakdown_caption(name: str, indicator_id: str) -> str:
    """A breakdown's caption: the measure's name where it already names the breakdown
    ("Looked-after children by placement type"), never the breakdown twice."""
    label = BREAKDOWNS.get(indicator_id)
    if label is None:
        return f"{name}: breakdown given by the partnership"
    if label.lower() in name.lower():
        return name
    return f"{name} by {label.lower()}"
