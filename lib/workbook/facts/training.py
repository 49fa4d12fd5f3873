"""Facts of the year's training: courses, and for each measure (sessions, attendances,
evaluations, ratings before and after, a later follow-up) how many courses recorded it and its
total over them. A sentence about attendance needs attendances recorded; "only attendance was
recorded" needs attendances and nothing else, not sessions.

Training is the partnership's work: counts are published as they are (an attendance is a place
taken, not a person).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, rows_of, total

MEASURES = {
    "sessions": ("sessions", "how many training sessions were delivered"),
    "attendances": ("attendances", "how many places on training were taken (attendances)"),
    "evaluations": ("responses", "how many evaluations of training were returned"),
}
"""Summed measures: column -> (unit of specs/disclosure.yaml, words for what is missing)."""


@dataclass(frozen=True)
class TrainingFacts:
    """The year's courses and what each recorded. `recorded` lists the kinds of evidence the
    year holds, in the sector's order: sessions, attendances, evaluations, ratings before and
    after, a later follow-up."""

    frame: pd.DataFrame
    courses: Fact
    totals: dict[str, Fact]
    scored: Fact
    followed_up: Fact
    recorded: tuple[str, ...]


def training_facts(training: pd.DataFrame, policy) -> TrainingFacts:
    """The facts of the year's training table."""
    ids = training["course_id"].astype(str)
    totals = {}
    for column, (unit, words) in MEASURES.items():
        given = training[column].notna()
        totals[column] = (
            Fact(
                f"training.{column}",
                policy.count(int(training.loc[given, column].sum()), unit),
                rows_of("training", ids[given]),
                words if (~given).any() else "",
                f"training: {column}",
                int((~given).sum()),
            )
            if given.any()
            else Fact(f"training.{column}", None, missing=words, where=f"training: {column}")
        )
    scored = training[["score_before", "score_after", "score_out_of"]].notna().all(axis=1)
    followed = training["followup_pct"].notna()
    recorded = tuple(
        name
        for name, present in (
            ("sessions", totals["sessions"].recorded),
            ("attendances", totals["attendances"].recorded),
            ("evaluations", totals["evaluations"].recorded),
            ("ratings", bool(scored.any())),
            ("follow_up", bool(followed.any())),
        )
        if present
    )
    return TrainingFacts(
        frame=training.reset_index(drop=True),
        courses=total("training.courses", ids, "training", policy, "courses", "training"),
        totals=totals,
        scored=count("training.scored", ids[scored], "training", policy, "courses"),
        followed_up=count("training.followed_up", ids[followed], "training", policy, "courses"),
        recorded=recorded,
    )
