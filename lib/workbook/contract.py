"""The data contract, read from specs/contract.yaml: which tables, which columns, which rules.

Kept as data rather than code so that the loader, the validator and docs/data-contract.md cannot
disagree, and so that a new column is a reviewed YAML change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from workbook import paths

COLUMN_TYPES = ("id", "text", "category", "date", "integer", "number", "list")


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


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    required: bool
    key: tuple[str, ...]
    columns: dict[str, ColumnSpec]
    date_order: tuple[str, ...] = ()
    one_of_required: tuple[str, ...] = field(default_factory=tuple)


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
    )


@cache
def load_contract() -> dict[str, TableSpec]:
    """Every table of the contract, in the order the contract lists them."""
    raw = yaml.safe_load((paths.SPECS_DIR / "contract.yaml").read_text(encoding="utf-8"))
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
            one_of_required=tuple(spec.get("one_of_required", ())),
        )
    return tables


def contract_version() -> int:
    raw = yaml.safe_load((paths.SPECS_DIR / "contract.yaml").read_text(encoding="utf-8"))
    return int(raw["version"])
