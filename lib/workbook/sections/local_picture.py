"""The local picture and performance section: the partnership's figures beside national ones.

Two sources, used together:
- the partnership's own `indicators` table (always there: it is how a partnership reports early
  help, missing children, home education, care leavers, adult enquiries, and the national
  measures as its report stated them);
- DfE's published statistics, when the workbook has them (an imported store, a folder given as
  the notebook's `dfe_dir`, or WORKBOOK_DFE_DIR).  They give today's revised figures, England,
  region and statistical neighbours, rank and five-year trends.  Where the partnership's report
  stated a different figure, a note on the table says so.

Without DfE figures the section still renders from the partnership's table alone, so the demo
works on a fresh machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from workbook.core.errors import WorkbookError
from workbook.disclosure.suppression import SUPPRESSED, is_small, share_mask, suppress_small_counts
from workbook.national import dfe
from workbook.national import indicators as ind

HEADLINE = ("cin_rate", "cpp_rate", "cla_rate", "referrals_rate", "rereferral_pct",
            "cpp_repeat_pct", "cpp_2_years_plus_pct")
"""The children's social care measures the section leads with, in the order a report gives them."""

TREND_CHARTS = ("cpp_rate", "cin_rate", "cla_rate")
NEIGHBOUR_CHART = "cpp_rate"
BREAKDOWNS = {"cpp_category_pct": "Category of abuse", "cla_placements": "Placement type"}
COMPARATORS = {"region": "the region", "statistical_neighbours": "statistical neighbours",
               "england": "England"}
"""Comparators in the order a report names them, and how a sentence names each."""


