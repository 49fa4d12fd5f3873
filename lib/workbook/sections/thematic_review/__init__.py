"""The thematic review section: the themes of the lookback's findings, laid out from the year's
theme facts (`workbook.facts.themes`), where each finding is counted once with all its sources
and themes.

`tables` holds the one table of themes and what the charts draw (and the analyst's working);
`listings` the key findings and actions of the year's leading themes and the appendix's listing
of findings; `narrative` what the sentences state.
"""

from workbook.sections.thematic_review.listings import (
    KEY_ITEMS,
    KIND_RANK,
    LEADING_THEMES,
    POSITION_RANK,
    theme_leads,
)
from workbook.sections.thematic_review.narrative import sentences
from workbook.sections.thematic_review.tables import (
    ALL_FINDINGS,
    AUDITS,
    MIN_FINDINGS_FOR_CHART,
    MIN_THEMES_IN_PAIRS,
    NO_THEME,
    OPEN_ACTIONS,
    REVIEWS,
    agreement_table,
    by_theme,
    by_year_table,
    emerging_table,
    findings_listing,
    leading_pairs,
    pairs_table,
    themes_table,
    uncoded_table,
)

__all__ = [
    "ALL_FINDINGS",
    "AUDITS",
    "KEY_ITEMS",
    "KIND_RANK",
    "LEADING_THEMES",
    "MIN_FINDINGS_FOR_CHART",
    "MIN_THEMES_IN_PAIRS",
    "NO_THEME",
    "OPEN_ACTIONS",
    "POSITION_RANK",
    "REVIEWS",
    "agreement_table",
    "by_theme",
    "by_year_table",
    "emerging_table",
    "findings_listing",
    "leading_pairs",
    "pairs_table",
    "sentences",
    "theme_leads",
    "themes_table",
    "uncoded_table",
]
