"""The thematic review section: code the lookback's findings and gather what the narrative says.

`workbook.coding.analysis` holds the analysis (prevalence, recurrence, co-occurrence, echoes,
actions, emerging terms); this module applies it to one partnership's lookback window and turns the
results into labelled tables and the facts the Jinja2 template narrates.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from workbook.coding.analysis import (
    ECHO_AUDITS_ONLY,
    ECHO_BOTH,
    ECHO_REVIEWS_ONLY,
    actions_by_theme,
    audit_echoes_review,
    cooccurrence,
    emerging_terms,
    prevalence_by_kind,
    prevalence_by_source,
    prevalence_by_year,
    recurring_themes,
    theme_order,
    theme_table,
)
from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import agreement, code_findings
from workbook.coding.context import sources_table
from workbook.disclosure.suppression import SUPPRESSED, suppression_mask
from workbook.inputs.report import Report
from workbook.sections.learning_actions import POSITIONS
from workbook.text.labels import label


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
    def published_findings(self) -> pd.DataFrame:
        """`findings_by_theme` as far as the section publishes it: withheld cells are NaN.

        The section states a theme's findings in a table (by source and by kind, with the
        total), a chart (by year), the heatmap's diagonal and sentences. Each of those breaks
        the same total down, so a cell one of them hides could be worked out from another
        (a theme's 3 audit findings are its total less its review findings, and the total is
        its strengths plus its findings asking for change). One suppression over every
        breakdown together, which all of them then read, is what keeps them apart.
        """
        counts = findings_by_theme(self)
        groups = [list(SOURCE_COLUMNS.values()), list(KIND_COLUMNS.values()),
                  list(self.report.lookback_with_data)]
        mask = suppression_mask(counts, self.report.threshold, row_total=ALL_FINDINGS,
                                row_parts=groups)
        return counts.astype(float).mask(mask)


SOURCE_COLUMNS = {"review": "Review findings", "audit": "Audit findings"}
KIND_COLUMNS = {"strength": "Strengths", "for_development": "Asking for change"}
ALL_FINDINGS = "All findings"


def findings_by_theme(review: ThematicReview) -> pd.DataFrame:
    """Each theme's findings (rows: theme labels, most frequent first) broken down three ways,
    by source, by kind and by year of the lookback, each adding up to `All findings`."""
    years = review.report.lookback_with_data
    frames = [_wide(prevalence_by_source(review.table), "source_type", SOURCE_COLUMNS, review),
              _wide(prevalence_by_kind(review.table), "kind_group", KIND_COLUMNS, review),
              _wide(prevalence_by_year(review.table, years), "year", {y: y for y in years},
                    review)]
    wide = pd.concat(frames, axis=1)
    totals = review.table.dropna(subset=["theme"]).groupby("theme")["finding_id"].nunique()
    wide[ALL_FINDINGS] = [int(totals[t]) for t in theme_order(review.table)]
    return wide


def _year_scoped(frame: pd.DataFrame) -> pd.Series:
    """Finding ids made unique across years: ids need only be unique within a year's data."""
    return frame["year"].astype(str) + "/" + frame["finding_id"].astype(str)


def build(report: Report, codebook: Codebook | None = None,
          count_source_themes: bool = False) -> ThematicReview:
    """Code every finding of the lookback window (analyst themes win) and join it up. The
    themes a finding's review or audit suggests are kept "from the source", and count only with
    ``count_source_themes``."""
    codebook = codebook or load_codebook()
    findings = report.across_lookback("findings")
    findings = findings.assign(finding_id=_year_scoped(findings))
    actions = report.across_lookback("actions")
    linked = actions["finding_id"].notna()
    actions.loc[linked, "finding_id"] = _year_scoped(actions[linked])
    sources = sources_table(report.across_lookback("reviews"), report.across_lookback("audits"))
    coded = code_findings(findings, codebook, sources=sources,
                          count_source_themes=count_source_themes)
    return ThematicReview(report, codebook, findings, coded, theme_table(findings, coded), actions)


def _short(text: str, width: int = 160) -> str:
    return textwrap.shorten(str(text), width=width, placeholder=" …")


def leading_themes(review: ThematicReview, top: int = 5) -> list[dict]:
    """The most frequent themes with their counts, share and an example finding as evidence."""
    table, total = review.table, review.findings["finding_id"].nunique()
    published = review.published_findings[ALL_FINDINGS]
    threshold = review.report.threshold
    out = []
    for theme in theme_order(table)[:top]:
        ids = table.loc[table["theme"] == theme, "finding_id"].unique()
        example = review.findings.loc[review.findings["finding_id"] == ids[0], "text"].iloc[0]
        evidence = review.coded.loc[(review.coded["finding_id"].isin(ids))
                                    & (review.coded["theme"] == theme), "evidence"].dropna()
        # A count hidden for being small reads "5 or fewer"; one hidden to protect another
        # is not stated at all (None), nor its share.
        withheld = pd.isna(published[review.theme_label(theme)]) and len(ids) > threshold
        out.append({
            "theme": review.theme_label(theme),
            "findings": None if withheld else len(ids),
            "share": None if withheld or not total else 100 * len(ids) / total,
            "example": _short(example),
            "phrases": sorted({e.lower() for e in evidence if e})[:4],
        })
    return out


