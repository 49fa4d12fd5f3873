"""The local picture's figures: the partnership's own and DfE's, and what may be stated.

`LocalPicture` gathers, once, the year's rows of the partnership's indicators table and DfE's
figures for its councils; the headline rows the section leads with; the facts its narrative
states (exactly as its tables publish them); and which of the partnership's figures would give
a small count of people away beside another published figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from workbook.core.errors import WorkbookError
from workbook.disclosure.formatting import round_half_up
from workbook.disclosure.published import PublishedTable
from workbook.disclosure.suppression import is_small, share_mask
from workbook.national import dfe
from workbook.national import indicators as ind
from workbook.national.catalogue import with_local

HEADLINE = (
    "cin_rate",
    "cpp_rate",
    "cla_rate",
    "referrals_rate",
    "rereferral_pct",
    "cpp_repeat_pct",
    "cpp_2_years_plus_pct",
)
"""The children's social care measures the section leads with, in the order a report gives them."""

TRENDS = {
    "cpp_rate": "Child protection plans per 10,000 children",
    "cin_rate": "Children in need per 10,000 children",
    "cla_rate": "Children looked after per 10,000 children",
}
"""The trend charts the section draws, with their titles."""
NEIGHBOUR_CHART = "cpp_rate"
BREAKDOWNS = {"cpp_category_pct": "Category of abuse", "cla_placements": "Placement type"}
COMPARATORS = {
    "region": "the region",
    "statistical_neighbours": "statistical neighbours",
    "england": "England",
}
"""Comparators in the order a report names them, and how a sentence names each."""


@dataclass
class LocalPicture:
    """Everything the section shows, built once from the report and (optionally) DfE figures.

    Why one class over 150 lines: the notebook holds one `picture` and asks it for its
    tables and facts, and the section's three concerns meet in it: the headline rows, the facts
    the narrative states exactly as the headline table publishes them, and which of the
    partnership's figures are withheld because they would give a small count away beside
    another published one (`withheld`, read by the facts and by the tables of `tables.py`).
    They share the cached rows of the year and DfE's table; the tables themselves are already
    functions in `tables.py`.
    """

    report: object
    national: dfe.NationalData | None
    area: ind.Area
    dfe_note: str = ""
    dfe_table: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def year(self) -> str:
        return self.report.year.label

    @cached_property
    def catalogue(self) -> dict[str, ind.Indicator]:
        """The indicator catalogue with the year's own local indicators beside it."""
        return with_local(self.report.tables.get("local_indicators"))

    @cached_property
    def _year_rows(self) -> pd.DataFrame:
        """The partnership's rows for the year: any period ending in it (the latest where an
        indicator is given for several), so a figure dated other than 31 March still shows."""
        table = self.report.tables["indicators"]
        year = self.report.year
        rows = table[
            (table["period_end"] >= pd.Timestamp(year.start))
            & (table["period_end"] <= pd.Timestamp(year.end))
        ]
        rows = rows.sort_values("period_end", kind="stable")
        return rows.drop_duplicates(["indicator", "breakdown", "area"], keep="last")

    @property
    def local(self) -> pd.DataFrame:
        """The partnership's own rows for the year with no breakdown."""
        return self._year_rows[self._year_rows["breakdown"].isna()]

    def _local_value(self, indicator: str, area: str = "local"):
        rows = self.local[(self.local["indicator"] == indicator) & (self.local["area"] == area)]
        return float(rows["value"].iloc[0]) if len(rows) else float("nan")

    def _dfe(self, indicator: str) -> dict | None:
        if self.dfe_table.empty or indicator not in set(self.dfe_table["indicator"]):
            return None
        row = self.dfe_table.set_index("indicator").loc[indicator].to_dict()
        return row if pd.notna(row["value"]) else None

    @cached_property
    def headline_rows(self) -> list[dict]:
        """The headline measures: DfE's figure where it has one, else the partnership's; a
        partnership that gives only the count (754 children looked after) gets its count
        shown without a rate."""
        rows = []
        for indicator_id in HEADLINE:
            indicator = ind.catalogue()[indicator_id]
            count_id = indicator.parts[0]
            published = self._dfe(indicator_id)
            if published is not None:
                row = {
                    "source": "DfE",
                    "value": published["value"],
                    "count": published["numerator"],
                    "england": published["england"],
                    "region": published["region"],
                    "statistical_neighbours": published["statistical_neighbours"],
                    "rank": published["rank"],
                    "of": published["of"],
                    "quartile": published["quartile"],
                    "direction": published["direction"],
                }
            else:
                value, count = self._local_value(indicator_id), self._local_value(count_id)
                if pd.isna(value) and pd.isna(count):
                    continue
                row = {
                    "source": "partnership",
                    "value": value,
                    "count": count,
                    **{area: self._local_value(indicator_id, area) for area in COMPARATORS},
                    "rank": None,
                    "of": None,
                    "quartile": None,
                    "direction": "",
                }
            target = self._target(indicator_id)
            name = indicator.name if pd.notna(row["value"]) else ind.catalogue()[count_id].name
            rows.append(
                {
                    "id": indicator_id,
                    "name": name,
                    "unit": indicator.unit,
                    "count_id": count_id,
                    "target": target,
                    "rag": ind.rag(row["value"], target, indicator.higher_is_better),
                    **row,
                }
            )
        return rows

    def _target(self, indicator_id: str) -> float | None:
        """The params target wins; else a target the partnership put in its table."""
        if indicator_id in self.area.targets:
            return self.area.targets[indicator_id]
        rows = self.local[
            (self.local["indicator"] == indicator_id) & (self.local["area"] == "local")
        ]["target"].dropna()
        return float(rows.iloc[0]) if len(rows) else None

    @cached_property
    def headline_table(self) -> PublishedTable:
        """The headline table (built once: the narrative states its figures)."""
        from workbook.sections.local_picture.tables import headline_table

        return headline_table(self)

    # ---- facts for the narrative -------------------------------------------------------------

    def headline_facts(self) -> dict[str, dict]:
        """Per headline measure: count and rate as the headline table publishes them, and how
        the rate compares, for the narrative template."""
        table = self.headline_table
        facts = {}
        for row in self.headline_rows:
            decimals = ind.catalogue()[row["id"]].decimals
            label = measure(row)
            rate = table.value(label, "Figure")
            rate = None if rate is None else round_half_up(rate, decimals)
            compared: dict[str, list[str]] = {}
            for area, words in COMPARATORS.items():
                if area == "region" and row["unit"] == "rate_per_10k":
                    words = "the regional rate"
                other = row[area]
                if rate is None or other is None or pd.isna(other):
                    continue
                other = round_half_up(other, decimals)
                relation = (
                    "lower than"
                    if rate < other
                    else "higher than"
                    if rate > other
                    else "the same as"
                )
                compared.setdefault(relation, []).append(f"{words} ({other:,.{decimals}f})")
            facts[row["id"]] = {
                "name": row["name"],
                "rate": rate,
                "decimals": decimals,
                "unit": row["unit"],
                "count": table.value(label, "Number"),
                "comparisons": list(compared.items()),
                **_travel(row["direction"]),
                "source": row["source"],
                "rag": row["rag"],
                "target": row["target"],
            }
        return facts

    def local_facts(self) -> dict[str, float | int]:
        """The partnership's own figures by indicator id, as the section's tables publish them:
        counts of people as whole numbers (small ones read "5 or fewer"), counts of work as
        they are, and without the figures withheld because they would give a small count
        away."""
        facts = {}
        catalogue = self.catalogue
        policy = self.report.policy
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            indicator = catalogue.get(row.indicator)
            if pd.isna(row.value) or indicator is None or row.indicator in self.withheld:
                continue
            facts[row.indicator] = (
                policy.count(row.value, indicator.counts)
                if indicator.unit == "count"
                else float(row.value)
            )
        return facts

    # ---- disclosure across figures ------------------------------------------------------------

    @cached_property
    def _headline_counts(self) -> dict[str, float]:
        return {row["count_id"]: row["count"] for row in self.headline_rows}

    def published_counts(self, indicator_id: str) -> list[float]:
        """Every figure the section publishes for a count: the partnership's own and DfE's
        (a revised DfE figure can differ, and a reader may use either)."""
        found = [self._local_value(indicator_id), self._headline_counts.get(indicator_id)]
        return [float(v) for v in found if v is not None and pd.notna(v)]

    @cached_property
    def withheld(self) -> frozenset[str]:
        """The partnership's figures (no breakdown) that are parts or percentages of a published
        count of people (`part_of` in the catalogue) and would give a small count away beside
        it: a percentage standing for 1 to threshold people, or leaving that few out, and a
        part whose rest is that small. (A small part itself is withheld as any count is.)"""
        policy = self.report.policy
        withheld = set()
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            indicator = self.catalogue.get(row.indicator)
            if indicator is None or indicator.part_of is None or pd.isna(row.value):
                continue
            if not policy.withholds(self.catalogue[indicator.part_of].counts):
                continue
            for base in self.published_counts(indicator.part_of):
                if indicator.unit == "percent":
                    gives_away = share_mask(pd.Series([row.value]), base, policy.threshold).iloc[0]
                else:
                    gives_away = is_small(base - row.value, policy.threshold)
                if gives_away:
                    withheld.add(row.indicator)
        return frozenset(withheld)


