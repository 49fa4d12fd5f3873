"""Facts of the log of changes to the safeguarding arrangements: how many changes were
recorded, and how many of them are dated. A log of changes is a count of changes recorded,
never of "times the arrangements changed" (undated changes may have been made together)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded


@dataclass(frozen=True)
class ArrangementFacts:
    """The year's changes to the arrangements (`frame`, as supplied) and their facts."""

    frame: pd.DataFrame
    changes: Fact
    dated: Fact
    """Changes whose date is recorded."""


def arrangement_facts(changes: pd.DataFrame, policy) -> ArrangementFacts:
    """The facts of the year's log of changes to the arrangements."""
    ids = changes["change_id"].astype(str)
    if changes.empty:
        missing = not_recorded(
            "arrangements.changes", "changes to the arrangements", "arrangements_changes table"
        )
        return ArrangementFacts(changes, missing, missing)
    dated = changes["change_date"].notna()
    return ArrangementFacts(
        frame=changes,
        changes=count("arrangements.changes", ids, "arrangements_changes", policy, "changes"),
        dated=count(
            "arrangements.dated",
            ids[dated],
            "arrangements_changes",
            policy,
            "changes",
            unknown=ids[~dated],
            missing="when the changes to the arrangements took effect",
            where="arrangements_changes: change_date",
        ),
    )
