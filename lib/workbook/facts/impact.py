"""Facts of the chain from learning to impact: for each theme of the lookback and each review,
the findings, the actions answering them, and what later evidence says about the same theme.

A link is drawn only where the data make it, never from a theme's name alone:

- an action is on a theme where it answers a finding asking for change coded to the theme (its
  `finding_id`), or a review or audit with such a finding (its `source_id`);
- later evidence of a completed action is a finding on the same theme from an audit, an
  inspection or a case review whose date (the audit's or inspection's date, the review's
  completion, else its publication) is certainly after the action was completed, at the
  precision both dates are given: a finding dated before or overlapping the completion says
  nothing of what the action changed, and nor does another finding of the review or audit the
  action answers. A strength (or practice found satisfactory) is practice
  change seen; a finding asking for change is the problem persisting;
- an outcome measure is an indicator the partnership linked to the theme or to the action's
  priority (priorities' `indicators` and `themes`, any year of the lookback), compared at the
  last figure on or before the completion and the last after it; its direction is read against
  the catalogue's `higher_is_better`.

Each link has an evidence level in words a board reads (`LEVELS`); the latest later finding
decides between change seen and the problem persisting (a later finding that asks for change
again outweighs an earlier strength), and an outcome measure is the level only where no later
finding is dated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.dates import span_label
from workbook.core.fact import Fact, count, not_recorded, rows_of
from workbook.core.years import ReportYear
from workbook.facts.actions import OPEN_POSITIONS, position_at_year_end
from workbook.facts.kinds import ADULTS, review_remit
from workbook.facts.themes import FOR_CHANGE
from workbook.inputs.cells import split_ids
from workbook.national.catalogue import with_local

NO_EVIDENCE = "no evidence yet"
DONE = "action done"
PERSISTS = "problem persists in a later audit"
CHANGE_SEEN = "practice change seen in a later audit"
MEASURE_MOVED = "outcome measure moved"
LEVELS = (NO_EVIDENCE, DONE, PERSISTS, CHANGE_SEEN, MEASURE_MOVED)
"""Evidence levels of an action's impact, from least to most said about change."""
BEYOND_DONE = (PERSISTS, CHANGE_SEEN, MEASURE_MOVED)
"""The levels that say something about change after the action (for or against it)."""

LATER_SOURCES = ("audit", "inspection", "review")
"""Sources whose findings can be later evidence on a theme."""

TRAINING_LEVELS = ("reaction", "learning", "behaviour", "results")
"""The sector's levels of training evaluation, lowest first."""

STRENGTHS = ("strength", "satisfactory")
"""Kinds of finding that show practice as it should be."""


@dataclass(frozen=True)
class Recurrence:
    """A theme found again after the actions on it were completed: learning not yet embedded."""

    theme: str
    label: str
    actions: pd.DataFrame
    """The completed actions on the theme (action_id, action, completed)."""
    later: pd.DataFrame
    """The later findings asking for change (ref, text, source, dated)."""
    fact: Fact


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
        dated=themes.frame["sources"].map(lambda ids: _first_certain(ids, dated))
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


# ---- the links --------------------------------------------------------------------------------


def action_records(report) -> pd.DataFrame:
    """Every record of an action over the lookback (an action listed again in a later year has
    a record of each year), with its position at its year's end and the year it was first
    raised (`raised`)."""
    records = report.across_lookback("actions")
    if records.empty:
        return records.assign(raised=[], position=[])
    position = pd.concat(
        [
            position_at_year_end(rows, ReportYear.parse(year))
            for year, rows in records.groupby("year", sort=False)
        ]
    )
    raised = records.groupby("action_id")["year"].transform("min")
    return records.assign(position=position.reindex(records.index), raised=raised)


def latest_records(records: pd.DataFrame) -> pd.DataFrame:
    """Each action of the lookback once, as last recorded."""
    return records.drop_duplicates("action_id", keep="last").reset_index(drop=True)


