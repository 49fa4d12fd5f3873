"""Training and its impact: what was delivered, to whom, how attendees rated their knowledge or
confidence before and after, what a later follow-up found, and what audits found on the topics
taught. The sentence on impact claims only what these figures show: an audit finding after a
course is not proof that the course caused it.

Every builder takes the year's facts (`workbook.facts.year_facts`): the training table owns the
year's training figures (`workbook.facts.training`), and where another table gives one of them
otherwise the analyst is told (`disagreements`) and the pack prints the training table's.
Courses, sessions, attendances and evaluations are the partnership's work, published as they
are (training attendances count places taken, not people). A column no course recorded is left
out, and a table with nothing recorded is not shown.
"""

from __future__ import annotations

import pandas as pd

from workbook.core.years import ReportYear, scope_words
from workbook.disclosure.published import Count, Figure, PublishedTable, without_unrecorded
from workbook.facts import YearFacts
from workbook.facts.training import EVIDENCE
from workbook.text.labels import label

ALL_AGENCIES = "All agencies"


def _recorded_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The frame less those of `columns` that no row recorded."""
    return frame.drop(columns=[c for c in columns if not frame[c].notna().any()])


def course_table(facts: YearFacts) -> PublishedTable:
    """Each course: how it was delivered, sessions and attendances (columns no course recorded
    left out), with the partnership's notes on reading them."""
    rows = facts.training.frame
    frame = pd.DataFrame(
        {
            "Course": rows["title"].astype(str),
            "Delivery": rows["delivery"].map(lambda d: label("delivery", d) if pd.notna(d) else ""),
            "Sessions": rows["sessions"],
            "Attendances": rows["attendances"],
        }
    )
    frame = _recorded_columns(frame, ["Sessions", "Attendances"])
    frame = without_unrecorded(frame, {"Delivery": rows["delivery"]})
    noted = rows.dropna(subset=["note"])
    notes = (
        " ".join(
            f"{title}: {note}" for title, note in zip(noted["title"], noted["note"], strict=True)
        )
        or None
    )
    return PublishedTable(
        frame,
        f"Multi-agency training in {facts.year.label}",
        facts.policy,
        {c: Count(c.lower()) for c in ("Sessions", "Attendances") if c in frame},
        notes=notes,
        when_empty=None,
    )


def evaluation_table(facts: YearFacts) -> PublishedTable:
    """The courses rated before and after or returning evaluations: evaluations returned and
    attendees' own ratings before and after (out of 10, whatever scale the course used).
    Columns no course recorded are left out."""
    rows = facts.training.frame
    scored = rows["score_out_of"].fillna(0) > 0
    rows = rows[rows["evaluations"].notna() | (scored & rows["score_before"].notna())]
    out_of = rows["score_out_of"].where(rows["score_out_of"] > 0)
    frame = pd.DataFrame(
        {
            "Course": rows["title"].astype(str),
            "Evaluations": rows["evaluations"],
            "Before (out of 10)": 10 * rows["score_before"] / out_of,
            "After (out of 10)": 10 * rows["score_after"] / out_of,
        }
    )
    frame = _recorded_columns(frame, ["Evaluations", "Before (out of 10)", "After (out of 10)"])
    rated = "Before (out of 10)" in frame
    return PublishedTable(
        frame,
        "What attendees said about the training",
        facts.policy,
        {
            c: kind
            for c, kind in {
                "Evaluations": Count("responses"),
                "Before (out of 10)": Figure(1),
                "After (out of 10)": Figure(1),
            }.items()
            if c in frame
        },
        notes="Before and after: attendees' own ratings of their knowledge or confidence."
        if rated
        else None,
        when_empty=None,
    )


