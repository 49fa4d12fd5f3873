"""From learning to impact, and how effective the arrangements were: the board's reading of the
chain (`workbook.facts.chain`), one short block per theme with a link beyond "action done";
learning not yet embedded; a backlog of open actions that grows year on year; the recorded
judgements of effectiveness beside the evidence the workbook holds; adults' reviews as the Care
Act asks; the 2023 and 2026 arrangements' own elements. The whole chain, as a tidy table, is the
analyst's (the notebook and the companion), never the board's.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from workbook.core.dates import span_label
from workbook.core.fact import Fact, rows_of
from workbook.disclosure.published import Count, PublishedTable
from workbook.facts import YearFacts
from workbook.facts.chain import (
    BEYOND_DONE,
    CHANGE_SEEN,
    LEVELS,
    MEASURE_MOVED,
    PERSISTS,
    source_dates,
    source_words,
)
from workbook.facts.impact import judgement_claims
from workbook.facts.themes import FOR_CHANGE
from workbook.inputs.cells import split_ids

STATUS_WORDS = {
    "completed": "completed",
    "in_progress": "in progress",
    "not_started": "not started",
    "cancelled": "cancelled",
}
LATER_WORDS = {
    CHANGE_SEEN: "good practice on the same theme",  # a strength found later
    # A later finding asking for change on the same theme, not the action's own problem found
    # again: the chain links by theme.
    PERSISTS: "more to change on the same theme",
    MEASURE_MOVED: "an outcome measure moved",
}
"""What later evidence shows, as the effectiveness evidence says it."""
SHOWS = {CHANGE_SEEN: "good_practice", PERSISTS: "more_to_change", MEASURE_MOVED: "measure"}
"""Which sentence the template writes for a theme's level."""

TRAINING_WORDS = {
    "results": "a change in outcomes (results)",
    "behaviour": "a later follow-up of practice (behaviour)",
    "learning": "scores before and after (learning)",
    "reaction": "attendees' feedback alone (reaction)",
}
"""The sector's levels of training evaluation, highest first, as the evidence names them."""

RESPONSES = {
    "accepted": "accepted",
    "partly_accepted": "partly accepted",
    "not_accepted": "decided not to act on",
}


THEMES_SHOWN = 3
"""How many themes the board reads a block for (the rest are in the companion's chain)."""


def theme_blocks(facts: YearFacts, limit: int = THEMES_SHOWN) -> list[dict]:
    """One block per theme with a link beyond "action done" (at most `limit`, the themes with
    most findings over the lookback first): what we learned (the finding), what we did (the
    action, when completed), whether it made a difference and how we know (the level and the
    later evidence). Each action is told once, under the first theme it is shown for."""
    impact = facts.impact
    shown = [t for t in facts.themes.order if t in impact.themes]
    if not shown:
        return []
    later_findings = _later_findings(facts)
    blocks: list[dict] = []
    told: set[str] = set()
    for theme in shown:
        if len(blocks) == limit:
            break
        links = impact.chain[
            (impact.chain["theme"] == theme)
            & impact.chain["level"].isin(BEYOND_DONE)
            & ~impact.chain["action_id"].isin(told)
        ]
        if links.empty:
            continue
        # The action tested longest (most later findings) speaks for the theme; ties: the
        # highest level.
        ranked = links.assign(
            _rank=links["level"].map(LEVELS.index), _n=links["later"].map(len)
        ).sort_values(["_n", "_rank"], ascending=False, kind="stable")
        row = ranked.iloc[0]
        told.add(row["action_id"])
        asking = later_findings([r for r in row["later"] if r not in row["seen"]])
        seen = later_findings(row["seen"])
        later = asking if row["level"] == PERSISTS else seen
        blocks.append(
            {
                "label": facts.themes.label(theme),
                "finding": row["finding"],
                "action": row["action"],
                "completed": row["completed"],
                "level": row["level"],
                "shows": SHOWS[row["level"]],
                "latest": later[-1] if later else None,
                "seen": seen[-1] if seen and row["level"] == PERSISTS else None,
                "measure": row["measure"] if row["level"] == MEASURE_MOVED else "",
                "fact": Fact(
                    f"impact.theme.{theme}",
                    row["level"],
                    rows_of("actions", [row["action_id"]])
                    + rows_of("findings", [*row["answers"], *row["later"]]),
                ),
            }
        )
    return blocks


def _later_findings(facts: YearFacts) -> Callable[[list[str]], list[dict]]:
    """Later findings by their refs, oldest first: their words, and the date and kind of their
    source ("a later inspection or visit", never every source "a later audit"). The lookback's
    sources are read once for every block of the section."""
    frame = facts.themes.frame.set_index("ref")
    dates = {k: span_label(s, e) for k, (s, e) in source_dates(facts.report).items()}
    kinds = source_words(facts.report)

    def later(refs: list[str]) -> list[dict]:
        out = []
        for ref in refs:
            if ref not in frame.index:
                continue
            row = frame.loc[ref]
            source = row["sources"][0]
            out.append(
                {
                    "text": row["text"],
                    "date": dates.get(source, ""),
                    "source": kinds.get(source, "review, audit or inspection"),
                }
            )
        return out

    return later


