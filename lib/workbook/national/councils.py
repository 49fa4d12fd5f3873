"""England's children's services councils: their codes, names and regions, and finding one.

A council has an old three-digit DfE code (886) and a new ONS code (E10000016), read with the
one pattern of workbook.core.la_codes. The list (specs/councils.csv, written by
scripts/build_councils.py from the headings of DfE's files) lets `workbook new` and
`workbook indicators` take a council by code or by name on any machine, DfE's files or not
(those give the statistical neighbours, where the workbook has them).
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache

from workbook.core import paths
from workbook.core.errors import ParamsError
from workbook.core.la_codes import LA_CODE, LA_CODE_WORDS, OLD_CODE
from workbook.national.dfe import load_spec

__all__ = [
    "LA_CODE",
    "LA_CODE_WORDS",
    "OLD_CODE",
    "Council",
    "councils",
    "find_council",
    "successors",
]


@dataclass(frozen=True)
class Council:
    """One council under one code, and the report years DfE's figures have it for."""

    new_code: str
    old_code: str
    name: str
    region: str
    first_year: str
    last_year: str

    @property
    def codes(self) -> tuple[str, str]:
        return self.old_code, self.new_code


@cache
def councils() -> tuple[Council, ...]:
    """Every council of specs/councils.csv (a council whose code changed appears once per code)."""
    with (paths.SPECS_DIR / "councils.csv").open(encoding="utf-8", newline="") as file:
        return tuple(Council(**row) for row in csv.DictReader(file))


def _key(name: str) -> str:
    """A name as typed or as DfE writes it, compared without case, punctuation or "and"/"&"."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\bcity of\b|\bcouncil\b|\bthe\b", " ", text)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


def _latest(found: list[Council]) -> Council:
    return max(found, key=lambda c: (c.last_year, c.first_year))


def find_council(text: str) -> Council:
    """The council a code or a name gives ("E10000016", "886", "Kent", "county durham"); where a
    name or code has had several codes, the latest. Anything else is a ParamsError (the command
    line named no council) naming the closest names ("did you mean ...")."""
    given = str(text).strip()
    everyone = councils()
    if LA_CODE.match(given.upper()):
        code = given.upper()
        found = [c for c in everyone if code in c.codes]
        if found:
            return _latest(found)
        raise ParamsError(
            f"{given!r} is not the code of a council in DfE's lists (current "
            "and recent years): check the code, or give the council's name"
        )
    key = _key(given)
    found = [c for c in everyone if _key(c.name) == key]
    if found:
        return _latest(found)
    names = sorted({c.name for c in everyone})
    keys = {_key(name): name for name in names}
    close = [name for name in names if key and key in _key(name)]
    close += [
        keys[k]
        for k in difflib.get_close_matches(key, list(keys), n=3, cutoff=0.6)
        if keys[k] not in close
    ]
    hint = (
        f"did you mean {' or '.join(repr(n) for n in close[:4])}?"
        if close
        else (f"give its name as DfE writes it (e.g. 'County Durham') or {LA_CODE_WORDS}")
    )
    raise ParamsError(f"{given!r} is not a council of England's children's services: {hint}")


def successors(council: Council) -> list[Council]:
    """The councils that took over from one DfE no longer has figures for (Northamptonshire:
    North and West Northamptonshire), from the reorganisations of specs/indicators.yaml."""
    later = []
    for change in load_spec().get("reorganisations", []):
        if council.old_code in change["from"]:
            later += [c for c in councils() if c.old_code in change["to"]]
    return sorted({c.old_code: c for c in later}.values(), key=lambda c: c.name)
