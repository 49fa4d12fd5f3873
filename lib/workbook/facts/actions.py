"""Facts of the year's improvement actions: where each stood at the year end, and what is known
of their due dates, so that "overdue" and "none overdue" are said only where due dates say so.

Overdue is derived, never recorded: an action not completed or cancelled whose due date had
passed by the year's last day. A due date is used at the precision given: due "2020" has passed
by 31 December 2020, due "March 2020" by 31 March 2020. An open action with no due date is
neither overdue nor on time: it is counted as unknown, and where every open action is unknown
the number overdue is not recorded at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, total
from workbook.core.years import ReportYear
from workbook.facts.kinds import CHILDREN

POSITIONS = ("completed", "in_progress", "not_started", "overdue", "cancelled")
"""Where an action stood at the year end, in the order tables show them."""

OPEN_POSITIONS = ("in_progress", "not_started", "overdue")
OPEN_STATUSES = ("in_progress", "not_started")


def due_passed(rows: pd.DataFrame, year: ReportYear) -> pd.Series:
    """True where the due date (its last day, at the precision given) had passed by the year's
    end; False where it had not or is not recorded."""
    due = rows["due_date_end"] if "due_date_end" in rows else rows["due_date"]
    return due.notna() & (due <= pd.Timestamp(year.end))


def position_at_year_end(rows: pd.DataFrame, year: ReportYear) -> pd.Series:
    """Each action's (or tracked recommendation's) position at the end of `year`."""
    open_ = rows["status"].isin(OPEN_STATUSES)
    return rows["status"].where(~(open_ & due_passed(rows, year)), "overdue")


def answers_learning(actions: pd.DataFrame) -> pd.Series:
    """Actions that answer a finding, a review or an audit (an action may answer a priority
    only, or nothing recorded)."""
    answers = pd.Series(False, index=actions.index)
    for column in ("finding_id", "source_id"):
        if column in actions:
            answers |= actions[column].notna()
    return answers


@dataclass(frozen=True)
class ActionFacts:
    """The year's actions and their facts. `frame`: the actions with `position` (at the year
    end) and `remits` (the remits of the reviews they answer) beside their columns."""

    frame: pd.DataFrame
    total: Fact
    positions: dict[str, Fact]
    open: Fact
    overdue: Fact
    with_due_date: Fact
    with_impact: Fact
    from_learning: Fact
    for_children: Fact

    @property
    def completed(self) -> Fact:
        return self.positions["completed"]

    @property
    def shown_positions(self) -> list[str]:
        """The positions a table of positions shows: every recorded status, overdue only where
        due dates say whether an action was overdue, cancelled only where an action was."""
        shown = []
        for position in POSITIONS:
            if position == "overdue":
                if self.overdue.recorded:
                    shown.append(position)
            elif position != "cancelled" or self.positions[position].get():
                shown.append(position)
        return shown


def action_facts(
    actions: pd.DataFrame, year: ReportYear, policy, review_remits: dict[str, set[str]]
) -> ActionFacts:
    """The facts of the year's actions. `review_remits`: for each finding id and review id,
    the remits of the reviews it comes from (`workbook.facts.findings`)."""
    position = position_at_year_end(actions, year)
    remits = [
        set().union(
            *(review_remits.get(i, set()) for i in _answered(finding, source)),
        )
        for finding, source in zip(
            actions.get("finding_id", pd.Series(index=actions.index, dtype=object)),
            actions.get("source_id", pd.Series(index=actions.index, dtype=object)),
            strict=True,
        )
    ]
    frame = actions.assign(position=position, remits=remits)
    ids = frame["action_id"].astype(str)

    def counted(name: str, mask: pd.Series, **kwargs) -> Fact:
        return count(f"actions.{name}", ids[mask], "actions", policy, "actions", **kwargs)

    open_ = position.isin(OPEN_POSITIONS)
    dated = actions["due_date"].notna()
    return ActionFacts(
        frame=frame,
        total=total("actions.total", ids, "actions", policy, "actions", "improvement actions"),
        positions={p: counted(p, position == p) for p in POSITIONS if p != "overdue"},
        open=counted("open", open_),
        overdue=counted(
            "overdue",
            position == "overdue",
            unknown=ids[open_ & ~dated],
            missing="the due dates of open actions",
            where="actions: due_date",
        ),
        with_due_date=counted("with_due_date", dated),
        with_impact=counted("with_impact", actions["impact"].notna()),
        from_learning=counted("from_learning", answers_learning(actions)),
        for_children=counted(
            "for_children", pd.Series([remit == {CHILDREN} for remit in remits], index=frame.index)
        ),
    )


def _answered(finding_ids, source_ids) -> list[str]:
    """The finding and source ids an action answers."""
    answered = []
    for value in (finding_ids, source_ids):
        if isinstance(value, str):
            answered += [part for part in value.split(";") if part]
    return answered
