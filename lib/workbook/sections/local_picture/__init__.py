"""The local picture and performance section: the partnership's figures beside national ones.

Every builder takes the year's facts (`workbook.facts.year_facts`); the figures, their
precision, comparators, targets and trends are worked out once in `workbook.facts.indicators`
(the partnership's own `indicators` table, and DfE's published statistics where the workbook
has them), and this package lays them out: the tables (`tables`, `breakdowns`), the charts'
data (`trends`) and what the sentences state (`figures`). A year with no figure at all shows
nothing.
"""

from workbook.sections.local_picture.breakdowns import (
    BREAKDOWNS,
    breakdown_caption,
    breakdown_table,
    breakdown_tables,
)
from workbook.sections.local_picture.figures import headline_sentences, target_sentences
from workbook.sections.local_picture.tables import (
    headline_table,
    left_to_training_section,
    local_table,
    methods,
    sources_note,
)
from workbook.sections.local_picture.trends import (
    TrendChart,
    neighbour_caption,
    neighbour_comparison,
    neighbour_gap,
    trend,
    trend_charts,
)

__all__ = [
    "BREAKDOWNS",
    "TrendChart",
    "breakdown_caption",
    "breakdown_table",
    "breakdown_tables",
    "headline_sentences",
    "headline_table",
    "left_to_training_section",
    "local_table",
    "methods",
    "neighbour_caption",
    "neighbour_comparison",
    "neighbour_gap",
    "target_sentences",
    "sources_note",
    "trend",
    "trend_charts",
]
