"""Facts of the year's case reviews: how many, of which type and whose (children's, adults',
community safety's), which began in the year, which were carried forward, completed and
published.

A review is new when its notification or start falls in the year, carried forward when its
dates put it before, and neither where its dates are not recorded (it is then counted as unknown
for both, never as "not new"). "There were no new rapid reviews" is a stated zero: it is said only
where the year's data state it (contract v3's stated counts), never because a type is absent
from the list of reviews.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.dates import BEFORE, WITHIN, column_relation
from workbook.core.fact import Fact, count, not_recorded, total
from workbook.core.years import ReportYear
from workbook.facts.kinds import ADULTS, review_remit
from workbook.inputs.cells import split_ids


@dataclass(frozen=True)
class ReviewFacts:
    """The year's reviews and their facts. `frame`: the reviews with `remit` beside their
    columns (None where neither type nor age group says whose review it is)."""

    frame: pd.DataFrame
    total: Fact
    by_type: dict[str, Fact]
    by_remit: dict[str, Fact]
    new: Fact
    carried_forward: Fact
    completed: Fact
    completed_by_type: dict[str, Fact]
    published: Fact
    cases: Fact
    cases_by_remit: dict[str | None, Fact]

    def remits_of(self) -> dict[str, set[str]]:
        """Each review id with its remit (as a set: the shape findings and actions share)."""
        return {
            str(review_id): {remit}
            for review_id, remit in zip(self.frame["review_id"], self.frame["remit"], strict=True)
            if remit
        }


def _relation(frame: pd.DataFrame, column: str, year: ReportYear) -> pd.Series:
    return column_relation(frame, column, year)


def _cases(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per case the reviews looked at: a rapid review and the child safeguarding
    practice review it led to are two reviews of one case, so reviews of the same recorded
    subject are one case (a review with no subject recorded is a case of its own). Each case
    keeps its first review's id and the first remit its reviews record (None where none does)."""
    subject = frame.get("subject_pseudonym", pd.Series(index=frame.index, dtype=object))
    key = subject.where(subject.notna(), "review:" + frame["review_id"].astype(str))
    return (
        frame.assign(case=key.astype(str))
        .groupby("case", sort=False)
        .agg(review_id=("review_id", "first"), remit=("remit", "first"))
        .reset_index(drop=True)
    )


def review_facts(reviews: pd.DataFrame, year: ReportYear, policy) -> ReviewFacts:
    """The facts of the year's reviews."""
    blank = pd.Series(index=reviews.index, dtype=object)
    # The data's own remit (contract v3) says whose a review is where its type does not; the
    # type, then the subject's age group, decide only where it is blank.
    remit = [
        str(stated) if pd.notna(stated) else review_remit(kind, age)
        for stated, kind, age in zip(
            reviews.get("remit", blank),
            reviews["review_type"],
            reviews.get("age_group", blank),
            strict=True,
        )
    ]
    frame = reviews.assign(remit=pd.Series(remit, index=reviews.index, dtype=object))
    ids = frame["review_id"].astype(str)

    def counted(name: str, mask: pd.Series, **kwargs) -> Fact:
        return count(f"reviews.{name}", ids[mask], "reviews", policy, "reviews", **kwargs)

    notified = _relation(frame, "notified_date", year)
    started = _relation(frame, "started_date", year)
    new = (notified == WITHIN) | (started == WITHIN)
    earlier = ((notified == BEFORE) | (started == BEFORE)) & ~new
    undated = frame["notified_date"].isna() & frame["started_date"].isna()
    completed = _relation(frame, "completed_date", year) == WITHIN
    cases = _cases(frame)
    return ReviewFacts(
        frame=frame,
        total=total("reviews.total", ids, "reviews", policy, "reviews", "case reviews"),
        by_type={
            str(kind): counted(f"type.{kind}", frame["review_type"] == kind)
            for kind in dict.fromkeys(frame["review_type"])
        },
        by_remit={
            str(r): counted(f"remit.{r}", frame["remit"] == r)
            for r in dict.fromkeys(frame["remit"].dropna())
        },
        new=counted(
            "new",
            new,
            unknown=ids[undated],
            missing="when the reviews were notified or started",
            where="reviews: notified_date, started_date",
        ),
        carried_forward=counted(
            "carried_forward",
            earlier,
            unknown=ids[undated],
            missing="when the reviews were notified or started",
            where="reviews: notified_date, started_date",
        ),
        completed=counted("completed", completed),
        completed_by_type={
            str(kind): counted(f"completed.{kind}", completed & (frame["review_type"] == kind))
            for kind in dict.fromkeys(frame.loc[completed, "review_type"])
        },
        published=counted("published", _relation(frame, "published_date", year) == WITHIN),
        cases=total(
            "reviews.cases", cases["review_id"], "reviews", policy, "reviews", "case reviews"
        ),
        cases_by_remit={
            remit: count(
                f"reviews.cases.{remit or 'unknown'}",
                cases.loc[mask, "review_id"],
                "reviews",
                policy,
                "reviews",
            )
            for remit, mask in (
                (r, cases["remit"].isna() if r is None else cases["remit"] == r)
                for r in dict.fromkeys(cases["remit"].where(cases["remit"].notna(), None))
            )
        },
    )


