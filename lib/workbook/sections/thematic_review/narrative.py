"""What the thematic review's narrative states (`facts`), from the data and as the tables
publish it."""

from __future__ import annotations

import textwrap

import pandas as pd

from workbook.coding.agreement import agreement
from workbook.coding.analysis import (
    ECHO_AUDITS_ONLY,
    ECHO_BOTH,
    ECHO_REVIEWS_ONLY,
    KIND_GROUPS,
    audit_echoes_review,
    each_source,
    recurring_themes,
)
from workbook.core.years import ReportYear
from workbook.facts.actions import OPEN_POSITIONS, position_at_year_end
from workbook.sections.thematic_review.review import ALL_FINDINGS, ThematicReview
from workbook.sections.thematic_review.tables import actions_table
from workbook.text.labels import label


def _short(text: str, width: int = 160) -> str:
    return textwrap.shorten(str(text), width=width, placeholder=" …")


def leading_themes(review: ThematicReview, top: int = 5) -> list[dict]:
    """The most frequent themes with their counts (as the findings table publishes them),
    share and an example finding as evidence."""
    table, total = review.table, review.findings["finding_id"].nunique()
    published = review.by_theme
    out = []
    for theme in review.theme_order[:top]:
        ids = table.loc[table["theme"] == theme, "finding_id"].unique()
        example = review.findings.loc[review.findings["finding_id"] == ids[0], "text"].iloc[0]
        evidence = review.coded.loc[
            (review.coded["finding_id"].isin(ids)) & (review.coded["theme"] == theme), "evidence"
        ].dropna()
        label_ = review.theme_label(theme)
        findings = published.value(label_, ALL_FINDINGS)
        exact = findings is not None and not published.withheld_cell(label_, ALL_FINDINGS)
        out.append(
            {
                "theme": label_,
                "findings": findings,
                "share": 100 * len(ids) / total if exact and total else None,
                "example": _short(example),
                "phrases": sorted({e.lower() for e in evidence if e})[:4],
            }
        )
    return out


def _kind_shift(review: ThematicReview) -> tuple[list[str], list[str]]:
    """Themes that improved (fewer findings asking for change in the latest year than the average
    of earlier years, and at least one strength) and themes that grew."""
    years = review.report.lookback_with_data
    if len(years) < 2:
        return [], []
    asks = review.table[review.table["kind"].map(KIND_GROUPS) == "for_development"]
    asks = asks.dropna(subset=["theme"])
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
    rank = {theme: i for i, theme in enumerate(review.theme_order)}
    ordered = sorted(themes, key=lambda t: rank.get(t, len(rank)))
    names = [review.theme_label(t) for t in ordered[:limit]]
    rest = len(ordered) - limit
    if rest > 0:
        names.append(f"{rest} other {'theme' if rest == 1 else 'themes'}")
    return names


def _sources_without_findings(review: ThematicReview, kind: str, table: str) -> int:
    """Reviews (or audits) in the window's data whose findings are not recorded."""
    sources = review.report.across_lookback(table)
    key = "review_id" if kind == "review" else "audit_id"
    with_findings = _source_keys(review.findings, kind)
    keys = set(zip(sources["year"], sources[key].astype(str), strict=True))
    return len(keys - with_findings)


def _source_keys(findings: pd.DataFrame, kind: str) -> set[tuple[str, str]]:
    """(year, source id) of every review or audit the findings come from (each source of a
    finding from several)."""
    mine = each_source(findings[findings["source_type"] == kind])
    return set(zip(mine["year"], mine["source_id"].astype(str), strict=True))


