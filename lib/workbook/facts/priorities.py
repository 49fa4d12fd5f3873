"""Facts of the year's priorities: how many, how the partnership rated each at the year end,
where it recorded what held progress back, which ran in earlier years, and which actions serve
each.

"Little or no progress" is the partnership's own rating (red), never inferred from anything
else; a priority with no rating is not rated, not "on track". Actions serve a priority only
where the actions table records it (its `priority` column names the priority's id or wording):
otherwise actions by priority are not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded

RATINGS = ("green", "amber", "red")
"""The ratings of the contract, from most progress to least."""
LITTLE_PROGRESS = "red"


@dataclass(frozen=True)
class PriorityFacts:
    """The year's priorities and their facts. `frame`: the year's priorities as supplied."""

    frame: pd.DataFrame
    total: Fact
    rated: Fact
    """Priorities the partnership rated at the year end (not recorded where it rated none):
    for the checklist, whether progress is judged by the partnership's own rating."""
    unrated: Fact
    by_rating: dict[str, Fact]
    """Each rating given to one priority or more (green, amber, red)."""
    little_progress: Fact
    """Priorities the partnership rated red (little or no progress); `detail["names"]`: their
    wording."""
    held_back: Fact
    """Priorities with what held progress back recorded (`barriers`)."""
    carried: Fact
    """Priorities of the year also listed in an earlier year of the lookback."""
    served: pd.Series
    """For each action (the actions table's index), the priority_id it serves, or None."""
    actions_served: Fact
    """Actions that record a priority of the year (not recorded where no action records a
    priority at all)."""
    years: tuple[str, ...]
    """The years of the lookback that list priorities, oldest first."""
    coming: Fact
    """The priorities the partnership set for the coming year (contract v3 `next_priorities`),
    apart from the year's own; `detail["names"]`: their wording. Not recorded where the year
    lists none: a partnership that set none would say so in its narrative, not by omission."""
    coming_frame: pd.DataFrame


def _key(text) -> str:
    return " ".join(str(text).split()).casefold()


def served_priority(actions: pd.DataFrame, priorities: pd.DataFrame) -> pd.Series:
    """The priority_id each action serves: its `priority` names the priority's id or wording
    (case and spacing aside); None where it names none of the year's priorities or is blank."""
    if "priority" not in actions.columns:
        return pd.Series(None, index=actions.index, dtype=object)
    lookup = {}
    for row in priorities.itertuples(index=False):
        lookup[_key(row.priority)] = row.priority_id
        lookup[_key(row.priority_id)] = row.priority_id
    return actions["priority"].map(lambda p: None if pd.isna(p) else lookup.get(_key(p)))


def priority_facts(report, policy) -> PriorityFacts:
    """The facts of the year's priorities (`report` gives the earlier years' lists)."""
    current = report.tables["priorities"].reset_index(drop=True)
    actions = report.tables["actions"]
    ids = current["priority_id"].astype(str)
    rating = current["rag_status"]

    def counted(name: str, mask: pd.Series, **kwargs) -> Fact:
        return count(f"priorities.{name}", ids[mask], "priorities", policy, "priorities", **kwargs)

    missing = not_recorded("priorities.total", "the year's priorities", "priorities table")
    years = tuple(
        year
        for year in report.lookback_with_data
        if not report.year_tables(year)["priorities"].empty
    )
    earlier = set()
    for year in years:
        if year != report.year.label:
            earlier |= set(report.year_tables(year)["priorities"]["priority_id"].astype(str))
    unrated_words = {
        "missing": "the partnership's rating of each priority at the year end",
        "where": "priorities: rag_status",
    }
    served = served_priority(actions, current)
    names_priority = (
        actions["priority"].notna()
        if "priority" in actions.columns
        else pd.Series(False, index=actions.index)
    )
    red = rating == LITTLE_PROGRESS
    return PriorityFacts(
        frame=current,
        total=counted("total", pd.Series(True, index=current.index)) if len(current) else missing,
        rated=counted("rated", rating.notna(), unknown=ids[rating.isna()], **unrated_words)
        if len(current)
        else missing,
        unrated=counted("unrated", rating.isna()) if len(current) else missing,
        by_rating={r: counted(f"rating.{r}", rating == r) for r in RATINGS if (rating == r).any()},
        little_progress=(
            _with_names(counted("little_progress", red), current.loc[red, "priority"])
            if rating.notna().any()
            else not_recorded("priorities.little_progress", **unrated_words)
        ),
        held_back=counted("held_back", current["barriers"].notna()) if len(current) else missing,
        carried=counted("carried", ids.isin(earlier)) if len(current) else missing,
        served=served,
        actions_served=(
            count(
                "priorities.actions_served",
                actions.loc[served.notna(), "action_id"].astype(str),
                "actions",
                policy,
                "actions",
            )
            if names_priority.any() and len(current)
            else not_recorded(
                "priorities.actions_served",
                # Without priorities, what actions serve is no gap of its own.
                "which priority each action serves" if len(current) else "",
                "actions: priority",
            )
        ),
        years=years,
        coming=_coming(
            report.tables.get("next_priorities"),
            policy,
            said=bool(report.block("looking_ahead") or report.block("priorities")),
        ),
        coming_frame=_frame_or_empty(report.tables.get("next_priorities")),
    )


def _frame_or_empty(table: pd.DataFrame | None) -> pd.DataFrame:
    return pd.DataFrame() if table is None else table.reset_index(drop=True)


def _coming(table: pd.DataFrame | None, policy, said: bool) -> Fact:
    """`said`: the analyst's narrative sets the coming year's priorities out in words, so that
    their not being listed as data is no gap in the report."""
    if table is None or table.empty:
        return not_recorded(
            "priorities.coming",
            "" if said else "the partnership's priorities for the coming year",
            "" if said else "next_priorities table",
        )
    ids = table["priority_id"].astype(str)
    fact = count("priorities.coming", ids, "next_priorities", policy, "priorities")
    return _with_names(fact, table["priority"].astype(str))


def _with_names(fact: Fact, names: pd.Series) -> Fact:
    return Fact(
        fact.name,
        fact.value,
        fact.rows,
        fact.missing,
        fact.where,
        fact.unknown,
        {"names": [str(n) for n in names]},
    )


def ratings_over_years(report) -> pd.DataFrame:
    """Priorities by rating (green, amber, red; rows) in each year of the lookback that rated
    any (columns)."""
    priorities = report.across_lookback("priorities")
    rated = priorities[priorities["rag_status"].notna()]
    if rated.empty:
        return pd.DataFrame()
    table = pd.crosstab(rated["rag_status"], rated["year"])
    return table.reindex([r for r in ("green", "amber", "red") if r in table.index])
