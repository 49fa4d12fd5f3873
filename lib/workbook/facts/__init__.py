"""The year's facts, computed once: every fact any section, sentence, chart, table or checklist
line states about a partnership-year.

Each fact is a value the data record, a stated zero, or not recorded (`workbook.core.fact`).
Sections, templates and the checklist read these facts and never recompute them; a section that
needs a new fact adds it here, once, so a count cannot be made two ways in two places.

    facts = year_facts(report)
    facts.actions.overdue        # a Fact: recorded? its value, its rows
"""

from __future__ import annotations

from functools import cached_property

from workbook.facts.actions import ActionFacts, action_facts
from workbook.facts.audits import AuditFacts, audit_facts
from workbook.facts.findings import FindingFacts, finding_facts
from workbook.facts.kinds import ADULTS, CHILDREN, COMMUNITY_SAFETY
from workbook.facts.reviews import ReviewFacts, review_facts
from workbook.facts.themes import ThemeFacts, theme_facts
from workbook.facts.training import TrainingFacts, training_facts
from workbook.inputs.report import Report

__all__ = ["YearFacts", "year_facts"]


class YearFacts:
    """The facts of one partnership-year, each group worked out on first use and kept."""

    def __init__(self, report: Report):
        self.report = report

    @property
    def year(self):
        return self.report.year

    @property
    def policy(self):
        return self.report.policy

    @cached_property
    def remit(self) -> tuple[str, ...]:
        """What the partnership's yearly report covers: children, and adults and community
        safety where its parameters say so."""
        partnership = self.report.partnership
        declared = getattr(partnership, "remit", None)
        if declared:
            return tuple(declared)
        return (CHILDREN, ADULTS) if partnership.covers_adults else (CHILDREN,)

    @property
    def covers(self) -> dict[str, bool]:
        return {r: r in self.remit for r in (CHILDREN, ADULTS, COMMUNITY_SAFETY)}

    @cached_property
    def reviews(self) -> ReviewFacts:
        return review_facts(self.report.tables["reviews"], self.year, self.policy)

    @cached_property
    def audits(self) -> AuditFacts:
        return audit_facts(self.report.tables["audits"], self.policy)

    @cached_property
    def findings(self) -> FindingFacts:
        tables = self.report.tables
        return finding_facts(
            tables["findings"],
            {"review": tables["reviews"]["review_id"], "audit": tables["audits"]["audit_id"]},
            self.reviews.remits_of(),
            self.policy,
        )

    @cached_property
    def actions(self) -> ActionFacts:
        return action_facts(
            self.report.tables["actions"],
            self.year,
            self.policy,
            {**self.reviews.remits_of(), **self.findings.remits_of()},
        )

    @cached_property
    def themes(self) -> ThemeFacts:
        """The coded lookback: every finding of the thematic review's years once, with its
        sources and themes (`workbook.facts.themes`)."""
        return theme_facts(self.report, self.actions.frame)

    @cached_property
    def training(self) -> TrainingFacts:
        return training_facts(self.report.tables["training"], self.policy)


def year_facts(report: Report) -> YearFacts:
    """The facts of a report's year, made once per report and kept with it."""
    facts = report.__dict__.get("_facts")
    if facts is None:
        facts = report.__dict__["_facts"] = YearFacts(report)
    return facts
