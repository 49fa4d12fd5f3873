"""The year's facts, computed once: every fact any section, sentence, chart, table or checklist
line states about a partnership-year.

Each fact is a value the data record, a stated zero, or not recorded (`workbook.core.fact`).
Sections, templates and the checklist read these facts and never recompute them; a section that
needs a new fact adds it here, once, so a count cannot be made two ways in two places.

    facts = year_facts(report)
    facts.actions.overdue        # a Fact: recorded? its value, its rows
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

from workbook.core import settings
from workbook.core.fact import NAMES_UNKNOWN, Fact
from workbook.facts.actions import ActionFacts, action_facts
from workbook.facts.agencies import AgencyFacts, agency_facts
from workbook.facts.arrangements import ArrangementFacts, arrangement_facts
from workbook.facts.audits import AuditFacts, audit_facts
from workbook.facts.budget import BudgetFacts, budget_facts
from workbook.facts.coded_lookback import theme_facts
from workbook.facts.feedback import FeedbackFacts, feedback_facts
from workbook.facts.findings import FindingFacts, finding_facts
from workbook.facts.impact import ImpactFacts, impact_facts
from workbook.facts.indicators import indicator_facts
from workbook.facts.kinds import ADULTS, CHILDREN, COMMUNITY_SAFETY
from workbook.facts.measures import IndicatorFacts
from workbook.facts.priorities import PriorityFacts, priority_facts
from workbook.facts.publication import PublicationFacts, publication_facts
from workbook.facts.reviews import ReviewFacts, review_facts
from workbook.facts.scrutiny import RecommendationFacts, recommendation_facts
from workbook.facts.themes import ThemeFacts
from workbook.facts.training import TrainingFacts, training_facts
from workbook.inputs.loading import table_sources
from workbook.inputs.report import Report

__all__ = ["Gap", "YearFacts", "year_facts"]


@dataclasses.dataclass(frozen=True)
class Gap:
    """Something the year's data do not record (or record for only some items): what, in a
    board member's words; where it would be recorded, for the analyst; how many items it is
    missing for (0: all of them); whether `missing` already names each of those items (the
    years it lacks), so a line saying it adds no count of them."""

    missing: str
    where: str
    unknown: int
    facts: tuple[str, ...]
    named: bool = False

    @property
    def items(self) -> str:
        """How many items it is missing for, in words ("2 reviews"); empty where it is
        missing for all of them."""
        if not self.unknown:
            return ""
        table = self.where.split(":")[0].split()[0]
        one, many = ITEM_NOUNS.get(table, ("item", "items"))
        return f"{self.unknown:,} {one if self.unknown == 1 else many}"

    @property
    def said_items(self) -> str:
        """How many items, for a line that says the gap: empty where the line already names
        them ("data for 2020-21 to 2022-23" needs no "for 3 years")."""
        return "" if self.named else self.items


ITEM_NOUNS = {
    "reviews": ("case review", "case reviews"),
    "audits": ("audit", "audits"),
    "findings": ("finding", "findings"),
    "actions": ("action", "actions"),
    "training": ("course", "courses"),
    "priorities": ("priority", "priorities"),
    "feedback": ("activity", "activities"),
    "scrutiny_recommendations": ("recommendation", "recommendations"),
    "arrangements_changes": ("change", "changes"),
    "data": ("year", "years"),
}
"""What the rows of a table are, for saying how many a gap is missing for."""


class YearFacts:
    """The facts of one partnership-year, each group worked out on first use and kept."""

    def __init__(self, report: Report, dfe_dir: str = ""):
        self.report = report
        self.dfe_dir = dfe_dir
        """A folder of DfE statistics a notebook was given (empty: the imported store, else
        WORKBOOK_DFE_DIR, else none)."""

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
        """Training, and where other tables give its figures otherwise (named by file)."""
        report = self.report
        sources = table_sources(report.partnership.id, report.year.label, report.data_dir)
        return training_facts(report.tables, self.policy, sources)

    @cached_property
    def priorities(self) -> PriorityFacts:
        """The year's priorities, their ratings, and the actions that record which they serve."""
        return priority_facts(self.report, self.policy)

    @cached_property
    def feedback(self) -> FeedbackFacts:
        """Views sought from children, young people and families, and changes recorded."""
        return feedback_facts(self.report.tables["feedback"], self.policy)

    @cached_property
    def recommendations(self) -> RecommendationFacts:
        """Recommendations made to the partnership, tracked like actions."""
        return recommendation_facts(
            self.report.tables["scrutiny_recommendations"], self.year, self.policy
        )

    @cached_property
    def arrangements(self) -> ArrangementFacts:
        """The log of changes to the arrangements."""
        return arrangement_facts(self.report.tables["arrangements_changes"], self.policy)

    @cached_property
    def agencies(self) -> AgencyFacts:
        """The relevant agencies the arrangements name."""
        return agency_facts(self.report.tables["relevant_agencies"], self.policy)

    @cached_property
    def publication(self) -> PublicationFacts:
        """What was published about the year, and when it was sent on."""
        return publication_facts(self.report.tables["publication"])

    @cached_property
    def budget(self) -> BudgetFacts:
        """The partnership's budget and each contribution's share."""
        return budget_facts(self.report.tables["budget"], self.policy)

    @cached_property
    def indicators(self) -> IndicatorFacts:
        """The year's figures: children's social care beside its comparators, the partnership's
        own figures, their trends, and what is withheld or not recorded."""
        return indicator_facts(self.report, self.dfe_dir)

    @cached_property
    def impact(self) -> ImpactFacts:
        """The chain from learning to impact: each theme's and review's findings, the actions
        answering them and what later evidence says; effectiveness and its evidence; adults'
        reviews; the arrangements' own elements (`workbook.facts.impact`)."""
        return impact_facts(self)

    GROUPS = (
        "budget",
        "priorities",
        "reviews",
        "audits",
        "findings",
        "themes",
        "indicators",
        "feedback",
        "training",
        "actions",
        "impact",
        "recommendations",
        "arrangements",
        "agencies",
        "publication",
    )
    """The groups of facts, in the order a reader meets them (for `gaps`)."""

    def gaps(self) -> list[Gap]:
        """What the year could not show: every fact of every group that is not recorded, or
        recorded for only some items, once per thing missing, in the order of the groups."""
        found: dict[str, list[Fact]] = {}
        for group in self.GROUPS:
            for fact in _facts_in(getattr(self, group)):
                if fact.missing and (not fact.recorded or fact.unknown):
                    found.setdefault(fact.missing, []).append(fact)
        absent = {f.name for facts in found.values() for f in facts if not f.recorded}
        implied = tuple(
            prefix
            for name, prefixes in IMPLIED_GAPS.items()
            if name in absent
            for prefix in prefixes
        )
        found = {
            missing: facts
            for missing, facts in found.items()
            if not all(f.name.startswith(implied) and f.name not in IMPLIED_GAPS for f in facts)
        }
        return [
            Gap(
                missing,
                facts[0].where,
                max(f.unknown for f in facts),
                tuple(f.name for f in facts),
                all(f.detail.get(NAMES_UNKNOWN) for f in facts),
            )
            for missing, facts in found.items()
        ]


