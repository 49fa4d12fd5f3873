"""The thematic review of one partnership: every finding of its lookback window coded, joined up
with its sources and actions, and counted by theme (`ThematicReview`, made by `build`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from workbook.coding.analysis import (
    actions_by_theme,
    prevalence_by_kind,
    prevalence_by_source,
    prevalence_by_year,
    theme_order,
    theme_table,
)
from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import code_findings
from workbook.coding.context import sources_table
from workbook.disclosure.published import Count, PublishedTable
from workbook.facts.actions import POSITIONS, position_at_year_end
from workbook.inputs.report import Report


@dataclass
class ThematicReview:
    """Everything the section shows, computed once."""

    report: Report
    codebook: Codebook
    findings: pd.DataFrame
    coded: pd.DataFrame
    table: pd.DataFrame
    actions: pd.DataFrame

    @property
    def labels(self) -> dict[str, str]:
        return self.codebook.labels()

    def theme_label(self, theme: str) -> str:
        return self.labels.get(theme, theme)

    @cached_property
    def action_states(self) -> pd.DataFrame:
        """Actions per theme by where they stood at the year end (`actions_by_theme`): the
        table of actions and the sentence on open actions both read it."""
        return actions_by_theme(self.actions, self.table, self.report.year.label, POSITIONS)

    @cached_property
    def theme_order(self) -> list[str]:
        """The coded themes, most frequent first: asked for by most tables and sentences, and
        worked out over every finding of the window, so once."""
        return theme_order(self.table)

    @cached_property
    def by_theme(self) -> PublishedTable:
        """Each theme's findings broken down by source, by kind and by year, with the total.

        The section states a theme's findings in a table (by source and by kind), a chart (by
        year), the heatmap's diagonal and sentences: one table behind all of them, so that
        where the partnership withholds counts of findings (`withhold_counts_of`), one
        suppression covers every breakdown together and no output gives back what another
        withholds. Findings are the partnership's work: by default all are published.
        """
        counts = findings_by_theme(self)
        groups = [
            list(SOURCE_COLUMNS.values()),
            list(KIND_COLUMNS.values()),
            list(self.report.lookback_with_data),
        ]
        frame = counts.rename_axis("Theme").reset_index()
        return PublishedTable(
            frame,
            "Findings by theme",
            self.report.policy,
            {c: Count("findings") for c in counts.columns},
            row_total=ALL_FINDINGS,
            row_parts=groups,
        )

    @property
    def scope(self) -> str:
        """The years the review covers, as a caption names them."""
        years = self.report.lookback_with_data
        return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


SOURCE_COLUMNS = {"review": "Review findings", "audit": "Audit findings"}
KIND_COLUMNS = {
    "strength": "Strengths",
    "for_development": "Asking for change",
    "neutral": "Found satisfactory",
}
"""The kind groups of `workbook.coding.analysis.KIND_GROUPS`; together they add up to every
finding (the suppression relies on it). The findings table leaves out a group with no findings."""
ALL_FINDINGS = "All findings"
NO_THEME = "No theme"


def findings_by_theme(review: ThematicReview) -> pd.DataFrame:
    """Each theme's findings (rows: theme labels, most frequent first) broken down three ways,
    by source, by kind and by year of the lookback, each adding up to `All findings`."""
    years = review.report.lookback_with_data
    frames = [
        _wide(prevalence_by_source(review.table), "source_type", SOURCE_COLUMNS, review),
        _wide(prevalence_by_kind(review.table), "kind_group", KIND_COLUMNS, review),
        _wide(prevalence_by_year(review.table, years), "year", {y: y for y in years}, review),
    ]
    wide = pd.concat(frames, axis=1)
    totals = review.table.dropna(subset=["theme"]).groupby("theme")["finding_id"].nunique()
    wide[ALL_FINDINGS] = [int(totals[t]) for t in review.theme_order]
    return wide


def _year_scoped(frame: pd.DataFrame) -> pd.Series:
    """Finding ids made unique across years: ids need only be unique within a year's data.
    Each id of a cell naming several ("F1;F2") is scoped ("2019-20/F1;2019-20/F2")."""
    return pd.Series(
        [
            ";".join(f"{year}/{part}" for part in str(ids).split(";"))
            for year, ids in zip(frame["year"], frame["finding_id"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def build(
    report: Report, codebook: Codebook | None = None, count_source_themes: bool = False
) -> ThematicReview:
    """Code every finding of the lookback window (analyst themes win) and join it up. The
    themes a finding's review or audit suggests are kept "from the source", and count only with
    ``count_source_themes``."""
    codebook = codebook or load_codebook()
    findings = report.across_lookback("findings")
    findings = findings.assign(finding_id=_year_scoped(findings))
    actions = report.across_lookback("actions")
    actions["position"] = position_at_year_end(actions, report.year)
    linked = actions["finding_id"].notna()
    actions.loc[linked, "finding_id"] = _year_scoped(actions[linked])
    sources = sources_table(report.across_lookback("reviews"), report.across_lookback("audits"))
    coded = code_findings(
        findings, codebook, sources=sources, count_source_themes=count_source_themes
    )
    return ThematicReview(report, codebook, findings, coded, theme_table(findings, coded), actions)


def _wide(
    prevalence: pd.DataFrame, by: str, columns: dict[str, str], review: ThematicReview
) -> pd.DataFrame:
    """Findings per theme (rows: labels, every coded theme, most frequent first) by `by`."""
    wide = prevalence.pivot_table(
        index="theme", columns=by, values="findings", aggfunc="sum", fill_value=0, sort=False
    )
    wide = wide.reindex(index=review.theme_order, columns=list(columns), fill_value=0)
    wide.index = [review.theme_label(t) for t in wide.index]
    return wide.rename(columns=columns).rename_axis("Theme")