def _kind_shift(review: ThematicReview) -> tuple[list[str], list[str]]:
    """Themes that improved (fewer findings asking for change in the latest year than the average
    of earlier years, and at least one strength) and themes that grew."""
    years = review.report.lookback_with_data
    if len(years) < 2:
        return [], []
    asks = review.table[review.table["kind"] != "strength"].dropna(subset=["theme"])
    per_year = asks.groupby(["theme", "year"])["finding_id"].nunique().unstack(fill_value=0)
    per_year = per_year.reindex(columns=years, fill_value=0)
    earlier, latest = per_year[years[:-1]].mean(axis=1), per_year[years[-1]]
    strengths = set(review.table.loc[review.table["kind"] == "strength", "theme"].dropna())
    improved = [t for t in per_year.index if latest[t] < earlier[t] * 0.5 and t in strengths]
    grew = [t for t in per_year.index if latest[t] > max(earlier[t] * 1.5, 2)]
    return improved, grew


def _named(themes, review: ThematicReview, limit: int = 5) -> list[str]:
    """Theme labels for a sentence, most frequent first: the first `limit`, then "N other
    themes", so a sentence never becomes a list of twenty names."""
    rank = {theme: i for i, theme in enumerate(theme_order(review.table))}
    ordered = sorted(themes, key=lambda t: rank.get(t, len(rank)))
    names = [review.theme_label(t) for t in ordered[:limit]]
    rest = len(ordered) - limit
    if rest > 0:
        names.append(f"{rest} other {'theme' if rest == 1 else 'themes'}")
    return names


def facts(review: ThematicReview) -> dict:
    """What the thematic review narrative states, from the data."""
    report = review.report
    findings = review.findings
    echo = audit_echoes_review(review.table)
    recurring = recurring_themes(review.table, report.lookback_with_data)
    by_theme = actions_by_theme(review.actions, review.table, report.year.label)
    by_theme = by_theme[by_theme["theme"].notna()].reset_index(drop=True)
    open_by_theme = by_theme.assign(open=by_theme[list(OPEN_POSITIONS)].sum(axis=1))
    open_by_theme = open_by_theme[open_by_theme["open"] > 0]
    improved, grew = _kind_shift(review)
    missing_years = [y for y in report.lookback if y not in report.lookback_with_data]
    analyst_coded = int((review.coded["source"] == "analyst").groupby(
        review.coded["finding_id"]).any().sum())
    kappa = None
    if analyst_coded:
        overall = agreement(review.coded).set_index("theme").loc["overall"]
        kappa = None if pd.isna(overall["kappa"]) else float(overall["kappa"])
    return {
        "findings": len(findings),
        "reviews": findings.loc[findings["source_type"] == "review", ["year", "source_id"]]
        .drop_duplicates().shape[0],
        "audits": findings.loc[findings["source_type"] == "audit", ["year", "source_id"]]
        .drop_duplicates().shape[0],
        "first_year": report.lookback_with_data[0],
        "last_year": report.lookback_with_data[-1],
        "years_with_data": len(report.lookback_with_data),
        "window": len(report.lookback),
        "missing_years": missing_years,
        "uncoded": int(review.table.loc[review.table["theme"].isna(), "finding_id"].nunique()),
        "leading": leading_themes(review),
        "recurring": _named(recurring["theme"], review)
        if len(report.lookback_with_data) > 1 else [],
        "echoed": _named(echo.loc[echo["echo"] == ECHO_BOTH, "theme"], review),
        "reviews_only": _named(echo.loc[echo["echo"] == ECHO_REVIEWS_ONLY, "theme"], review),
        "audits_only": _named(echo.loc[echo["echo"] == ECHO_AUDITS_ONLY, "theme"], review),
        "improved": _named(improved, review),
        "grew": _named(grew, review),
        "open_actions": _published_open_actions(review, by_theme),
        "open_themes": [review.theme_label(t) for t in open_by_theme.sort_values(
            "open", ascending=False)["theme"].head(3)],
        "analyst_coded": analyst_coded,
        "kappa": kappa,
    }


OPEN_POSITIONS = ("in_progress", "not_started", "overdue")


def _published_open_actions(review: ThematicReview, by_theme: pd.DataFrame) -> int | None:
    """Open actions on the themes, as the sentence may state them beside `actions_table`.

    Their number adds up cells of that table; where the table withholds any open cell, the
    number and the table's other cells together would give it back, so it is not stated
    (None: the sentence says actions remained open without a number)."""
    # `by_theme` holds the table's counts in its columns' order (positions, then the total), so
    # its mask is the table's.
    counts = by_theme[[*POSITIONS, "total"]]
    mask = suppression_mask(counts, review.report.threshold, row_total="total")
    if mask[list(OPEN_POSITIONS)].to_numpy().any():
        return None
    return int(counts[list(OPEN_POSITIONS)].to_numpy().sum())