@dataclass
class LocalPicture:
    """Everything the section shows, built once from the report and (optionally) DfE figures."""

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
        return ind.with_local(self.report.tables.get("local_indicators"))

    @property
    def local(self) -> pd.DataFrame:
        """The partnership's own headline rows for the year (no breakdown)."""
        table = self.report.tables["indicators"]
        end = pd.Timestamp(self.report.year.end)
        return table[table["breakdown"].isna() & (table["period_end"] == end)]

    def _local_value(self, indicator: str, area: str = "local"):
        rows = self.local[(self.local["indicator"] == indicator) & (self.local["area"] == area)]
        return float(rows["value"].iloc[0]) if len(rows) else float("nan")

    def _dfe(self, indicator: str) -> dict | None:
        if self.dfe_table.empty or indicator not in set(self.dfe_table["indicator"]):
            return None
        row = self.dfe_table.set_index("indicator").loc[indicator].to_dict()
        return row if pd.notna(row["value"]) else None

    def headline_rows(self) -> list[dict]:
        """The headline measures: DfE's figure where it has one, else the partnership's."""
        rows = []
        for indicator_id in HEADLINE:
            indicator = ind.catalogue()[indicator_id]
            count_id = indicator.parts[0]
            published = self._dfe(indicator_id)
            if published is not None:
                row = {"source": "DfE", "value": published["value"],
                       "count": published["numerator"], "england": published["england"],
                       "region": published["region"],
                       "statistical_neighbours": published["statistical_neighbours"],
                       "rank": published["rank"], "of": published["of"],
                       "quartile": published["quartile"], "direction": published["direction"]}
            else:
                value = self._local_value(indicator_id)
                if pd.isna(value):
                    continue
                row = {"source": "partnership", "value": value,
                       "count": self._local_value(count_id),
                       **{area: self._local_value(indicator_id, area) for area in COMPARATORS},
                       "rank": None, "of": None, "quartile": None, "direction": ""}
            target = self._target(indicator_id)
            rows.append({"id": indicator_id, "name": indicator.name, "unit": indicator.unit,
                         "count_id": count_id, "target": target,
                         "rag": ind.rag(row["value"], target, indicator.higher_is_better),
                         **row})
        return rows

    def _target(self, indicator_id: str) -> float | None:
        """The params target wins; else a target the partnership put in its table."""
        if indicator_id in self.area.targets:
            return self.area.targets[indicator_id]
        rows = self.local[(self.local["indicator"] == indicator_id)
                          & (self.local["area"] == "local")]["target"].dropna()
        return float(rows.iloc[0]) if len(rows) else None

    # ---- facts for the narrative -------------------------------------------------------------

    def headline_facts(self) -> dict[str, dict]:
        """Per headline measure: count, rate and how it compares, for the narrative template."""
        facts = {}
        for row in self.headline_rows():
            decimals = ind.catalogue()[row["id"]].decimals
            rate = ind.round_half_up(row["value"], decimals)
            compared: dict[str, list[str]] = {}
            for area, words in COMPARATORS.items():
                if area == "region" and row["unit"] == "rate_per_10k":
                    words = "the regional rate"
                other = row[area]
                if other is None or pd.isna(other):
                    continue
                other = ind.round_half_up(other, decimals)
                relation = ("lower than" if rate < other else "higher than" if rate > other
                            else "the same as")
                compared.setdefault(relation, []).append(f"{words} ({other:,.{decimals}f})")
            count = row["count"]
            facts[row["id"]] = {
                "name": row["name"], "rate": rate, "decimals": decimals, "unit": row["unit"],
                "count": int(count) if count is not None and pd.notna(count) else None,
                "comparisons": list(compared.items()), **_travel(row["direction"]),
                "source": row["source"], "rag": row["rag"], "target": row["target"],
            }
        return facts

    def local_facts(self) -> dict[str, float | int]:
        """The partnership's own headline figures by indicator id (counts as whole numbers),
        without those withheld because they would give a small count away."""
        facts = {}
        catalogue = self.catalogue
        withheld = self.withheld
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            if pd.isna(row.value) or row.indicator not in catalogue or row.indicator in withheld:
                continue
            unit = catalogue[row.indicator].unit
            facts[row.indicator] = int(row.value) if unit == "count" else float(row.value)
        return facts

    # ---- disclosure across figures ------------------------------------------------------------

    @cached_property
    def _headline_counts(self) -> dict[str, float]:
        return {row["count_id"]: row["count"] for row in self.headline_rows()}

    def published_counts(self, indicator_id: str) -> list[float]:
        """Every figure the section publishes for a count: the partnership's own and DfE's
        (a revised DfE figure can differ, and a reader may use either)."""
        found = [self._local_value(indicator_id), self._headline_counts.get(indicator_id)]
        return [float(v) for v in found if v is not None and pd.notna(v)]

    @cached_property
    def withheld(self) -> frozenset[str]:
        """The partnership's figures (no breakdown) that are parts or percentages of a published
        count (`part_of` in the catalogue) and would give a small count away beside it: a
        percentage standing for 1 to threshold children, or leaving that few out, and a part
        whose rest is that small. (A small part itself is suppressed as any count is.)"""
        threshold = self.report.threshold
        withheld = set()
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            indicator = self.catalogue.get(row.indicator)
            if indicator is None or indicator.part_of is None or pd.isna(row.value):
                continue
            for base in self.published_counts(indicator.part_of):
                if indicator.unit == "percent":
                    gives_away = share_mask(pd.Series([row.value]), base, threshold).iloc[0]
                else:
                    gives_away = is_small(base - row.value, threshold)
                if gives_away:
                    withheld.add(row.indicator)
        return frozenset(withheld)

    # ---- tables ---------------------------------------------------------------------------

    def headline_table(self) -> pd.DataFrame:
        """Children's social care against England, region and neighbours (unsuppressed figures)."""
        rows = []
        for row in self.headline_rows():
            rank = (f"{int(row['rank'])} of {int(row['of'])} (quartile {int(row['quartile'])})"
                    if row["rank"] is not None and pd.notna(row["rank"]) else "")
            source = "DfE" if row["source"] == "DfE" else "report"
            rows.append({
                "Measure": f"{row['name']} ({source})", "Number": row["count"],
                "Figure": row["value"], "England": _fmt(row["england"]),
                "Region": _fmt(row["region"]),
                "Statistical neighbours": _fmt(row["statistical_neighbours"]),
                "Rank among councils": rank, "Direction of travel": row["direction"],
            })
        table = pd.DataFrame(rows)
        # Rank and direction come only with DfE's figures: without them the columns would be
        # empty, and on an A4 page they squeeze the measures' names into five lines.
        empty = [c for c in ("Rank among councils", "Direction of travel")
                 if c in table and (table[c] == "").all()]
        table = table.drop(columns=empty)
        table.attrs["numeric"] = ["England", "Region", "Statistical neighbours"]
        return table

    def local_table(self, unit: str) -> pd.DataFrame:
        """The partnership's own indicators of one unit ("count" or "percent"), with targets
        and RAG status; counts and percentages apart, so each column holds one kind of figure.
        Fit to publish: small counts and the figures `withheld` gives are `c`."""
        column = "Number" if unit == "count" else "Per cent"
        withheld = self.withheld
        rows = []
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            indicator = self.catalogue.get(row.indicator)
            if indicator is None or indicator.national or indicator.unit != unit:
                continue
            target = self._target(row.indicator)
            hidden = row.indicator in withheld
            rows.append({
                "Measure": indicator.name,
                column: row.value if unit == "count" else _fmt(row.value),
                "Target": "" if target is None else _fmt(target),
                # A status beside a withheld figure says which side of the target it is, and
                # so narrows the small count down: it goes with the figure.
                "Status": "" if hidden else
                ind.rag(row.value, target, indicator.higher_is_better).upper(),
                "Source": "" if pd.isna(row.source) else str(row.source),
                "_withheld": hidden,
            })
        frame = pd.DataFrame(rows, columns=["Measure", column, "Target", "Status", "Source",
                                            "_withheld"])
        if unit == "count":
            frame = suppress_small_counts(frame, threshold=self.report.threshold,
                                          count_columns=[column])
        frame[column] = frame[column].mask(frame["_withheld"].astype(bool), SUPPRESSED)
        frame = frame.drop(columns="_withheld")
        if unit == "count" or not frame["Target"].any():
            frame = frame.drop(columns=["Target", "Status"])
        frame.attrs["numeric"] = [column]
        return frame

    def breakdown_table(self, indicator_id: str) -> pd.DataFrame:
        """One breakdown (e.g. placements) for the year, fit to publish; counts end with a total
        row and are already suppressed, secondary suppression included."""
        table = self.report.tables["indicators"]
        end = pd.Timestamp(self.report.year.end)
        rows = table[(table["indicator"] == indicator_id) & table["breakdown"].notna()
                     & (table["area"] == "local") & (table["period_end"] == end)]
        label = BREAKDOWNS.get(indicator_id, "Breakdown")
        unit = ind.catalogue()[indicator_id].unit
        column = "Children" if unit == "count" else "Per cent"
        frame = pd.DataFrame({label: rows["breakdown"].astype(str).to_list(),
                              column: rows["value"].astype(float).to_list()})
        if unit == "count" and len(frame):
            # The total is published (it is the year-end count), so one small cell could be
            # worked out by subtraction: suppress here, with the total row, so the secondary
            # suppression sees it.
            frame = pd.concat([frame, pd.DataFrame({label: ["Total"],
                                                    column: [frame[column].sum()]})],
                              ignore_index=True)
            frame = suppress_small_counts(frame, threshold=self.report.threshold,
                                          count_columns=[column], total_row="Total")
        elif len(frame):
            # Shares of the year-end count of children, which the section publishes: a share
            # standing for a small count is withheld, with secondary suppression (see
            # `share_mask`), against each published version of that count.
            base_id = ind.catalogue()[indicator_id].part_of
            hidden = pd.Series(False, index=frame.index)
            for base in self.published_counts(base_id) if base_id else []:
                hidden |= share_mask(frame[column], base, self.report.threshold,
                                     partition=True)
            frame[column] = frame[column].map(_fmt).mask(hidden, SUPPRESSED)
        frame.attrs["numeric"] = [column]
        return frame

    def notes(self) -> str:
        """What a reader must know to read the headline table right."""
        parts = ["Figures are rates per 10,000 children aged 0 to 17, or percentages where the "
                 "measure says so. (DfE): as DfE now publishes it; (report): as the "
                 "partnership's own report gave it."]
        parts += [self.dfe_note] if self.dfe_note else []
        if self.national is not None and not self.dfe_table.empty:
            parts.append("England and regional figures are computed from DfE's counts, which "
                         "DfE rounds to the nearest 10. Statistical neighbours: the median of "
                         "the ten neighbours' figures. Rank 1 is the lowest figure; quartile 1 "
                         "the lowest quarter of councils.")
            revised = ind.revision_notes(self.report.tables["indicators"], self.dfe_table,
                                         self.area, self.year, self.report.threshold)
            if revised:
                parts.append("Figures in the partnership's own report that DfE has since revised "
                             "(late returns, and rates recomputed with revised population "
                             "estimates): " + "; ".join(revised) + ".")
        return " ".join(parts)

    # ---- charts ---------------------------------------------------------------------------

    def trend(self, indicator_id: str) -> pd.DataFrame:
        """Years by area for a trend chart: DfE's five years where DfE has the area's figures,
        else the partnership's own figures across the years it supplied."""
        if self.national is not None and not self.dfe_table.empty:
            series = ind.trend(self.national, ind.catalogue()[indicator_id], self.area,
                               self.year).dropna(how="all", axis=1)
            if self.area.label in series and series[self.area.label].notna().sum() >= 2:
                return series
        frames = self.report.across_lookback("indicators")
        rows = frames[(frames["indicator"] == indicator_id) & frames["breakdown"].isna()]
        if rows.empty:
            return pd.DataFrame()
        wide = rows.pivot_table(index="year", columns="area", values="value", aggfunc="first")
        names = {"local": self.area.label, "england": "England",
                 "region": self.area.region or "Region",
                 "statistical_neighbours": "Statistical neighbours"}
        wide = wide[[area for area in names if area in wide.columns]].rename(columns=names)
        wide.columns.name = None
        return wide.astype(float)

    def neighbour_comparison(self, indicator_id: str = NEIGHBOUR_CHART) -> pd.Series:
        """The area, each statistical neighbour and England, for a bar chart (DfE only)."""
        if self.national is None or self.dfe_table.empty:
            return pd.Series(dtype=float)
        indicator = ind.catalogue()[indicator_id]
        time_period = self.report.year.time_period
        values = ind.la_values(self.national, indicator, time_period)
        codes = ind.neighbours(self.national, self.area.codes, time_period)
        shown = {self.area.label: ind.area_figure(self.national, indicator, self.area,
                                                  time_period).value}
        for code in codes:
            if code in values.index and pd.notna(values.loc[code, "value"]):
                shown[str(values.loc[code, "name"])] = values.loc[code, "value"]
        shown["England"] = ind.comparator(self.national, indicator, time_period, "national")
        series = pd.Series(shown).dropna().map(lambda v: ind.round_half_up(v, 1))
        return series.sort_values(ascending=False)


