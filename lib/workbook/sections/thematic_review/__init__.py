"""The thematic review section: code the lookback's findings and gather what the narrative says.

`workbook.coding.analysis` holds the analysis (prevalence, recurrence, co-occurrence, echoes,
actions, emerging terms); this package applies it to one partnership's lookback window
(`review`), turns the results into labelled tables (`tables`), lists the report year's findings
and actions (`listings`) and gathers the facts the Jinja2 template narrates (`narrative`).
"""

from workbook.sections.thematic_review.listings import (
    KIND_RANK,
    POSITION_RANK,
    SOURCE_WORDS,
    findings_listing,
    theme_leads,
)
from workbook.sections.thematic_review.narrative import facts, leading_themes
from workbook.sections.thematic_review.review import (
    ALL_FINDINGS,
    KIND_COLUMNS,
    NO_THEME,
    SOURCE_COLUMNS,
    ThematicReview,
    build,
    findings_by_theme,
)
from workbook.sections.thematic_review.tables import (
    actions_table,
    agreement_table,
    by_year_table,
    cooccurrence_table,
    echo_table,
    emerging_table,
    findings_table,
    trend_sentence,
)

__all__ = [
    "ALL_FINDINGS",
    "KIND_COLUMNS",
    "KIND_RANK",
    "NO_THEME",
    "POSITION_RANK",
    "SOURCE_COLUMNS",
    "SOURCE_WORDS",
    "ThematicReview",
    "actions_table",
    "agreement_table",
    "build",
    "by_year_table",
    "cooccurrence_table",
    "echo_table",
    "emerging_table",
    "facts",
    "findings_by_theme",
    "findings_listing",
    "findings_table",
    "leading_themes",
    "theme_leads",
    "trend_sentence",
]
