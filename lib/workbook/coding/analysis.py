"""The multi-year thematic review: what reviews and audits keep telling the partnership.

Pure functions over DataFrames, so notebooks chart and narrate their results without computing
anything themselves. The starting point is ``theme_table``: one row per finding and final theme
(the analyst's coding where there is one, the automatic coding otherwise), carrying the finding's
year, source type and kind; uncoded findings keep one row with an empty theme so that shares are
always out of every finding, not only the coded ones.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from workbook.coding.codebook import Codebook
from workbook.coding.coder import final_themes
from workbook.coding.vocabulary import terms
from workbook.core.errors import WorkbookError
from workbook.core.years import ReportYear
from workbook.inputs.cells import split_ids

SOURCE_TYPES = ("review", "audit")
KIND_GROUPS = {
    "strength": "strength",
    "area_for_development": "for_development",
    "learning": "for_development",
    "recommendation": "for_development",
    "satisfactory": "neutral",
}
"""Strengths against everything that asks for change (areas for development, learning points and
recommendations), as annual reports contrast them; practice found satisfactory is neither, a
group of its own ("neutral"), so the three groups add up to every finding."""
KIND_GROUP_ORDER = ("strength", "for_development", "neutral")

ECHO_BOTH, ECHO_REVIEWS_ONLY, ECHO_AUDITS_ONLY = "both", "reviews_only", "audits_only"


# --------------------------------------------------------------------------------------------------
# The window and the theme table
# --------------------------------------------------------------------------------------------------


def theme_table(findings: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """Findings joined to their final themes: one row per (finding, theme), uncoded kept.

    ``findings`` follows the data contract (finding_id, source_type, source_id, kind, year, ...);
    ``coded`` is ``code_findings`` output for the same findings. Columns of ``findings`` are kept,
    ``themes`` and ``text`` aside, plus ``theme`` and ``coded_by`` (analyst, automatic or uncoded).
    """
    _require(findings, ["finding_id"], "findings")
    if "finding_id" not in coded.columns:
        raise WorkbookError(
            "the coded findings must have a finding_id column (code the findings "
            "table of the data contract, not a CSV with an 'id' column)"
        )
    final = final_themes(coded).rename(columns={"source": "coded_by"})
    keep = [column for column in findings.columns if column not in ("themes", "text")]
    table = findings[keep].merge(final, on="finding_id", how="left", validate="one_to_many")
    missing = table["coded_by"].isna()
    if missing.any():
        raise WorkbookError(
            f"{int(missing.sum())} finding(s) were not coded (e.g. "
            f"{', '.join(table.loc[missing, 'finding_id'].astype(str).head(5))}): code the same "
            "findings table you analyse"
        )
    return table.reset_index(drop=True)


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    """Fail with the missing column names rather than a KeyError deep inside pandas."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise WorkbookError(f"the {name} table lacks column(s): {', '.join(missing)}")


def _ordered_years(years: pd.Series | list[str]) -> list[str]:
    """Year labels present, oldest first (validated, so "2019-20" sorts before "2020-21")."""
    labels = pd.Series(years).dropna().astype(str).unique().tolist()
    return [year.label for year in sorted(ReportYear.parse(label) for label in labels)]


# --------------------------------------------------------------------------------------------------
# Prevalence
# --------------------------------------------------------------------------------------------------


def prevalence(table: pd.DataFrame, by: str, groups: list[str] | None = None) -> pd.DataFrame:
    """Findings per theme within each group of ``by``, and their share of the group's findings.

    Tidy (one row per group and theme, zeros included) for charts: columns ``by``, ``theme``,
    ``findings``, ``group_findings`` (every finding of the group, coded or not) and ``share``.
    Themes are ordered by findings overall, most first; groups as given (default: sorted).
    """
    _require(table, ["finding_id", "theme", by], "theme")
    groups = groups if groups is not None else sorted(table[by].dropna().astype(str).unique())
    themes = theme_order(table)
    per_group = table.groupby(by, observed=True)["finding_id"].nunique()
    coded = table.dropna(subset=["theme"])
    counts = coded.groupby([by, "theme"], observed=True)["finding_id"].nunique()
    grid = pd.MultiIndex.from_product([groups, themes], names=[by, "theme"])
    out = counts.reindex(grid, fill_value=0).rename("findings").reset_index()
    out["group_findings"] = out[by].map(per_group).fillna(0).astype(int)
    out["share"] = (out["findings"] / out["group_findings"].replace(0, np.nan)).fillna(0.0)
    return out