def not_embedded(facts: YearFacts) -> dict:
    """Themes found again, asking for change, after actions on them were completed."""
    recurrences = facts.impact.not_embedded
    if not recurrences:
        return {"themes": [], "fact": None}
    rows = tuple(r for rec in recurrences for r in rec.fact.rows)
    return {
        "themes": [r.label for r in recurrences[:THEMES_SHOWN]],
        "more": len(recurrences) - THEMES_SHOWN if len(recurrences) > THEMES_SHOWN else 0,
        "fact": Fact("impact.not_embedded", facts.policy.count(len(recurrences), "themes"), rows),
    }


def not_embedded_table(facts: YearFacts) -> PublishedTable:
    """For the analyst: each theme found again after its actions were completed, with how many
    actions, when the last was completed, how many later findings asked for change again and
    the latest of them, and whether next year's priorities already name the theme: candidates
    for next year's priorities (every link is in the chain)."""
    planned = set()
    for themes in facts.report.tables["next_priorities"].get("themes", pd.Series(dtype=object)):
        planned |= set(split_ids(themes))
    rows = []
    for rec in facts.impact.not_embedded:
        latest = rec.later.iloc[-1] if len(rec.later) else None
        rows.append(
            {
                "Theme": rec.label,
                "Actions completed": len(rec.actions),
                "Last completed": rec.actions["completed"].iloc[-1] if len(rec.actions) else "",
                "Found again": len(rec.later),
                "Latest finding": "" if latest is None else f"{latest['text']} ({latest['ref']})",
                "When": "" if latest is None else latest["date"],
                "In next year's priorities": "Yes" if rec.theme in planned else "No",
            }
        )
    columns = [
        "Theme",
        "Actions completed",
        "Last completed",
        "Found again",
        "Latest finding",
        "When",
        "In next year's priorities",
    ]
    return PublishedTable(
        pd.DataFrame(rows, columns=columns),
        "Learning not yet embedded: candidates for next year's priorities",
        facts.policy,
        {"Actions completed": Count("actions"), "Found again": Count("findings")},
        when_empty=None,
    )


def chain_table(facts: YearFacts) -> pd.DataFrame:
    """The chain as a tidy table for the analyst: theme, review, finding, action, evidence
    level and dates, one row per (theme, action)."""
    chain = facts.impact.chain
    return pd.DataFrame(
        {
            "Theme": chain["label"],
            "Reviews": chain["reviews"].map(
                lambda rs: "; ".join(r for r in rs if isinstance(r, str))
            ),
            "Finding": chain["answers"].map("; ".join),
            "What we learned": chain["finding"],
            "Action": chain["action_id"],
            "What we did": chain["action"],
            "Status": chain["status"],
            "Completed": chain["completed"],
            "Evidence level": chain["level"],
            "Later findings": chain["later"].map("; ".join),
            "Outcome measure": chain["measure"],
        }
    )


def chain_published(facts: YearFacts) -> PublishedTable:
    return PublishedTable(
        chain_table(facts),
        "The chain from learning to impact, each theme's actions and their evidence",
        facts.policy,
        when_empty=None,
    )


def backlog(facts: YearFacts) -> dict:
    """The open backlog at each year end, where it grew at every one (raised as a risk)."""
    impact = facts.impact
    if not impact.backlog_grows.recorded or not impact.backlog_grows.get():
        return {"grows": None}
    at_ends = impact.backlog.sum(axis=0)
    return {
        "grows": Fact(
            "impact.backlog.at_ends",
            [
                {"year": y, "open": facts.policy.count(int(n), "actions")}
                for y, n in at_ends.items()
            ],
            impact.backlog_grows.rows,
        ),
        "oldest": str(impact.backlog.index[0]),
        "overdue": impact.overdue_backlog,
        "from_oldest": facts.policy.count(int(impact.backlog.iloc[0, -1]), "actions"),
    }


