"""The case reviews and audits section: what was reviewed, audited and inspected, and what it
found.

Every builder takes the year's facts (`workbook.facts.year_facts`): the counts, kinds and dates
are worked out there once, and this module only lays them out. Reviews, audits and the cases an
audit looked at are the partnership's own work: their counts are published as they are (unless
the partnership asked otherwise, `withhold_counts_of`). An audits-table row is shown under its
kind (an inspection is not an audit the partnership ran), and a part with nothing recorded shows
nothing: what a year could not show is said once, at the end of the pack.
"""

from __future__ import annotations

import pandas as pd

from workbook.core.dates import column_labels
from workbook.disclosure.published import Count, PublishedTable, without_unrecorded
from workbook.facts import YearFacts
from workbook.facts.kinds import audit_kinds, signed_off_by
from workbook.text.labels import codes, label, labelled

GRADE_COLUMNS = {
    "graded_outstanding": "Outstanding",
    "graded_good": "Good",
    "graded_requires_improvement": "Requires improvement",
    "graded_inadequate": "Inadequate",
}
ALL_AUDITS = "All audits"

AUDIT_KINDS = ("multi_agency_audit", "observation", "single_agency_audit", "self_assessment")
"""The kinds the audits table of the section shows; inspections and peer reviews have their
own table (`inspection_table`)."""
INSPECTION_KINDS = ("inspection", "peer_review")

FINDINGS_PER_SOURCE = 3
"""How many findings of each review or audit the pack lists: a taste of each (areas for
development and strengths in turn); the thematic review gives the leading themes' key findings,
and every finding is in the appendix."""


def review_table(facts: YearFacts) -> PublishedTable:
    """One row per review, as the board reads it (dates at the precision the data hold)."""
    reviews = facts.reviews.frame
    frame = pd.DataFrame(
        {
            "Review": reviews["subject_pseudonym"].fillna(reviews["review_id"]),
            "Type": labelled(reviews["review_type"], "review_type"),
            "Status at year end": labelled(reviews["status"], "status"),
            "Notified": column_labels(reviews, "notified_date"),
            "Completed": column_labels(reviews, "completed_date"),
            "Published": column_labels(reviews, "published_date"),
        }
    )
    return PublishedTable(
        _without_unrecorded(frame, ["Status at year end", "Notified", "Completed", "Published"]),
        f"Case reviews open, completed or published during {facts.year}",
        facts.policy,
        when_empty=None,
    )


