"""The data contract, read from specs/contract.yaml: which tables, which columns, which rules.

Kept as data rather than code so that the loader, the validator and docs/data-contract.md cannot
disagree, and so that a new column is a reviewed YAML change.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from functools import cache

from workbook.core.yamlfile import load_spec

COLUMN_TYPES = ("id", "ids", "text", "category", "date", "integer", "number", "list", "council")
FIRST_VERSION = 1


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table as specs/contract.yaml gives it (the file's header says what each
    key means); the loader, the validator, the Excel template and the contract's document all
    read it from here."""

    name: str
    type: str
    """One of `COLUMN_TYPES`."""
    description: str
    required: bool = False
    values: tuple[str, ...] = ()
    """For a category: its codes."""
    rule: str | None = None
    """For a date: "in_year" or "not_after_year_end"."""
    vocabulary: str | None = None
    """Where its values come from beside the contract: "codebook", "indicators", "count_units"."""
    default: str | None = None
    """What a blank cell means ("local")."""
    references: str | None = None
    """"table.column" its ids must be found in."""
    references_any: tuple[str, ...] = ()
    """Several "table.column": each id must be found in one of them."""
    references_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """For an ids column whose table another column names (findings' source_type): per value of
    that column (`references_by_column`), the table columns its ids may be found in."""
    references_by_column: str | None = None
    precision: str | None = None
    """For a date: "day" when only a day will do (else any span, see workbook.core.dates)."""
    range_by: str | None = None
    """For a number: the column (a unit) whose value sets its range (`ranges` of the contract)."""
    required_when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Required in rows where another column holds one of these values ({"unit": ("count",)})."""
    range: str | None = None
    """For a number: the entry of the contract's `ranges` it must be in ("percent")."""
    due: bool = False
    """For a date: a due date, which may also be written in the year's own words ("by March",
    "by the end of the year"; see workbook.core.dates)."""
    since: int = FIRST_VERSION
    """The contract version that added the column (a column of a newer table: the table's)."""


@dataclass(frozen=True)
class Range:
    """What a figure of one unit may be, and the words that say so."""

    words: str
    min: float | None = None
    max: float | None = None
    whole: bool = False

    def allows(self, value: float) -> bool:
        return (
            (self.min is None or value >= self.min)
            and (self.max is None or value <= self.max)
            and (not self.whole or float(value).is_integer())
        )


@dataclass(frozen=True)
class TableSpec:
    """One table of the contract: a CSV file of a partnership-year, its key and its columns."""

    name: str
    description: str
    required: bool
    """A year's data without this file is refused."""
    key: tuple[str, ...]
    """The columns whose values no two rows share."""
    columns: dict[str, ColumnSpec]
    date_order: tuple[str, ...] = ()
    """Date columns in the order their dates must come (a later one may not end before an
    earlier one starts)."""
    since: int = FIRST_VERSION
    """The contract version that added the table."""


