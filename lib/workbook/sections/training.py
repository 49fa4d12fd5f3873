"""Training and its impact: what was delivered, to whom, how confidence moved from before to
after, whether learning was followed up in practice, and what later audits found on the topics
taught. The sentence on impact claims only what these figures show: an audit finding after a
course is not proof that the course caused it.

Courses, sessions, attendances and evaluations are the partnership's work, published as they
are (training attendances count places taken, not people).
"""

from __future__ import annotations

import pandas as pd

from workbook.core.years import ReportYear
from workbook.disclosure.published import Count, Figure, PublishedTable
from workbook.inputs.report import Report
from workbook.text.labels import label

ALL_AGENCIES = "All agencies"


def courses(report: Report) -> pd.DataFrame:
    return report.tables["training"].reset_index(drop=True)


def _out_of_ten(rows: pd.DataFrame, column: str) -> pd.Series:
    return 10 * rows[column] / rows["score_out_of"]


def course_table(report: Report) -> PublishedTable:
    """Each course: how it was delivered, sessions and attendances (x where not recorded),
    with the partnership's notes on reading them."""
    rows = courses(report)
    frame = pd.DataFrame(
        {
            "Course": rows["title"].astype(str),
            "Delivery": rows["delivery"].map(lambda d: label("delivery", d)),
            "Sessions": rows["sessions"],
            "Attendances": rows["attendances"],
        }
    )
    noted = rows.dropna(subset=["note"])
    notes = (
        " ".join(
            f"{title}: {note}" for title, note in zip(noted["title"], noted["note"], strict=True)
        )
        or None
    )
    return PublishedTable(
        frame,
        f"Multi-agency training in {report.year.label}",
        report.policy,
        {"Sessions": Count("sessions"), "Attendances": Count("attendances")},
        notes=notes,
        when_empty=None,
    )


def evaluation_table(report: Report) -> PublishedTable:
    """The courses with an evaluation: evaluations returned, attendees' own ratings before and
    after (out of 10, whatever scale the course used) and the follow-up percentage."""
    rows = courses(report)
    rows = rows[
        rows[["evaluations", "score_before", "score_after", "followup_pct"]].notna().any(axis=1)
    ]
    frame = pd.DataFrame(
        {
            "Course": rows["title"].astype(str),
            "Evaluations": rows["evaluations"],
            "Before (out of 10)": _out_of_ten(rows, "score_before"),
            "After (out of 10)": _out_of_ten(rows, "score_after"),
            "Using it later (%)": rows["followup_pct"],
        }
    )
    measures = list(dict.fromkeys(rows["followup_measure"].dropna()))
    notes = (
        (
            "Before and after: attendees' own ratings of their knowledge or confidence on the "
            "day. Using it later: " + "; ".join(measures) + "."
        )
        if measures
        else (
            "Before and after: attendees' own ratings of their knowledge or confidence on the day."
        )
    )
    return PublishedTable(
        frame,
        "What attendees said about the training",
        report.policy,
        {
            "Evaluations": Count("responses"),
            "Before (out of 10)": Figure(1),
            "After (out of 10)": Figure(1),
            "Using it later (%)": Figure(0),
        },
        notes=notes,
        when_empty="No course recorded an evaluation or a follow-up.",
    )


def attendance_by_agency(report: Report) -> PublishedTable:
    """Attendances by agency over all the year's courses, most first, with the total."""
    by_agency = report.tables["training_attendance"].groupby("agency")["attendances"].sum()
    frame = by_agency.astype(int).rename("Attendances").rename_axis("Agency").reset_index()
    frame = frame.sort_values(["Attendances", "Agency"], ascending=[False, True], ignore_index=True)
    if len(frame):
        frame = pd.concat(
            [
                frame,
                pd.DataFrame(
                    {"Agency": [ALL_AGENCIES], "Attendances": [int(frame["Attendances"].sum())]}
                ),
            ],
            ignore_index=True,
        )
    recorded = report.tables["training_attendance"]["course_id"].nunique()
    notes = (
        f"Attendance by agency was recorded for {recorded} of the year's "
        f"{len(courses(report))} courses."
        if 0 < recorded < len(courses(report))
        else None
    )
    return PublishedTable(
        frame,
        f"Training attendances by agency, {report.year.label}",
        report.policy,
        {"Attendances": Count("attendances")},
        total_row=ALL_AGENCIES if len(frame) else None,
        notes=notes,
        when_empty="Attendance by agency was not recorded for this year.",
    )


