"""The case reviews and audits section: what was reviewed and audited, and what it found.

Reviews, audits and the cases an audit looked at are the partnership's own work: their counts
are published as they are (unless the partnership asked otherwise, `withhold_counts_of`).
Sentences say only what the data support: a review is "new" or "carried forward" only where its
dates say so, and the review types a sentence names are those of the year's statutory framework
and of the partnership's remit.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from workbook.core.dates import BEFORE, WITHIN, column_labels, column_relation
from workbook.core.years import ReportYear
from workbook.disclosure.published import Count, Policy, PublishedTable
from workbook.inputs.cells import split_ids
from workbook.text.labels import codes, label, labelled

GRADE_COLUMNS = {
    "graded_outstanding": "Outstanding",
    "graded_good": "Good",
    "graded_requires_improvement": "Requires improvement",
    "graded_inadequate": "Inadequate",
}
ALL_AUDITS = "All audits"

CSPR_FROM = date(2018, 6, 29)
"""Working Together 2018 in force: rapid reviews and Child Safeguarding Practice Reviews."""
SCR_UNTIL = date(2019, 9, 29)
"""The end of the local transition: no Serious Case Review was started after it."""


def _within(frame: pd.DataFrame, column: str, year: ReportYear) -> pd.Series:
    """True where the date certainly falls inside the year."""
    return column_relation(frame, column, year) == WITHIN


def _before(frame: pd.DataFrame, column: str, year: ReportYear) -> pd.Series:
    """True where the date certainly falls before the year began."""
    return column_relation(frame, column, year) == BEFORE


def review_table(reviews: pd.DataFrame, year: ReportYear, policy: Policy) -> PublishedTable:
    """One row per review, as the board reads it (dates at the precision the data hold)."""
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
    # With no reviews the section's sentence says so: no second sentence here.
    return PublishedTable(
        frame, f"Case reviews open, completed or published during {year}", policy, when_empty=None
    )


def review_listing(reviews: pd.DataFrame, year: ReportYear, policy: Policy) -> PublishedTable:
    """Every review of the year with its reference, for the appendix (the pack shows the
    first few rows of `review_table`)."""
    return _with_references(
        review_table(reviews, year, policy),
        reviews["review_id"],
        f"Every case review open, completed or published during {year}",
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


def national_review_types(year: ReportYear, covers_adults: bool) -> list[str]:
    """The statutory review types a partnership could start in `year`: Serious Case Reviews
    under the LSCBs (until the transition ended in September 2019), rapid reviews and Child
    Safeguarding Practice Reviews from June 2018, Safeguarding Adult Reviews only where the
    partnership covers adults."""
    types = []
    if year.start < SCR_UNTIL:
        types.append("scr")
    if year.end >= CSPR_FROM:
        types += ["rapid_review", "cspr"]
    if covers_adults:
        types.append("sar")
    return types


def review_facts(
    reviews: pd.DataFrame, year: ReportYear, covers_adults: bool, policy: Policy
) -> dict:
    """What the reviews sentences state. A review is new when it was notified or started in
    the year, carried forward when its dates put it before the year, and neither where its
    dates are not recorded; "no new X" is said only of the year's statutory types, and only
    where no review of that type could be new."""
    new = _within(reviews, "notified_date", year) | _within(reviews, "started_date", year)
    earlier = _before(reviews, "notified_date", year) | _before(reviews, "started_date", year)
    undated = reviews["notified_date"].isna() & reviews["started_date"].isna()
    perhaps_new = ~earlier & ~new
    by_type = reviews["review_type"].value_counts()
    not_new = [
        label("review_type_plural", t)
        for t in national_review_types(year, covers_adults)
        if not ((reviews["review_type"] == t) & (new | perhaps_new)).any()
    ]

    def count(n) -> int:
        return policy.count(int(n), "reviews")

    return {
        "total": count(len(reviews)),
        "new": count(new.sum()),
        "carried_forward": count((earlier & ~new).sum()),
        "undated": count(undated.sum()),
        "completed": count(_within(reviews, "completed_date", year).sum()),
        "published": count(_within(reviews, "published_date", year).sum()),
        "by_type": {label("review_type", code): count(n) for code, n in by_type.items()},
        "none_new_of": not_new,
    }


def audit_table(audits: pd.DataFrame, year: ReportYear, policy: Policy) -> PublishedTable:
    """One row per audit with the cases audited and their grades, then the totals. Grades no
    audit recorded are left out (many partnerships do not grade)."""
    frame = pd.DataFrame(
        {
            "Audit": audits["title"],
            "Type": labelled(audits["audit_type"], "audit_type"),
            "Reported": column_labels(audits, "audit_date"),
            "Cases audited": audits["cases_audited"],
        }
    )
    for column, name in GRADE_COLUMNS.items():
        if audits[column].notna().any():
            frame[name] = audits[column]
    counts = [c for c in frame.columns if c == "Cases audited" or c in GRADE_COLUMNS.values()]
    if len(frame) > 1:
        totals = {
            "Audit": ALL_AUDITS,
            "Type": "",
            "Reported": "",
            **{c: frame[c].sum(min_count=1) for c in counts},
        }
        frame = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
    grades = len(counts) > 1
    return PublishedTable(
        frame,
        f"Audits reported during {year}",
        policy,
        {c: Count("cases_audited") for c in counts},
        # Where cases are graded, the cases audited are taken as the total of the grades (an
        # audit that graded only some cases over-protects them, the safe side).
        row_total="Cases audited" if grades else None,
        total_row=ALL_AUDITS if len(frame) > 1 else None,
        when_empty=None,
    )  # the section's sentence says there were none


def audit_listing(audits: pd.DataFrame, year: ReportYear, policy: Policy) -> PublishedTable:
    """Every audit of the year with its reference and the totals, withholding what the pack's
    `audit_table` withholds, for the appendix."""
    return _with_references(
        audit_table(audits, year, policy),
        audits["audit_id"],
        f"Every audit reported during {year}",
        "No audit was recorded for the year.",
    )


def grade_names(table: PublishedTable) -> list[str]:
    """The grade columns an audit table shows."""
    return [c for c in table.frame.columns if c in GRADE_COLUMNS.values()]


def audit_summary_row(table: PublishedTable):
    """The row holding the year's totals: `All audits`, or the only audit's own row."""
    return ALL_AUDITS if table.total_row is not None else table.frame.iloc[0, 0]


def audit_facts(table: PublishedTable, audits: pd.DataFrame, findings: pd.DataFrame) -> dict:
    """What the audits sentences state, the cases audited exactly as the table publishes them
    (None: not stated, where the table withholds or has no figure), with how many audits
    recorded their cases (the total covers only those)."""
    policy = table.policy
    mine = findings[findings["source_type"] == "audit"]
    by_type = audits["audit_type"].value_counts()
    return {
        "total": policy.count(len(audits), "audits"),
        "with_cases": policy.count(int(audits["cases_audited"].notna().sum()), "audits"),
        "by_type": {
            label("audit_type", code): policy.count(n, "audits") for code, n in by_type.items()
        },
        "cases_audited": None
        if table.empty
        else table.value(audit_summary_row(table), "Cases audited"),
        "strengths": policy.count(int((mine["kind"] == "strength").sum()), "findings"),
        "areas": policy.count(int((mine["kind"] == "area_for_development").sum()), "findings"),
    }


def _findings_by_source(findings: pd.DataFrame, titles: pd.Series, source_type: str) -> list[dict]:
    """For each review or audit (`titles` indexed by its id), its findings grouped by kind,
    each with its id (the pack shows a few, the appendix every one); one pass over the
    findings, however many sources there are. A finding from several reviews or audits (a
    joint summary) is listed under each of them."""
    mine = findings[findings["source_type"] == source_type]
    mine = mine.assign(source_id=mine["source_id"].map(split_ids)).explode("source_id")
    kinds = codes("kind_heading")
    by_source: dict = {}
    for source_id, kind, text, finding_id in zip(
        mine["source_id"], mine["kind"], mine["text"], mine["finding_id"], strict=True
    ):
        if kind in kinds:
            grouped = by_source.setdefault(source_id, {k: [] for k in kinds})
            grouped[kind].append({"text": text, "id": finding_id})
    return [
        {"title": title, **by_source[source_id]}
        for source_id, title in titles.items()
        if source_id in by_source
    ]


def review_learning(findings: pd.DataFrame, reviews: pd.DataFrame) -> list[dict]:
    """Each review's findings, titled "Serious Case Review: Review A"."""
    titles = (
        labelled(reviews["review_type"], "review_type")
        + ": "
        + reviews["subject_pseudonym"].fillna(reviews["review_id"])
    )
    return _findings_by_source(
        findings, pd.Series(titles.to_numpy(), index=reviews["review_id"]), "review"
    )


def audit_learning(findings: pd.DataFrame, audits: pd.DataFrame) -> list[dict]:
    """Each audit's findings, titled by the audit's own title."""
    return _findings_by_source(
        findings, pd.Series(audits["title"].to_numpy(), index=audits["audit_id"]), "audit"
    )


def no_learning_sentence(sources: pd.DataFrame, what: str, year: ReportYear) -> str:
    """Said where a list of findings is empty: no sources, or sources whose findings are not
    recorded in the year's data."""
    if sources.empty:
        return f"No {what} were recorded for {year}, so there are no findings to report."
    n = len(sources)
    noun = what[:-1] if n == 1 else what
    return f"The findings of the {n:,} {noun} listed above are not recorded in this year's data."