def measure(row: dict) -> str:
    """A headline row's label: the measure and where its figure comes from."""
    return f"{row['name']} ({'DfE' if row['source'] == 'DfE' else 'report'})"


def _travel(direction: str) -> dict[str, str]:
    """ "down (better)" as the words a sentence needs: change "down", judgement "an improvement"."""
    if direction == "no change":
        return {"change": "unchanged", "judgement": ""}
    change, _, verdict = direction.partition(" ")
    judgement = {"(better)": "an improvement", "(worse)": "a deterioration"}.get(verdict, "")
    return {"change": change, "judgement": judgement}


def build(report, dfe_dir: str = "") -> LocalPicture:
    """The section's content for a report, with DfE figures when the workbook has them."""
    national = dfe.national_data(dfe_dir)
    area = ind.Area(
        report.partnership.short_name,
        tuple(report.partnership.councils),
        report.partnership.region,
        dict(report.partnership.targets),
    )
    if national is None:
        return LocalPicture(
            report,
            None,
            area,
            "DfE's published statistics were not supplied: "
            "figures are those the partnership reported.",
        )
    try:
        codes = tuple(ind.old_code(code, national) for code in area.codes)
    except WorkbookError:
        return LocalPicture(
            report,
            None,
            area,
            "The partnership's councils are not in DfE's "
            "published statistics: figures are those the partnership reported.",
        )
    area = ind.Area(area.label, codes, area.region, area.targets)
    try:
        table = ind.indicator_table(national, area, report.year.label)
    except WorkbookError:
        return LocalPicture(
            report,
            None,
            area,
            f"DfE's published statistics do not cover "
            f"{report.year.label}: figures are those the partnership reported.",
        )
    return LocalPicture(report, national, area, "", table)