def source_dates(report) -> dict[str, tuple]:
    """Each review, audit, inspection and other source of learning of the lookback with its
    date as a (start, end) span: an audit's or inspection's date, a review's completion (else
    its publication), a learning source's date. Undated sources are left out."""
    out: dict[str, tuple] = {}
    for table, id_column, columns in (
        ("reviews", "review_id", ("completed_date", "published_date")),
        ("audits", "audit_id", ("audit_date",)),
        ("inspections", "inspection_id", ("date", "published_date")),
        ("learning_sources", "source_id", ("date",)),
    ):
        rows = report.across_lookback(table)
        for _, row in rows.iterrows():
            for column in columns:
                if column in row and pd.notna(row[column]):
                    end = row.get(f"{column}_end", row[column])
                    out[str(row[id_column])] = (row[column], end if pd.notna(end) else row[column])
                    break
    return out


def _first_certain(ids, dated: dict) -> tuple | None:
    """A finding's date: the span from its earliest source's start to the latest source's end
    (None where a source is undated: when it was found is then not known)."""
    if not ids or any(i not in dated for i in ids):
        return None
    spans = [dated[i] for i in ids]
    return (min(s[0] for s in spans), max(s[1] for s in spans))


def linked_measures(report) -> dict[str, dict[str, set[str]]]:
    """The indicators the partnership linked to themes and to priorities: for each priority id
    (and each priority's wording, case aside) and each theme id, the indicator ids."""
    priorities = report.across_lookback("priorities")
    by_theme: dict[str, set[str]] = {}
    by_priority: dict[str, set[str]] = {}
    for _, row in priorities.iterrows():
        indicators = set(split_ids(row.get("indicators")))
        if not indicators:
            continue
        for key in (row["priority_id"], row["priority"]):
            by_priority.setdefault(_key(key), set()).update(indicators)
        for theme in split_ids(row.get("themes")):
            by_theme.setdefault(theme, set()).update(indicators)
    return {"theme": by_theme, "priority": by_priority}


def _key(text) -> str:
    return " ".join(str(text).split()).casefold()


def build_chain(
    actions: pd.DataFrame,
    findings: pd.DataFrame,
    codes: pd.DataFrame,
    measures: dict,
    report,
) -> pd.DataFrame:
    """One row per (theme, action) where the action answers a finding, review or audit coded to
    the theme, with its evidence level (see the module's docstring)."""
    themes_of = codes.groupby("key")["theme"].agg(tuple).to_dict()
    by_year_id = {
        (year, fid): key
        for key, fid, years in zip(
            findings["key"], findings["finding_id"], findings["years"], strict=True
        )
        for year in years
    }
    by_source: dict[str, list[str]] = {}
    for key, sources in zip(findings["key"], findings["sources"], strict=True):
        for s in sources:
            by_source.setdefault(s, []).append(key)
    info = findings.set_index("key")
    local = _local_values(report)
    catalogue = with_local(report.tables.get("local_indicators"))
    candidates = _candidates(findings, themes_of)
    rows = []
    for _, action in actions.iterrows():
        answered = [
            by_year_id[(action["year"], f)]
            for f in split_ids(action.get("finding_id"))
            if (action["year"], f) in by_year_id
        ]
        answered += [k for s in split_ids(action.get("source_id")) for k in by_source.get(s, ())]
        answered = list(dict.fromkeys(answered))
        # The chain starts from what asked for change: an action spreading a strength answers
        # no problem whose persistence a later finding could show.
        answered = [k for k in answered if info.loc[k, "kind"] in FOR_CHANGE]
        on = dict.fromkeys(t for k in answered for t in themes_of.get(k, ()))
        for theme in on:
            mine = [k for k in answered if theme in themes_of.get(k, ())]
            rows.append(_link(action, theme, mine, info, candidates, measures, local, catalogue))
    columns = [
        "theme",
        "action_id",
        "action",
        "year",
        "status",
        "position",
        "completed",
        "completed_by",
        "answers",
        "finding",
        "reviews",
        "level",
        "later",
        "seen",
        "later_text",
        "measure",
    ]
    return pd.DataFrame(rows, columns=columns)


