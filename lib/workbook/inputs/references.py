"""Rules between a year's tables: ids that point at other rows, and the local indicators.

A finding names the review(s) or audit(s) it comes from, an action the finding(s), reviews or
audits it answers (or none), an indicator row a catalogue or local indicator. Every id of a
cell holding several ("A1;A2") must exist; a figure's unit must be its indicator's.
"""

from __future__ import annotations

import pandas as pd

from workbook.inputs.cells import split_ids
from workbook.inputs.checks import Problem, catalogue_units
from workbook.inputs.contract import TableSpec
from workbook.inputs.loading import RawTable

_TABLE_WORDS = {"reviews": "review", "audits": "audit", "findings": "finding"}


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
                    _TABLE_WORDS.get(t.split(".")[0], t) for t in col.references_any
                )
                check(name, col.name, frame, targets, f"the id of any {words}")
            if col.references_by:
                selector = col.references_by["column"]
                for kind, target in col.references_by["tables"].items():
                    table = target.split(".")[0]
                    noun = _TABLE_WORDS.get(table, table)
                    article = "an" if noun[0] in "aeiou" else "a"
                    check(
                        name,
                        col.name,
                        frame[frame[selector] == kind],
                        ids(target),
                        f"{article} {noun} ({target})",
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
