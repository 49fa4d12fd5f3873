"""The chain from learning to impact: for each theme of the lookback and each review,
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

Each link has an evidence level in words a board reads (`LEVELS`); the latest later finding on
the action's theme decides between good practice found and more to change found (a later finding
that asks for change again outweighs an earlier strength). The levels say what a later audit,
inspection or review found on the same theme, not that the action changed practice nor that its
own problem was found again: the chain links by theme. An outcome measure is the level only
where no later finding is dated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.dates import span_label
from workbook.core.fact import Fact, rows_of
from workbook.core.years import ReportYear
from workbook.facts.actions import OPEN_POSITIONS, position_at_year_end
from workbook.facts.kinds import audit_words
from workbook.facts.themes import FOR_CHANGE
from workbook.inputs.cells import split_ids
from workbook.national.catalogue import with_local

NO_EVIDENCE = "no evidence yet"
DONE = "action done"
PERSISTS = "more to change found later on the same theme"
CHANGE_SEEN = "good practice found later on the same theme"
MEASURE_MOVED = "outcome measure moved"
LEVELS = (NO_EVIDENCE, DONE, PERSISTS, CHANGE_SEEN, MEASURE_MOVED)
"""Evidence levels of an action's impact, from least to most said about change."""
BEYOND_DONE = (PERSISTS, CHANGE_SEEN, MEASURE_MOVED)
"""The levels that say something about change after the action (for or against it)."""

LATER_SOURCES = ("audit", "inspection", "review")
"""Sources whose findings can be later evidence on a theme."""

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


SOURCE_WORDS = {"review": "case review", "inspection": "inspection or visit"}
"""A later finding's source as a sentence names it, by the finding's source type; an audit is
named by its audit type's kind (an audits-table row can be an inspection or a peer review)."""


def source_words(report) -> dict[str, str]:
    """Each review, audit and inspection of the lookback with what it is, in words ("case
    review", "multi-agency audit", "inspection or visit"): a sentence about later evidence
    names its source as what it was, never every source "an audit"."""
    words = {
        str(i): SOURCE_WORDS["review"]
        for i in report.across_lookback("reviews").get("review_id", [])
    }
    words.update(
        (str(i), SOURCE_WORDS["inspection"])
        for i in report.across_lookback("inspections").get("inspection_id", [])
    )
    audits = report.across_lookback("audits")
    for audit_id, audit_type in zip(
        audits.get("audit_id", []), audits.get("audit_type", []), strict=True
    ):
        words[str(audit_id)] = audit_words(audit_type)
    return words


def first_certain(ids, dated: dict) -> tuple | None:
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
    # `notna`, not a test of each value: a column of no dates at all may be read as strings,
    # and a boolean mask and'ed with strings is refused by pandas 4 (and warned of now).
    dated = findings[findings["source_type"].isin(LATER_SOURCES) & findings["dated"].notna()]
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
    """Themes on which a later audit, inspection or review found more to change after actions
    on them were completed: learning not yet embedded, with the actions and the later findings."""
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
