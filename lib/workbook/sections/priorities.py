"""Priorities and progress: per priority, its rating over the years it ran, what was done (the
actions that name it), what changed (its indicators' trend) and where the partnership rated
little or no progress, and why.

Every builder takes the year's facts (`workbook.facts.year_facts`; `facts.priorities`). A
priority is followed across years by its id. "Little or no progress" is the partnership's own
rating (red), never inferred; actions are shown by priority only where the actions record the
priority they serve. A part with nothing recorded shows nothing.
"""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.published import Count, Figure, PublishedTable, recorded_text
from workbook.disclosure.suppression import is_small, share_mask
from workbook.facts import YearFacts
from workbook.facts.measures import Measure
from workbook.facts.priorities import RATINGS
from workbook.inputs.report import Report
from workbook.national import indicators as ind
from workbook.text.labels import as_recorded, label

NOT_RATED = "Not rated"
NOT_RUNNING = "Not a priority"
ALL_ACTIONS = "All actions"


def _rating(value) -> str:
    """A rating in a table cell: "Amber", never "AMBER"; blank is "Not rated"."""
    return NOT_RATED if pd.isna(value) else str(value).capitalize()


def priority_table(facts: YearFacts) -> PublishedTable:
    """This year's priorities: who leads each, its rating at the year end and its evidence
    (columns no priority recorded left out)."""
    current = facts.priorities.frame
    frame = pd.DataFrame(
        {
            "Priority": current["priority"].astype(str),
            "Lead": as_recorded(current["lead"]),
            "Rating at year end": current["rag_status"].map(_rating),
            "Evidence": current["evidence"].fillna(""),
        }
    )
    return recorded_text(
        frame,
        {
            "Lead": current["lead"],
            "Rating at year end": current["rag_status"],
            "Evidence": current["evidence"],
        },
        f"The partnership's priorities in {facts.year.label}",
        facts.policy,
    )


def coming_table(facts: YearFacts) -> PublishedTable:
    """The priorities the partnership set for the coming year: each with who leads it and what
    the partnership commits to do (columns nothing recorded left out)."""
    coming = facts.priorities.coming_frame
    if coming.empty:
        return PublishedTable(pd.DataFrame({"Priority": []}), "", facts.policy, when_empty=None)
    frame = pd.DataFrame(
        {
            "Priority": coming["priority"].astype(str),
            "Lead": as_recorded(coming["lead"]),
            "What the partnership commits to": coming["commitments"].fillna(""),
        }
    )
    return recorded_text(
        frame,
        {"Lead": coming["lead"], "What the partnership commits to": coming["commitments"]},
        f"The partnership's priorities for the year after {facts.year.label}",
        facts.policy,
    )


def ratings_over_years(facts: YearFacts) -> PublishedTable:
    """One row per priority of this year, one column per lookback year that lists priorities:
    its rating that year, "Not rated" where it ran unrated, "Not a priority" where it did not
    run. No rows unless two years or more rated a priority (one year is the table above)."""
    report = facts.report
    current = facts.priorities.frame
    years = facts.priorities.years
    frame = pd.DataFrame({"Priority": current["priority"].astype(str)})
    rated_years = 0
    for year in years:
        rated = report.year_tables(year)["priorities"].set_index("priority_id")["rag_status"]
        rated_years += bool(rated.notna().any())
        frame[year] = [
            _rating(rated[pid]) if pid in rated.index else NOT_RUNNING
            for pid in current["priority_id"]
        ]
    if rated_years < 2:
        frame = frame.iloc[0:0]
    return PublishedTable(
        frame,
        f"Each priority's rating at the end of each year, "
        f"{years[0] if years else ''} to {facts.year.label}",
        facts.policy,
        when_empty=None,
    )


def little_progress(facts: YearFacts) -> PublishedTable:
    """This year's priorities the partnership rated red, or for which it recorded what held
    progress back: the priority, its rating as the partnership gave it, and why (its own
    words). A priority rated amber with a reason recorded is shown with its amber rating: the
    table never calls it "little or no progress"."""
    current = facts.priorities.frame
    held = current[(current["rag_status"] == "red") | current["barriers"].notna()]
    frame = pd.DataFrame(
        {
            "Priority": held["priority"].astype(str),
            "Rating at year end": held["rag_status"].map(
                lambda r: NOT_RATED if pd.isna(r) else label("rag_status_words", r).capitalize()
            ),
            "What held progress back": held["barriers"].fillna(""),
        }
    )
    return recorded_text(
        frame,
        {"What held progress back": held["barriers"]},
        "Priorities rated red, or with what held progress back recorded",
        facts.policy,
    )


