"""The case reviews and audits section: what was reviewed and audited, and what it found."""

from __future__ import annotations

import pandas as pd

from workbook.core.dates import BEFORE, WITHIN, column_labels, column_relation
from workbook.core.years import ReportYear
from workbook.disclosure.suppression import suppression_mask
from workbook.inputs.cells import split_ids
from workbook.text.labels import label, labelled

GRADE_COLUMNS = {
    "graded_outstanding": "Outstanding",
    "graded_good": "Good",
    "graded_requires_improvement": "Requires improvement",
    "graded_inadequate": "Inadequate",
}


def review_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per review, as the board reads it: dates at the precision the data give them
    ("12 May 2019", "May 2019", "2019", "2019-20"), never more precise."""
    name = reviews["subject_pseudonym"].fillna(reviews["review_id"])
    return pd.DataFrame({
        "Review": name,
        "Type": labelled(reviews["review_type"], "review_type"),
        "Status at year end": labelled(reviews["status"], "status"),
        "Notified": column_labels(reviews, "notified_date"),
        "Completed": column_labels(reviews, "completed_date"),
        "Published": column_labels(reviews, "published_date"),
    })


def _is(reviews: pd.DataFrame, column: str, year: ReportYear, where: str) -> pd.Series:
    return column_relation(reviews, column, year) == where


def review_facts(reviews: pd.DataFrame, year: ReportYear) -> dict:
    """Counts a report states about its reviews: new, carried forward, completed, published.

    Only dates that say so count: a review is new when it was notified or started within the
    year, carried forward when it was notified or started before it (and not new). A review
    with no such date, or one too coarse to tell ("2019" against 2019-20), is neither."""
    new = (_is(reviews, "notified_date", year, WITHIN)
           | _is(reviews, "started_date", year, WITHIN))
    earlier = (_is(reviews, "notified_date", year, BEFORE)
               | _is(reviews, "started_date", year, BEFORE))
    by_type = reviews["review_type"].value_counts()
    return {
        "total": len(reviews),
        "new": int(new.sum()),
        "carried_forward": int((earlier & ~new).sum()),
        "completed": int(_is(reviews, "completed_date", year, WITHIN).sum()),
        "published": int(_is(reviews, "published_date", year, WITHIN).sum()),
        "by_type": {label("review_type", code): int(n) for code, n in by_type.items()},
        "new_cspr_or_sar": int((new & reviews["review_type"].isin(["cspr", "sar"])).sum()),
    }


def audit_table(audits: pd.DataFrame) -> pd.DataFrame:
    """One row per audit with the cases audited and their grades (counts, to be suppressed)."""
    table = pd.DataFrame({
        "Audit": audits["title"],
        "Type": labelled(audits["audit_type"], "audit_type"),
        "Reported": column_labels(audits, "audit_date"),
        "Cases audited": audits["cases_audited"],
    })
    for column, name in GRADE_COLUMNS.items():
        table[name] = audits[column]
    totals = {"Audit": ALL_AUDITS, "Type": "", "Reported": "",
              **{c: table[c].sum(min_count=1) for c in AUDIT_COUNTS}}
    return pd.concat([table, pd.DataFrame([totals])], ignore_index=True)


ALL_AUDITS = "All audits"
AUDIT_COUNTS = ["Cases audited", *GRADE_COLUMNS.values()]
"""The audit table's counts: `Cases audited` is treated as the total of the grades (where an
audit graded only some cases this over-suppresses, which errs on the safe side), and the
`All audits` row as the total of the audits."""


def published_audit_counts(audits: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The audit table's counts as far as the table publishes them: hidden cells are NaN.

    The sentences and the grade chart take their counts from here, with the same suppression
    as the table, so no figure beside the table can be set against its cells to recover a
    suppressed one."""
    table = audit_table(audits)
    counts = table[AUDIT_COUNTS].apply(pd.to_numeric, errors="coerce").astype(float)
    mask = suppression_mask(counts, threshold, row_total="Cases audited",
                            total_row=len(table) - 1)
    return counts.mask(mask)


def published_grade_totals(audits: pd.DataFrame, threshold: int) -> pd.Series:
    """Cases by grade across the year's audits, as far as the audit table publishes them
    (the grade chart draws these)."""
    totals = published_audit_counts(audits, threshold).iloc[-1]
    return totals[list(GRADE_COLUMNS.values())].dropna()


FINDING_KINDS = ("strength", "area_for_development", "learning", "recommendation",
                 "satisfactory")


def _findings_by_source(findings: pd.DataFrame, titles: pd.Series, source_type: str) -> list[dict]:
    """For each review or audit (`titles` indexed by its id), its findings grouped by kind.
    A finding from several reviews or audits (a joint summary) is listed under each of them."""
    mine = findings[findings["source_type"] == source_type]
    mine = mine.assign(source_id=mine["source_id"].map(split_ids)).explode("source_id")
    out = []
    for source_id, title in titles.items():
        rows = mine[mine["source_id"] == source_id]
        if rows.empty:
            continue
        grouped = {kind: rows.loc[rows["kind"] == kind, "text"].tolist()
                   for kind in FINDING_KINDS}
        out.append({"title": title, **grouped})
    return out


def review_learning(findings: pd.DataFrame, reviews: pd.DataFrame) -> list[dict]:
    """Each review's findings, titled "Serious Case Review: Review A"."""
    titles = (labelled(reviews["review_type"], "review_type") + ": "
              + reviews["subject_pseudonym"].fillna(reviews["review_id"]))
    return _findings_by_source(findings, pd.Series(titles.to_numpy(),
                                                   index=reviews["review_id"]), "review")


def audit_learning(findings: pd.DataFrame, audits: pd.DataFrame) -> list[dict]:
    """Each audit's findings, titled by the audit's own title."""
    return _findings_by_source(findings, pd.Series(audits["title"].to_numpy(),
                                                   index=audits["audit_id"]), "audit")


def audit_facts(audits: pd.DataFrame, findings: pd.DataFrame, threshold: int) -> dict:
    """What the audits sentence states. The cases audited are stated only where the table's
    `All audits` row publishes them: a total withheld there to protect one small audit would
    give it away if the sentence stated it (None: not stated)."""
    audit_findings = findings[findings["source_type"] == "audit"]
    by_type = audits["audit_type"].value_counts()
    cases = published_audit_counts(audits, threshold)["Cases audited"].iloc[-1]
    return {
        "total": len(audits),
        "by_type": {label("audit_type", code): int(n) for code, n in by_type.items()},
        "cases_audited": None if pd.isna(cases) else int(cases),
        "strengths": int((audit_findings["kind"] == "strength").sum()),
        "areas": int((audit_findings["kind"] == "area_for_development").sum()),
    }
