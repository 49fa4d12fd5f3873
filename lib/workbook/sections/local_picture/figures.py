"""What the local picture's sentences state, from the year's indicator facts and exactly as
its tables publish them: a rate the headline table withholds (its count is small) is not said,
a withheld percentage of a small count is not said, and a figure the year does not record is
not mentioned at all.

`headline_sentences` feeds `performance.md.j2` (children's social care, with its comparisons),
`target_sentences` `local_targets.md.j2` (the targets of the partnership's own figures, where its
table has no room for them; the figures themselves are in its tables, said once).
"""

from __future__ import annotations

from workbook.facts import YearFacts
from workbook.facts.measures import COMPARATORS, Measure
from workbook.sections.local_picture.tables import (
    full_headline_table,
    headline_label,
    own_measures,
    rating,
    targets_in_table,
)

TRAVEL = {"(better)": "an improvement", "(worse)": "a deterioration"}

GROUPS = {
    "cin_rate": "children in need",
    "referrals_rate": "referrals",
    "rereferral_pct": "referrals",
    "cpp_rate": "child protection",
    "cpp_repeat_pct": "child protection",
    "cpp_2_years_plus_pct": "child protection",
    "cla_rate": "looked after",
}
"""The paragraph each headline measure's sentences belong to, in the order the text gives
them (a measure's rate and what is said of it together: re-referrals after referrals)."""


def headline_sentences(facts: YearFacts) -> dict:
    """Per headline measure (by id): its rate and count as the headline table publishes them
    (None where the table withholds it or the year does not record it), how the rate compares,
    its direction of travel and the partnership's target for it."""
    table = full_headline_table(facts)
    measures = facts.indicators.headline
    mixed = len({m.source for m in measures.values()}) > 1
    stated = {}
    for indicator_id in (i for i in GROUPS if i in measures):
        measure = measures[indicator_id]
        row = headline_label(measure, mixed)
        rate = measure.value if measure.value.recorded else None
        if rate is not None and table.withheld_cell(row, "Figure"):
            rate = None
        count = measure.count if measure.count is not None and measure.count.recorded else None
        if (
            count is not None
            and table.withheld_cell(row, "Number")
            and count.get() > facts.policy.threshold
        ):
            count = None
        change, _, verdict = measure.direction.partition(" ")
        stated[indicator_id] = {
            "group": GROUPS[indicator_id],
            "rate": rate,
            "count": count,
            "compared": compared(measure) if rate is not None else [],
            "change": "unchanged" if measure.direction == "no change" else change,
            "judgement": TRAVEL.get(verdict, ""),
            # A target is said with the figure it is set for (and drawn on its trend chart).
            "target": _target(measure) if rate is not None and measure.has_target else None,
            "per_10k": measure.indicator.unit == "rate_per_10k",
        }
    groups = [item["group"] for item in stated.values()] + [None]
    for item, following in zip(stated.values(), groups[1:], strict=True):
        item["ends_paragraph"] = item["group"] != following
    return {"h": stated, "area": facts.indicators.area.label}


def compared(measure: Measure) -> list[tuple[str, list[dict]]]:
    """How the measure compares with each comparator, as a sentence groups them: [("lower
    than", [{"words": "England", "fact": ...}]), ...], compared as both are written."""
    groups: dict[str, list[dict]] = {}
    value = measure.value.get()
    for area in COMPARATORS:
        other = measure.comparators.get(area)
        if other is None:
            continue
        relation = (
            "lower than"
            if value < other.value
            else "higher than"
            if value > other.value
            else "the same as"
        )
        groups.setdefault(relation, []).append({"words": _words(area, measure), "fact": other})
    return list(groups.items())


def _words(area: str, measure: Measure) -> str:
    if area == "region":
        return "the regional rate" if measure.indicator.unit == "rate_per_10k" else "the region"
    return {"statistical_neighbours": "statistical neighbours", "england": "England"}[area]


def target_sentences(facts: YearFacts) -> dict:
    """The targets of the partnership's own figures, where its table of figures has no Target
    column (most figures have none): each with its figure, target, side ("or lower") and
    rating. A figure the section withholds is not said, nor its target."""
    if targets_in_table(facts):
        return {"targets": []}
    withheld = facts.indicators.withheld
    return {
        "targets": [
            {"name": _sentence_name(m.indicator.name), "value": m.value, **_target(m)}
            for m in own_measures(facts)
            if m.has_target and m.id not in withheld
        ]
    }


def _target(measure: Measure) -> dict:
    """A target as a sentence gives it: "30%" "or lower", and the rating against it."""
    side = {True: " or higher", False: " or lower"}.get(measure.indicator.higher_is_better, "")
    return {"target": measure.target, "side": side, "rating": rating(measure)}


def _sentence_name(name: str) -> str:
    """A measure's name inside a sentence: without its "(%)" (the figure says it)."""
    return name.removesuffix(" (%)")
