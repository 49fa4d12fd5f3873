"""Reading one cell of a contract column from its text, with the words that say what is wrong.

Every reader returns the typed value or raises CellError with a message in the user's words,
saying what to write instead; the validator adds the file, row and column.
"""

from __future__ import annotations

import re

import pandas as pd

from workbook.core.dates import DateError, Span, parse_span

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
ID_WORDS = "an id is letters, digits, '-', '_' or '.', with no spaces"


class CellError(ValueError):
    """A cell that cannot be read as its column's type."""


def category_key(value: str) -> str:
    """A category as the contract writes it: "Area for development" is area_for_development."""
    return re.sub(r"[\s\-/]+", "_", value.strip().lower())


def read_number(text: str) -> float:
    cleaned = str(text).replace(",", "").replace("£", "").removesuffix("%").strip()
    try:
        return float(cleaned)
    except ValueError:
        raise CellError(f"{text!r} is not a number: write digits only, e.g. 37.8") from None


def read_integer(text: str) -> int:
    try:
        number = read_number(text)
    except CellError:
        number = None
    if number is None or not float(number).is_integer():
        raise CellError(f"{text!r} is not a whole number: write digits only, e.g. 12")
    return int(number)


def read_date(text: str, day_only: bool = False) -> Span:
    try:
        span = parse_span(text)
    except DateError as exc:
        raise CellError(str(exc)) from None
    if day_only and span.start != span.end:
        raise CellError(f"{text!r} is not a day: this column needs the day itself, "
                        "e.g. 31/03/2020")
    return span


def read_ids(text: str) -> str:
    """One id or several separated by ';', each checked, joined without spaces ("A1;A2")."""
    parts = [part.strip() for part in str(text).split(";") if part.strip()]
    bad = [part for part in parts if not ID_PATTERN.match(part)]
    if bad:
        raise CellError(f"{bad[0]!r} is not an id ({ID_WORDS}); separate several ids with ';'")
    if len(set(parts)) != len(parts):
        raise CellError(f"{text!r} names the same id twice: name each once")
    return ";".join(parts)


def read_list(text: str) -> str:
    """Codebook ids separated by ';', written as the codebook writes them."""
    return ";".join(category_key(part) for part in str(text).split(";") if part.strip())


def split_ids(value) -> list[str]:
    """The ids of an `ids` or `list` cell as typed ("A1;A2"); none for a blank cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [part for part in str(value).split(";") if part]

