"""The case reviews and audits section: what was reviewed and audited, and what it found."""

from __future__ import annotations

import pandas as pd

from workbook.core.years import ReportYear
from workbook.disclosure.suppression import suppression_mask
from workbook.text.labels import label, labelled

GRADE_COLUMNS = {
    "graded_outstanding": "Outstanding",
    "graded_good": "Good",
    "graded_requires_improvement": "Requires improvement",
    "graded_inadequate": "Inadequate",
}


def month_year(value) -> str:
    return "Not recorded" if pd.isna(value) else f"{pd.Timestamp(value):%B %Y}"


def review_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per review, as the board reads it (no dates the data do not hold)."""
    name = reviews["subject_pseudonym"].fillna(reviews["review_id"])
    return pd.DataFrame({
        "Review": name,
        "Type": labelled(reviews["review_type"], "review_type"),
        "Status at year end": labelled(reviews["status"], "status"),
        "Notified": reviews["notified_date"].map(month_year),
        "Completed": reviews["completed_date"].map(month_year),
        "Published": reviews["published_date"].map(month_year),
    })


def _in_year(dates: pd.Series, year: ReportYear) -> pd.Series:
    return dates.between(pd.Timestamp(year.start), pd.Timestamp(year.end))


def review_facts(reviews: pd.DataFrame, year: ReportYear) -> dict:
    """Counts a report states about its reviews: new, carried forward, completed, published."""
    new = _in_year(reviews["notified_date"], year) | _in_year(reviews["started_date"], year)
    by_type = reviews["review_type"].value_counts()
    return {
        "total": len(reviews),
        "new": int(new.sum()),
        "carried_forward": int((~new).sum()),
        "completed": int(_in_year(reviews["completed_date"], year).sum()),
        "published": int(_in_year(reviews["published_date"], year).sum()),
        "by_type": {label("review_type", code): int(n) for code, n in by_type.items()},
        "new_cspr_or_sar": int((new & reviews["review_type"].isin(["cspr", "sar"])).sum()),
    }


def audit_table(audits: pd.DataFrame) -> pd.DataFrame:
    """One row per audit with the cases audited and their grades (counts, to be suppressed)."""
    table = pd.DataFrame({
        "Audit": audits["title"],
        "Type": labelled(audits["audit_type"], "audit_type"),
        "Reported": audits["audit_date"].map(month_year),
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


def _findings_by_source(findings: pd.DataFrame, titles: pd.Series, source_type: str) -> list[dict]:
    """For each review or audit (`titles` indexed by its id), its findings grouped by kind."""
    mine = findings[findings["source_type"] == source_type]
    out = []
    for source_id, title in titles.items():
        rows = mine[mine["source_id"] == source_id]
        if rows.empty:
            continue
        grouped = {kind: rows.loc[rows["kind"] == kind, "text"].tolist()
                   for kind in ("strength", "area_for_development", "learning", "recommendation")}
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