def _candidates(findings: pd.DataFrame, themes_of: dict) -> dict[str, pd.DataFrame]:
    """Per theme, the findings that could be later evidence on it (of an audit, inspection or
    review, dated), oldest first, with their date's first day (`start`)."""
    dated = findings[
        findings["source_type"].isin(LATER_SOURCES) & findings["dated"].map(lambda d: d is not None)
    ]
    dated = dated.assign(start=dated["dated"].map(lambda d: d[0])).sort_values(
        "start", kind="stable"
    )
    on = dated["key"].map(lambda k: themes_of.get(k, ()))
    return {
        t: dated[on.map(lambda ts, t=t: t in ts)] for t in dict.fromkeys(t for ts in on for t in ts)
    }


def _link(action, theme, answered, info, candidates, measures, local, catalogue) -> dict:
    done = action["status"] == "completed"
    end = action.get("completed_date_end")
    end = end if pd.notna(end) else action.get("completed_date")
    later = pd.DataFrame()
    measure = ""
    # The review or audit whose learning the action answers is not its own later evidence.
    own = {s for k in answered for s in info.loc[k, "sources"]} | set(
        split_ids(action.get("source_id"))
    )
    if done and pd.notna(end):
        on_theme = candidates.get(theme, pd.DataFrame(columns=["start", "key", "sources"]))
        later = on_theme[
            (on_theme["start"] > end)
            & ~on_theme["key"].isin(answered)
            & ~on_theme["sources"].map(lambda ids: bool(own & set(ids)))
        ]
        measure = _measure_move(action, theme, end, measures, local, catalogue)
    if not done:
        level = NO_EVIDENCE
    elif not later.empty:
        latest = later[later["start"] == later["start"].max()]
        level = PERSISTS if latest["kind"].isin(FOR_CHANGE).any() else CHANGE_SEEN
    elif measure:
        level = MEASURE_MOVED
    else:
        level = DONE
    return {
        "theme": theme,
        "action_id": str(action["action_id"]),
        "action": action["action"],
        "year": action["year"],
        "status": action["status"],
        "position": action["position"],
        "completed": span_label(action.get("completed_date"), end) if pd.notna(end) else "",
        "completed_by": end if pd.notna(end) else pd.NaT,
        "answers": [info.loc[k, "ref"] for k in answered],
        "finding": info.loc[answered[0], "text"] if answered else "",
        "reviews": [
            s
            for k in answered
            if info.loc[k, "source_type"] == "review"
            for s in info.loc[k, "sources"]
        ]
        or [pd.NA],
        "level": level,
        "later": list(later["ref"]) if not later.empty else [],
        "seen": list(later.loc[later["kind"].isin(STRENGTHS), "ref"]) if not later.empty else [],
        "later_text": later["text"].iloc[-1] if not later.empty else "",
        "measure": measure,
    }


def _local_values(report) -> pd.DataFrame:
    """The partnership's own headline figures over the lookback (local area, no breakdown, the
    whole partnership): indicator, period_end, value."""
    rows = report.across_lookback("indicators")
    area = rows["area"].fillna("local")
    keep = (area == "local") & rows["breakdown"].isna() & rows["value"].notna()
    if "council" in rows:
        keep &= rows["council"].isna()
    return rows.loc[keep, ["indicator", "period_end", "value"]].sort_values("period_end")


def _measure_move(action, theme, end, measures, local, catalogue) -> str:
    """How an indicator linked to the theme or to the action's priority moved from its last
    figure on or before the completion to its latest after: words for the reader ("cpp_rate
    from 40 to 35, better"), blank where none moved or none is linked."""
    ids = set(measures["theme"].get(theme, set()))
    if pd.notna(action.get("priority")):
        ids |= measures["priority"].get(_key(action["priority"]), set())
    for indicator in sorted(ids):
        values = local[local["indicator"] == indicator]
        before = values[values["period_end"] <= end]
        after = values[values["period_end"] > end]
        if before.empty or after.empty:
            continue
        first, last = float(before["value"].iloc[-1]), float(after["value"].iloc[-1])
        if first == last:
            continue
        entry = catalogue.get(indicator)
        name = entry.name if entry else indicator
        better = entry.higher_is_better if entry else None
        way = "" if better is None else ("better" if (last > first) == better else "worse")
        return f"{name}: from {first:g} to {last:g}" + (f" ({way})" if way else "")
    return ""


