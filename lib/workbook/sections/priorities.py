"""Priorities and progress: per priority, its rating over the years it ran, what was done (the
actions that name it), what changed (its indicators' trend) and, plainly, where there has been
little or no progress and why.

A priority is followed across years by its id. Actions name the priority they serve in their
`priority` column, where the partnership's data has one.
"""

from __future__ import annotations

import pandas as pd

from workbook.inputs.report import Report
from workbook.national.indicators import catalogue
from workbook.sections.learning_actions import position_at_year_end

RATINGS = {"green": "Green: achieved or on track", "amber": "Amber: some progress",
           "red": "Red: little or no progress"}
LITTLE_PROGRESS = "red"


def this_year(report: Report) -> pd.DataFrame:
    """The year's priorities, as supplied."""
    return report.tables["priorities"].reset_index(drop=True)


def ratings_over_years(report: Report) -> pd.DataFrame:
    """One row per priority of this year, one column per lookback year with data: its rating
    that year ("Not rated" where it ran unrated, blank where it did not run)."""
    current = this_year(report)
    years = report.lookback_with_data
    frame = pd.DataFrame({"Priority": current["priority"].astype(str)})
    for year in years:
        rated = report.year_tables(year)["priorities"].set_index("priority_id")["rag_status"]
        frame[year] = [("" if pid not in rated.index else
                        "Not rated" if pd.isna(rated[pid]) else rated[pid].capitalize())
                       for pid in current["priority_id"]]
    return frame


def little_progress(report: Report) -> pd.DataFrame:
    """This year's priorities rated red, or with a reason progress was held back: the priority,
    its rating and why (the partnership's own words)."""
    current = this_year(report)
    held = current[(current["rag_status"] == LITTLE_PROGRESS) | current["barriers"].notna()]
    return pd.DataFrame({"priority": held["priority"].astype(str),
                         "rating": held["rag_status"].map(RATINGS).fillna("Not rated"),
                         "why": held["barriers"].fillna("The reason was not recorded.")}
                        ).reset_index(drop=True)


def actions_by_priority(report: Report) -> pd.DataFrame:
    """Per priority of this year, its actions by position at the year end (the actions table's
    `priority` column; none where the data has no such column)."""
    current = this_year(report)
    actions = report.tables["actions"]
    positions = ["completed", "in_progress", "not_started", "overdue", "cancelled"]
    frame = pd.DataFrame({"priority_id": current["priority_id"],
                          "priority": current["priority"].astype(str)})
    if "priority" not in actions.columns:
        for position in positions:
            frame[position] = 0
        frame["total"] = 0
        return frame
    where = position_at_year_end(actions, report.year)
    for position in positions:
        frame[position] = [int(((actions["priority"] == pid) & (where == position)).sum())
                           for pid in current["priority_id"]]
    frame["total"] = frame[positions].sum(axis=1)
    return frame


def indicator_trends(report: Report) -> pd.DataFrame:
    """The local headline value of each priority's indicators in every lookback year with data.
    Columns: priority, indicator, unit, year, value (one row per year that has the figure)."""
    current = this_year(report)
    rows = []
    indicators = report.across_lookback("indicators")
    local = indicators[(indicators["area"] == "local") & indicators["breakdown"].isna()]
    for row in current.itertuples(index=False):
        if pd.isna(row.indicators):
            continue
        for indicator in str(row.indicators).split(";"):
            found = local[local["indicator"] == indicator]
            for figure in found.itertuples(index=False):
                rows.append({"priority": str(row.priority), "indicator": indicator,
                             "unit": figure.unit, "year": figure.year,
                             "value": float(figure.value)})
    return pd.DataFrame(rows, columns=["priority", "indicator", "unit", "year", "value"])


def facts(report: Report) -> dict:
    """What the priorities narrative states: how many, how rated, which made little progress."""
    current = this_year(report)
    ratings = current["rag_status"].value_counts()
    held = little_progress(report)
    return {
        "priorities": len(current),
        "rated": int(current["rag_status"].notna().sum()),
        "green": int(ratings.get("green", 0)), "amber": int(ratings.get("amber", 0)),
        "red": int(ratings.get("red", 0)),
        "little_progress": held["priority"].tolist(),
        "carried": [p for p in current["priority_id"]
                    if any(p in set(report.year_tables(y)["priorities"]["priority_id"])
                           for y in report.lookback_with_data[:-1])],
    }


def trend_frames(report: Report) -> list[tuple[str, pd.DataFrame, str]]:
    """For each indicator a priority names with figures in two years or more: a chart title,
    a wide frame (index years, one column: the partnership) and the unit's words."""
    units = {"count": "Number", "percent": "Per cent", "rate_per_10k": "Rate per 10,000",
             "gbp": "Pounds"}
    names = {i: spec.name for i, spec in catalogue().items()}
    out = []
    trends = indicator_trends(report)
    for indicator, rows in trends.groupby("indicator", sort=False):
        if rows["year"].nunique() < 2:
            continue
        frame = rows.drop_duplicates("year").set_index("year")[["value"]]
        frame.columns = [report.partnership.short_name]
        out.append((names.get(indicator, indicator), frame.rename_axis(None),
                    units.get(rows["unit"].iloc[0], "")))
    return out
