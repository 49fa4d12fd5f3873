"""Facts of the relevant agencies the arrangements name. A row of the table is an agency or a
group of agencies as the arrangements name it ("Schools, colleges and alternative provision"),
so its count is of agencies or groups named, never of organisations."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded, rows_of
from workbook.inputs.raw_tables import FIRST_DATA_ROW

EDUCATION_SECTORS = ("education", "early_years")
"""The sectors Working Together asks the arrangements to name: education and early years."""


@dataclass(frozen=True)
class AgencyFacts:
    """The relevant agencies (`frame`, as supplied) and their facts."""

    frame: pd.DataFrame
    named: Fact
    """Agencies or groups of agencies named."""
    sectors: Fact
    """The sectors they belong to (sector codes, each once)."""
    education: Fact
    """Those in education or early years (the checklist's "education settings named")."""


def agency_facts(agencies: pd.DataFrame, policy) -> AgencyFacts:
    """The facts of the year's relevant agencies."""
    # An agency is named by its row in the file (names hold spaces, row references do not).
    rows = pd.Series([int(i) + FIRST_DATA_ROW for i in agencies.index], index=agencies.index)
    if agencies.empty:
        missing = not_recorded(
            "agencies.named",
            "the relevant agencies named in the arrangements",
            "relevant_agencies table",
        )
        return AgencyFacts(agencies, missing, missing, missing)
    return AgencyFacts(
        frame=agencies,
        named=count("agencies.named", rows, "relevant_agencies", policy, "agencies"),
        sectors=Fact(
            "agencies.sectors",
            list(dict.fromkeys(agencies["sector"].astype(str))),
            rows_of("relevant_agencies", rows),
        ),
        education=count(
            "agencies.education",
            rows[agencies["sector"].isin(EDUCATION_SECTORS)],
            "relevant_agencies",
            policy,
            "agencies",
        ),
    )