def recurrences(chain: pd.DataFrame, findings: pd.DataFrame, themes) -> tuple[Recurrence, ...]:
    """Themes whose problem persists in a later audit or review after actions on them were
    completed: learning not yet embedded, with the actions and the later findings."""
    out = []
    for theme in dict.fromkeys(chain.loc[chain["level"] == PERSISTS, "theme"]):
        links = chain[(chain["theme"] == theme) & (chain["level"] == PERSISTS)]
        later_refs = list(dict.fromkeys(r for refs in links["later"] for r in refs))
        later = findings[findings["ref"].isin(later_refs) & findings["kind"].isin(FOR_CHANGE)]
        later = later.assign(
            date=later["dated"].map(lambda d: span_label(d[0], d[1])),
            _start=later["dated"].map(lambda d: d[0]),
        ).sort_values("_start", kind="stable")
        out.append(
            Recurrence(
                theme,
                themes.label(theme),
                links[["action_id", "action", "completed", "completed_by"]]
                .sort_values("completed_by", kind="stable")
                .reset_index(drop=True),
                later[["ref", "text", "sources", "date"]].reset_index(drop=True),
                Fact(
                    f"impact.not_embedded.{theme}",
                    themes.policy.count(len(later), "findings"),
                    rows_of("actions", links["action_id"]) + rows_of("findings", later["ref"]),
                ),
            )
        )
    return tuple(out)


