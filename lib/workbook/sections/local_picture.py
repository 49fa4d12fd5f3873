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
from workbook.disclosure.formatting import round_half_up
from workbook.disclosure.published import Count, Figure, PublishedTable, Share
from workbook.disclosure.suppression import is_small, share_mask
from workbook.disclosure.units import all_units
from workbook.national import dfe
from workbook.national import indicators as ind

HEADLINE = ("cin_rate", "cpp_rate", "cla_rate", "referrals_rate", "rereferral_pct",
            "cpp_repeat_pct", "cpp_2_years_plus_pct")
"""The children's social care measures the section leads with, in the order a report gives them."""

TRENDS = {"cpp_rate": "Child protection plans per 10,000 children",
          "cin_rate": "Children in need per 10,000 children",
          "cla_rate": "Children looked after per 10,000 children"}
"""The trend charts the section draws, with their titles."""
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
    def _year_rows(self) -> pd.DataFrame:
        """The partnership's rows for the year: any period ending in it (the latest where an
        indicator is given for several), so a figure dated other than 31 March still shows."""
        table = self.report.tables["indicators"]
        year = self.report.year
        rows = table[(table["period_end"] >= pd.Timestamp(year.start))
                     & (table["period_end"] <= pd.Timestamp(year.end))]
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
                row = {"source": "DfE", "value": published["value"],
                       "count": published["numerator"], "england": published["england"],
                       "region": published["region"],
                       "statistical_neighbours": published["statistical_neighbours"],
                       "rank": published["rank"], "of": published["of"],
                       "quartile": published["quartile"], "direction": published["direction"]}
            else:
                value, count = self._local_value(indicator_id), self._local_value(count_id)
                if pd.isna(value) and pd.isna(count):
                    continue
                row = {"source": "partnership", "value": value, "count": count,
                       **{area: self._local_value(indicator_id, area) for area in COMPARATORS},
                       "rank": None, "of": None, "quartile": None, "direction": ""}
            target = self._target(indicator_id)
            name = indicator.name if pd.notna(row["value"]) else \
                ind.catalogue()[count_id].name
            rows.append({"id": indicator_id, "name": name, "unit": indicator.unit,
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
        """Per headline measure: count and rate as the headline table publishes them, and how
        the rate compares, for the narrative template."""
        table = self.headline_table
        facts = {}
        for row in self.headline_rows:
            decimals = ind.catalogue()[row["id"]].decimals
            measure = _measure(row)
            rate = table.value(measure, "Figure")
            rate = None if rate is None else round_half_up(rate, decimals)
            compared: dict[str, list[str]] = {}
            for area, words in COMPARATORS.items():
                if area == "region" and row["unit"] == "rate_per_10k":
                    words = "the regional rate"
                other = row[area]
                if rate is None or other is None or pd.isna(other):
                    continue
                other = round_half_up(other, decimals)
                relation = ("lower than" if rate < other else "higher than" if rate > other
                            else "the same as")
                compared.setdefault(relation, []).append(f"{words} ({other:,.{decimals}f})")
            facts[row["id"]] = {
                "name": row["name"], "rate": rate, "decimals": decimals, "unit": row["unit"],
                "count": table.value(measure, "Number"),
                "comparisons": list(compared.items()), **_travel(row["direction"]),
                "source": row["source"], "rag": row["rag"], "target": row["target"],
            }
        return facts

    def local_facts(self) -> dict[str, float | int]:
        """The partnership's own figures by indicator id, as the section's tables publish them:
        counts of people as whole numbers (small ones read "5 or fewer"), counts of work as
        they are, and without the figures withheld because they would give a small count
        away."""
        facts = {}
        catalogue = ind.catalogue()
        policy = self.report.policy
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            indicator = catalogue.get(row.indicator)
            if pd.isna(row.value) or indicator is None or row.indicator in self.withheld:
                continue
            facts[row.indicator] = (policy.count(row.value, indicator.counts)
                                    if indicator.unit == "count" else float(row.value))
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
            indicator = ind.catalogue().get(row.indicator)
            if indicator is None or indicator.part_of is None or pd.isna(row.value):
                continue
            if not policy.withholds(ind.catalogue()[indicator.part_of].counts):
                continue
            for base in self.published_counts(indicator.part_of):
                if indicator.unit == "percent":
                    gives_away = share_mask(pd.Series([row.value]), base,
                                            policy.threshold).iloc[0]
                else:
                    gives_away = is_small(base - row.value, policy.threshold)
                if gives_away:
                    withheld.add(row.indicator)
        return frozenset(withheld)

    # ---- tables ---------------------------------------------------------------------------

    @cached_property
    def headline_table(self) -> PublishedTable:
        """Children's social care against England, the region and statistical neighbours."""
        rows = self.headline_rows
        catalogue = ind.catalogue()
        frame = pd.DataFrame({
            "Measure": [_measure(r) for r in rows],
            "Number": [r["count"] for r in rows],
            "Figure": [r["value"] for r in rows],
            "England": [r["england"] for r in rows],
            "Region": [r["region"] for r in rows],
            "Statistical neighbours": [r["statistical_neighbours"] for r in rows],
            "Rank among councils": [
                f"{int(r['rank'])} of {int(r['of'])} (quartile {int(r['quartile'])})"
                if r["rank"] is not None and pd.notna(r["rank"]) else "" for r in rows],
            "Direction of travel": [r["direction"] for r in rows],
        }, columns=["Measure", "Number", "Figure", "England", "Region",
                    "Statistical neighbours", "Rank among councils", "Direction of travel"])
        # Rank and direction come only with DfE's figures: without them the columns would be
        # empty, and on an A4 page they squeeze the measures' names into five lines.
        frame = frame.drop(columns=[c for c in ("Rank among councils", "Direction of travel")
                                    if (frame[c] == "").all()])
        return PublishedTable(
            frame, "Children's social care: the partnership, England, the region and "
                   "statistical neighbours", self.report.policy,
            {"Number": Count(tuple(catalogue[r["count_id"]].counts for r in rows)),
             "Figure": Share("Number"), "England": Figure(1), "Region": Figure(1),
             "Statistical neighbours": Figure(1)},
            notes=self.notes(),
            when_empty="The partnership supplied no figures for children in need, child "
                       "protection or children looked after this year"
                       + ("." if self.national is not None else
                          ", and DfE's published statistics were not available."))

    def _shown_in_headline(self) -> set[str]:
        return {i for r in self.headline_rows for i in (r["id"], r["count_id"])}

    def local_table(self, kind: str) -> PublishedTable:
        """The partnership's other figures for the year, `kind` "count" or "figure" (rates and
        percentages, with targets and RAG status), so each column holds one kind of figure.
        Every figure the partnership gave that the headline table does not show is here."""
        catalogue = ind.catalogue()
        shown = self._shown_in_headline()
        rows = []
        for row in self.local[self.local["area"] == "local"].itertuples(index=False):
            indicator = catalogue.get(row.indicator)
            if indicator is None or row.indicator in shown or pd.isna(row.value) or (
                    (indicator.unit == "count") != (kind == "count")):
                continue
            target = self._target(row.indicator)
            hidden = row.indicator in self.withheld
            rows.append({
                "Measure": indicator.name, "value": row.value,
                "unit": indicator.counts, "Target": target,
                # A status beside a withheld figure says which side of the target it is, and
                # so narrows the small count down: it goes with the figure.
                "Status": "" if hidden else
                ind.rag(row.value, target, indicator.higher_is_better).upper(),
                "Source": "" if pd.isna(row.source) else str(row.source),
                "withheld": hidden,
            })
        column = "Number" if kind == "count" else "Figure"
        frame = pd.DataFrame(rows, columns=["Measure", "value", "unit", "Target", "Status",
                                            "Source", "withheld"])
        hidden = pd.DataFrame({column: frame["withheld"].astype(bool)})
        out = frame.rename(columns={"value": column})[["Measure", column, "Target", "Status",
                                                        "Source"]]
        if kind == "count" or out["Target"].isna().all():
            out = out.drop(columns=["Target", "Status"])
        columns = ({column: Count(tuple(frame["unit"]))} if kind == "count"
                   else {column: Figure(1), **({"Target": Figure(1)} if "Target" in out
                                              else {})})
        caption = ("The partnership's own figures for the year" if kind == "count" else
                   "The partnership's own percentages and rates for the year, with targets "
                   "where set")
        return PublishedTable(out, caption, self.report.policy, columns, withheld=hidden,
                              when_empty=None)

    def breakdown_tables(self) -> list[PublishedTable]:
        """Every breakdown the partnership gave for the year (placements, categories of
        abuse, training by course...), one table each."""
        rows = self._year_rows
        found = rows.loc[rows["breakdown"].notna() & (rows["area"] == "local"), "indicator"]
        return [self.breakdown_table(i) for i in dict.fromkeys(found)
                if i in ind.catalogue()]

    def breakdown_table(self, indicator_id: str) -> PublishedTable:
        """One breakdown for the year. Counts that break down a published total (placements of
        the children looked after) end with a total row, so secondary suppression protects a
        small cell from subtraction; shares of a published count are withheld where they
        stand for a small count (see `share_mask`)."""
        rows = self._year_rows
        rows = rows[(rows["indicator"] == indicator_id) & rows["breakdown"].notna()
                    & (rows["area"] == "local")]
        indicator = ind.catalogue()[indicator_id]
        label = BREAKDOWNS.get(indicator_id, "Breakdown")
        caption = (f"{indicator.name} by {label.lower()}" if indicator_id in BREAKDOWNS
                   else f"{indicator.name}: breakdown given by the partnership")
        policy = self.report.policy
        frame = pd.DataFrame({label: rows["breakdown"].astype(str).to_list(),
                              "value": rows["value"].astype(float).to_list()})
        if indicator.unit == "count":
            column = all_units()[indicator.counts].capitalize()
            frame = frame.rename(columns={"value": column})
            partition = indicator_id in BREAKDOWNS
            if partition and len(frame):
                frame = pd.concat([frame, pd.DataFrame({label: ["Total"],
                                                        column: [frame[column].sum()]})],
                                  ignore_index=True)
            return PublishedTable(frame, caption, policy, {column: Count(indicator.counts)},
                                  total_row="Total" if partition and len(frame) else None,
                                  when_empty=None)
        column = "Per cent" if indicator.unit == "percent" else "Figure"
        frame = frame.rename(columns={"value": column})
        hidden = pd.Series(False, index=frame.index)
        base_id = indicator.part_of
        if base_id and policy.withholds(ind.catalogue()[base_id].counts):
            for base in self.published_counts(base_id):
                hidden |= share_mask(frame[column], base, policy.threshold, partition=True)
        return PublishedTable(frame, caption, policy, {column: Figure(1)},
                              withheld=pd.DataFrame({column: hidden}), when_empty=None)

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

    def trend(self, indicator_id: str) -> PublishedTable:
        """Years by area for a trend chart: DfE's five years where DfE has the area's figures,
        else the partnership's own figures across the years it supplied."""
        wide = self._trend_frame(indicator_id)
        frame = wide.rename_axis("Year").reset_index() if len(wide) else pd.DataFrame(
            {"Year": []})
        frame.columns.name = None
        return PublishedTable(frame, TRENDS.get(indicator_id, indicator_id),
                              self.report.policy, {c: Figure(1) for c in frame.columns[1:]})

    def _trend_frame(self, indicator_id: str) -> pd.DataFrame:
        if self.national is not None and not self.dfe_table.empty:
            series = ind.trend(self.national, ind.catalogue()[indicator_id], self.area,
                               self.year).dropna(how="all", axis=1)
            if self.area.label in series and series[self.area.label].notna().sum() >= 2:
                return series
        frames = self.report.across_lookback("indicators")
        rows = frames[(frames["indicator"] == indicator_id) & frames["breakdown"].isna()]
        if rows.empty:
            return pd.DataFrame()
        wide = rows.pivot_table(index="year", columns="area", values="value", aggfunc="last")
        names = {"local": self.area.label, "england": "England",
                 "region": self.area.region or "Region",
                 "statistical_neighbours": "Statistical neighbours"}
        wide = wide[[area for area in names if area in wide.columns]].rename(columns=names)
        wide.columns.name = None
        return wide.astype(float)

    def neighbour_comparison(self, indicator_id: str = NEIGHBOUR_CHART) -> PublishedTable:
        """The area, each statistical neighbour and England, for a bar chart (DfE only)."""
        shown = {}
        if self.national is not None and not self.dfe_table.empty:
            indicator = ind.catalogue()[indicator_id]
            time_period = self.report.year.time_period
            values = ind.la_values(self.national, indicator, time_period)
            codes = ind.neighbours(self.national, self.area.codes, time_period)
            shown[self.area.label] = ind.area_figure(self.national, indicator, self.area,
                                                     time_period).value
            for code in codes:
                if code in values.index and pd.notna(values.loc[code, "value"]):
                    shown[str(values.loc[code, "name"])] = values.loc[code, "value"]
            shown["England"] = ind.comparator(self.national, indicator, time_period,
                                              "national")
        series = pd.Series(shown, dtype=float).dropna().sort_values(ascending=False)
        frame = pd.DataFrame({"Area": series.index, "Rate": series.to_numpy()})
        return PublishedTable(frame, TRENDS.get(indicator_id, indicator_id),
                              self.report.policy, {"Rate": Figure(1)}, when_empty=None)


def _measure(row: dict) -> str:
    """A headline row's label: the measure and where its figure comes from."""
    return f"{row['name']} ({'DfE' if row['source'] == 'DfE' else 'report'})"


def _travel(direction: str) -> dict[str, str]:
    """"down (better)" as the words a sentence needs: change "down", judgement "an improvement"."""
    if direction == "no change":
        return {"change": "unchanged", "judgement": ""}
    change, _, verdict = direction.partition(" ")
    judgement = {"(better)": "an improvement", "(worse)": "a deterioration"}.get(verdict, "")
    return {"change": change, "judgement": judgement}


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
