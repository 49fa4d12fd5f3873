"""Reading one cell of a contract column from its text, with the words that say what is wrong.

Every reader returns the typed value or raises CellError with a message in the user's words,
saying what to write instead; the validator adds the file, row and column. `read_column` and
`read_dates` read a whole column: a big year has tens of thousands of cells, and pandas' cost
per cell, not the reading itself, was most of its validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


_DAYS = ((re.compile(r"(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}"), "%Y-%m-%d"),
         (re.compile(r"[0-9]{2}/[0-9]{2}/(?:19|20)[0-9]{2}"), "%d/%m/%Y"))
"""The days most date cells hold (2019-05-12, 12/05/2019), read a column at a time by pandas.
Only these exact shapes (two-digit day and month, a year from 1900 to 2099) are read here:
every other text, and a day that does not exist, is left to `read_date`, so a cell reads the
same either way."""


def read_dates(values: pd.Series, day_only: bool = False
               ) -> tuple[pd.Series, pd.Series, list[tuple[object, str]]]:
    """A date column's first and last days (NaT where blank or wrong) and, in row order, the
    (row index, message) of every cell that is not a date (or, with `day_only`, not a day)."""
    starts = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    text = values[values.notna()].astype(str)
    for shape, form in _DAYS:
        fits = text.str.fullmatch(shape).astype(bool)
        if fits.any():
            days = pd.to_datetime(text[fits], format=form, errors="coerce")
            starts[days.index] = days.astype("datetime64[ns]")
            text = text[~fits]
    ends = starts.copy()
    left = values.notna() & starts.isna()
    errors = []
    left_starts, left_ends = [], []
    for index, value in zip(values.index[left], values[left].tolist(), strict=True):
        span = None
        try:
            span = read_date(str(value), day_only)
        except CellError as exc:
            errors.append((index, str(exc)))
        left_starts.append(pd.NaT if span is None else pd.Timestamp(span.start))
        left_ends.append(pd.NaT if span is None else pd.Timestamp(span.end))
    if left_starts:
        starts[left] = pd.Series(left_starts, dtype="datetime64[ns]").to_numpy()
        ends[left] = pd.Series(left_ends, dtype="datetime64[ns]").to_numpy()
    return starts, ends, errors


def read_column(values: pd.Series, read: Callable[[str], object]
                ) -> tuple[list, list[tuple[object, str]]]:
    """`read` applied to every given cell of a column (blank cells give NA) and, in row order,
    the (row index, message) of every cell it could not read."""
    out, errors = [], []
    for index, value, blank in zip(values.index, values.tolist(), values.isna().tolist(),
                                   strict=True):
        if blank:
            out.append(pd.NA)
            continue
        try:
            out.append(read(str(value)))
        except CellError as exc:
            errors.append((index, str(exc)))
            out.append(pd.NA)
    return out, errors


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

