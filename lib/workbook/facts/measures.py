"""What the facts of the year's indicators hold: a figure at the precision it was given
(`Quantity`), a measure with its comparators, target and trend (`Measure`), and the year's
`IndicatorFacts`; the builder that works them out is `workbook.facts.indicators`.

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

from workbook.core.fact import Fact, not_recorded
from workbook.disclosure.formatting import format_given, given_decimals, round_half_up
from workbook.national import indicators as ind
from workbook.national.catalogue import Indicator, catalogue

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


def headline_not_recorded(headline: dict[str, Measure]) -> dict[str, Fact]:
    """What the headline measures do not show (`IndicatorFacts.not_recorded`)."""
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
                in_sentence(indicator.name),
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
        float(m.count.get())
        for m in headline.values()
        if m.indicator.parts[0] == count_id and m.count is not None and m.count.recorded
    ]
    return list(dict.fromkeys(found))


def in_sentence(name: str) -> str:
    """A measure's name inside a sentence: "Rate of ..." as "rate of ..." (an initialism such
    as "LADO" stays as it is)."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def missing_words(indicator: Indicator, area: str) -> str:
    """A figure the year does not have, in a sentence: its measure and for which area."""
    where = {
        "local": "",
        "england": " for England",
        "region": " for the region",
        "statistical_neighbours": " for statistical neighbours",
    }[area]
    return f"{in_sentence(indicator.name)}{where}"
