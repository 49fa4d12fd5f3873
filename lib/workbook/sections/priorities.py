"""Priorities and progress: per priority, its rating over the years it ran, what was done (the
actions that name it), what changed (its indicators' trend) and, plainly, where there has been
little or no progress and why.

A priority is followed across years by its id. An action serves a priority when its `priority`
column (contract v2) gives the priority's id or its wording; a year whose actions have no such
column shows a sentence instead of the table of actions by priority.
"""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.published import Count, Figure, PublishedTable
from workbook.disclosure.suppression import is_small, share_mask
from workbook.facts import year_facts
from workbook.facts.actions import POSITIONS, position_at_year_end
from workbook.inputs.report import Report
from workbook.national import indicators as ind
from workbook.text.labels import as_recorded, label

RATINGS = {
    "green": "Green: achieved or on track",
    "amber": "Amber: some progress",
    "red": "Red: little or no progress",
}
RATING_WORDS = {
    "green": "green (achieved or on track)",
    "amber": "amber (some progress)",
    "red": "red (little or no progress)",
}
LITTLE_PROGRESS = "red"
NOT_RATED = "Not rated"
NOT_RUNNING = "Not a priority"
ALL_ACTIONS = "All actions"
UNIT_WORDS = {
    "count": "Number",
    "percent": "Per cent",
    "rate_per_10k": "Rate per 10,000",
    "gbp": "Pounds",
}


def this_year(report: Report) -> pd.DataFrame:
    """The year's priorities, as supplied."""
    return report.tables["priorities"].reset_index(drop=True)


def _rating(value) -> str:
    return NOT_RATED if pd.isna(value) else str(value).capitalize()


def priority_table(report: Report) -> PublishedTable:
    """This year's priorities: who leads each, its rating at the year end and its evidence."""
    current = this_year(report)
    frame = pd.DataFrame(
        {
            "Priority": current["priority"].astype(str),
            "Lead": as_recorded(current["lead"]),
            "Rating at year end": current["rag_status"].map(_rating),
            "Evidence": current["evidence"].fillna(""),
        }
    )
    return PublishedTable(
        frame,
        f"The partnership's priorities in {report.year.label}",
        report.policy,
        when_empty=None,
    )


def years_with_priorities(report: Report) -> list[str]:
    """Years of the lookback whose data lists priorities, oldest first."""
    return [
        year
        for year in report.lookback_with_data
        if not report.year_tables(year)["priorities"].empty
    ]


def ratings_over_years(report: Report) -> PublishedTable:
    """One row per priority of this year, one column per lookback year that lists priorities:
    its rating that year, "Not rated" where it ran unrated, "Not a priority" where it did not
    run. No rows unless two years or more list priorities (one year is the table above)."""
    current = this_year(report)
    years = years_with_priorities(report)
    frame = pd.DataFrame({"Priority": current["priority"].astype(str)})
    for year in years:
        rated = report.year_tables(year)["priorities"].set_index("priority_id")["rag_status"]
        frame[year] = [
            _rating(rated[pid]) if pid in rated.index else NOT_RUNNING
            for pid in current["priority_id"]
        ]
    if len(years) < 2:
        frame = frame.iloc[0:0]
    return PublishedTable(
        frame,
        f"Each priority's rating at the end of each year, "
        f"{years[0] if years else ''} to {report.year.label}",
        report.policy,
        when_empty=None,
    )


def little_progress(report: Report) -> PublishedTable:
    """This year's priorities rated red, or with a reason progress was held back: the priority,
    its rating and why (the partnership's own words)."""
    current = this_year(report)
    held = current[(current["rag_status"] == LITTLE_PROGRESS) | current["barriers"].notna()]
    frame = pd.DataFrame(
        {
            "Priority": held["priority"].astype(str),
            "Rating": held["rag_status"].map(RATINGS).fillna(NOT_RATED),
            "Why": held["barriers"].fillna("The reason was not recorded."),
        }
    )
    if current["rag_status"].notna().any():
        empty = "No priority was rated red or recorded as held back this year."
    else:  # "none rated red" would read as progress everywhere
        empty = (
            "No priority was rated at the year end or recorded as held back, so where "
            "progress was little or none cannot be shown from the data."
        )
    return PublishedTable(
        frame, "Priorities with little or no progress, and why", report.policy, when_empty=empty
    )


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


