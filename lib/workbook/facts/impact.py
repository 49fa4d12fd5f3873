"""The facts of learning's impact a year's pack states: the chain from learning to impact
(`workbook.facts.chain`) counted by evidence level, the themes where learning is not yet
embedded, the backlog of open actions, the levels of training evaluation, the partnership's
judgements of its effectiveness and its priorities' ratings over the years, the year's adults'
reviews, and the 2023 and 2026 arrangements' own elements. Each of these is worked out in the
module that owns its table; this one gathers them for the impact section, the year at a glance
and the checklist.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded, rows_of
from workbook.facts.actions import OPEN_POSITIONS
from workbook.facts.arrangements import arrangement_elements
from workbook.facts.chain import (
    BEYOND_DONE,
    LEVELS,
    Recurrence,
    action_records,
    backlog_by_age,
    build_chain,
    first_certain,
    latest_records,
    linked_measures,
    recurrences,
    source_dates,
)
from workbook.facts.priorities import ratings_over_years
from workbook.facts.reviews import adults_reviews
from workbook.facts.training import training_levels


@dataclass(frozen=True)
class ImpactFacts:
    """The chain and its facts.

    - `chain`: one row per (theme, action) link: theme, label, action_id, action, year,
      status, position, completed (as recorded), completed_by (its last possible day),
      answers (finding refs), finding (its words),
      reviews (the reviews of those findings), level, later (refs of later findings on the
      theme, oldest first), seen (those that are strengths), later_text (the latest's words),
      measure (words of the outcome measure's move, blank where none);
    - `backlog`: per year of the lookback, actions last recorded open at its end by the year
      they were raised (rows: year raised; columns: year end);
    """

    chain: pd.DataFrame
    links: Fact
    by_level: dict[str, Fact]
    """Actions on a theme by the highest level any of their links reaches."""
    change_seen: Fact
    """True where any link says something about change after its action (a level beyond
    "action done"); for the checklist's impact line."""
    themes: tuple[str, ...]
    """Themes with a link beyond "action done", most links first."""
    not_embedded: tuple[Recurrence, ...]
    backlog: pd.DataFrame
    open_backlog: Fact
    """Actions of the lookback last recorded open."""
    overdue_backlog: Fact
    """Of those, the actions past their due date when last recorded (unknown: those with no
    due date)."""
    backlog_grows: Fact
    """True where actions last recorded open rose at every year end of the lookback."""
    training_levels: dict[str, Fact]
    """Courses by the highest level of evaluation they record."""
    judgements: pd.DataFrame
    judged: Fact
    ratings: pd.DataFrame
    """Priorities by rating (rows) and year (columns)."""
    sars: pd.DataFrame
    """The year's adults' reviews, with `concluded` (in the year) and `in_progress` (at its
    end) beside their columns."""
    sars_concluded: Fact
    sars_in_progress: Fact
    sar_findings: pd.DataFrame
    """Findings and recommendations of the SARs concluded in the year, with the Board's
    response, its reason, and the actions answering each (`done`: action and status, as last
    recorded)."""
    elements: dict[str, Fact]
    """The 2023 and 2026 arrangements' own elements: lead partners, delegates, sign-off,
    education's part, child protection teams, the agreed data set."""

    @property
    def frame(self) -> pd.DataFrame:
        """The rows the section's tables are laid out from: the chain."""
        return self.chain


def impact_facts(facts) -> ImpactFacts:
    """The chain from learning to impact of a year (`facts`: its `YearFacts`)."""
    report, policy, themes = facts.report, facts.policy, facts.themes
    records = action_records(report)
    actions = latest_records(records)
    dated = source_dates(report)
    findings = themes.frame.assign(
        dated=themes.frame["sources"].map(lambda ids: first_certain(ids, dated))
    )
    measures = linked_measures(report)
    chain = build_chain(actions, findings, themes.codes, measures, report)
    chain["label"] = chain["theme"].map(themes.label)
    links = count("impact.links", chain["action_id"], "actions", policy, "actions")
    # An action on several themes counts once, at the highest level any of its links reaches.
    highest = (
        chain.assign(_rank=chain["level"].map(LEVELS.index)).groupby("action_id")["_rank"].max()
    )
    by_level = {
        level: count(
            f"impact.level.{level}",
            highest.index[highest == rank],
            "actions",
            policy,
            "actions",
        )
        for rank, level in enumerate(LEVELS)
        if (highest == rank).any()
    }
    beyond = chain[chain["level"].isin(BEYOND_DONE)]
    shown = beyond["theme"].value_counts()
    backlog = backlog_by_age(records, list(report.lookback_with_data))
    still_open = actions[actions["position"].isin(OPEN_POSITIONS)]
    at_ends = backlog.sum(axis=0) if not backlog.empty else pd.Series(dtype=int)
    return ImpactFacts(
        chain=chain,
        links=links,
        by_level=by_level,
        change_seen=Fact(
            "impact.change_seen",
            not beyond.empty,
            rows_of("actions", beyond["action_id"]),
        ),
        themes=tuple(sorted(shown.index, key=lambda t: (-shown[t], themes.order.index(t)))),
        not_embedded=recurrences(chain, findings, themes),
        backlog=backlog,
        open_backlog=count(
            "impact.open_backlog", still_open["action_id"], "actions", policy, "actions"
        )
        if len(actions)
        else not_recorded("impact.open_backlog", "", "actions table"),
        overdue_backlog=count(
            "impact.overdue_backlog",
            still_open.loc[still_open["position"] == "overdue", "action_id"],
            "actions",
            policy,
            "actions",
            unknown=still_open.loc[still_open["due_date"].isna(), "action_id"],
            missing="the due dates of open actions",
            where="actions: due_date",
        ),
        backlog_grows=Fact(
            "impact.backlog_grows",
            bool(len(at_ends) >= 2 and at_ends.is_monotonic_increasing and at_ends.is_unique),
            rows_of("actions", still_open["action_id"]),
        ),
        training_levels=training_levels(facts.training.frame, policy),
        judgements=report.tables["effectiveness"],
        judged=_rows_fact(
            "impact.judged",
            report.tables["effectiveness"],
            "judged_by",
            "effectiveness",
            policy,
            # The checklist's effectiveness line says it once where none is recorded.
            "",
        ),
        ratings=ratings_over_years(report),
        **adults_reviews(report, facts, actions),
        elements=arrangement_elements(report.tables, policy),
    )


def _rows_fact(name, frame, id_column, table, policy, missing) -> Fact:
    if frame.empty:
        return not_recorded(name, missing, f"{table} table")
    return Fact(name, policy.count(len(frame), "responses"), rows_of(table, frame[id_column]))


JUDGEMENT_WORDS = {
    "effective": "effective",
    "partly_effective": "partly effective",
    "not_yet_effective": "not yet effective",
}
JUDGES = {
    "safeguarding_partners": "The safeguarding partners",
    "independent_scrutineer": "The independent scrutineer",
    "inspection": "An inspection",
    "other": "Another judge",
}


def judgement_claims(impact: ImpactFacts) -> list[dict]:
    """Each recorded judgement of effectiveness as a sentence states it: who judged (`by`),
    the judgement in words (blank for one in words only), its summary, and its fact."""
    if not impact.judged.recorded:
        return []
    return [
        {
            "by": JUDGES.get(row["judged_by"], "Another judge"),
            "judgement": JUDGEMENT_WORDS.get(row["judgement"], ""),
            "summary": row["summary"],
            "fact": Fact(
                f"impact.judgement.{i}",
                row["judgement"],
                rows_of("effectiveness", [row["judged_by"]]),
            ),
        }
        for i, row in impact.judgements.reset_index(drop=True).iterrows()
    ]
