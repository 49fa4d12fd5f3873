"""Facts of the year's audits, self-assessments, observations, inspections and peer reviews,
each called by its kind (specs/kinds.yaml): an Ofsted visit is an inspection, not "an audit the
partnership completed"; a section 11 return is an agency's self-assessment."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, rows_of, total
from workbook.facts.kinds import audit_kind, audit_kinds, own_work


@dataclass(frozen=True)
class AuditFacts:
    """The year's audits-table rows and their facts. `frame`: the rows with `kind` beside their
    columns."""

    frame: pd.DataFrame
    total: Fact
    by_kind: dict[str, Fact]
    own: Fact
    """Audits and observations the partnership itself ran."""
    cases_audited: Fact
    """Cases looked at, over the rows that recorded how many (the rest are unknown)."""
    with_cases: Fact
    """Rows that recorded how many cases they looked at."""

    def of_kind(self, *kinds: str) -> pd.DataFrame:
        return self.frame[self.frame["kind"].isin(kinds)]


def audit_facts(audits: pd.DataFrame, policy) -> AuditFacts:
    """The facts of the year's audits-table rows."""
    frame = audits.assign(kind=audits["audit_type"].map(audit_kind))
    ids = frame["audit_id"].astype(str)

    def counted(name: str, mask: pd.Series) -> Fact:
        return count(f"audits.{name}", ids[mask], "audits", policy, "audits")

    with_cases = frame["cases_audited"].notna()
    cases = (
        Fact(
            "audits.cases_audited",
            policy.count(int(frame.loc[with_cases, "cases_audited"].sum()), "cases_audited"),
            rows_of("audits", ids[with_cases]),
            "how many cases the audits looked at" if (~with_cases).any() else "",
            "audits: cases_audited",
            int((~with_cases).sum()),
        )
        if with_cases.any()
        else Fact(
            "audits.cases_audited",
            None,
            # with no audits recorded at all, that gap is said once, by the total
            missing="how many cases the audits looked at" if len(frame) else "",
            where="audits: cases_audited" if len(frame) else "",
        )
    )
    own = frame["kind"].map(own_work)
    return AuditFacts(
        frame=frame,
        total=total("audits.total", ids, "audits", policy, "audits", "audits"),
        by_kind={
            kind: counted(f"kind.{kind}", frame["kind"] == kind)
            for kind in audit_kinds()
            if (frame["kind"] == kind).any()
        },
        own=counted("own", own.astype(bool)),
        cases_audited=cases,
        with_cases=counted("with_cases", with_cases),
    )
