"""Themes beside national analyses: the share of the partnership's children's reviews over the
lookback that featured each theme, set beside the national figures of
specs/national_themes.yaml with their denominators and sources.

Kept apart from the thematic review (which counts findings) because it counts reviews: a review
features a theme when at least one of its findings is coded to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.disclosure.formatting import format_figure
from workbook.disclosure.published import Count, PublishedTable, Share
from workbook.inputs.report import Report
from workbook.national.themes import (
    CHILD_REVIEW_TYPES,
    NationalThemes,
    assessed_reviews,
    beside_national,
    load_national_themes,
    review_theme_shares,
    reviews_without_findings,
)
from workbook.sections import thematic_review

SMALL_NUMBER_OF_REVIEWS = 20
"""Below this many local reviews, a share moves a lot with one review: the comparison is only
indicative (the national analyses cover hundreds)."""


@dataclass
class Comparison:
    report: Report
    national: NationalThemes
    shares: pd.DataFrame
    beside: pd.DataFrame
    assessed: int
    without_findings: list[str]
    labels: dict[str, str]


def build(report: Report) -> Comparison:
    """Code the lookback's findings (as the thematic review does) and compare by review."""
    review = thematic_review.build(report)
    reviews = report.across_lookback("reviews")
    shares = review_theme_shares(review.table, reviews)
    national = load_national_themes()
    assessed = assessed_reviews(review.table, reviews)
    return Comparison(
        report,
        national,
        shares,
        beside_national(shares, national, assessed),
        assessed,
        reviews_without_findings(review.table, reviews),
        review.labels,
    )


LOCAL = "Our reviews featuring it"
SHARE = "Share of our reviews (%)"


def _scope(report: Report) -> str:
    years = report.lookback_with_data
    return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _factor(factor: str, theme: str) -> str:
    """The national factor, with the partnership's theme where its words differ."""
    same = factor.casefold().startswith(theme.casefold())
    return factor if same else f"{factor} ({theme.lower()})"


def _national_figure(row, number: int) -> str:
    """ "about 75% of 235 serious case reviews [1]": the figure as its source states it."""
    percent = format_figure(row.national_percent, 1).removesuffix(".0")
    base = (
        f"{int(row.national_denominator):,} {row.national_of}"
        if pd.notna(row.national_denominator)
        else row.national_of
    )
    return f"{'about ' if row.approximate else ''}{percent}% of {base} [{number}]"


def comparison_table(comparison: Comparison) -> PublishedTable:
    """Each national figure (its factor, our theme, what it is a share of and its source's
    number in the list below) beside how many of the partnership's reviews featured the theme
    and their share. Reviews are the partnership's work: published as they are."""
    beside = comparison.beside
    numbers = {citation: i for i, citation in enumerate(sources(comparison), 1)}
    rows = list(beside.itertuples(index=False))
    frame = pd.DataFrame(
        {
            "National factor (our theme)": [
                _factor(row.factor, comparison.labels.get(row.theme, row.theme)) for row in rows
            ],
            "National figure": [_national_figure(row, numbers[row.citation]) for row in rows],
            LOCAL: beside["reviews"].astype(int),
            SHARE: beside["share"],
        }
    )
    assessed = comparison.assessed
    if not assessed:  # columns of noughts and "x" would say nothing the sentence does not
        return PublishedTable(
            frame.drop(columns=[LOCAL, SHARE]),
            f"National analyses' figures for the partnership's themes (no local review with "
            f"recorded findings, {_scope(comparison.report)})",
            comparison.report.policy,
            notes=f"National figures: version {comparison.national.version} of the workbook's "
            "file of national figures; sources listed below.",
            when_empty=None,
        )
    caption = (
        f"Themes of the partnership's {assessed} children's "
        f"{'review' if assessed == 1 else 'reviews'} with recorded findings, "
        f"{_scope(comparison.report)}, beside national analyses"
    )
    return PublishedTable(
        frame,
        caption,
        comparison.report.policy,
        {LOCAL: Count("reviews"), SHARE: Share(of=LOCAL, decimals=0)},
        notes=f"National figures: version {comparison.national.version} of "
        "the workbook's file of national figures; sources listed "
        "below.",
        when_empty=None,
    )


def facts(comparison: Comparison) -> dict:
    """What the narrative states: the denominator, the years, the caveat, the sources."""
    report = comparison.report
    policy = report.policy
    return {
        "reviews": policy.count(comparison.assessed, "reviews"),
        "without_findings": policy.count(len(comparison.without_findings), "reviews"),
        "years": (
            f"in {report.lookback_with_data[0]}"
            if len(report.lookback_with_data) == 1
            else f"from {report.lookback_with_data[0]} to {report.lookback_with_data[-1]}"
        ),
        "types": "rapid reviews, child safeguarding practice reviews, serious case reviews and "
        "local learning reviews",
        "indicative": comparison.assessed < SMALL_NUMBER_OF_REVIEWS,
        "version": comparison.national.version,
        "themes": [comparison.labels.get(t, t) for t in dict.fromkeys(comparison.beside["theme"])],
        "review_types": CHILD_REVIEW_TYPES,
    }


def sources(comparison: Comparison) -> list[str]:
    """Each publication the national figures come from, once, as a reference list gives it,
    in the order the table numbers them."""
    return list(dict.fromkeys(f.citation for f in comparison.national.figures))
