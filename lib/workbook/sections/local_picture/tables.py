"""The local picture's headline and own-figure tables, each a `PublishedTable` laid out from the
year's indicator facts (`workbook.facts.indicators`).

The headline table sets the partnership's children's social care figures beside England, the
region and statistical neighbours; the partnership's own figures follow, counts apart from
rates and percentages. A column that most rows leave empty is dropped (the comparisons it would
hold are said in the narrative instead), so "x" is left only for a published figure that is not
available. The breakdowns are `breakdowns`, the charts' data `trends`.
"""

from __future__ import annotations

import os

import pandas as pd

from workbook.disclosure.published import Count, Figure, PublishedTable, Share
from workbook.facts import YearFacts
from workbook.facts.measures import Measure, Quantity
from workbook.national import indicators as ind
from workbook.national.catalogue import catalogue
from workbook.text.narrative import listed

GIVEN = Figure(1, as_given=True)
"""A rate or percentage as it was given (42, not 42.0), to the catalogue's one decimal at most."""

HEADLINE_LABELS = {
    "cin_rate": "Children in need",
    "cpp_rate": "Children on a child protection plan",
    "cla_rate": "Children looked after",
    "referrals_rate": "Referrals",
    "rereferral_pct": "Re-referrals within 12 months (%)",
    "cpp_repeat_pct": "Second or subsequent plans (%)",
    "cpp_2_years_plus_pct": "Plans open two years or more (%)",
}
"""The headline table's row labels: short, since its note says rates are per 10,000
children and the Number column holds each measure's count."""

COMPARATOR_COLUMNS = {
    "england": "England",
    "region": "Region",
    "statistical_neighbours": "Statistical neighbours",
}

TRAINING_INDICATORS = {"training_attendance": False, "elearning_completions": True}
"""The partnership's training figures in the indicators table: id -> whether it counts
e-learning completions (else attendances at taught courses)."""


def left_to_training_section(facts: YearFacts) -> frozenset[str]:
    """The indicators the local picture leaves out because the training section shows them:
    where the year's training table records attendances at taught courses (or completions of
    e-learning), its figure is the year's, and printing the indicators table's own total
    beside it would set two numbers for one thing ("2,309 attendances" here, "283" there).
    The one place this choice is made (the training facts of the `sections` branch name the
    same set `facts.training.held_indicators`)."""
    courses = facts.training.frame
    recorded = courses["attendances"].notna()
    online = courses["delivery"].eq("elearning").fillna(False)
    return frozenset(
        indicator
        for indicator, elearning in TRAINING_INDICATORS.items()
        if (recorded & (online == elearning)).any()
    )


# ---- the headline table ----------------------------------------------------------------------


def headline_table(facts: YearFacts) -> PublishedTable:
    """Children's social care against England, the region and statistical neighbours, less
    the columns most measures leave empty (`mostly_filled`)."""
    measures = facts.indicators.headline.values()
    mixed = len({m.source for m in measures}) > 1
    table = mostly_filled(full_headline_table(facts), notes=headline_notes(facts, mixed))
    # the caption names the comparators the table still shows, and no others
    shown = [COMPARED_WITH[c] for c in COMPARATOR_COLUMNS.values() if c in table.frame.columns]
    table.caption = f"Children's social care: {listed(['the partnership', *shown])}"
    return table


COMPARED_WITH = {
    "England": "England",
    "Region": "the region",
    "Statistical neighbours": "statistical neighbours",
}