def _wide(prevalence: pd.DataFrame, by: str, columns: dict[str, str],
          review: ThematicReview) -> pd.DataFrame:
    """Findings per theme (rows: labels, every coded theme, most frequent first) by `by`."""
    wide = prevalence.pivot_table(index="theme", columns=by, values="findings", aggfunc="sum",
                                  fill_value=0, sort=False)
    wide = wide.reindex(index=theme_order(review.table), columns=list(columns), fill_value=0)
    wide.index = [review.theme_label(t) for t in wide.index]
    return wide.rename(columns=columns).rename_axis("Theme")


def findings_table(review: ThematicReview) -> pd.DataFrame:
    """Findings per theme by source and by kind, with the theme's total, fit to publish (from
    `published_findings`, so cells are text and withheld ones `c`)."""
    columns = [*SOURCE_COLUMNS.values(), *KIND_COLUMNS.values(), ALL_FINDINGS]
    published = review.published_findings[columns]
    table = published.apply(lambda column: column.map(
        lambda v: SUPPRESSED if pd.isna(v) else f"{int(v):,}"))
    table = table.rename_axis("Theme").reset_index()
    table.attrs["numeric"] = columns
    return table


def by_year_frame(review: ThematicReview, top: int = 8) -> pd.DataFrame:
    """Findings per theme per year for the leading themes, withheld counts NaN so they are
    never drawn (index years, columns theme labels)."""
    years = review.report.lookback_with_data
    return review.published_findings[years].head(top).T


def cooccurrence_frame(review: ThematicReview, top: int = 10) -> pd.DataFrame:
    """Leading themes' co-occurrence, counts at or under the threshold blanked; the diagonal
    (a theme's findings) blanked wherever the findings table withholds the theme's total."""
    themes = theme_order(review.table)[:top]
    matrix = cooccurrence(review.table, themes).astype(float)
    matrix = matrix.mask((matrix > 0) & (matrix <= review.report.threshold))
    labels = [review.theme_label(t) for t in themes]
    matrix.index, matrix.columns = labels, labels
    totals = review.published_findings[ALL_FINDINGS]
    for theme in labels:
        matrix.loc[theme, theme] = totals[theme]
    return matrix


def echo_table(review: ThematicReview) -> pd.DataFrame:
    """Per theme: reviews and audits raising it, and whether audits echo reviews."""
    echo = audit_echoes_review(review.table)
    words = {ECHO_BOTH: "Reviews and audits", ECHO_REVIEWS_ONLY: "Reviews only",
             ECHO_AUDITS_ONLY: "Audits only"}
    return pd.DataFrame({
        "Theme": echo["theme"].map(review.theme_label),
        "Reviews raising it": echo["reviews"],
        "Audits raising it": echo["audits"],
        "Found in": echo["echo"].map(words),
    })


def actions_table(review: ThematicReview) -> pd.DataFrame:
    """Actions per theme by position at the year end (an action counts under each theme)."""
    by_theme = actions_by_theme(review.actions, review.table, review.report.year.label)
    by_theme = by_theme[by_theme["theme"].notna()]
    table = pd.DataFrame({"Theme": by_theme["theme"].map(review.theme_label)})
    for position in POSITIONS:
        table[label("status", position)] = by_theme[position].to_numpy()
    table["All actions"] = by_theme["total"].to_numpy()
    return table.reset_index(drop=True)


def emerging_table(review: ThematicReview) -> pd.DataFrame:
    """Terms rising in the latest year that no theme covers: candidates for the analyst."""
    if len(review.report.lookback_with_data) < 2:
        return pd.DataFrame()
    terms = emerging_terms(review.findings, review.codebook,
                           latest_year=review.report.lookback_with_data[-1])
    return pd.DataFrame({
        "Term": terms["term"],
        "Findings this year": terms["findings_latest"],
        "Share this year (%)": (100 * terms["share_latest"]).round(1),
        "Share in earlier years (%)": (100 * terms["share_earlier"]).round(1),
    })


def agreement_table(review: ThematicReview) -> pd.DataFrame:
    """How far the automatic coding agrees with the analyst's, where the analyst coded."""
    table = agreement(review.coded)
    table = table[(table["theme"] == "overall") | (table["both"] + table["analyst_only"] > 0)]
    return pd.DataFrame({
        "Theme": table["theme"].map(lambda t: "All themes" if t == "overall"
                                    else review.theme_label(t)),
        "Precision": table["precision"].round(2),
        "Recall": table["recall"].round(2),
        "Cohen's kappa": table["kappa"].round(2),
    })