IMPLIED_GAPS = {
    "findings.total": ("themes.",),
    "priorities.total": (
        "priorities.rated",
        "priorities.unrated",
        "priorities.little_progress",
        "priorities.held_back",
        "priorities.carried",
        "priorities.actions_served",
    ),
    "audits.total": ("audits.",),
}
"""A fact not recorded at all, and the facts whose gaps it implies (by name prefix): with no
findings recorded, that the thematic review lacks earlier years or some reviews' findings goes
without saying; with no priorities, their ratings. The gap is said once, as the whole."""


def _facts_in(group) -> list[Fact]:
    """The facts a group holds, in its fields' order (facts in dicts included)."""
    facts = []
    for field in dataclasses.fields(group):
        value = getattr(group, field.name)
        if isinstance(value, Fact):
            facts.append(value)
        elif isinstance(value, dict):
            facts += [v for v in value.values() if isinstance(v, Fact)]
    return facts


def year_facts(report: Report, dfe_dir: str = "") -> YearFacts:
    """The facts of a report's year, made once per report and kept with it (`dfe_dir`: a
    folder of DfE statistics to use, where a notebook was given one); in a run's kernel, made
    once per run and shared by every section (`_run_facts`)."""
    facts = report.__dict__.get("_facts")
    if facts is None:
        facts = report.__dict__["_facts"] = _run_facts(report, dfe_dir) or YearFacts(
            report, dfe_dir
        )
    return facts


_RUN_FACTS: dict[tuple, YearFacts] = {}
"""The facts of the run this kernel serves, by run, partnership, year and folders."""


def _run_facts(report: Report, dfe_dir: str) -> YearFacts | None:
    """In a run's kernel, the one YearFacts every section of the run reads; None elsewhere.

    A run executes its sections one after another in one kernel, each opening the same
    handed-over year (`workbook.inputs.params.hand_over_params`, the validated tables the run
    left in WORKBOOK_VALIDATED_DIR): working the facts out again for each section was most of
    what a section after the first cost. Safe because the year cannot change within a run (the
    sections read what the run validated, never the files), and the facts rest on copies of
    the tables of their own, which no notebook holds: a section that changes its report's
    tables changes nothing another section reads. Elsewhere (an analyst's JupyterLab, a test)
    each report works its facts out afresh, so an edited file is always read anew."""
    handed_over = settings.validated_dir()
    if handed_over is None:
        return None
    key = (handed_over, report.partnership.id, report.year.label, report.data_dir, dfe_dir)
    if key not in _RUN_FACTS:
        _RUN_FACTS.clear()  # a kernel serves one run: an earlier run's facts are let go
        own = Report(
            report.partnership,
            {name: frame.copy() for name, frame in report.tables.items()},
            report.data_dir,
        )
        _RUN_FACTS[key] = YearFacts(own, dfe_dir)
    return _RUN_FACTS[key]
