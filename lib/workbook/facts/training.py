"""Facts of the year's training: courses, and for each kind of evidence (sessions, attendances,
evaluations, ratings before and after, a later follow-up) how many courses recorded it. A
sentence about attendance needs attendances recorded; "only attendance was recorded" needs
attendances and nothing else, not sessions.

The training table owns the year's training figures. Attendance by agency
(`training_attendance`) and the local indicators `training_attendance` and
`elearning_completions` may give the same figure again: where one of them disagrees with the
training table, the pack prints the training table's figure, and `disagreements` says which
files, rows and figures differ, for the analyst to put right (`workbook validate` and `run`
warn of them, the analyst's companion lists them).

Training is the partnership's work: counts are published as they are (an attendance is a place
taken, not a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded, rows_of, total
from workbook.inputs.raw_tables import FIRST_DATA_ROW

EVIDENCE = {
    "sessions": "sessions",
    "attendances": "attendances",
    "evaluations": "evaluations",
    "ratings": "ratings before and after",
    "follow_up": "a follow-up later",
}
"""The kinds of evidence a course may record, in the sector's order, with their words."""

EVIDENCE_MISSING = {
    "sessions": "how many training sessions were delivered",
    "attendances": "how many places on training were taken (attendances)",
    "evaluations": "how many evaluations of training were returned",
    "ratings": "attendees' ratings of their knowledge or confidence before and after training",
    "follow_up": "whether learning from training was used later (a follow-up after the course)",
}
"""Each kind of evidence, where no course recorded it, in the words of the pack's list of what
the year's data do not record."""

IMPACT = ("ratings", "follow_up")
"""Evidence of what the training changed, beyond what was delivered: attendees' ratings of
their knowledge or confidence before and after, and a later follow-up."""

ELEARNING = "elearning"
"""A course delivered as e-learning: its `attendances` are modules completed (the contract)."""

HELD_INDICATORS = {"training_attendance": False, "elearning_completions": True}
"""Indicators of the catalogue that give a training figure again: id -> whether it counts
e-learning completions (else attendances at taught courses)."""


@dataclass(frozen=True)
class Disagreement:
    """One figure two tables give differently. The pack follows `kept` (the training table);
    `other` is where the same thing is given otherwise. Each side is (where it is read
    from, its spreadsheet rows, its figure)."""

    what: str
    kept: tuple[str, tuple[int, ...], float]
    other: tuple[str, tuple[int, ...], float]

    def __str__(self) -> str:
        (source, rows, figure), (other, other_rows, other_figure) = self.kept, self.other
        return (
            f"{self.what} differ: {source}, {_rows_words(rows)}: {figure:,.0f}; {other}, "
            f"{_rows_words(other_rows)}: {other_figure:,.0f}. The pack follows the training "
            "table: correct whichever is wrong"
        )

    @property
    def for_analyst(self) -> str:
        """The same, naming each file without its folder (the analyst's companion)."""
        kept = (_file_name(self.kept[0]), *self.kept[1:])
        other = (_file_name(self.other[0]), *self.other[1:])
        return str(Disagreement(self.what, kept, other))


