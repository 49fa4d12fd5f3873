"""What every part of the demo generator reads: a demo partnership's data files
(scripts/demo/<partnership>/), Northdale's years and seed, and how its ids write a year."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml

DEMO = Path(__file__).resolve().parent
PARTNERSHIP = "northdale"
SMALL = "westmarch"
"""The second demo partnership: wholly facts (scripts/demo/westmarch/), no random draws."""


@cache
def facts(partnership: str, name: str):
    """One data file of a demo partnership (scripts/demo/<partnership>/<name>.yaml)."""
    return yaml.safe_load((DEMO / partnership / f"{name}.yaml").read_text(encoding="utf-8"))


def text_file(partnership: str, name: str) -> str:
    return (DEMO / partnership / name).read_text(encoding="utf-8")


YEARS = tuple(facts(PARTNERSHIP, "years")["years"])
DEFAULT_SEED = facts(PARTNERSHIP, "years")["seed"]


def year_bounds(label: str) -> tuple[date, date]:
    start = int(label[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def short(label: str) -> str:
    """A year as Northdale's ids write it: 2022-23 is 2223."""
    return f"{label[2:4]}{label[5:]}"