def theme_order(table: pd.DataFrame) -> list[str]:
    """Themes by number of findings, most first; ties by id, so the order is always the same."""
    coded = table.dropna(subset=["theme"])
    counts = coded.groupby("theme")["finding_id"].nunique()
    frame = counts.rename("n").reset_index().sort_values(["n", "theme"], ascending=[False, True])
    return frame["theme"].tolist()


def prevalence_by_source(table: pd.DataFrame) -> pd.DataFrame:
    """Theme prevalence in reviews against audits."""
    return prevalence(table, "source_type", list(SOURCE_TYPES))


def prevalence_by_year(table: pd.DataFrame, years: list[str] | None = None) -> pd.DataFrame:
    """Theme prevalence year by year (default: every year in the table, oldest first)."""
    return prevalence(table, "year", years if years is not None else _ordered_years(table["year"]))


def prevalence_by_kind(table: pd.DataFrame) -> pd.DataFrame:
    """Theme prevalence among strengths, findings asking for change and findings of practice
    found satisfactory (``kind_group``: see KIND_GROUPS)."""
    _require(table, ["kind"], "theme")
    grouped = table.assign(kind_group=table["kind"].map(KIND_GROUPS))
    return prevalence(grouped, "kind_group", list(KIND_GROUP_ORDER))


def recurring_themes(table: pd.DataFrame, years: list[str] | None = None) -> pd.DataFrame:
    """Themes found in every year of the window that has findings, with their count per year.

    Years of the window without any findings are left out of the test (a partnership with no
    reviews one year has not "stopped" seeing a theme). Wide: one row per recurring theme, one
    column per year, plus ``total``; most frequent first.
    """
    _require(table, ["finding_id", "theme", "year"], "theme")
    in_window = table if years is None else table[table["year"].isin(years)]
    with_data = _ordered_years(in_window["year"])
    if not with_data:
        return pd.DataFrame(columns=["theme", "total"])
    counts = (
        in_window.dropna(subset=["theme"])
        .groupby(["theme", "year"])["finding_id"]
        .nunique()
        .unstack("year")
        .reindex(columns=with_data)
        .fillna(0)
        .astype(int)
    )
    recurring = counts[(counts > 0).all(axis=1)].copy()
    recurring["total"] = recurring.sum(axis=1)
    recurring = recurring.reset_index().sort_values(["total", "theme"], ascending=[False, True])
    recurring.columns.name = None
    return recurring.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Co-occurrence and the audit-review echo
# --------------------------------------------------------------------------------------------------


def cooccurrence(table: pd.DataFrame, themes: list[str] | None = None) -> pd.DataFrame:
    """Theme x theme count of findings carrying both themes (the diagonal: findings per theme).

    Square and symmetric, ready for a heatmap; themes ordered by frequency unless given.
    """
    _require(table, ["finding_id", "theme"], "theme")
    themes = themes if themes is not None else theme_order(table)
    coded = table.dropna(subset=["theme"]).drop_duplicates(["finding_id", "theme"])
    marks = pd.crosstab(coded["finding_id"], coded["theme"]).reindex(columns=themes, fill_value=0)
    matrix = marks.to_numpy().T @ marks.to_numpy()
    return pd.DataFrame(matrix, index=pd.Index(themes, name="theme"), columns=themes)


