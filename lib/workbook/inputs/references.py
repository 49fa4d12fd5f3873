"""Rules between a year's tables: ids that point at other rows, and the local indicators.

A finding names the review(s), audit(s), inspection(s) or other sources of learning it comes
from, an action the finding(s), reviews, audits or inspections it answers (or none), feedback
the actions or courses it led to, an indicator row a catalogue or local indicator. Every id of a
cell holding several ("A1;A2") must exist; a figure's unit must be its indicator's; a stated
count of reviews that is fewer than the reviews listed is worth a look.
"""

from __future__ import annotations

import pandas as pd

from workbook.inputs.cells import split_ids
from workbook.inputs.checks import Problem
from workbook.inputs.contract import TableSpec
from workbook.inputs.raw_tables import RawTable
from workbook.inputs.views import INSPECTION_AUDIT_TYPES
from workbook.inputs.vocabularies import catalogue_units

_TABLE_WORDS = {
    "reviews": "review",
    "audits": "audit",
    "findings": "finding",
    "inspections": "inspection",
    "learning_sources": "learning source",
    "actions": "action",
}


def _problem(raw: RawTable, message: str, index, column: str) -> Problem:
    return Problem(raw.source, message, raw.row_number(index), column, raw.cell(index, column))


def check_references(
    tables: dict[str, pd.DataFrame], raw: dict[str, RawTable], contract: dict[str, TableSpec]
) -> list[Problem]:
    """Every id a finding or action gives exists in the table it points at."""
    problems = []

    def ids(target: str) -> set:
        table, column = target.split(".")
        return set(tables[table][column].dropna()) if table in tables else set()

    def check(name, column, rows, targets, words):
        values = rows[column].dropna()
        for index, value in zip(values.index, values.tolist(), strict=True):
            for part in split_ids(value):
                if part not in targets:
                    problems.append(
                        _problem(
                            raw[name],
                            f"{part!r} is not {words} in this "
                            "year's data: check the id, or add the row it "
                            "names",
                            index,
                            column,
                        )
                    )

    for name, spec in contract.items():
        if name not in tables:
            continue
        frame = tables[name]
        for col in spec.columns.values():
            if col.references:
                table, column = col.references.split(".")
                check(
                    name,
                    col.name,
                    frame,
                    ids(col.references),
                    f"the {column} of any {_TABLE_WORDS.get(table, table)}",
                )
            if col.references_any:
                targets = set().union(*(ids(t) for t in col.references_any))
                words = " or ".join(
                    _TABLE_WORDS.get(t.split(".")[0], t.split(".")[0]) for t in col.references_any
                )
                check(name, col.name, frame, targets, f"the id of any {words}")
            selector = col.references_by_column
            for kind, targets in col.references_by.items():
                noun = _TABLE_WORDS.get(targets[0].split(".")[0], targets[0])
                article = "an" if noun[0] in "aeiou" else "a"
                check(
                    name,
                    col.name,
                    frame[frame[selector] == kind],
                    set().union(*(ids(t) for t in targets)),
                    f"{article} {noun} ({targets[0]})",
                )
    learning_kinds = frozenset(contract["learning_sources"].columns["kind"].values)
    problems += _learning_source_kinds(tables, raw, learning_kinds)
    problems += _inspections_kept_twice(tables, raw)
    return problems


def _learning_source_kinds(
    tables: dict[str, pd.DataFrame], raw: dict[str, RawTable], learning_kinds: frozenset[str]
) -> list[Problem]:
    """A finding from a learning event names a learning source that is a learning event: the
    source_type says what kind of source it is, and the source's row must agree."""
    findings, sources = tables.get("findings"), tables.get("learning_sources")
    if findings is None or sources is None or sources.empty:
        return []
    kinds = dict(zip(sources["source_id"], sources["kind"], strict=True))
    problems = []
    for index, kind, cell in zip(
        findings.index, findings["source_type"], findings["source_id"], strict=True
    ):
        for part in split_ids(cell):
            if kind in learning_kinds and part in kinds and kinds[part] != kind:
                problems.append(
                    _problem(
                        raw["findings"],
                        f"{part!r} is a {kinds[part]} in learning_sources, not a {kind}: "
                        f"write source_type {kinds[part]}, or correct the source's kind",
                        index,
                        "source_type",
                    )
                )
    return problems