def full_headline_table(facts: YearFacts) -> PublishedTable:
    """One row per headline measure: its count and its rate (withheld together), the
    comparators, and, with DfE's figures, the rank among councils and the direction of travel.
    A comparator beside a count with no rate is left out: a count is never set beside a rate."""
    measures = list(facts.indicators.headline.values())
    mixed = len({m.source for m in measures}) > 1
    frame = pd.DataFrame(
        {
            "Measure": [headline_label(m, mixed) for m in measures],
            "Number": [_raw(m.count) for m in measures],
            "Figure": [_raw(m.value) for m in measures],
            **{
                column: [
                    _raw(m.comparators.get(area)) if m.value.recorded else None for m in measures
                ]
                for area, column in COMPARATOR_COLUMNS.items()
            },
            "Rank among councils": [
                f"{m.rank[0]} of {m.rank[1]}" if m.rank else "" for m in measures
            ],
            "Direction of travel": [m.direction for m in measures],
        }
    )
    return PublishedTable(
        frame,
        "Children's social care: the partnership, England, the region and statistical neighbours",
        facts.policy,
        {
            "Number": Count(tuple(_counted(m) for m in measures)),
            "Figure": Share("Number", as_given=True),
            **dict.fromkeys(COMPARATOR_COLUMNS.values(), GIVEN),
        },
        when_empty=None,
    )


def headline_label(measure: Measure, mixed: bool) -> str:
    """A row's label: the measure, and "(report)" where the table mixes the partnership's own
    figures with DfE's (the rest are DfE's, as the table's note says)."""
    name = HEADLINE_LABELS[measure.id]
    return f"{name} (report)" if mixed and measure.source != "DfE" else name


def _counted(measure: Measure) -> str:
    return catalogue()[measure.indicator.parts[0]].counts


def _raw(fact):
    """A fact's value as a table's raw figure (NaN where it is not recorded)."""
    if fact is None or not fact.recorded:
        return float("nan")
    value = fact.value
    return value.value if isinstance(value, Quantity) else float(value)


def mostly_filled(table: PublishedTable, notes: str | None = None) -> PublishedTable:
    """`table` less each column (after the first) that fewer than half its rows fill: a
    column of "x" tells a reader nothing, and a comparator most measures lack is said in a
    sentence instead. What stays withholds exactly what `table` withholds (a rate whose count
    is dropped keeps its count's withholding)."""
    if table.empty:
        return table
    frame = table.frame
    filled = {
        column: frame[column].map(lambda v: not _blank(v)).sum() for column in frame.columns[1:]
    }
    keep = [frame.columns[0], *(c for c, n in filled.items() if n * 2 >= len(frame))]
    columns = {
        c: (Figure(kind.decimals, kind.as_given) if isinstance(kind, Share) else kind)
        for c, kind in table.columns.items()
        if c in keep
    }
    return PublishedTable(
        frame[keep],
        table.caption,
        table.policy,
        columns,
        withheld=table.mask[[c for c in columns]],
        notes=notes if notes is not None else table.notes,
        when_empty=table.when_empty,
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value) or bool(pd.isna(value))


def headline_notes(facts: YearFacts, mixed: bool) -> str:
    """What a board member needs to read the headline table right (how the figures were made
    is the analyst's: `methods`)."""
    indicators = facts.indicators
    measures = indicators.headline.values()
    parts = []
    if any(m.value.recorded for m in measures):
        parts.append(
            "Figure: the rate per 10,000 children aged 0 to 17, or, for a measure marked (%), "
            "the percentage; Number: the count it is worked out from."
        )
    if mixed:
        parts.append(
            "(report): as the partnership's own report gave it; the others as DfE now "
            "publishes them."
        )
    elif any(m.source == "DfE" for m in measures):
        parts.append("Figures as DfE now publishes them.")
    if any(m.comparators.get("statistical_neighbours") for m in measures if m.source == "DfE"):
        parts.append("Statistical neighbours: the median of the ten neighbours' figures.")
    if any(m.rank for m in measures):
        parts.append("Rank among councils: 1 is the lowest figure.")
    if indicators.revisions:
        parts.append(
            "Figures in the partnership's own report that DfE has since revised (late returns, "
            "and rates recomputed with revised population estimates): "
            + "; ".join(indicators.revisions)
            + "."
        )
    return " ".join(parts) or None