def audit_echoes_review(table: pd.DataFrame) -> pd.DataFrame:
    """Which themes audits echo from reviews: found in both, in reviews only, or in audits only.

    One row per theme: findings and distinct sources (reviews, audits) of each type, and ``echo``.
    A finding from several reviews or audits ("A1;A2") counts each of them as a source.
    """
    _require(table, ["finding_id", "theme", "source_type", "source_id"], "theme")
    coded = table.dropna(subset=["theme"])
    findings = coded.pivot_table(
        index="theme", columns="source_type", values="finding_id", aggfunc="nunique", fill_value=0
    ).reindex(columns=list(SOURCE_TYPES), fill_value=0)
    sources = (
        each_source(coded)
        .pivot_table(
            index="theme",
            columns="source_type",
            values="source_id",
            aggfunc="nunique",
            fill_value=0,
        )
        .reindex(columns=list(SOURCE_TYPES), fill_value=0)
    )
    out = pd.DataFrame(
        {
            "review_findings": findings["review"],
            "audit_findings": findings["audit"],
            "reviews": sources["review"],
            "audits": sources["audit"],
        }
    ).astype(int)
    in_reviews, in_audits = out["review_findings"] > 0, out["audit_findings"] > 0
    out["echo"] = np.select(
        [in_reviews & in_audits, in_reviews], [ECHO_BOTH, ECHO_REVIEWS_ONLY], ECHO_AUDITS_ONLY
    )
    out = out.reindex([theme for theme in theme_order(coded) if theme in out.index])
    return out.rename_axis("theme").reset_index()


# --------------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------------


def actions_by_theme(
    actions: pd.DataFrame, table: pd.DataFrame, report_year: str, positions: tuple[str, ...]
) -> pd.DataFrame:
    """Actions per theme by where they stood at the end of ``report_year``.

    Each action comes with its ``position`` at the end of ``report_year`` (completed, in
    progress, not started, overdue, cancelled), worked out once by the year's facts
    (``workbook.facts.actions``), so every section counts alike; the columns are the positions
    in the order given by ``positions``. Where an action appears in several years' data, its
    latest row up to ``report_year`` is its state. An action counts once under each theme of
    the findings it answers (all of them, where it answers several), so theme rows can add up
    to more than the number of actions; actions without a (coded) finding are under an empty
    theme.
    """
    _require(actions, ["action_id", "finding_id", "position"], "actions")
    latest = _latest_state(actions, ReportYear.parse(report_year))
    themes = table.dropna(subset=["theme"])[["finding_id", "theme"]].drop_duplicates()
    answered = latest.assign(
        finding_id=latest["finding_id"].map(lambda ids: split_ids(ids) or [pd.NA])
    ).explode("finding_id")
    linked = answered.merge(themes, on="finding_id", how="left")
    counts = linked.groupby(["theme", "position"], dropna=False)["action_id"].nunique()
    wide = counts.unstack("position").reindex(columns=list(positions)).fillna(0).astype(int)
    wide["total"] = wide.sum(axis=1)
    wide = wide.reset_index()
    order = {theme: rank for rank, theme in enumerate(theme_order(table))}
    wide["_rank"] = wide["theme"].map(order).fillna(len(order))
    wide = wide.sort_values(["_rank", "theme"], na_position="last").drop(columns="_rank")
    wide.columns.name = None
    return wide.reset_index(drop=True)