def effectiveness(facts: YearFacts, embedded_said: bool = False) -> dict:
    """The recorded judgements of effectiveness, and the evidence beside them (`embedded_said`:
    the learning not yet embedded is said just before, so it is not said again)."""
    impact = facts.impact
    judgements = judgement_claims(impact)
    ratings = impact.ratings
    rated = None
    if not ratings.empty:
        years = [
            {
                "year": year,
                "counts": {
                    r: facts.policy.count(int(n), "priorities")
                    for r, n in ratings[year].items()
                    if n
                },
            }
            for year in list(ratings.columns)[-2:]
        ]
        rated = Fact("impact.ratings", years[::-1], rows_of("priorities", ratings.columns))
    levels = {level: impact.by_level[level] for level in LEVELS if level in impact.by_level}
    recurring = facts.themes.recurring
    later = [
        (words, impact.by_level[level]) for level, words in LATER_WORDS.items() if level in levels
    ]
    training = [
        (TRAINING_WORDS[level], impact.training_levels[level])
        for level in TRAINING_WORDS
        if level in impact.training_levels
    ]
    recurring_fact = (
        Fact(
            "impact.recurring",
            facts.policy.count(len(recurring), "themes"),
            tuple(f"themes/{t}" for t in recurring),
        )
        if len(facts.themes.years) > 1
        else None
    )
    open_backlog = impact.open_backlog if not impact.backlog_grows.get() else None
    arrangements = elements(facts)
    evidence = bool(
        rated
        or levels
        or (recurring_fact is not None and len(recurring) > 0)
        or (open_backlog is not None and open_backlog.recorded and open_backlog.get() > 0)
        or training
        or arrangements["words"]
        or "data_set" in arrangements["facts"]
    )
    return {
        "training": training,
        "later": later,
        "judgements": judgements,
        "ratings": rated,
        "levels": levels,
        "recurring": recurring_fact,
        "span": facts.themes.span,
        "open": open_backlog,
        "not_embedded": facts.policy.count(len(impact.not_embedded), "themes"),
        "embedded_said": embedded_said,
        "elements": arrangements,
        # Whether anything follows the judgements: the section says "set out below" only then,
        # and with neither judgements nor evidence the part is left out (the year at a glance
        # and what the report could not show say so).
        "evidence": evidence,
        "shown": bool(judgements) or evidence,
    }


def adults(facts: YearFacts, limit: int) -> dict:
    """Adults' reviews as the Care Act asks, where the remit includes adults and the data hold
    SARs: the findings asking for change of those concluded in the year (recommendations the
    Board responded to first, at most `limit`; every finding is in the appendix), what was done
    on each, and the Board's reason where it decided not to act."""
    impact = facts.impact
    if not facts.covers.get("adults") or not impact.sars_concluded.recorded:
        return {"shown": False}
    asking = impact.sar_findings[impact.sar_findings["kind"].isin(FOR_CHANGE)]
    asking = asking.assign(_untold=asking["response"].isna()).sort_values("_untold", kind="stable")
    findings = []
    for _, row in asking.head(limit).iterrows():
        findings.append(
            {
                "text": row["text"],
                "response": RESPONSES.get(row["response"], "")
                if isinstance(row["response"], str)
                else "",
                "reason": row["response_reason"] if isinstance(row["response_reason"], str) else "",
                "done": [
                    f"{d['action']} ({STATUS_WORDS.get(d['status'], d['status'])})"
                    for d in row["done"]
                ],
                "fact": Fact(
                    f"impact.sar.{row['finding_id']}",
                    row["kind"],
                    rows_of("findings", [row["finding_id"]]),
                ),
            }
        )
    return {
        "shown": True,
        "concluded": impact.sars_concluded,
        "in_progress": impact.sars_in_progress,
        "findings": findings,
        "more": facts.policy.count(max(len(asking) - limit, 0), "findings"),
    }


def elements(facts: YearFacts) -> dict:
    """The arrangements' own elements, where recorded: lead partners and their roles, delegates,
    who signed the report off, education's part, child protection teams, the data set."""
    tables = facts.report.tables
    out = {k: v for k, v in facts.impact.elements.items() if v.recorded}
    partners = tables["partners"]
    words = {}
    if "lead_partners" in out:
        leads = partners[partners["role"] == "lead_safeguarding_partner"]
        words["leads"] = [_role(r) for _, r in leads.iterrows()]
    if "delegates" in out:
        delegates = partners[partners["role"] == "delegated_safeguarding_partner"]
        words["delegates"] = [_role(r) for _, r in delegates.iterrows()]
    if "signed_off" in out:
        signed = partners[partners["signed_off_report"] == "yes"]
        words["signed"] = [_role(r) for _, r in signed.iterrows()]
    if "education" in out:
        agencies = tables["relevant_agencies"]
        taking_part = agencies[
            agencies["sector"].isin(("education", "early_years"))
            & agencies["participation"].notna()
        ]
        words["education"] = [
            f"{r['agency']}: {str(r['participation']).strip().rstrip('.')}."
            for _, r in taking_part.iterrows()
        ]
    if "child_protection_teams" in out:
        teams = tables["child_protection_teams"]
        words["teams"] = [
            f"{r['agency']}" + (f" ({r['role']})" if isinstance(r["role"], str) else "")
            for _, r in teams[teams["in_place_date"].notna()].iterrows()
        ]
    return {"facts": out, "words": words}


def _role(row) -> str:
    title = row.get("role_title")
    return f"{row['agency']} ({title})" if isinstance(title, str) else str(row["agency"])
