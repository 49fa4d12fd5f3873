"""The data contract, read from specs/contract.yaml: which tables, which columns, which rules.

Kept as data rather than code so that the loader, the validator and docs/data-contract.md cannot
disagree, and so that a new column is a reviewed YAML change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from workbook.core import paths
from workbook.core.yamlfile import SPECS, load_file

COLUMN_TYPES = ("id", "ids", "text", "category", "date", "integer", "number", "list")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    description: str
    required: bool = False
    values: tuple[str, ...] = ()
    rule: str | None = None
    vocabulary: str | None = None
    default: str | None = None
    references: str | None = None
    references_any: tuple[str, ...] = ()
    references_by: dict | None = None
    precision: str | None = None
    """For a date: "day" when only a day will do (else any span, see workbook.core.dates)."""
    range_by: str | None = None
    """For a number: the column (a unit) whose value sets its range (`ranges` of the contract)."""
    required_when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Required in rows where another column holds one of these values ({"unit": ("count",)})."""


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
    name: str
    description: str
    required: bool
    key: tuple[str, ...]
    columns: dict[str, ColumnSpec]
    date_order: tuple[str, ...] = ()


def _column(name: str, raw: dict) -> ColumnSpec:
    if raw.get("type") not in COLUMN_TYPES:
        raise ValueError(f"contract column {name!r}: unknown type {raw.get('type')!r}")
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
        references_by=raw.get("references_by"),
        precision=raw.get("precision"),
        range_by=raw.get("range_by"),
        required_when={k: tuple(v) for k, v in (raw.get("required_when") or {}).items()},
    )


@cache
def _raw() -> dict:
    return load_file(paths.SPECS_DIR / "contract.yaml", SPECS)


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
        tables[name] = TableSpec(
            name=name,
            description=" ".join(spec["description"].split()),
            required=bool(spec["required"]),
            key=tuple(key) if isinstance(key, list) else (key,),
            columns={col: _column(col, c) for col, c in spec["columns"].items()},
            date_order=tuple(spec.get("date_order", ())),
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
        "A reporting year runs from 1 April to 31 March. Category values are forgiving of case",
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
        "reporting year, *not after the year end* that it starts on or before 31 March, and dates",
        "in order fail only when a later date ends before an earlier one starts. `2011-12` could",
        "be a month or a reporting year and is refused: write `December 2011` or `2011/12`.",
        "",
        "**Ranges.** Whole numbers are 0 or more. In the indicators table the `unit` sets what",
        "`value` and `target` may be: " + "; ".join(r.words for r in ranges().values()) + ".",
        "",
        f"Version {contract_version()} keeps every version 1 file valid.",
        "",
    ]
    for table in load_contract().values():
        needed = "required" if table.required else "optional"
        lines += [
            f"## `{table.name}` ({needed})",
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
                    "must exist in "
                    + " or ".join(f"`{t}`" for t in col.references_by["tables"].values())
                )
            if col.default:
                rules.append(f"blank means `{col.default}`")
            if col.precision:
                rules.append(f"a {col.precision}, not a month or a year")
            if col.range_by:
                rules.append(f"range set by `{col.range_by}`")
            for other, values in col.required_when.items():
                rules.append(f"required when `{other}` is " + " or ".join(f"`{v}`" for v in values))
            lines.append(
                f"| `{col.name}` | {_TYPE_WORDS[col.type]} | "
                f"{'yes' if col.required else ''} | {'; '.join(rules)} | "
                f"{col.description} |"
            )
        lines.append("")
    return "\n".join(lines)
