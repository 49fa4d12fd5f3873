"""The learning-into-practice section: actions taken on findings, where they stood at year end."""

from __future__ import annotations

import pandas as pd

from workbook.core.dates import column_labels
from workbook.core.years import ReportYear
from workbook.disclosure.suppression import suppression_mask
from workbook.text.labels import labelled

POSITIONS = ("completed", "in_progress", "not_started", "overdue", "cancelled")
"""Where an action stood at the year end. Overdue is derived, never recorded: an action not
completed or cancelled whose due date had passed by 31 March; a due month or year counts by its
last day (an action due "2020" or "2020-21" is not overdue at 31 March 2020)."""


STATED_POSITIONS = {"completed": "complete", "in_progress": "in progress",
                    "not_started": "not started"}
"""The positions the narrative's sentence states, with the words it uses for them."""

ALL_ACTIONS = "All actions"
"""The total row of `action_counts`: the narrative states it, so the table declares it."""


def position_at_year_end(actions: pd.DataFrame, year: ReportYear) -> pd.Series:
    """Each action's position at the end of `year` (see POSITIONS)."""
    due = actions["due_date_end"] if "due_date_end" in actions else actions["due_date"]
    due_passed = due.notna() & (due <= pd.Timestamp(year.end))
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
    due = column_labels(actions, "due_date").replace("Not recorded", "")
    return pd.DataFrame({
        "Action": actions["action"],
        "Owner": actions["owner_agency"].fillna("Not recorded"),
        "Due": due,
        "Position at year end": labelled(position_at_year_end(actions, year), "status"),
        "Impact": actions["impact"].fillna(""),
    }).reset_index(drop=True)


def action_facts(actions: pd.DataFrame, year: ReportYear, threshold: int) -> dict:
    """Counts for the narrative, as far as the table of positions publishes them.

    The narrative is read beside `action_counts`, whose total row switches on secondary
    suppression: a position the table hides to protect a small one (a `c` over the threshold)
    is None here and is not stated, or the sentence and the table together would give the
    small one away. Counts hidden for being small themselves stay, and read "5 or fewer".
    `stood` lists the positions stated, in order; the completion percentage comes only with a
    completed count over the threshold.
    """
    table = action_counts(actions, year)
    counts = table[["Actions"]]
    hidden = suppression_mask(counts, threshold, total_row=len(table) - 1)["Actions"]
    published = {position: None if hidden[i] and counts["Actions"][i] > threshold
                 else int(counts["Actions"][i]) for i, position in enumerate(POSITIONS)}
    total = len(actions)
    completed = published["completed"]
    stood = [{"count": published[position], "label": label,
              "pct": 100 * completed / total
              if position == "completed" and completed is not None and completed > threshold
              else None}
             for position, label in STATED_POSITIONS.items() if published[position] is not None]
    return {
        "total": total,
        "stood": stood,
        "overdue": published["overdue"],
        "withheld": any(published[position] is None for position in STATED_POSITIONS)
        or published["overdue"] is None,
        "with_impact": int(actions["impact"].notna().sum()),
    }