def _remit(row) -> str | None:
    if "remit" in row and pd.notna(row["remit"]):
        return row["remit"]
    return review_remit(row["review_type"], row.get("age_group"))


def adults_reviews(report, facts, actions: pd.DataFrame) -> dict:
    """The SARs (adults' reviews) of the year, as the Care Act asks: those concluded in the year
    with each finding, the Board's response and reason, and what was done on it; those in
    progress at the year end. Counted apart from children's reviews."""
    reviews = facts.reviews.frame
    adults = reviews[
        pd.Series(
            [_remit(r) == ADULTS for _, r in reviews.iterrows()], index=reviews.index, dtype=bool
        )
    ]
    year = report.year
    end = pd.Timestamp(year.end)
    start = pd.Timestamp(year.start)
    completed_end = adults.get("completed_date_end", adults["completed_date"])
    concluded = (
        adults["completed_date"].notna()
        & (completed_end >= start)
        & (adults["completed_date"] <= end)
    )
    in_progress = (
        ~concluded
        & adults["status"].isin(("in_progress", "notified"))
        & (adults["completed_date"].isna())
    )
    policy = facts.policy
    ids = adults["review_id"].astype(str)
    findings = report.across_lookback("findings")
    concluded_ids = set(ids[concluded])
    mine = findings[
        (findings["source_type"] == "review")
        & findings["source_id"].map(lambda s: bool(set(split_ids(s)) & concluded_ids))
    ].drop_duplicates("finding_id", keep="last")
    done = {
        f: [
            {"action": a, "status": st}
            for a, st, answers in zip(
                actions["action"], actions["status"], actions["finding_id"], strict=True
            )
            if f in split_ids(answers)
        ]
        for f in mine["finding_id"]
    }
    sar_findings = mine.assign(done=mine["finding_id"].map(done))[
        ["finding_id", "source_id", "kind", "text", "response", "response_reason", "done"]
    ]
    if adults.empty:
        missing = not_recorded("impact.sars", "", "reviews table")
        return {
            "sars": adults,
            "sars_concluded": missing,
            "sars_in_progress": missing,
            "sar_findings": sar_findings,
        }
    return {
        "sars": adults.assign(concluded=concluded, in_progress=in_progress),
        "sars_concluded": count(
            "impact.sars.concluded", ids[concluded], "reviews", policy, "reviews"
        ),
        "sars_in_progress": count(
            "impact.sars.in_progress", ids[in_progress], "reviews", policy, "reviews"
        ),
        "sar_findings": sar_findings,
    }
