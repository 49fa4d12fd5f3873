"""The coded lookback worked out once from a year's report (`theme_facts`): every finding of the
lookback's years once, coded, with its sources and years, the reviews and audits it came from
and the themes of the year's actions. What the facts hold and how they count is
`workbook.facts.themes`.
"""

from __future__ import annotations

import pandas as pd

from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import ANALYST, code_findings
from workbook.core.fact import NAMES_UNKNOWN, Fact, count
from workbook.core.years import scope_words
from workbook.facts.kinds import audit_kind, audit_kinds
from workbook.facts.themes import (
    OTHER_SOURCES,
    REVIEW,
    ThemeFacts,
    board_themes,
    rank_themes,
    with_findings,
)
from workbook.inputs.cells import split_ids


def theme_facts(report, actions: pd.DataFrame, codebook: Codebook | None = None) -> ThemeFacts:
    """The facts of the coded lookback of `report`. `actions`: the year's actions with their
    `position` at the year end (`workbook.facts.actions`)."""
    codebook = codebook or load_codebook()
    year = report.year
    years = tuple(report.lookback_with_data)
    policy = report.policy
    frame, key_of = _findings(report.across_lookback("findings"), year.label)
    coded = code_findings(
        frame[["key", "text", "analyst_themes"]].rename(
            columns={"key": "finding_id", "analyst_themes": "themes"}
        ),
        codebook,
    )
    codes = board_themes(coded).rename(columns={"finding_id": "key"})
    ranked = rank_themes(codes, codebook)
    place = {theme: i for i, theme in enumerate(ranked)}
    themes_of = codes.groupby("key")["theme"].agg(
        lambda ts: tuple(sorted(ts, key=lambda t: place[t]))
    )
    frame["themes"] = frame["key"].map(themes_of).map(lambda t: t if isinstance(t, tuple) else ())
    sources = _sources(report, frame)
    with_themes = frame["themes"].map(bool)
    by_analyst = set(codes.loc[codes["coded_by"] == ANALYST, "key"])
    analyst = frame["key"].isin(by_analyst)

    def counted(name: str, mask: pd.Series) -> Fact:
        return count(f"themes.{name}", frame.loc[mask, "ref"], "findings", policy, "findings")

    missing_years = [y for y in report.lookback if y not in years]
    coverage = Fact(
        "themes.years",
        len(years),
        (),
        f"data for {scope_words(missing_years)}, years the thematic review looks back over"
        if missing_years
        else "",
        f"data: {', '.join(missing_years)}" if missing_years else "",
        len(missing_years),
        {NAMES_UNKNOWN: True},
    )
    return ThemeFacts(
        frame=frame,
        codes=codes.reset_index(drop=True),
        coded=coded,
        actions=_themed_actions(actions, key_of, themes_of, year.label),
        sources=sources,
        codebook=codebook,
        year=year,
        years=years,
        policy=policy,
        findings=counted("findings", pd.Series(True, index=frame.index)),
        this_year=counted("this_year", frame["this_year"]),
        coverage=coverage,
        analyst_coded=counted("analyst_coded", analyst),
        automatic_coded=counted("automatic_coded", with_themes & ~analyst),
        uncoded=counted("uncoded", ~with_themes),
        reviews_with_findings=with_findings(
            "themes.reviews_with_findings",
            sources[sources["source_type"] == REVIEW],
            "reviews",
            policy,
        ),
        audits_with_findings=with_findings(
            "themes.audits_with_findings",
            sources[sources["source_type"] == "audit"],
            "audits",
            policy,
        ),
        by_source=_by_source(sources, frame, policy),
    )


def _findings(raw: pd.DataFrame, year: str) -> tuple[pd.DataFrame, dict]:
    """Each finding of the lookback once, and for each (year, finding id) as recorded, the key
    of its finding. A finding is the same in two years when its id, source type and words are
    (a review carried forward may list its findings again); its sources are then all the
    sources any year named, its analyst themes the first given, and its year the latest it was
    recorded in (so the findings recorded in the report year are the year's findings, as every
    section counts them, and the years still add up to the lookback)."""
    raw = raw.reset_index(drop=True)
    words = raw["text"].astype(str).map(lambda t: " ".join(t.split()).casefold())
    identity = raw["finding_id"].astype(str) + "\x00" + raw["source_type"] + "\x00" + words
    raw = raw.assign(
        key=raw["year"] + "/" + raw["finding_id"].astype(str),
        identity=identity,
        listed=raw["source_id"].map(split_ids),
    )
    grouped = raw.groupby("identity", sort=False)
    first, latest = grouped.first(), grouped.last()
    frame = pd.DataFrame(
        {
            "key": latest["key"],
            "finding_id": first["finding_id"].astype(str),
            "year": latest["year"],
            "years": grouped["year"].agg(list),
            "source_type": first["source_type"],
            "sources": grouped["listed"].agg(
                lambda lists: list(dict.fromkeys(s for ids in lists for s in ids))
            ),
            "kind": first["kind"],
            "text": first["text"],
            "agency": first.get("agency", pd.NA),
            "analyst_themes": first.get("themes", pd.NA),
        }
    ).reset_index(drop=True)
    frame["this_year"] = frame["year"] == year
    # A claim names the rows it rests on: the year's findings by their own id, earlier ones by
    # year and id (ids need only be unique within a year).
    frame["ref"] = [
        own if recorded == year else key
        for own, recorded, key in zip(frame["finding_id"], frame["year"], frame["key"], strict=True)
    ]
    key_of = dict(
        zip(
            zip(raw["year"], raw["finding_id"].astype(str), strict=True),
            raw["identity"].map(latest["key"]),
            strict=True,
        )
    )
    return frame, key_of