def _without_unrecorded(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The frame less those of `columns` that no row recorded: a column of nothing but "Not
    recorded" tells the board nothing (what is missing is said once, at the end)."""
    empty = [c for c in columns if len(frame) and frame[c].eq("Not recorded").all()]
    return frame.drop(columns=empty)


def review_listing(facts: YearFacts) -> PublishedTable:
    """Every review of the year with its reference, for the appendix (the pack shows the
    first few rows of `review_table`)."""
    return _with_references(
        review_table(facts),
        facts.reviews.frame["review_id"],
        f"Every case review open, completed or published during {facts.year}",
        "No case review was recorded for the year.",
    )


def _with_references(
    table: PublishedTable, references: pd.Series, caption: str, when_empty: str
) -> PublishedTable:
    """`table` with each row's reference first (a total row's label on a total row: a row
    header is never blank), withholding exactly what `table` withholds."""
    frame = table.frame.copy()
    ids = [*references.astype(str), *frame.iloc[len(references) :, 0].astype(str)]
    frame.insert(0, "Reference", ids)
    return PublishedTable(
        frame,
        caption,
        table.policy,
        dict(table.columns),
        withheld=table.mask,
        notes=table.notes,
        when_empty=when_empty,
    )


def review_sentences(facts: YearFacts) -> dict:
    """What the reviews sentences state: the year's review facts, the types in the order of
    the labels (none where each type has one review and the table below lists every review:
    the count of each type would only repeat the table's column of types; none where every
    review is of one type: its count would be the total again), and the completed
    reviews grouped by who signs such a review off."""
    reviews = facts.reviews
    by_type = [
        (label("review_type", kind), reviews.by_type[kind])
        for kind in codes("review_type")
        if kind in reviews.by_type
    ]
    if len(by_type) == 1 or (
        all(n == 1 for _, n in by_type) and len(by_type) <= facts.report.listing_limit
    ):
        by_type = []  # one type: "(Other review: 7)" would only say the total again
    signed: dict = {}
    for kind, fact in reviews.completed_by_type.items():
        signed.setdefault(signed_off_by(kind), []).append(
            {
                "count": fact,
                "one": label("review_type_one", kind),
                "many": label("review_type_plural", kind),
            }
        )
    return {
        "r": reviews,
        "by_type": by_type,
        "completed": [{"by": by, "types": types} for by, types in signed.items()],
    }


def audit_table(facts: YearFacts, kinds=AUDIT_KINDS) -> PublishedTable:
    """One row per audit, observation or self-assessment with its kind, the cases it looked at
    and their grades, then the totals. Grades no row recorded are left out (many partnerships
    do not grade), and so is the cases column where no row recorded it."""
    audits = facts.audits.of_kind(*kinds)
    frame = pd.DataFrame(
        {
            "Audit": audits["title"],
            "Type": labelled(audits["audit_type"], "audit_type"),
            "Reported": column_labels(audits, "audit_date"),
            "Cases audited": audits["cases_audited"],
        }
    )
    frame = _without_unrecorded(frame, ["Reported"])
    frame = without_unrecorded(frame, {"Cases audited": audits["cases_audited"]})
    for column, name in GRADE_COLUMNS.items():
        if audits[column].notna().any():
            frame[name] = audits[column]
    counts = [c for c in frame.columns if c == "Cases audited" or c in GRADE_COLUMNS.values()]
    if len(frame) > 1 and counts:
        totals = {c: "" for c in frame.columns} | {
            "Audit": ALL_AUDITS,
            **{c: frame[c].sum(min_count=1) for c in counts},
        }
        frame = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
    grades = len(counts) > 1 and "Cases audited" in counts
    total_row = ALL_AUDITS if len(frame) > len(audits) else None
    return PublishedTable(
        frame,
        f"Audits, observations and self-assessments reported during {facts.year}",
        facts.policy,
        {c: Count("cases_audited") for c in counts},
        # Where cases are graded, the cases audited are taken as the total of the grades (an
        # audit that graded only some cases over-protects them, the safe side).
        row_total="Cases audited" if grades else None,
        total_row=total_row,
        when_empty=None,
    )


def audit_listing(facts: YearFacts) -> PublishedTable:
    """Every audit of the year with its reference and the totals, withholding what the pack's
    `audit_table` withholds, for the appendix."""
    return _with_references(
        audit_table(facts),
        facts.audits.of_kind(*AUDIT_KINDS)["audit_id"],
        f"Every audit, observation and self-assessment reported during {facts.year}",
        "No audit was recorded for the year.",
    )


def inspection_table(facts: YearFacts) -> PublishedTable:
    """The inspections, visits and peer reviews reported during the year."""
    rows = facts.audits.of_kind(*INSPECTION_KINDS)
    frame = pd.DataFrame(
        {
            "Inspection or review": rows["title"],
            "Type": labelled(rows["audit_type"], "audit_type"),
            "Reported": column_labels(rows, "audit_date"),
        }
    )
    return PublishedTable(
        _without_unrecorded(frame, ["Reported"]),
        f"Inspections and peer reviews reported during {facts.year}",
        facts.policy,
        when_empty=None,
    )


def audit_sentences(facts: YearFacts) -> dict:
    """What the audits sentences state: the year's audit facts and, per kind, its words."""
    audits = facts.audits
    kinds = audit_kinds()
    return {
        "a": audits,
        "own": [
            (audits.by_kind[k], kinds[k])
            for k in ("multi_agency_audit", "observation")
            if k in audits.by_kind
        ],
        "reported": [
            (audits.by_kind[k], kinds[k])
            for k in ("single_agency_audit", "self_assessment")
            if k in audits.by_kind
        ],
        "inspections": [
            (audits.by_kind[k], kinds[k]) for k in INSPECTION_KINDS if k in audits.by_kind
        ],
        "strengths": facts.findings.of_sources(
            "audits.strength", "audit", facts.audits.of_kind(*AUDIT_KINDS)["audit_id"], "strength"
        ),
        "areas": facts.findings.of_sources(
            "audits.area_for_development",
            "audit",
            facts.audits.of_kind(*AUDIT_KINDS)["audit_id"],
            "area_for_development",
        ),
    }


def _findings_by_source(facts: YearFacts, titles: pd.Series, source_type: str) -> list[dict]:
    """For each review or audit (`titles` indexed by its id), its findings grouped by kind,
    each with its id (the pack shows a few, the appendix every one). A finding of several
    reviews or audits (a joint summary) is listed once, under the first of them, naming the
    others ("also from ...")."""
    findings = facts.findings.frame
    mine = findings[findings["source_type"] == source_type]
    kinds = codes("kind_heading")
    by_source: dict = {}
    for sources, kind, text, finding_id in zip(
        mine["sources"], mine["kind"], mine["text"], mine["finding_id"], strict=True
    ):
        if kind not in kinds or not sources:
            continue
        first = next((s for s in titles.index if s in sources), sources[0])
        others = [str(titles.get(s, s)) for s in sources if s != first]
        grouped = by_source.setdefault(first, {k: [] for k in kinds})
        grouped[kind].append({"text": text, "id": finding_id, "also": others})
    return [
        {"title": title, **by_source[source_id]}
        for source_id, title in titles.items()
        if source_id in by_source
    ]


def review_learning(facts: YearFacts) -> list[dict]:
    """Each review's findings, titled "Serious Case Review: Review A"."""
    reviews = facts.reviews.frame
    titles = (
        labelled(reviews["review_type"], "review_type")
        + ": "
        + reviews["subject_pseudonym"].fillna(reviews["review_id"])
    )
    return _findings_by_source(
        facts, pd.Series(titles.to_numpy(), index=reviews["review_id"].astype(str)), "review"
    )


def audit_learning(facts: YearFacts) -> list[dict]:
    """Each audit's (inspection's, self-assessment's) findings, titled by its own title."""
    audits = facts.audits.frame
    return _findings_by_source(
        facts, pd.Series(audits["title"].to_numpy(), index=audits["audit_id"].astype(str)), "audit"
    )
