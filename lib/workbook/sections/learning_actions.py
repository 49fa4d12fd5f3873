"""The learning-into-practice section: actions taken on findings, where they stood at year end.

Every builder takes the year's facts (`workbook.facts.year_facts`): where each action stood and
what is known of its due date are worked out there once. Actions are the partnership's own
work: their counts are published as they are (unless the partnership asked to withhold counts
of actions, `withhold_counts_of`). Overdue is shown only where due dates say so.
"""

from __future__ import annotations

import pandas as pd

from workbook.core.dates import column_labels
from workbook.disclosure.published import Count, PublishedTable
from workbook.facts import YearFacts
from workbook.text.labels import as_recorded, labelled

ALL_ACTIONS = "All actions"
"""The total row of `action_counts`: the narrative states it, so the table declares it."""


def action_counts(facts: YearFacts) -> PublishedTable:
    """Actions by position at the year end, with the total (no rows where no action is
    recorded)."""
    actions = facts.actions
    positions = actions.shown_positions if actions.total.recorded else []
    counts = [
        int(actions.overdue.get()) if p == "overdue" else int(actions.positions[p].get())
        for p in positions
    ]
    frame = pd.DataFrame(
        {
            "Position at year end": [*labelled(pd.Series(positions), "status"), ALL_ACTIONS],
            "Actions": [*counts, int(actions.total.get())],
        }
        if positions
        else {"Position at year end": [], "Actions": []}
    )
    unknown = actions.overdue.unknown
    notes = (
        f"{unknown:,} open {'action has' if unknown == 1 else 'actions have'} no due date "
        + (
            "recorded, so whether it was overdue cannot be said; it is counted under its status."
            if unknown == 1
            else "recorded, so whether they were overdue cannot be said; they are counted under "
            "their status."
        )
        if unknown and actions.overdue.recorded
        else None
    )
    return PublishedTable(
        frame,
        f"Improvement actions by position at the end of {facts.year.end_text}",
        facts.policy,
        {"Actions": Count("actions")},
        total_row=ALL_ACTIONS if positions else None,
        notes=notes,
        when_empty=None,
    )


def action_table(
    facts: YearFacts,
    positions: list[str],
    caption: str,
    when_empty: str | None = None,
    caption_without_impact: str | None = None,
) -> PublishedTable:
    """Actions as the board reads them: what, who, by when, where it stands, what changed;
    only those in `positions` at the year end (e.g. ["overdue"]). Those with a recorded
    impact come first, then the earliest due: the ones a pack showing only the first few
    should show. Columns no row recorded are left out, and where no row records an impact the
    caption is `caption_without_impact` (a caption promising "the difference they made" over
    none would not be true)."""
    actions = facts.actions.frame
    actions = actions[actions["position"].isin(positions)]
    actions = actions.assign(_untold=actions["impact"].isna()).sort_values(
        ["_untold", "due_date"], kind="stable", na_position="last"
    )
    frame = pd.DataFrame(
        {
            "Action": actions["action"],
            "Owner": as_recorded(actions["owner_agency"]),
            "Due": column_labels(actions, "due_date").replace("Not recorded", ""),
            "Position at year end": labelled(actions["position"], "status"),
            "Impact": actions["impact"].fillna(""),
        }
    )
    unused = [
        column
        for column, blank in (("Owner", "Not recorded"), ("Due", ""), ("Impact", ""))
        if len(frame) and frame[column].eq(blank).all()
    ]
    if "Impact" in unused and caption_without_impact:
        caption = caption_without_impact
    return PublishedTable(frame.drop(columns=unused), caption, facts.policy, when_empty=when_empty)


def actions_listing(facts: YearFacts) -> PublishedTable:
    """Every action of the year with its id and the finding, review or audit (or else the
    priority) it answers, for the appendix."""
    actions = facts.actions.frame
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
            "Position at year end": labelled(actions["position"], "status"),
            "Completed": column_labels(actions, "completed_date").replace("Not recorded", ""),
            "Impact": actions["impact"].fillna(""),
        }
    )
    return PublishedTable(
        frame,
        f"Every improvement action recorded for {facts.year}",
        facts.policy,
        when_empty="No action was recorded for the year.",
    )


STATED_POSITIONS = {
    "completed": "complete",
    "in_progress": "in progress",
    "not_started": "not started",
}
"""The positions the narrative's sentence states, with the words it uses for them."""


def action_sentences(facts: YearFacts, counts: PublishedTable) -> dict:
    """What the actions sentences state: the year's action facts, and the positions the table
    of positions publishes as they are (a position the table withholds to protect another,
    under a stricter policy, is not stated)."""
    actions = facts.actions
    if not actions.total.recorded:
        return {
            "a": actions,
            "stood": [],
            "withheld": False,
            "overdue_stated": False,
            "total_stated": False,
        }
    stood = [
        {"count": actions.positions[p], "label": words}
        for p, words in STATED_POSITIONS.items()
        if actions.positions[p].get() and not counts.withheld_cell(_row_label(p), "Actions")
    ]
    return {
        "a": actions,
        "stood": stood,
        "withheld": counts.any_withheld,
        "overdue_stated": actions.overdue.recorded
        and not counts.withheld_cell(_row_label("overdue"), "Actions"),
        "total_stated": not counts.withheld_cell(ALL_ACTIONS, "Actions"),
    }


def _row_label(position: str) -> str:
    return labelled(pd.Series([position]), "status").iloc[0]