def follow_up_table(facts: YearFacts) -> PublishedTable:
    """Each course followed up later: what the follow-up measured, in the partnership's words
    (`followup_measure`), and its result. A percentage whose measure is not recorded is not
    shown: naming what it measured would be a guess."""
    rows = facts.training.frame
    rows = rows[rows["followup_pct"].notna() & rows["followup_measure"].notna()]
    frame = pd.DataFrame(
        {
            "Course": rows["title"].astype(str),
            "What the follow-up measured": rows["followup_measure"].astype(str),
            "Result (%)": rows["followup_pct"],
        }
    )
    measures = frame["What the follow-up measured"].unique()
    notes = None
    if len(measures) == 1:  # said once, not in every row
        frame = frame.drop(columns="What the follow-up measured")
        notes = f"What the follow-up measured: {measures[0].rstrip('.')}."
    return PublishedTable(
        frame,
        "What the follow-up after each course found",
        facts.policy,
        {"Result (%)": Figure(0)},
        notes=notes,
        when_empty=None,
    )


def attendance_by_agency(facts: YearFacts) -> PublishedTable:
    """Attendances by agency, most first, with the total, over the courses whose attendance by
    agency agrees with the training table (`facts.training.by_agency`)."""
    training = facts.training
    frame = training.by_agency.rename(columns={"agency": "Agency", "attendances": "Attendances"})
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
    courses = len(training.frame)
    shown = int(training.by_agency_courses.get())
    notes = (
        f"Attendance by agency is shown for {shown} of the year's {courses} courses."
        if 0 < shown < courses
        else None
    )
    return PublishedTable(
        frame,
        f"Training attendances by agency, {facts.year.label}",
        facts.policy,
        {"Attendances": Count("attendances")},
        total_row=ALL_AGENCIES if len(frame) else None,
        notes=notes,
        when_empty=None,
    )


FOLLOWED_COLUMNS = {
    "before": "Audit findings up to then",
    "before_strengths": "Strengths then",
    "after": "Audit findings after",
    "after_strengths": "Strengths after",
}


def followed_into_audits(
    facts: YearFacts, theme_table: pd.DataFrame, labels: dict[str, str]
) -> PublishedTable:
    """For each theme taught during the lookback, audit findings on it in the year of the first
    course on it and before, against the years after: how many, and how many were strengths.
    A theme first taught in the last year with data has no "after" recorded, and is left out
    (its later findings are not recorded, not none).

    `theme_table` is the thematic review's (finding_id unique across years, source_type, kind,
    theme, year)."""
    report = facts.report
    first: dict[str, str] = {}
    for year in report.lookback_with_data:
        for themes in report.year_tables(year)["training"]["themes"].dropna():
            for theme in str(themes).split(";"):
                first.setdefault(theme, year)
    audits = theme_table[theme_table["source_type"] == "audit"].dropna(subset=["theme"])
    last = max((ReportYear.parse(y) for y in report.lookback_with_data), default=None)
    rows = []
    for theme, trained in first.items():
        if last is None or ReportYear.parse(trained) >= last:
            continue
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
    scope = scope_words(years)
    return PublishedTable(
        frame,
        f"Audit findings on the topics taught, up to and including the year training "
        f"on each began and after, {scope}",
        facts.policy,
        {c: Count("findings") for c in FOLLOWED_COLUMNS.values()},
        when_empty=None,
    )


def training_sentences(facts: YearFacts, followed: PublishedTable | None = None) -> dict:
    """What the training narrative states, and only that: the year's training facts, the
    evidence each course recorded (in the sector's order, with the number of courses), and a
    before-and-after share of strengths only where both sides have findings."""
    training = facts.training
    policy = facts.policy
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
        "t": training,
        "evidence": [
            {"words": EVIDENCE[kind], "courses": training.evidence[kind]}
            for kind in training.recorded
        ],
        "shifts": shifts,
    }


def disagreements(facts: YearFacts) -> list[str]:
    """For the analyst: where another table gives a training figure otherwise than the
    training table (the pack prints the training table's)."""
    return [d.for_analyst for d in facts.training.disagreements]