def actions_by_priority(report: Report) -> PublishedTable:
    """Per priority of this year, the actions serving it by position at the year end, with the
    total; a sentence instead where the year's actions name no priority."""
    current, actions = this_year(report), report.tables["actions"]
    caption = f"Actions serving each priority, by position at the end of {report.year.end_text}"
    counts = {"Priority": current["priority"].astype(str)}
    served = served_priority(actions, current)
    where = position_at_year_end(actions, report.year)
    for position in POSITIONS:
        counts[label("status", position)] = [
            int(((served == pid) & (where == position)).sum()) for pid in current["priority_id"]
        ]
    frame = pd.DataFrame(counts)
    frame[ALL_ACTIONS] = frame.iloc[:, 1:].sum(axis=1)
    has_column = "priority" in actions.columns
    linked = has_column and bool(actions["priority"].notna().any())
    unmatched = actions["priority"].notna() & served.isna() if has_column else served.notna()
    notes = None
    if unmatched.any():
        named = sorted(set(actions.loc[unmatched, "priority"].astype(str)))
        many = int(unmatched.sum())
        notes = (
            f"{many} further {'action names' if many == 1 else 'actions name'} a "
            f"priority not in the year's list of priorities: {'; '.join(named)}."
        )
    if not served.notna().any():
        frame = frame.iloc[0:0]
    if not linked:
        empty = (
            "The year's actions do not record which priority each one serves, so they "
            "cannot be shown by priority."
        )
    else:
        empty = "No action recorded for the year names one of its priorities."
    return PublishedTable(
        frame,
        caption,
        report.policy,
        {c: Count("actions") for c in frame.columns[1:]},
        row_total=ALL_ACTIONS,
        notes=notes,
        when_empty=empty,
    )


def measure_trends(report: Report, dfe_dir: str = "") -> list[tuple[PublishedTable, str]]:
    """For each indicator a priority names with figures in two years or more: the
    partnership's own figure for each year (no breakdown), one table each with the words for
    its unit (a chart's axis), withholding what
    the local picture withholds (a small count of people, and a part or percentage of a count
    of people that would give a small count away)."""
    trends = []
    named = [i for text in this_year(report)["indicators"].dropna() for i in str(text).split(";")]
    if not named:
        return trends
    catalogue = ind.catalogue()
    indicators = report.across_lookback("indicators")
    local = indicators[
        (indicators["area"] == "local")
        & indicators["breakdown"].isna()
        & indicators["value"].notna()
    ]
    withheld_now = year_facts(report, dfe_dir).indicators.withheld
    for indicator_id in dict.fromkeys(named):
        rows = local[local["indicator"] == indicator_id].drop_duplicates("year", keep="last")
        indicator = catalogue.get(indicator_id)
        if indicator is None or rows["year"].nunique() < 2:
            continue
        column = report.partnership.short_name
        frame = pd.DataFrame({"Year": rows["year"].tolist(), column: rows["value"].tolist()})
        hidden = [
            indicator_id in withheld_now
            if year == report.year.label
            else _gives_away(indicator, value, local[local["year"] == year], report)
            for year, value in zip(frame["Year"], frame[column], strict=True)
        ]
        kind = Count(indicator.counts) if indicator.unit == "count" else Figure(1)
        table = PublishedTable(
            frame,
            indicator.name,
            report.policy,
            {column: kind},
            withheld=pd.DataFrame({column: hidden}),
            when_empty=None,
        )
        trends.append((table, UNIT_WORDS.get(indicator.unit, "")))
    return trends


def _gives_away(
    indicator: ind.Indicator, value: float, year_rows: pd.DataFrame, report: Report
) -> bool:
    """Whether a part or percentage of a count of people gives a small count away beside the
    partnership's own figure for that count in the same year (as the local picture checks)."""
    if indicator.part_of is None:
        return False
    base_indicator = ind.catalogue()[indicator.part_of]
    if not report.policy.withholds(base_indicator.counts):
        return False
    bases = year_rows.loc[year_rows["indicator"] == indicator.part_of, "value"]
    for base in bases:
        if indicator.unit == "percent":
            if share_mask(pd.Series([value]), base, report.policy.threshold).iloc[0]:
                return True
        elif is_small(base - value, report.policy.threshold):
            return True
    return False


def facts(report: Report) -> dict:
    """What the priorities narrative states: how many, how rated, which made little progress.
    Priorities are the partnership's work: their counts are stated as they are."""
    current = this_year(report)
    policy = report.policy
    ratings = current["rag_status"].value_counts()
    held = little_progress(report).frame
    earlier = set()
    for year in years_with_priorities(report):
        if year != report.year.label:
            earlier |= set(report.year_tables(year)["priorities"]["priority_id"])
    return {
        "priorities": policy.count(len(current), "priorities"),
        "rated": policy.count(int(current["rag_status"].notna().sum()), "priorities"),
        "unrated": policy.count(int(current["rag_status"].isna().sum()), "priorities"),
        "ratings": [
            {
                "count": policy.count(int(ratings[rating]), "priorities"),
                "words": RATING_WORDS[rating],
            }
            for rating in RATINGS
            if ratings.get(rating, 0)
        ],
        "little_progress": held["Priority"].tolist(),
        "carried": policy.count(int(current["priority_id"].isin(earlier).sum()), "priorities"),
    }
