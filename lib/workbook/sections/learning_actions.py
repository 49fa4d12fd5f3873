"""The learning-into-practice section: actions taken on findings, where they stood at year end.

Actions are the partnership's own work: their counts are published as they are (unless the
partnership asked to withhold counts of actions, `withhold_counts_of`), and the sentence states
exactly what the table of positions publishes.
"""

from __future__ import annotations

import pandas as pd

from workbook.core.dates import column_labels
from workbook.core.years import ReportYear
from workbook.disclosure.published import Count, Policy, PublishedTable
from workbook.text.labels import as_recorded, labelled

POSITIONS = ("completed", "in_progress", "not_started", "overdue", "cancelled")
"""Where an action stood at the year end. Overdue is derived, never recorded: an action not
completed or cancelled whose due date had passed by 31 March; a due month or year counts by its
last day (an action due "2020" or "2020-21" is not overdue at 31 March 2020)."""

OPEN_POSITIONS = ("in_progress", "not_started", "overdue")

STATED_POSITIONS = {
    "completed": "complete",
    "in_progress": "in progress",
    "not_started": "not started",
}
"""The positions the narrative's sentence states, with the words it uses for them."""

ALL_ACTIONS = "All actions"
"""The total row of `action_counts`: the narrative states it, so the table declares it."""


def position_at_year_end(actions: pd.DataFrame, year: ReportYear) -> pd.Series:
    """Each action's position at the end of `year` (see POSITIONS)."""
    due = actions["due_date_end"] if "due_date_end" in actions else actions["due_date"]
    due_passed = due.notna() & (due <= pd.Timestamp(year.end))
    open_ = actions["status"].isin(["in_progress", "not_started"])
    return actions["status"].where(~(open_ & due_passed), "overdue")


def action_counts(actions: pd.DataFrame, year: ReportYear, policy: Policy) -> PublishedTable:
    """Actions by position at the year end, every position shown (zeros included)."""
    positions = position_at_year_end(actions, year)
    counts = positions.value_counts().reindex(POSITIONS, fill_value=0)
    frame = pd.DataFrame(
        {
            "Position at year end": [*labelled(pd.Series(POSITIONS), "status"), ALL_ACTIONS],
            "Actions": [*counts.to_numpy(), int(counts.sum())],
        }
    )
    return PublishedTable(
        frame,
        f"Improvement actions by position at the end of {year.end_text}",
        policy,
        {"Actions": Count("actions")},
        total_row=ALL_ACTIONS,
    )


def action_table(
    actions: pd.DataFrame,
    year: ReportYear,
    positions: list[str],
    caption: str,
    when_empty: str,
    policy: Policy,
) -> PublishedTable:
    """Actions as the board reads them: what, who, by when, where it stands, what changed;
    only those in `positions` at the year end (e.g. ["overdue"]). Those with a recorded
    impact come first, then the earliest due: the ones a pack showing only the first few
    should show."""
    actions = actions[position_at_year_end(actions, year).isin(positions)]
    actions = actions.assign(_untold=actions["impact"].isna()).sort_values(
        ["_untold", "due_date"], kind="stable", na_position="last"
    )
    due = column_labels(actions, "due_date").replace("Not recorded", "")
    frame = pd.DataFrame(
        {
            "Action": actions["action"],
            "Owner": as_recorded(actions["owner_agency"]),
            "Due": due,
            "Position at year end": labelled(position_at_year_end(actions, year), "status"),
            "Impact": actions["impact"].fillna(""),
        }
    )
    return PublishedTable(frame, caption, policy, when_empty=when_empty)


def actions_listing(actions: pd.DataFrame, year: ReportYear, policy: Policy) -> PublishedTable:
    """Every action of the year with its id and the finding, review or audit (or else the
    priority) it answers, for the appendix."""
    frame = pd.DataFrame(
        {
            "Id": actions["action_id"].astype(str),
            "Answers": actions["finding_id"]
            .fillna(actions["source_id"])
            .fillna(actions["priority"].map(lambda p: p if pd.isna(p) else f"priority {p}"))
            .fillna(""),
            "Action": actions["action"],
            "Owner": as_recorded(actions["owner_agency"]),
            "Due": column_labels(actions, "due_date").replace("Not recorded", ""),
            "Position at year end": labelled(position_at_year_end(actions, year), "status"),
            "Completed": column_labels(actions, "completed_date").replace("Not recorded", ""),
            "Impact": actions["impact"].fillna(""),
        }
    )
    return PublishedTable(
        frame,
        f"Every improvement action recorded for {year}",
        policy,
        when_empty="No action was recorded for the year.",
    )


def action_facts(counts: PublishedTable, actions: pd.DataFrame) -> dict:
    """What the actions sentence states, read from the table of positions (`action_counts`).

    A position the table withholds to protect another (under a stricter policy) is None here
    and is not stated; a small withheld one reads "5 or fewer". `stood` lists the positions
    stated, in order; the completion percentage comes only with a completed count the table
    publishes as it is."""
    labels = dict(zip(POSITIONS, counts.frame.iloc[:-1, 0], strict=True))
    published = {position: counts.value(labels[position], "Actions") for position in POSITIONS}
    total = counts.value(ALL_ACTIONS, "Actions")
    completed = published["completed"]
    exact = completed is not None and not counts.withheld_cell(labels["completed"], "Actions")
    stood = [
        {
            "count": published[position],
            "label": words,
            "pct": 100 * completed / total if position == "completed" and exact and total else None,
        }
        for position, words in STATED_POSITIONS.items()
        if published[position] is not None
    ]
    return {
        "total": total,
        "stood": stood,
        "overdue": published["overdue"],
        "withheld": counts.any_withheld,
        "with_impact": counts.policy.count(int(actions["impact"].notna().sum()), "actions"),
        "from_learning": counts.policy.count(int(_answers_learning(actions).sum()), "actions"),
    }


def _answers_learning(actions: pd.DataFrame) -> pd.Series:
    """Actions that answer a finding, a review or an audit (contract v2 lets an action answer
    a priority only, or nothing recorded)."""
    answers = pd.Series(False, index=actions.index)
    for column in ("finding_id", "source_id"):
        if column in actions:
            answers |= actions[column].notna()
    return answers