def _inspections_kept_twice(
    tables: dict[str, pd.DataFrame], raw: dict[str, RawTable]
) -> list[Problem]:
    """An inspection given both as a v2 audit row and in the inspections table, under one id,
    would be read as two inspections: keep it in one place."""
    audits, inspections = tables.get("audits"), tables.get("inspections")
    if audits is None or inspections is None or inspections.empty:
        return []
    kept = set(audits.loc[audits["audit_type"].isin(INSPECTION_AUDIT_TYPES), "audit_id"])
    twice = inspections["inspection_id"].isin(kept)
    return [
        _problem(
            raw["inspections"],
            f"{inspections.at[index, 'inspection_id']!r} is also an inspection in the audits "
            "table: keep it in the inspections table only (remove the audits row)",
            index,
            "inspection_id",
        )
        for index in inspections.index[twice.to_numpy(dtype=bool)]
    ]


STAGE_DATES = {
    "referred": "notified_date",
    "notified": "notified_date",
    "decided": "decided_date",
    "started": "started_date",
    "completed": "completed_date",
    "published": "published_date",
}
"""The reviews table's date that puts a review at each stage of `review_counts`."""


def stated_counts_below_listed(
    tables: dict[str, pd.DataFrame], raw: dict[str, RawTable], start, end
) -> list[Problem]:
    """Warnings where the report states fewer reviews of a type at a stage than the reviews
    table lists with that stage's date inside the period: one of the two is likely wrong (a
    stated zero beside a listed review most of all)."""
    counts, reviews = tables.get("review_counts"), tables.get("reviews")
    if counts is None or counts.empty or reviews is None:
        return []
    problems = []
    for index, row in counts.iterrows():
        column = STAGE_DATES.get(row["stage"])
        if column is None or pd.isna(row["count"]) or pd.isna(row["review_type"]):
            continue
        mine = reviews[reviews["review_type"] == row["review_type"]]
        inside = (mine[column] >= pd.Timestamp(start)) & (
            mine[f"{column}_end"] <= pd.Timestamp(end)
        )
        listed = int(inside.fillna(False).sum())
        if listed > row["count"]:
            problems.append(
                Problem(
                    raw["review_counts"].source,
                    f"states {row['count']} {row['review_type']} {row['stage']} in the year, but "
                    f"the reviews table lists {listed} with a {column} in the year: check both",
                    raw["review_counts"].row_number(index),
                    "count",
                    raw["review_counts"].cell(index, "count"),
                    warning=True,
                )
            )
    return problems


def local_indicator_ids(raw: dict[str, RawTable]) -> frozenset[str]:
    """The ids the year's local_indicators table defines (as written, before any check)."""
    table = raw.get("local_indicators")
    if table is None or "id" not in table.frame.columns:
        return frozenset()
    return frozenset(str(v).strip() for v in table.frame["id"].dropna())


def indicator_units(local: pd.DataFrame | None) -> dict[str, str]:
    """Each indicator's unit: the catalogue's, and the year's local indicators'."""
    units = catalogue_units()
    if local is not None and len(local):
        units.update(
            {
                i: u
                for i, u in zip(local["id"], local["unit"], strict=True)
                if pd.notna(i) and pd.notna(u) and i not in units
            }
        )
    return units


def check_local_indicators(
    tables: dict[str, pd.DataFrame], raw: dict[str, RawTable]
) -> list[Problem]:
    """A local indicator is not a catalogue one, is part of a count, and every figure of the
    indicators table is in its indicator's unit."""
    problems = []
    local = tables.get("local_indicators")
    units = indicator_units(local)
    if local is not None:
        for index, row in local.iterrows():
            if pd.notna(row["id"]) and row["id"] in catalogue_units():
                problems.append(
                    _problem(
                        raw["local_indicators"],
                        f"{row['id']!r} is an "
                        "indicator of the catalogue: give your own figure "
                        "another id, or leave this row out and use the "
                        "catalogue's id in the indicators table",
                        index,
                        "id",
                    )
                )
            base = row["part_of"]
            if pd.notna(base) and base in units and units[base] != "count":
                problems.append(
                    _problem(
                        raw["local_indicators"],
                        f"{base!r} is not a count "
                        f"(its unit is {units[base]}): part_of names the count "
                        "this figure is a part or percentage of",
                        index,
                        "part_of",
                    )
                )
    figures = tables.get("indicators")
    if figures is not None:
        for index, row in figures.iterrows():
            expected = units.get(row["indicator"]) if pd.notna(row["indicator"]) else None
            if expected and pd.notna(row["unit"]) and row["unit"] != expected:
                problems.append(
                    _problem(
                        raw["indicators"],
                        f"{row['unit']!r} is not the unit "
                        f"of {row['indicator']} ({expected}): give the figure "
                        f"as a {expected}, or use another indicator",
                        index,
                        "unit",
                    )
                )
    return problems