def _targets(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _column(name: str, raw: dict, since: int) -> ColumnSpec:
    if raw.get("type") not in COLUMN_TYPES:
        raise ValueError(f"contract column {name!r}: unknown type {raw.get('type')!r}")
    by = raw.get("references_by") or {}
    return ColumnSpec(
        name=name,
        type=raw["type"],
        description=raw.get("description", ""),
        required=bool(raw.get("required", False)),
        values=tuple(raw.get("values", ())),
        rule=raw.get("rule"),
        vocabulary=raw.get("vocabulary"),
        default=raw.get("default"),
        references=raw.get("references"),
        references_any=tuple(raw.get("references_any", ())),
        references_by={kind: _targets(t) for kind, t in by.get("tables", {}).items()},
        references_by_column=by.get("column"),
        precision=raw.get("precision"),
        range_by=raw.get("range_by"),
        required_when={k: tuple(v) for k, v in (raw.get("required_when") or {}).items()},
        range=raw.get("range"),
        due=bool(raw.get("due", False)),
        since=int(raw.get("since", since)),
    )


@cache
def _raw() -> dict:
    return load_spec("contract")


@cache
def ranges() -> dict[str, Range]:
    """What a figure may be, by unit (a unit without an entry, such as gbp, may be anything)."""
    return {unit: Range(**spec) for unit, spec in _raw().get("ranges", {}).items()}


@cache
def load_contract() -> dict[str, TableSpec]:
    """Every table of the contract, in the order the contract lists them."""
    raw = _raw()
    tables = {}
    for name, spec in raw["tables"].items():
        key = spec["key"]
        since = int(spec.get("since", FIRST_VERSION))
        tables[name] = TableSpec(
            name=name,
            description=" ".join(spec["description"].split()),
            required=bool(spec["required"]),
            key=tuple(key) if isinstance(key, list) else (key,),
            columns={col: _column(col, c, since) for col, c in spec["columns"].items()},
            date_order=tuple(spec.get("date_order", ())),
            since=since,
        )
    return tables


def contract_version() -> int:
    return int(_raw()["version"])


_TYPE_WORDS = {
    "id": "id",
    "ids": "one id, or several separated by ;",
    "text": "text",
    "category": "one of a list",
    "date": "date",
    "integer": "whole number",
    "number": "number",
    "list": "ids separated by ;",
    "council": "a council of the partnership",
}
_VOCABULARY_WORDS = {
    "codebook": "theme ids of data/codebook/themes.yaml",
    "indicators": "an id of the indicator catalogue or of `local_indicators`",
    "count_units": "a unit of lib/workbook/specs/disclosure.yaml",
}
_RULE_WORDS = {"in_year": "inside the year", "not_after_year_end": "not after the year end"}


def contract_markdown() -> str:
    """docs/data-contract.md, written from the contract so the two never disagree."""
    lines = [
        f"# Data contract v{contract_version()}",
        "",
        "<!-- Generated from lib/workbook/specs/contract.yaml by `workbook contract`;"
        " edit the YAML, not this file. -->",
        "",
        "A partnership supplies one folder per reporting year: `data/<partnership>/<year>/`, e.g.",
        "`data/darlington/2019-20/`. It holds either one CSV file per table (`reviews.csv`, ...;",
        "UTF-8, header row first) plus a `narrative/` folder of Markdown files, or one Excel",
        "workbook (`.xlsx`) with one sheet per table. `workbook validate PARTNERSHIP YEAR` checks",
        "everything below and reports every problem with its file, row (as a spreadsheet numbers",
        "it: the header is row 1) and column.",
        "",
        "A reporting year runs from 1 April to 31 March unless the partnership's parameters give",
        "the year another period (`period_start` and `period_end` under the year in",
        "`params/<partnership>.yaml`): an October to September year, a calendar year, a first",
        "report of 18 or 24 months. Every date rule below uses the year's period. Category values",
        "are forgiving of case",
        "and spaces (`Area for development` reads as `area_for_development`). Columns not listed",
        "here are rejected, so that a misspelt column is caught rather than silently ignored.",
        "In an Excel workbook, sheets named `instructions` and `lists` (those of the template",
        "`workbook template` writes) are not read.",
        "",
        "**Dates** are written as precisely as the source gives them, and kept at that precision:",
        "",
        "| written | means | shown as |",
        "|---|---|---|",
        "| `12/05/2019`, `2019-05-12`, `12 May 2019`, an Excel date cell | that day |"
        " 12 May 2019 |",
        "| `May 2019`, `2019-05`, `05/2019` | the whole month | May 2019 |",
        "| `2019`, `in 2015` | the calendar year | 2019 |",
        "| `2019-20`, `2019/20` | the reporting year, 1 April 2019 to 31 March 2020 | 2019-20 |",
        "",
        "A date's rule holds for its whole span: *inside the year* means the span overlaps the",
        "reporting period, *not after the year end* that it starts on or before the period's last",
        "day, and dates in order fail only when a later date ends before an earlier one starts.",
        "`2011-12` could be a month or a reporting year and is refused: write `December 2011` or",
        "`2011/12`. A due date may also be written as an action plan words it: `by March 2024`",
        "(that month), `by March` (the March of the reporting period), `by the end of the year`",
        "(the reporting period: overdue only once it has ended).",
        "",
        "**Ranges.** Whole numbers are 0 or more. In the indicators table the `unit` sets what",
        "`value` and `target` may be: " + "; ".join(r.words for r in ranges().values()) + ".",
        "",
        "**Councils.** In a partnership of several councils, `council` says which council's area",
        "a row is about, by the council's code or its name as the parameters give them",
        "(`councils`, and `council_names` for names DfE's list does not hold); blank is the whole",
        "partnership.",
        "",
        f"Version {contract_version()} keeps every file of the earlier versions valid: it only",
        "adds columns (all optional), values and tables, and refuses less. Audit rows of version",
        "2 whose `audit_type` is an inspection (`ofsted_ilacs`, `jtai`, `send_area_inspection`,",
        "`lga_peer_review`) stay valid, and the workbook reads them as inspections. "
        "`workbook validate` names the columns and tables of version "
        f"{contract_version()} a year does not use yet.",
        "",
    ]
    for table in load_contract().values():
        needed = "required" if table.required else "optional"
        new = f", new in v{table.since}" if table.since == contract_version() else ""
        lines += [
            f"## `{table.name}` ({needed}{new})",
            "",
            table.description,
            "",
            f"Key: {', '.join(f'`{k}`' for k in table.key)} (unique).",
            "",
        ]
        if table.date_order:
            lines += [
                "Dates must run in order: " + " ≤ ".join(f"`{c}`" for c in table.date_order) + ".",
                "",
            ]
        lines += ["| column | type | required | rules | description |", "|---|---|---|---|---|"]
        for col in table.columns.values():
            rules = []
            if col.values:
                rules.append(", ".join(f"`{v}`" for v in col.values))
            if col.rule:
                rules.append(_RULE_WORDS[col.rule])
            if col.vocabulary:
                rules.append(_VOCABULARY_WORDS[col.vocabulary])
            if col.references:
                rules.append(f"must exist in `{col.references}`")
            if col.references_any:
                rules.append("must exist in " + " or ".join(f"`{r}`" for r in col.references_any))
            if col.references_by:
                rules.append(
                    f"must exist in the table `{col.references_by_column}` names: "
                    + "; ".join(
                        f"{kind}: " + " or ".join(f"`{t}`" for t in targets)
                        for kind, targets in col.references_by.items()
                    )
                )
            if col.default:
                rules.append(f"blank means `{col.default}`")
            if col.precision:
                rules.append(f"a {col.precision}, not a month or a year")
            if col.range_by:
                rules.append(f"range set by `{col.range_by}`")
            if col.range:
                rules.append(ranges()[col.range].words)
            if col.due:
                rules.append("also 'by March', 'by the end of the year'")
            if col.since > table.since and col.since == contract_version():
                rules.append(f"new in v{col.since}")
            for other, values in col.required_when.items():
                rules.append(f"required when `{other}` is " + " or ".join(f"`{v}`" for v in values))
            lines.append(
                f"| `{col.name}` | {_TYPE_WORDS[col.type]} | "
                f"{'yes' if col.required else ''} | {'; '.join(rules)} | "
                f"{col.description} |"
            )
        lines.append("")
    return "\n".join(lines)


def unused_additions(
    tables: dict, several_councils: bool = True
) -> tuple[list[str], dict[str, list[str]]]:
    """The tables and the columns of older tables that this contract's version added, which a
    year's typed tables do not use yet (a table with no rows, a column blank in every row):
    what `workbook validate` tells an analyst moving up from the previous version. A
    partnership of one council never needs a `council` column, so those are left out."""
    version = contract_version()
    tables_unused: list[str] = []
    columns_unused: dict[str, list[str]] = {}
    for spec in load_contract().values():
        frame = tables.get(spec.name)
        empty = frame is None or frame.empty
        if spec.since == version:
            if empty:
                tables_unused.append(spec.name)
            continue
        for column in spec.columns.values():
            if column.since != version or (column.type == "council" and not several_councils):
                continue
            blank = frame is None or column.name not in frame or frame[column.name].isna().all()
            if blank:
                columns_unused.setdefault(spec.name, []).append(column.name)
    return tables_unused, columns_unused


def additions_summary(tables: dict, several_councils: bool = True) -> list[str]:
    """What this contract's version adds and which of it a year does not use yet, in a few
    lines (the full list is docs/data-contract.md, each addition marked "new in v3")."""
    version = contract_version()
    added_tables = [t for t in load_contract().values() if t.since == version]
    added_columns = [
        c
        for t in load_contract().values()
        if t.since < version
        for c in t.columns.values()
        if c.since == version
    ]
    unused_tables, unused_columns = unused_additions(tables, several_councils)
    lines = [
        f"contract v{version} adds {len(added_tables)} tables and {len(added_columns)} columns "
        f"(marked 'new in v{version}' in docs/data-contract.md, or `workbook contract`)"
    ]
    if not unused_tables and not unused_columns:
        return [*lines, "  this year uses every one of them"]
    if unused_tables:
        lines += _wrapped("  tables not used yet: " + ", ".join(unused_tables))
    if unused_columns:
        lines += _wrapped(
            "  columns not used yet: "
            + "; ".join(f"{t} ({', '.join(cols)})" for t, cols in unused_columns.items())
        )
    return lines


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, width=100, subsequent_indent="    ", break_on_hyphens=False)
