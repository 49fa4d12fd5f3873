"""The learning-into-practice section: actions taken on findings, where they stood at year end."""

from __future__ import annotations

import pandas as pd

from workbook.labels import labelled
from workbook.years import ReportYear

POSITIONS = ("completed", "in_progress", "not_started", "overdue", "cancelled")
"""Where an action stood at the year end. Overdue is derived, never recorded: an action not
completed or cancelled whose due date had passed by 31 March."""


ALL_ACTIONS = "All actions"
"""The total row of `action_counts`: the narrative states it, so the table declares it."""


def position_at_year_end(actions: pd.DataFrame, year: ReportYear) -> pd.Series:
    """Each action's position at the end of `year` (see POSITIONS)."""
    due_passed = actions["due_date"].notna() & (actions["due_date"] <= pd.Timestamp(year.end))
    open_ = actions["status"].isin(["in_progress", "not_started"])
    return actions["status"].where(~(open_ & due_passed), "overdue")


def action_counts(actions: pd.DataFrame, year: ReportYear) -> pd.DataFrame:
    """Actions by position at the year end, every position shown (zeros included)."""
    positions = position_at_year_end(actions, year)
    counts = positions.value_counts().reindex(POSITIONS, fill_value=0)
    return pd.DataFrame({
        "Position at year end": [*labelled(pd.Series(POSITIONS), "status"), ALL_ACTIONS],
        "Actions": [*counts.to_numpy(), int(counts.sum())],
    })


def action_table(actions: pd.DataFrame, year: ReportYear,
                 positions: list[str] | None = None) -> pd.DataFrame:
    """Actions as the board reads them: what, who, by when, where it stands, what changed.

    `positions` keeps only actions in those positions at the year end (e.g. ["overdue"]).
    """
    if positions is not None:
        actions = actions[position_at_year_end(actions, year).isin(positions)]
    due = actions["due_date"].map(lambda d: "" if pd.isna(d) else f"{d:%d %b %Y}")
    return pd.DataFrame({
        "Action": actions["action"],
        "Owner": actions["owner_agency"],
        "Due": due,
        "Position at year end": labelled(position_at_year_end(actions, year), "status"),
        "Impact": actions["impact"].fillna(""),
    }).reset_index(drop=True)


def action_facts(actions: pd.DataFrame, year: ReportYear, threshold: int) -> dict:
    """Counts for the narrative; the completion percentage only where its count is publishable."""
    positions = position_at_year_end(actions, year).value_counts()
    total = len(actions)
    completed = int(positions.get("completed", 0))
    return {
        "total": total,
        "completed": completed,
        "completed_pct": 100 * completed / total if total and completed > threshold else None,
        "in_progress": int(positions.get("in_progress", 0)),
        "not_started": int(positions.get("not_started", 0)),
        "overdue": int(positions.get("overdue", 0)),
        "with_impact": int(actions["impact"].notna().sum()),
    }