def _sources(report, frame: pd.DataFrame) -> pd.DataFrame:
    """Every review and audits-table row of the lookback once (its latest record), with its
    kind and whether any finding of the lookback comes from it."""
    reviews = report.across_lookback("reviews").drop_duplicates("review_id", keep="last")
    audits = report.across_lookback("audits").drop_duplicates("audit_id", keep="last")
    named = {
        (kind, s)
        for kind, ids in zip(frame["source_type"], frame["sources"], strict=True)
        for s in ids
    }
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "source_type": REVIEW,
                    "source_id": reviews["review_id"].astype(str),
                    "kind": REVIEW,
                    "review_type": reviews["review_type"].astype(str),
                }
            ),
            pd.DataFrame(
                {
                    "source_type": "audit",
                    "source_id": audits["audit_id"].astype(str),
                    "kind": audits["audit_type"].map(audit_kind),
                    "review_type": None,
                }
            ),
        ],
        ignore_index=True,
    )
    rows["with_findings"] = [
        (kind, s) in named for kind, s in zip(rows["source_type"], rows["source_id"], strict=True)
    ]
    status = pd.concat(
        [
            reviews.get("status", pd.Series(pd.NA, index=reviews.index)),
            audits.get("status", pd.Series(pd.NA, index=audits.index)),
        ],
        ignore_index=True,
    )
    rows["expects_findings"] = ~status.isin(NO_FINDINGS_YET).to_numpy()
    return rows


NO_FINDINGS_YET = frozenset({"notified", "in_progress", "not_started", "cancelled"})
"""Statuses of a review (or audit) that has not reached its findings: one in progress at the
year end, or stopped before it began. Its findings missing is not a gap in the data."""


def _by_source(sources: pd.DataFrame, frame: pd.DataFrame, policy) -> dict[str, Fact]:
    """Per source kind present, in the order sentences list them (reviews, then the audit kinds
    of specs/kinds.yaml, then other sources): those with findings recorded, the rest unknown.
    A finding's source outside the reviews and audits tables (contract v3's inspections and
    learning sources) counts under its kind: an inspection as one, the rest as other sources."""
    listed = set(zip(sources["source_type"], sources["source_id"], strict=True))
    beyond: dict[str, set[str]] = {}
    for source_type, ids in zip(frame["source_type"], frame["sources"], strict=True):
        for source_id in ids:
            if source_type not in (REVIEW, "audit") and (source_type, source_id) not in listed:
                kind = "inspection" if source_type == "inspection" else OTHER_SOURCES
                beyond.setdefault(kind, set()).add(f"{source_type}:{source_id}")
    out = {}
    for kind in (REVIEW, *audit_kinds(), OTHER_SOURCES):
        rows = sources[sources["kind"] == kind]
        found = sorted(beyond.get(kind, ()))
        if rows.empty and not found:
            continue
        table = "reviews" if kind == REVIEW else "audits"
        out[kind] = count(
            f"themes.sources.{kind}",
            [*rows.loc[rows["with_findings"], "source_id"], *found],
            table,
            policy,
            "reviews" if kind == REVIEW else "audits",
            unknown=rows.loc[~rows["with_findings"] & rows["expects_findings"], "source_id"],
        )
    return out


def _themed_actions(
    actions: pd.DataFrame, key_of: dict, themes_of: pd.Series, year: str
) -> pd.DataFrame:
    """The year's actions with the keys of the findings each answers and their themes (all of
    them, most frequent first, each once)."""
    answered = actions.get("finding_id", pd.Series(pd.NA, index=actions.index, dtype=object))
    keys = answered.map(
        lambda ids: [key_of[(year, i)] for i in split_ids(ids) if (year, i) in key_of]
    )
    themes = keys.map(lambda ks: tuple(dict.fromkeys(t for k in ks for t in themes_of.get(k, ()))))
    return actions.assign(finding_keys=keys, themes=themes)
