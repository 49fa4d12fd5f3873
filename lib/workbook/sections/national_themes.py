"""Themes beside national analyses: the share of the partnership's children's reviews over the
lookback that featured each theme, set beside the national figures of
specs/national_themes.yaml with their denominators and sources.

Kept apart from the thematic review (which counts findings) because it counts reviews: a review
features a theme when at least one of its findings is coded to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.inputs.report import Report
from workbook.national.themes import (
    CHILD_REVIEW_TYPES,
    NationalThemes,
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
    without_findings: list[str]
    labels: dict[str, str]


def build(report: Report) -> Comparison:
    """Code the lookback's findings (as the thematic review does) and compare by review."""
    review = thematic_review.build(report)
    reviews = report.across_lookback("reviews")
    shares = review_theme_shares(review.table, reviews)
    national = load_national_themes()
    return Comparison(report, national, shares, beside_national(shares, national),
                      reviews_without_findings(review.table, reviews), review.labels)


def facts(comparison: Comparison) -> dict:
    """What the narrative states: the denominator, the years, the caveat, the sources."""
    report = comparison.report
    assessed = int(comparison.beside["of_reviews"].iloc[0]) if len(comparison.beside) else 0
    return {
        "reviews": assessed,
        "without_findings": len(comparison.without_findings),
        "years": (f"in {report.lookback_with_data[0]}" if len(report.lookback_with_data) == 1
                  else f"from {report.lookback_with_data[0]} to {report.lookback_with_data[-1]}"),
        "types": "rapid reviews, child safeguarding practice reviews, serious case reviews and "
                 "local learning reviews",
        "indicative": assessed < SMALL_NUMBER_OF_REVIEWS,
        "version": comparison.national.version,
        "themes": [comparison.labels.get(t, t)
                   for t in dict.fromkeys(comparison.beside["theme"])],
        "review_types": CHILD_REVIEW_TYPES,
    }


def sources(comparison: Comparison) -> list[str]:
    """Each publication the national figures come from, once, as a reference list gives it."""
    return list(dict.fromkeys(f.citation for f in comparison.national.figures))
