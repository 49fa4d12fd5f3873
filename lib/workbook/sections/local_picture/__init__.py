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

from workbook.sections.local_picture.figures import (
    BREAKDOWNS,
    COMPARATORS,
    HEADLINE,
    NEIGHBOUR_CHART,
    TRENDS,
    LocalPicture,
    build,
)
from workbook.sections.local_picture.tables import (
    breakdown_table,
    breakdown_tables,
    headline_table,
    local_table,
    neighbour_comparison,
    notes,
    trend,
)

__all__ = [
    "BREAKDOWNS",
    "COMPARATORS",
    "HEADLINE",
    "NEIGHBOUR_CHART",
    "TRENDS",
    "LocalPicture",
    "breakdown_table",
    "breakdown_tables",
    "build",
    "headline_table",
    "local_table",
    "neighbour_comparison",
    "notes",
    "trend",
]
