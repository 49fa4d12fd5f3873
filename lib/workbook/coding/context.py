"""Themes a finding's source suggests: the title and type of the review or audit it comes from.

An audit titled "Child sexual exploitation" whose findings never say "exploitation" is still about
exploitation, and every finding of a safeguarding adult review is about adult safeguarding. The
title is coded with the themes' own patterns (and rules); the type through the codebook's
``source_types``. These are suggestions, shown "from the source" beside the finding's own
evidence: they count only when the analyst accepts them (by giving the finding the theme) or when
a run is told to count them.
"""

from __future__ import annotations

import pandas as pd

from workbook.coding.codebook import Codebook
from workbook.coding.rules import apply_rules
from workbook.core.errors import WorkbookError

SOURCE_COLUMNS = ("source_type", "source_id", "title", "kind")
"""What a sources table holds: review or audit, its id, its title (blank for reviews, which have
none in the contract) and its kind (the review_type or audit_type)."""


def sources_table(reviews: pd.DataFrame | None, audits: pd.DataFrame | None) -> pd.DataFrame:
    """The contract's reviews and audits tables as one sources table (``SOURCE_COLUMNS``)."""
    frames = []
    if reviews is not None and len(reviews):
        frames.append(
            pd.DataFrame(
                {
                    "source_type": "review",
                    "source_id": reviews["review_id"].astype(str),
                    "title": "",
                    "kind": reviews["review_type"].astype(str),
                }
            )
        )
    if audits is not None and len(audits):
        frames.append(
            pd.DataFrame(
                {
                    "source_type": "audit",
                    "source_id": audits["audit_id"].astype(str),
                    "title": audits["title"].fillna("").astype(str),
                    "kind": audits["audit_type"].astype(str),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(SOURCE_COLUMNS))
    return pd.concat(frames, ignore_index=True).drop_duplicates(["source_type", "source_id"])


def source_rows(findings: pd.DataFrame, sources: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """For each finding (by position), the themes its source suggests, with the reason as
    ``evidence`` ('audit "Child sexual exploitation"', 'review type sar').

    ``findings`` needs ``source_id`` (and ``source_type`` where reviews and audits share ids).
    Returns columns position, theme, evidence.
    """
    missing = [column for column in ("source_id",) if column not in findings.columns]
    absent = [column for column in ("source_id", "kind") if column not in sources.columns]
    if missing or absent:
        raise WorkbookError(
            "themes from the source need the findings' source_id and the sources' source_id and "
            f"kind (missing: {', '.join(missing + absent)})"
        )
    suggested = _themes_of_sources(sources, codebook)
    keys = ["source_type", "source_id"] if "source_type" in findings.columns else ["source_id"]
    table = findings[keys].astype(str).reset_index(drop=True)
    table["position"] = range(len(table))
    rows = table.merge(suggested, on=keys, how="inner")
    return rows[["position", "theme", "evidence"]].drop_duplicates(["position", "theme"])


def _themes_of_sources(sources: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per source: each theme its title's patterns or its kind suggest, with the reason."""
    frame = sources.copy()
    for column in ("source_type", "title"):
        if column not in frame.columns:
            frame[column] = ""
    frame = frame.fillna("").astype(str).reset_index(drop=True)
    titles = frame["title"].tolist()
    hits = apply_rules(codebook, titles, codebook.scan_with_context(titles))
    rows = []
    for position, theme in zip(hits["text"].tolist(), hits["theme"].tolist(), strict=True):
        source = frame.iloc[position]
        rows.append(
            (
                source["source_type"],
                source["source_id"],
                theme,
                f'{source["source_type"] or "source"} "{source["title"]}"',
            )
        )
    for source in frame.itertuples():
        for theme in codebook.source_types.get(source.kind, []):
            rows.append(
                (
                    source.source_type,
                    source.source_id,
                    theme,
                    f"{source.source_type or 'source'} type {source.kind}",
                )
            )
    return pd.DataFrame(rows, columns=["source_type", "source_id", "theme", "evidence"])