def actions_by_priority(facts: YearFacts) -> PublishedTable:
    """Per priority of this year, the actions serving it by position at the year end, with the
    total; no rows where no action records a priority of the year. Overdue is a column only
    where due dates say whether an action was overdue (as in the actions section)."""
    priorities = facts.priorities
    current = priorities.frame
    actions = facts.actions.frame
    caption = f"Actions serving each priority, by position at the end of {facts.year.end_text}"
    counts = {"Priority": current["priority"].astype(str)}
    served = priorities.served.reindex(actions.index)
    for position in facts.actions.shown_positions:
        counts[label("status", position)] = [
            int(((served == pid) & (actions["position"] == position)).sum())
            for pid in current["priority_id"]
        ]
    frame = pd.DataFrame(counts)
    frame[ALL_ACTIONS] = [int((served == pid).sum()) for pid in current["priority_id"]]
    notes = None
    if "priority" in actions.columns:
        unmatched = actions["priority"].notna() & served.isna()
        if unmatched.any():
            named = sorted(set(actions.loc[unmatched, "priority"].astype(str)))
            many = int(unmatched.sum())
            notes = (
                f"{many} further {'action names' if many == 1 else 'actions name'} a "
                f"priority not in the year's list of priorities: {'; '.join(named)}."
            )
    names = actions.get("priority", pd.Series(pd.NA, index=actions.index, dtype=object))
    unrecorded = int(names.isna().sum())
    if unrecorded:
        # an action that names no priority is not an action serving none: not counted here
        notes = " ".join(
            filter(
                None,
                [
                    notes,
                    f"{unrecorded} of the {len(actions)} actions "
                    f"{'records' if unrecorded == 1 else 'record'} no priority and "
                    f"{'is' if unrecorded == 1 else 'are'} not counted here.",
                ],
            )
        )
    if not priorities.actions_served.recorded or not _mostly_recorded(served):
        frame = frame.iloc[0:0]
    return PublishedTable(
        frame,
        caption,
        facts.policy,
        {c: Count("actions") for c in frame.columns[1:]},
        row_total=ALL_ACTIONS,
        notes=notes,
        when_empty=None,
    )


def _mostly_recorded(served: pd.Series) -> bool:
    """Whether at least half the actions record the priority they serve: below that, a table of
    actions by priority would mostly show the actions that say nothing (as noughts), and the
    narrative says how many record one instead."""
    return bool(len(served)) and served.notna().sum() * 2 >= len(served)


def measures_table(facts: YearFacts) -> PublishedTable:
    """The indicators the priorities name that have the partnership's own figure in two years
    or more: one row each, its figure in each year of the lookback that has any, and this
    year's target where the partnership set one. A table, not a chart per measure: a few
    yearly figures of one series read in a line, where a chart each took a third of a page.
    Withholds what the local picture withholds (a small count of people, and a part or
    percentage of a count of people that would give a small count away); a year with no
    figure for a measure is "x" (its own figures for that year do not give it)."""
    report = facts.report
    named = [
        i for text in facts.priorities.frame["indicators"].dropna() for i in str(text).split(";")
    ]
    catalogue = ind.catalogue()
    indicators = report.across_lookback("indicators")
    local = indicators[
        (indicators["area"] == "local")
        & indicators["breakdown"].isna()
        & indicators["value"].notna()
    ]
    rows = {}
    for indicator_id in dict.fromkeys(i.strip() for i in named):
        found = local[local["indicator"] == indicator_id].drop_duplicates("year", keep="last")
        if indicator_id in catalogue and found["year"].nunique() >= 2:
            rows[indicator_id] = found.set_index("year")["value"]
    years = sorted({year for values in rows.values() for year in values.index})
    frame = pd.DataFrame(
        {"Measure": [catalogue[i].name for i in rows]}
        | {year: [values.get(year) for values in rows.values()] for year in years}
    )
    hidden = pd.DataFrame(
        {
            year: [
                _withheld(catalogue[i], values.get(year), year, local, facts)
                for i, values in rows.items()
            ]
            for year in years
        }
    )
    targets = [_target(facts.indicators.measure(i)) for i in rows]
    if any(targets):
        frame["Target"] = targets
    span = f"{years[0]} to {years[-1]}" if years else ""
    return PublishedTable(
        frame,
        f"The priorities' own measures: the partnership's figure for each year, {span}",
        report.policy,
        dict.fromkeys(years, Figure(1, as_given=True, one_per_row=True)),
        withheld=hidden,
        when_empty=None,
    )


def _target(measure: Measure | None) -> str:
    """This year's target of a measure as the partnership set it ("90%"), "" where none."""
    if measure is None or measure.target is None or not measure.target.recorded:
        return ""
    return str(measure.target.value)


def _withheld(
    indicator: ind.Indicator, value, year: str, local: pd.DataFrame, facts: YearFacts
) -> bool:
    """Whether one year's figure of a priority's measure is withheld: a small count of people,
    or this year's figure the local picture withholds, or a part of a count that gives a small
    count away in an earlier year."""
    report = facts.report
    if value is None or pd.isna(value):
        return False
    counts = indicator.unit == "count" and indicator.counts
    if counts and report.policy.withholds(counts) and is_small(value, report.policy.threshold):
        return True
    if year == report.year.label:
        return indicator.id in facts.indicators.withheld
    return _gives_away(indicator, value, local[local["year"] == year], report)


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


def priority_sentences(facts: YearFacts) -> dict:
    """What the priorities narrative states: the year's priority facts and, in the contract's
    order, each rating given with its words."""
    priorities = facts.priorities
    served = priorities.served.reindex(facts.actions.frame.index)
    return {
        "p": priorities,
        "actions": facts.actions.total,
        "few_served": priorities.actions_served.recorded and not _mostly_recorded(served),
        "ratings": [
            {"count": priorities.by_rating[r], "words": label("rag_status_words", r)}
            for r in RATINGS
            if r in priorities.by_rating
        ],
    }