FOLLOWED_COLUMNS = {
    "before": "Audit findings up to then",
    "before_strengths": "Strengths then",
    "after": "Audit findings after",
    "after_strengths": "Strengths after",
}


def followed_into_audits(
    report: Report, theme_table: pd.DataFrame, labels: dict[str, str]
) -> PublishedTable:
    """For each theme taught during the lookback, audit findings on it in the year of the first
    course on it and before, against the years after: how many, and how many were strengths.

    `theme_table` is the thematic review's (finding_id unique across years, source_type, kind,
    theme, year)."""
    first: dict[str, str] = {}
    for year in report.lookback_with_data:
        for themes in report.year_tables(year)["training"]["themes"].dropna():
            for theme in str(themes).split(";"):
                first.setdefault(theme, year)
    audits = theme_table[theme_table["source_type"] == "audit"].dropna(subset=["theme"])
    rows = []
    for theme, trained in first.items():
        on_theme = audits[audits["theme"] == theme]
        later = on_theme["year"].map(ReportYear.parse) > ReportYear.parse(trained)
        before, after = on_theme[~later], on_theme[later]
        rows.append(
            {
                "Theme": labels.get(theme, theme),
                "Training began": trained,
                "before": before["finding_id"].nunique(),
                "before_strengths": before.loc[
                    before["kind"] == "strength", "finding_id"
                ].nunique(),
                "after": after["finding_id"].nunique(),
                "after_strengths": after.loc[after["kind"] == "strength", "finding_id"].nunique(),
            }
        )
    frame = pd.DataFrame(rows, columns=["Theme", "Training began", *FOLLOWED_COLUMNS])
    frame = frame[(frame["before"] + frame["after"]) > 0].rename(columns=FOLLOWED_COLUMNS)
    years = report.lookback_with_data
    scope = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return PublishedTable(
        frame,
        f"Audit findings on the topics taught, up to and including the year training "
        f"on each began and after, {scope}",
        report.policy,
        {c: Count("findings") for c in FOLLOWED_COLUMNS.values()},
        when_empty=f"No audit finding of {scope} is on a topic the training taught."
        if first
        else "No course names the themes it teaches, so training cannot be followed into "
        "later audits.",
    )


def _mean_scores(scored: pd.DataFrame) -> dict:
    """The average rating before and after, out of ten: over attendees (each course weighted
    by the evaluations it returned) when every scored course says how many; otherwise over
    courses, and the sentence says which."""
    if scored.empty:
        return {"mean_before": None, "mean_after": None, "by_attendee": False}
    weights = scored["evaluations"].astype("Float64")
    by_attendee = bool(weights.notna().all() and weights.sum() > 0)
    weights = weights.astype(float) if by_attendee else pd.Series(1.0, index=scored.index)

    def mean(column: str) -> float:
        return float((_out_of_ten(scored, column).astype(float) * weights).sum() / weights.sum())

    return {
        "mean_before": mean("score_before"),
        "mean_after": mean("score_after"),
        "by_attendee": by_attendee,
    }


def facts(report: Report, followed: PublishedTable | None = None) -> dict:
    """What the training narrative states, and only that: the counts as the tables publish
    them, and a before-and-after share of strengths only where both sides have findings."""
    rows = courses(report)
    policy = report.policy
    scored = rows.dropna(subset=["score_before", "score_after", "score_out_of"])
    shifts = []
    for row in (followed.frame if followed is not None else pd.DataFrame()).itertuples(index=False):
        theme, trained, before, before_strengths, after, after_strengths = row
        hidden = any(followed.withheld_cell(theme, c) for c in FOLLOWED_COLUMNS.values())
        if before and after and not hidden:
            shifts.append(
                {
                    "theme": theme,
                    "trained": trained,
                    "before_pct": 100 * before_strengths / before,
                    "after_pct": 100 * after_strengths / after,
                    "before": policy.count(before, "findings"),
                    "after": policy.count(after, "findings"),
                }
            )
    return {
        "courses": policy.count(len(rows), "courses"),
        "scored": policy.count(len(scored), "courses"),
        **_mean_scores(scored),
        "followed_up": policy.count(int(rows["followup_pct"].notna().sum()), "courses"),
        "shifts": shifts,
        "only_attendance": bool(len(rows))
        and not len(scored)
        and not rows["followup_pct"].notna().any(),
    }