def _rows_words(rows: tuple[int, ...]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    if list(rows) == list(range(rows[0], rows[0] + len(rows))):
        return f"rows {rows[0]} to {rows[-1]}"
    return "rows " + ", ".join(str(r) for r in rows)


def _file_name(source: str) -> str:
    return Path(source).name


def _spreadsheet_rows(frame: pd.DataFrame) -> tuple[int, ...]:
    """The rows a spreadsheet shows for rows of a table as read (its index is each row's place
    in the file)."""
    return tuple(int(i) + FIRST_DATA_ROW for i in frame.index)


@dataclass(frozen=True)
class TrainingFacts:
    """The year's courses and what each recorded. `recorded` lists the kinds of evidence the
    year holds, in the sector's order (keys of `EVIDENCE`); `evidence` counts the courses
    recording each kind."""

    frame: pd.DataFrame
    """The year's courses as read (index: each row's place in its file)."""
    courses: Fact
    evidence: dict[str, Fact]
    recorded: tuple[str, ...]
    scored: Fact
    """Courses rated before and after on a scale they give."""
    mean_before: Fact
    mean_after: Fact
    """Attendees' average rating out of 10 before and after, over the scored courses: weighted
    by the evaluations returned where every scored course says how many (`detail["over"]` is
    then "attendees"), else over courses ("courses")."""
    followed_up: Fact
    """Courses with a later follow-up and what it measured (`followup_measure`)."""
    follow_up_unmeasured: Fact
    """Not recorded where a course gives a follow-up percentage without saying what it
    measured: such a figure is not stated (labelling it would be a guess)."""
    with_impact_evidence: Fact
    """Courses with evidence of what they changed beyond what was delivered (`IMPACT`): for
    the checklist and the plain summary, "impact needs evidence of change"."""
    by_agency: pd.DataFrame
    """Attendances by agency (agency, attendances), over the courses whose breakdown agrees
    with the training table's attendances or gives the only figure."""
    by_agency_courses: Fact
    disagreements: tuple[Disagreement, ...]
    held_indicators: frozenset[str]
    """Indicator ids whose figure the training table holds this year: the local picture leaves
    them to the training section, so the pack prints one number for one thing."""


def training_facts(
    tables: dict[str, pd.DataFrame], policy, sources: dict[str, str] | None = None
) -> TrainingFacts:
    """The facts of the year's training table (and of the tables that repeat its figures:
    `training_attendance`, the training indicators). `sources`: where each table was read from
    (`inputs.loading.table_sources`), for the disagreements to name."""
    training = tables["training"]
    ids = training["course_id"].astype(str)
    scored = training[["score_before", "score_after", "score_out_of"]].notna().all(axis=1)
    scored &= training["score_out_of"].fillna(0) > 0
    measured = training["followup_pct"].notna() & training["followup_measure"].notna()
    unmeasured = training["followup_pct"].notna() & training["followup_measure"].isna()
    masks = {
        "sessions": training["sessions"].notna(),
        "attendances": training["attendances"].notna(),
        "evaluations": training["evaluations"].notna(),
        "ratings": scored,
        "follow_up": measured,
    }

    def courses(name: str, mask: pd.Series, **kwargs) -> Fact:
        return count(f"training.{name}", ids[mask], "training", policy, "courses", **kwargs)

    evidence = {
        kind: courses(f"evidence.{kind}", mask)
        if mask.any()
        else not_recorded(
            f"training.evidence.{kind}",
            # With no course at all, the one thing missing is the training (`courses`).
            EVIDENCE_MISSING[kind] if len(ids) else "",
            f"training: {_columns(kind)}",
        )
        for kind, mask in masks.items()
    }
    impact = pd.concat([masks[kind] for kind in IMPACT], axis=1).any(axis=1)
    agreeing, disagreements = _attendance_by_agency(tables, sources or {})
    return TrainingFacts(
        frame=training,
        courses=total(
            "training.courses",
            ids,
            "training",
            policy,
            "courses",
            "the year's multi-agency training",
        ),
        evidence=evidence,
        recorded=tuple(kind for kind, mask in masks.items() if mask.any()),
        scored=courses("scored", scored),
        **_mean_scores(training[scored], ids[scored], bool(len(ids))),
        followed_up=courses("followed_up", measured),
        follow_up_unmeasured=(
            not_recorded(
                "training.follow_up_measure",
                "what the follow-up of some courses measured",
                "training: followup_measure",
            )
            if unmeasured.any()
            else Fact("training.follow_up_measure", policy.count(0, "courses"))
        ),
        with_impact_evidence=courses("with_impact_evidence", impact)
        if len(ids)
        else not_recorded("training.with_impact_evidence", "", "training"),
        by_agency=agreeing,
        by_agency_courses=count(
            "training.by_agency_courses",
            dict.fromkeys(agreeing.attrs.get("courses", ())),
            "training",
            policy,
            "courses",
        ),
        disagreements=tuple(disagreements + _indicator_disagreements(tables, sources or {})),
        held_indicators=frozenset(
            indicator
            for indicator, online in HELD_INDICATORS.items()
            if (
                training["attendances"].notna()
                & (training["delivery"].eq(ELEARNING).fillna(False) == online)
            ).any()
        ),
    )


def _columns(kind: str) -> str:
    return {
        "ratings": "score_before, score_after, score_out_of",
        "follow_up": "followup_pct, followup_measure",
    }.get(kind, kind)


def _mean_scores(scored: pd.DataFrame, ids: pd.Series, any_course: bool) -> dict[str, Fact]:
    """The average rating before and after, out of ten: over attendees (each course weighted
    by the evaluations it returned) where every scored course says how many; otherwise over
    courses."""
    if scored.empty:
        return {
            name: not_recorded(
                f"training.{name}",
                EVIDENCE_MISSING["ratings"] if any_course else "",
                f"training: {_columns('ratings')}",
            )
            for name in ("mean_before", "mean_after")
        }
    weights = scored["evaluations"].astype("Float64")
    by_attendee = bool(weights.notna().all() and weights.sum() > 0)
    weights = weights.astype(float) if by_attendee else pd.Series(1.0, index=scored.index)
    rows = rows_of("training", ids)

    def mean(column: str) -> Fact:
        out_of_ten = 10 * scored[column].astype(float) / scored["score_out_of"].astype(float)
        return Fact(
            f"training.{column.replace('score', 'mean')}",
            round(float((out_of_ten * weights).sum() / weights.sum()), 1),
            rows,
            detail={"over": "attendees" if by_attendee else "courses"},
        )

    return {"mean_before": mean("score_before"), "mean_after": mean("score_after")}


def _attendance_by_agency(
    tables: dict[str, pd.DataFrame], sources: dict[str, str]
) -> tuple[pd.DataFrame, list[Disagreement]]:
    """Attendances by agency over the courses whose breakdown the training table agrees with
    (or gives no figure for), and a disagreement for each course whose breakdown adds up to
    another number than its attendances in the training table."""
    training, attendance = tables["training"], tables.get("training_attendance")
    if attendance is None or attendance.empty:
        empty = pd.DataFrame({"agency": [], "attendances": []})
        empty.attrs["courses"] = ()
        return empty, []
    stated = training.set_index(training["course_id"].astype(str))
    kept, disagreements = [], []
    for course, rows in attendance.groupby(attendance["course_id"].astype(str), sort=False):
        total = rows["attendances"].sum()
        given = stated["attendances"].get(course)
        if given is not None and pd.notna(given) and given != total:
            title = stated.loc[course, "title"]
            disagreements.append(
                Disagreement(
                    f"Attendances at '{title}'",
                    (
                        sources.get("training", "training"),
                        _spreadsheet_rows(training[training["course_id"].astype(str) == course]),
                        float(given),
                    ),
                    (
                        sources.get("training_attendance", "training_attendance"),
                        _spreadsheet_rows(rows),
                        float(total),
                    ),
                )
            )
            continue
        kept.append(rows)
    frame = pd.concat(kept) if kept else attendance.iloc[0:0]
    agreeing = frame.groupby("agency", sort=False)["attendances"].sum().astype(int).reset_index()
    agreeing.attrs["courses"] = tuple(dict.fromkeys(frame["course_id"].astype(str)))
    return agreeing, disagreements


def _indicator_disagreements(
    tables: dict[str, pd.DataFrame], sources: dict[str, str]
) -> list[Disagreement]:
    """Each headline training indicator of the year (attendances, e-learning completions)
    whose figure the training table gives otherwise. The training table agrees when its
    courses of that kind add up to the figure, or when one course's row gives it (a row for
    all courses, as some reports give it)."""
    training, indicators = tables["training"], tables.get("indicators")
    if indicators is None or indicators.empty:
        return []
    found = []
    for indicator, online in HELD_INDICATORS.items():
        of_kind = training[
            training["attendances"].notna()
            & (training["delivery"].eq(ELEARNING).fillna(False) == online)
        ]
        if of_kind.empty:
            continue
        rows = indicators[
            (indicators["indicator"] == indicator)
            & (indicators["area"] == "local")
            & indicators["breakdown"].isna()
            & indicators["value"].notna()
        ]
        total = float(of_kind["attendances"].sum())
        for index, value in rows["value"].items():
            if float(value) in (total, *of_kind["attendances"].astype(float)):
                continue
            kind = "E-learning completions" if online else "Attendances at taught courses"
            found.append(
                Disagreement(
                    kind,
                    (sources.get("training", "training"), _spreadsheet_rows(of_kind), total),
                    (
                        sources.get("indicators", "indicators"),
                        (int(index) + FIRST_DATA_ROW,),
                        float(value),
                    ),
                )
            )
    return found


def training_disagreements(
    tables: dict[str, pd.DataFrame], sources: dict[str, str] | None = None
) -> list[Disagreement]:
    """Where the year's tables give a training figure otherwise than the training table (for
    `workbook validate` and `run` to warn of, before anything is rendered)."""
    if "training" not in tables or tables["training"].empty:
        return []
    _, by_agency = _attendance_by_agency(tables, sources or {})
    return by_agency + _indicator_disagreements(tables, sources or {})


TRAINING_LEVELS = ("reaction", "learning", "behaviour", "results")
"""The sector's levels of training evaluation, lowest first."""


def training_levels(training: pd.DataFrame, policy) -> dict[str, Fact]:
    """Courses by the highest of the sector's levels of evaluation they record: reaction
    (evaluations returned or a satisfaction percentage), learning (scores before and after),
    behaviour (a follow-up of practice, saying what it measured), results (evidence of change
    in outcomes)."""
    if training.empty:
        return {}
    has = {
        "reaction": training["evaluations"].notna() | training.get("reaction_pct", pd.NA).notna(),
        "learning": training["score_before"].notna() & training["score_after"].notna(),
        "behaviour": training["followup_pct"].notna() & training["followup_measure"].notna(),
        "results": training.get("results", pd.Series(pd.NA, index=training.index)).notna(),
    }
    highest = pd.Series(None, index=training.index, dtype=object)
    for level in TRAINING_LEVELS:
        highest = highest.mask(has[level], level)
    ids = training["course_id"].astype(str)
    return {
        level: count(
            f"impact.training.{level}", ids[highest == level], "training", policy, "courses"
        )
        for level in TRAINING_LEVELS
        if (highest == level).any()
    }