def backlog_by_age(records: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Actions last recorded open at each year end of the lookback (columns), by the year they
    were raised (rows): at a year end, an action counts where its latest record up to that
    year was open at its year's end."""
    if records.empty:
        return pd.DataFrame()
    table = pd.DataFrame(0, index=years, columns=years)
    for year in years:
        known = records[records["year"] <= year].drop_duplicates("action_id", keep="last")
        open_ = known[known["position"].isin(OPEN_POSITIONS)]
        for raised, n in open_["raised"].value_counts().items():
            table.loc[raised, year] = n
    table.index.name, table.columns.name = "raised", "open at the end of"
    return table


# ---- training, effectiveness, adults' reviews, arrangements --------------------------------


def training_levels(training: pd.DataFrame, policy) -> dict[str, Fact]:
    """Courses by the highest of the sector's levels of evaluation they record: reaction
    (evaluations returned or a satisfaction percentage), learning (scores before and after),
    behaviour (a follow-up of practice, saying what it measured), results (evidence of change
    in outcomes)."""
    if training.empty:
        return {}
    has = {
        "reaction": training["evaluations"].notna() | training.get("reaction_pct", pd.NA).notna(),
        "learning": training["score_before"].notna() & training["score_after"].notna(),
        "behaviour": training["followup_pct"].notna() & training["followup_measure"].notna(),
        "results": training.get("results", pd.Series(pd.NA, index=training.index)).notna(),
    }
    highest = pd.Series(None, index=training.index, dtype=object)
    for level in TRAINING_LEVELS:
        highest = highest.mask(has[level], level)
    ids = training["course_id"].astype(str)
    return {
        level: count(
            f"impact.training.{level}", ids[highest == level], "training", policy, "courses"
        )
        for level in TRAINING_LEVELS
        if (highest == level).any()
    }


def _rows_fact(name, frame, id_column, table, policy, missing) -> Fact:
    if frame.empty:
        return not_recorded(name, missing, f"{table} table")
    return Fact(name, policy.count(len(frame), "responses"), rows_of(table, frame[id_column]))


def ratings_over_years(report) -> pd.DataFrame:
    """Priorities by rating (green, amber, red; rows) in each year of the lookback that rated
    any (columns)."""
    priorities = report.across_lookback("priorities")
    rated = priorities[priorities["rag_status"].notna()]
    if rated.empty:
        return pd.DataFrame()
    table = pd.crosstab(rated["rag_status"], rated["year"])
    return table.reindex([r for r in ("green", "amber", "red") if r in table.index])


def _remit(row) -> str | None:
    if "remit" in row and pd.notna(row["remit"]):
        return row["remit"]
    return review_remit(row["review_type"], row.get("age_group"))


def adults_reviews(report, facts, actions: pd.DataFrame) -> dict:
    """The SARs (adults' reviews) of the year, as the Care Act asks: those concluded in the year
    with each finding, the Board's response and reason, and what was done on it; those in
    progress at the year end. Counted apart from children's reviews."""
    reviews = facts.reviews.frame
    adults = reviews[
        pd.Series(
            [_remit(r) == ADULTS for _, r in reviews.iterrows()], index=reviews.index, dtype=bool
        )
    ]
    year = report.year
    end = pd.Timestamp(year.end)
    start = pd.Timestamp(year.start)
    completed_end = adults.get("completed_date_end", adults["completed_date"])
    concluded = (
        adults["completed_date"].notna()
        & (completed_end >= start)
        & (adults["completed_date"] <= end)
    )
    in_progress = (
        ~concluded
        & adults["status"].isin(("in_progress", "notified"))
        & (adults["completed_date"].isna())
    )
    policy = facts.policy
    ids = adults["review_id"].astype(str)
    findings = report.across_lookback("findings")
    concluded_ids = set(ids[concluded])
    mine = findings[
        (findings["source_type"] == "review")
        & findings["source_id"].map(lambda s: bool(set(split_ids(s)) & concluded_ids))
    ].drop_duplicates("finding_id", keep="last")
    done = {
        f: [
            {"action": a, "status": st}
            for a, st, answers in zip(
                actions["action"], actions["status"], actions["finding_id"], strict=True
            )
            if f in split_ids(answers)
        ]
        for f in mine["finding_id"]
    }
    sar_findings = mine.assign(done=mine["finding_id"].map(done))[
        ["finding_id", "source_id", "kind", "text", "response", "response_reason", "done"]
    ]
    if adults.empty:
        missing = not_recorded("impact.sars", "", "reviews table")
        return {
            "sars": adults,
            "sars_concluded": missing,
            "sars_in_progress": missing,
            "sar_findings": sar_findings,
        }
    return {
        "sars": adults.assign(concluded=concluded, in_progress=in_progress),
        "sars_concluded": count(
            "impact.sars.concluded", ids[concluded], "reviews", policy, "reviews"
        ),
        "sars_in_progress": count(
            "impact.sars.in_progress", ids[in_progress], "reviews", policy, "reviews"
        ),
        "sar_findings": sar_findings,
    }


def arrangement_elements(tables: dict, policy) -> dict[str, Fact]:
    """The 2023 and 2026 arrangements' own elements, each where its table holds it: the lead
    safeguarding partners, their delegates, who signed the report off, how education and
    childcare settings took part, the multi-agency child protection teams in place, the
    agreed data set. An element its table does not hold is not recorded; what is missing is
    the checklist's to say, once, and only for the years the guidance asks it of (so these
    facts name no gap of their own)."""
    partners = tables["partners"]
    agencies = tables["relevant_agencies"]
    teams = tables["child_protection_teams"]
    data_set = tables["data_set"]
    role = partners.get("role", pd.Series(dtype=object))
    elements = {
        "lead_partners": (partners, role == "lead_safeguarding_partner", "agency", "partners"),
        "delegates": (partners, role == "delegated_safeguarding_partner", "agency", "partners"),
        "signed_off": (
            partners,
            partners.get("signed_off_report", pd.Series(dtype=object)) == "yes",
            "agency",
            "partners",
        ),
        "education": (
            agencies,
            agencies.get("sector", pd.Series(dtype=object)).isin(("education", "early_years"))
            & agencies.get("participation", pd.Series(dtype=object)).notna(),
            "agency",
            "relevant_agencies",
        ),
        "child_protection_teams": (
            teams,
            teams.get("in_place_date", pd.Series(dtype=object)).notna(),
            "agency",
            "child_protection_teams",
        ),
        "data_set": (
            data_set,
            data_set.get("agreed", pd.Series(dtype=object)).fillna("yes") == "yes",
            "indicator",
            "data_set",
        ),
    }
    units = {"data_set": "indicators"}
    out = {}
    for name, (frame, mask, id_column, table) in elements.items():
        if frame.empty or not mask.any():
            out[name] = not_recorded(f"impact.elements.{name}", "", f"{table} table")
        else:
            ids = frame.loc[mask, id_column].astype(str)
            out[name] = count(
                f"impact.elements.{name}", ids, table, policy, units.get(name, "agencies")
            )
    return out


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