def facts(review: ThematicReview) -> dict:
    """What the thematic review narrative states, from the data."""
    report = review.report
    policy = report.policy
    findings = review.findings
    echo = audit_echoes_review(review.table)
    recurring = recurring_themes(review.table, report.lookback_with_data)
    improved, grew = _kind_shift(review)
    missing_years = [y for y in report.lookback if y not in report.lookback_with_data]
    analyst_coded = int(
        (review.coded["source"] == "analyst").groupby(review.coded["finding_id"]).any().sum()
    )
    kappa = None
    if analyst_coded:
        overall = agreement(review.coded).set_index("theme").loc["overall"]
        kappa = None if pd.isna(overall["kappa"]) else float(overall["kappa"])
    return {
        "findings": policy.count(len(findings), "findings"),
        "reviews": policy.count(len(_source_keys(findings, "review")), "reviews"),
        "audits": policy.count(len(_source_keys(findings, "audit")), "audits"),
        "reviews_without_findings": policy.count(
            _sources_without_findings(review, "review", "reviews"), "reviews"
        ),
        "audits_without_findings": policy.count(
            _sources_without_findings(review, "audit", "audits"), "audits"
        ),
        "first_year": report.lookback_with_data[0],
        "last_year": report.lookback_with_data[-1],
        "years_with_data": len(report.lookback_with_data),
        "window": len(report.lookback),
        "missing_years": missing_years,
        "uncoded": policy.count(
            review.table.loc[review.table["theme"].isna(), "finding_id"].nunique(), "findings"
        ),
        "leading": leading_themes(review),
        "recurring": _named(recurring["theme"], review)
        if len(report.lookback_with_data) > 1
        else [],
        "echoed": _named(echo.loc[echo["echo"] == ECHO_BOTH, "theme"], review),
        "reviews_only": _named(echo.loc[echo["echo"] == ECHO_REVIEWS_ONLY, "theme"], review),
        "audits_only": _named(echo.loc[echo["echo"] == ECHO_AUDITS_ONLY, "theme"], review),
        "improved": _named(improved, review),
        "grew": _named(grew, review),
        **_open_actions(review),
        "analyst_coded": policy.count(analyst_coded, "findings"),
        "kappa": kappa,
    }


def _open_actions(review: ThematicReview) -> dict:
    """Actions still open at the year end (each counted once, themed or not) and the themes
    most of them are on. Where the actions table withholds an open cell (a partnership that
    withholds counts of actions), the number is not stated: with the table's other cells it
    would give the withheld one back."""
    table = actions_table(review)
    states = review.action_states
    open_ids = _open_action_ids(review)
    open_columns = [label("status", p) for p in OPEN_POSITIONS]
    hidden = not table.empty and bool(table.mask[open_columns].to_numpy().any())
    themed = states[states["theme"].notna()]
    themed = themed.assign(open=themed[list(OPEN_POSITIONS)].sum(axis=1))
    themed = themed[themed["open"] > 0].sort_values("open", ascending=False, kind="stable")
    return {
        "actions": review.report.policy.count(review.actions["action_id"].nunique(), "actions"),
        "open_actions": None if hidden else review.report.policy.count(len(open_ids), "actions"),
        "open_themes": _most_open(themed, review),
        "open_without_theme": not themed["open"].sum() and bool(open_ids),
    }


def _most_open(themed: pd.DataFrame, review: ThematicReview) -> list[str]:
    """The themes with the most open actions (all of them when they tie, none when more than
    three tie), so "most often on" is true of every theme named."""
    if themed.empty:
        return []
    leading = themed.loc[themed["open"] == themed["open"].max(), "theme"]
    return [review.theme_label(t) for t in leading] if len(leading) <= 3 else []


def _open_action_ids(review: ThematicReview) -> set:
    latest = _latest_actions(review)
    positions = position_at_year_end(latest, review.report.year)
    return set(latest.loc[positions.isin(OPEN_POSITIONS), "action_id"])


def _latest_actions(review: ThematicReview) -> pd.DataFrame:
    """Each action's latest record up to the report year."""
    frame = review.actions.copy()
    order = frame["year"].map({y: ReportYear.parse(y).start_year for y in frame["year"].unique()})
    frame = frame.assign(_order=order).sort_values("_order", kind="stable")
    frame = frame.drop_duplicates("action_id", keep="last").drop(columns="_order")
    frame["due_date"] = pd.to_datetime(frame["due_date"], errors="coerce")
    return frame.reset_index(drop=True)
