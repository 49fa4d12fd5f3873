"""Facts of the year's findings: each finding once, with every review or audit it comes from.

A learning point shared by four reviews (a joint summary) is one finding of four sources: it is
counted once as a finding, listed once with its four sources, and counts once for each of the
four when the question is how many reviews raised something. Every section reads these facts,
so the count is the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, total
from workbook.inputs.cells import split_ids

KINDS = ("strength", "area_for_development", "learning", "recommendation", "satisfactory")


@dataclass(frozen=True)
class FindingFacts:
    """The year's findings and their facts. `frame`: one row per finding with `sources` (the
    list of its review or audit ids) and `remits` (the remits of its reviews)."""

    frame: pd.DataFrame
    total: Fact
    by_source_type: dict[str, Fact]
    by_kind: dict[str, dict[str, Fact]]
    """Per source type, findings by kind."""
    sources_with_findings: dict[str, Fact]
    """Per source type, how many of the year's reviews (or audits) have findings recorded."""
    sources_without_findings: dict[str, Fact]
    policy: object

    def remits_of(self) -> dict[str, set[str]]:
        """Each finding id with the remits of the reviews it comes from."""
        return {
            str(finding): set(remits)
            for finding, remits in zip(self.frame["finding_id"], self.frame["remits"], strict=True)
            if remits
        }

    def of_sources(self, name: str, source_type: str, source_ids, kind: str) -> Fact:
        """How many findings of `kind` come from any of these reviews or audits (a finding
        shared by several counts once), as the fact `findings.<name>`."""
        wanted = {str(i) for i in source_ids}
        frame = self.frame
        mask = (
            (frame["source_type"] == source_type)
            & (frame["kind"] == kind)
            & frame["sources"].map(lambda ids: bool(wanted.intersection(ids)))
        )
        return count(
            f"findings.{name}",
            frame.loc[mask, "finding_id"].astype(str),
            "findings",
            self.policy,
            "findings",
        )


def finding_facts(
    findings: pd.DataFrame,
    sources: dict[str, pd.Series],
    review_remits: dict[str, set[str]],
    policy,
) -> FindingFacts:
    """The facts of the year's findings. `sources`: per source type ("review", "audit"), the
    ids of the year's reviews or audits (to say which have no findings recorded)."""
    listed = findings["source_id"].map(split_ids)
    remits = [
        sorted(set().union(*(review_remits.get(i, set()) for i in ids))) if kind == "review" else []
        for kind, ids in zip(findings["source_type"], listed, strict=True)
    ]
    frame = findings.assign(sources=listed, remits=remits)
    ids = frame["finding_id"].astype(str)

    def counted(name: str, mask: pd.Series) -> Fact:
        return count(f"findings.{name}", ids[mask], "findings", policy, "findings")

    with_findings, without = {}, {}
    for kind, source_ids in sources.items():
        mine = set().union(*frame.loc[frame["source_type"] == kind, "sources"].map(set), set())
        known = [str(i) for i in source_ids]
        table = f"{kind}s"
        with_findings[kind] = count(
            f"{table}.with_findings", [i for i in known if i in mine], table, policy, table
        )
        without[kind] = count(
            f"{table}.without_findings", [i for i in known if i not in mine], table, policy, table
        )
    return FindingFacts(
        frame=frame,
        total=total(
            "findings.total",
            ids,
            "findings",
            policy,
            "findings",
            "the findings of reviews and audits",
        ),
        by_source_type={kind: counted(f"{kind}", frame["source_type"] == kind) for kind in sources},
        by_kind={
            source: {
                kind: counted(
                    f"{source}.{kind}", (frame["source_type"] == source) & (frame["kind"] == kind)
                )
                for kind in KINDS
            }
            for source in sources
        },
        sources_with_findings=with_findings,
        sources_without_findings=without,
        policy=policy,
    )