def methods(facts: YearFacts) -> list[str]:
    """How the section's figures were made, for the analyst: where DfE's figures come from or
    why there are none, and the rates recomputed only where some were."""
    indicators = facts.indicators
    if not indicators.recorded:
        return []
    said = [indicators.dfe_note] if indicators.dfe_note else []
    recomputed = [
        HEADLINE_LABELS[m.id].lower()
        for m in indicators.headline.values()
        if m.id in _recomputed(facts)
    ]
    if recomputed:
        said.append(
            "Rates per 10,000 children recomputed from DfE's counts and the ONS mid-year "
            "population aged 0 to 17 (the councils' counts added, never their rates averaged): "
            + ", ".join(recomputed)
            + ". England and regional figures are computed from DfE's counts, which DfE rounds "
            "to the nearest 10."
        )
    return said


def _recomputed(facts: YearFacts) -> set[str]:
    fact = facts.indicators.rates_recomputed
    return {row.split("/", 1)[1] for row in fact.rows} if fact.recorded and fact.get() else set()


# ---- the partnership's own figures ------------------------------------------------------------


def own_measures(facts: YearFacts) -> list[Measure]:
    """The partnership's own figures the section shows (its training figures only where the
    training section does not show them)."""
    left = left_to_training_section(facts)
    return [m for i, m in facts.indicators.own.items() if i not in left]


def local_table(facts: YearFacts, kind: str) -> PublishedTable:
    """The partnership's other figures for the year, `kind` "count" or "figure" (rates and
    percentages, with their targets and ratings where most have one: a few targets are said
    in sentences instead), so each column holds one kind of figure; where they came from is
    said once, under the table."""
    counts = kind == "count"
    measures = [m for m in own_measures(facts) if (m.indicator.unit == "count") == counts]
    hidden = [m.id in facts.indicators.withheld for m in measures]
    column = "Number" if counts else "Figure"
    frame = pd.DataFrame(
        {"Measure": [m.indicator.name for m in measures], column: [_raw(m.value) for m in measures]}
    )
    targets = not counts and targets_in_table(facts)
    if targets:
        frame["Target"] = [str(m.target.value) if m.has_target else "" for m in measures]
        # A rating beside a withheld figure says which side of the target it fell, and so
        # narrows a small count down: it goes with the figure.
        frame["Rating"] = [
            "" if gone else rating(m).capitalize() for m, gone in zip(measures, hidden, strict=True)
        ]
    if counts:
        caption = "The partnership's own figures for the year"
    else:
        caption = "The partnership's own percentages and rates for the year" + (
            ", with their targets" if targets else ""
        )
    return PublishedTable(
        frame,
        caption,
        facts.policy,
        {column: Count(tuple(m.indicator.counts for m in measures)) if counts else GIVEN},
        withheld=pd.DataFrame({column: hidden}),
        notes=sources_note([m.cited for m in measures]),
        when_empty=None,
    )


def targets_in_table(facts: YearFacts) -> bool:
    """Whether the table of percentages and rates shows a Target column: where at least half
    its figures have a target (else the few targets are said in sentences)."""
    figures = [m for m in own_measures(facts) if m.indicator.unit != "count"]
    return bool(figures) and sum(m.has_target for m in figures) * 2 >= len(figures)


def rating(measure: Measure) -> str:
    """Green on or past the target, amber within a tenth of it, red beyond; "" with no target
    or where higher is neither better nor worse."""
    if not measure.has_target or not measure.value.recorded:
        return ""
    return ind.rag(
        float(measure.value.value), float(measure.target.value), measure.indicator.higher_is_better
    )


def sources_note(sources: list[str]) -> str | None:
    """Where a table's figures come from, said once: "Source: X", or, for sources that share
    their beginning up to a comma ("Annual Report 2019-20, section 5, Early Help"), that
    beginning once and each ending after it."""
    given = list(dict.fromkeys(s for s in sources if s))
    if not given:
        return None
    if len(given) == 1:
        return f"Source: {given[0]}."
    common = os.path.commonprefix(given)
    cut = common.rfind(", ")
    if cut > 0:
        head = common[:cut]
        return f"Sources: {head} ({'; '.join(s[cut + 2 :] for s in given)})."
    return f"Sources: {'; '.join(given)}."