def _travel(direction: str) -> dict[str, str]:
    """"down (better)" as the words a sentence needs: change "down", judgement "an improvement"."""
    if direction == "no change":
        return {"change": "unchanged", "judgement": ""}
    change, _, verdict = direction.partition(" ")
    judgement = {"(better)": "an improvement", "(worse)": "a deterioration"}.get(verdict, "")
    return {"change": change, "judgement": judgement}


def _fmt(value) -> str:
    """A rate or percentage as the tables print it; `x` where there is no figure."""
    if value is None or pd.isna(value):
        return "x"
    return f"{ind.round_half_up(float(value), 1):,.1f}"


def build(report, dfe_dir: str = "") -> LocalPicture:
    """The section's content for a report, with DfE figures when the workbook has them."""
    national = dfe.national_data(dfe_dir)
    area = ind.Area(report.partnership.short_name, tuple(report.partnership.councils),
                    report.partnership.region, dict(report.partnership.targets))
    if national is None:
        return LocalPicture(report, None, area, "DfE's published statistics were not supplied: "
                            "figures are those the partnership reported.")
    try:
        codes = tuple(ind.old_code(code, national) for code in area.codes)
    except WorkbookError:
        return LocalPicture(report, None, area, "The partnership's councils are not in DfE's "
                            "published statistics: figures are those the partnership reported.")
    area = ind.Area(area.label, codes, area.region, area.targets)
    try:
        table = ind.indicator_table(national, area, report.year.label)
    except WorkbookError:
        return LocalPicture(report, None, area, f"DfE's published statistics do not cover "
                            f"{report.year.label}: figures are those the partnership reported.")
    return LocalPicture(report, national, area, "", table)