def each_source(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings with one row per source they name: "A1;A2" becomes a row for A1 and one for A2
    (to count distinct sources; count findings on the table itself)."""
    return findings.assign(source_id=findings["source_id"].map(split_ids)).explode("source_id")


def _latest_state(actions: pd.DataFrame, year: ReportYear) -> pd.DataFrame:
    """Each action's row from the latest year of data up to ``year``, dates as timestamps."""
    frame = actions.copy()
    if "year" in frame.columns:
        starts = frame["year"].map(lambda label: ReportYear.parse(label).start_year)
        frame = frame[starts <= year.start_year].assign(_start=starts)
        frame = frame.sort_values("_start", kind="stable").drop(columns="_start")
        frame = frame.drop_duplicates("action_id", keep="last")
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Emerging terms
# --------------------------------------------------------------------------------------------------


def emerging_terms(
    findings: pd.DataFrame,
    codebook: Codebook,
    latest_year: str | None = None,
    min_count: int = 3,
    top: int = 20,
) -> pd.DataFrame:
    """Lemmas and two-word phrases rising in the latest year that no codebook pattern covers.

    Offered to the analyst as candidates for the codebook, never added to it. Words are counted
    as lemmas ("auditors" as "auditor"), stop words and the vocabulary every report is written in
    left out (``workbook.coding.vocabulary``). A term "rises" when the share of the latest year's
    findings using it is higher than its share in earlier years of the table (years after
    ``latest_year``, if any, are left out: they are not "earlier"); it must appear in at least
    ``min_count`` latest-year findings. Columns: ``term``, ``findings_latest``, ``share_latest``,
    ``findings_earlier``, ``share_earlier``, ``rise`` (counts of findings, not of people).
    """
    _require(findings, ["text", "year"], "findings")
    latest = latest_year if latest_year is not None else _ordered_years(findings["year"])[-1]
    latest_start = ReportYear.parse(latest).start_year
    starts = findings["year"].map(lambda label: ReportYear.parse(label).start_year)
    is_latest, is_earlier = starts == latest_start, starts < latest_start
    uncovered = _without_codebook_matches(findings["text"], codebook)
    forms: dict[str, Counter[str]] = {}
    latest_counts = _document_frequency(uncovered[is_latest], forms)
    earlier_counts = _document_frequency(uncovered[is_earlier])
    n_latest, n_earlier = int(is_latest.sum()), int(is_earlier.sum())
    candidates = [term for term, count in latest_counts.items() if count >= min_count]
    shown = {term: _usual_form(forms[term]) for term in candidates}
    scanned = codebook.scan_many([shown[term] for term in candidates])["text"].tolist()
    covered = {candidates[position] for position in scanned}
    rows = []
    for term in candidates:
        if term in covered:
            continue
        share_latest = latest_counts[term] / n_latest
        share_earlier = earlier_counts.get(term, 0) / n_earlier if n_earlier else 0.0
        if share_latest > share_earlier:
            rows.append(
                (
                    shown[term],
                    latest_counts[term],
                    share_latest,
                    earlier_counts.get(term, 0),
                    share_earlier,
                    share_latest - share_earlier,
                )
            )
    columns = [
        "term",
        "findings_latest",
        "share_latest",
        "findings_earlier",
        "share_earlier",
        "rise",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(["rise", "findings_latest", "term"], ascending=[False, False, True])
    return out.head(top).reset_index(drop=True)


def _without_codebook_matches(texts: pd.Series, codebook: Codebook) -> pd.Series:
    """Each text with the phrases the codebook matched cut out ("return home interviews" is
    covered, so none of its words is a candidate), leaving a full stop so no two-word phrase
    is made across the gap."""
    values = texts.fillna("").astype(str).tolist()
    hits = codebook.scan_many(values).sort_values(["text", "start"], ascending=[True, False])
    for position, start, end in zip(hits["text"], hits["start"], hits["end"], strict=True):
        text = values[position]
        values[position] = f"{text[:start]} . {text[end:]}"
    return pd.Series(values, index=texts.index)


def _usual_form(forms: Counter[str]) -> str:
    """The way a term is most often written (ties: the first in alphabetical order)."""
    return min(forms.items(), key=lambda item: (-item[1], item[0]))[0]


def _document_frequency(
    texts: pd.Series, forms: dict[str, Counter[str]] | None = None
) -> Counter[str]:
    """How many texts use each content lemma and each two-lemma phrase; ``forms`` collects how
    often each is written each way."""
    counts: Counter[str] = Counter()
    for text in texts.fillna("").astype(str):
        found = terms(text)
        counts.update(found.keys())
        if forms is not None:
            for key, form in found.items():
                forms.setdefault(key, Counter())[form] += 1
    return counts
