"""Reading one cell of a contract column from its text, with the words that say what is wrong.

Every reader returns the typed value or raises CellError with a message in the user's words,
saying what to write instead; the validator adds the file, row and column. `read_column` and
`read_dates` read a whole column: a big year has tens of thousands of cells, and pandas' cost
per cell, not the reading itself, was most of its validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from workbook.core.dates import DateError, Span, parse_span
from workbook.core.years import ReportYear

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
ID_WORDS = "an id is letters, digits, '-', '_' or '.', with no spaces"


class CellError(ValueError):
    """A cell that cannot be read as its column's type."""


LARGEST_WHOLE = 2**53
"""The largest whole number a cell may hold: beyond it a number is a slip of the keyboard, and
cannot be held as a whole number exactly."""
EARLIEST, LATEST = pd.Timestamp.min.date() + pd.Timedelta(days=1), pd.Timestamp.max.date()
"""The days a typed table can hold (years 1677 to 2262): a date outside them is a mistyped
year."""


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
    if abs(number) > LARGEST_WHOLE:
        raise CellError(f"{text!r} is too large to be a count: check the number")
    return int(number)


def read_date(text: str, day_only: bool = False, year: ReportYear | None = None) -> Span:
    """A date cell's span; `year` (for a due date) lets it say "by March" or "by the end of the
    year" in the year's own words."""
    try:
        span = parse_span(text, year)
    except DateError as exc:
        raise CellError(str(exc)) from None
    if not EARLIEST <= span.start <= span.end <= LATEST:
        raise CellError(
            f"{text!r} is not a likely date (the year {span.start.year}): check the year"
        )
    if day_only and span.start != span.end:
        raise CellError(f"{text!r} is not a day: this column needs the day itself, e.g. 31/03/2020")
    return span


ISO_DAY = re.compile(r"(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}")
UK_DAY = re.compile(r"[0-9]{2}/[0-9]{2}/(?:19|20)[0-9]{2}")
"""The days most date cells hold (2019-05-12, 12/05/2019), read a column at a time by numpy.
Only these exact shapes (two-digit day and month, a year from 1900 to 2099) are read so: every
other text, and a day that does not exist, is left to `read_date`, so a cell reads the same
either way."""


def _days(texts: list[str]) -> np.ndarray:
    """ISO days as datetime64, NaT for a day that does not exist (left to `read_date`)."""
    try:
        return np.array(texts, dtype="datetime64[D]")
    except ValueError:
        return np.array([_day(text) for text in texts], dtype="datetime64[D]")


def _day(text: str) -> np.datetime64:
    try:
        return np.datetime64(text, "D")
    except ValueError:
        return np.datetime64("NaT")


def read_dates(
    values: pd.Series, day_only: bool = False, year: ReportYear | None = None
) -> tuple[pd.Series, pd.Series, list[tuple[object, str]]]:
    """A date column's first and last days (NaT where blank or wrong) and, in row order, the
    (row index, message) of every cell that is not a date (or, with `day_only`, not a day).
    With `year`, a due date's words ("by March") are read against its period."""
    texts = [
        None if blank else str(value)
        for value, blank in zip(values.tolist(), values.isna().tolist(), strict=True)
    ]
    exact, isos, left = [], [], []
    for position, text in enumerate(texts):
        if text is None:
            continue
        if ISO_DAY.fullmatch(text):
            exact.append(position)
            isos.append(text)
        elif UK_DAY.fullmatch(text):
            exact.append(position)
            isos.append(f"{text[6:]}-{text[3:5]}-{text[:2]}")
        else:
            left.append(position)
    starts = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[ns]")
    if exact:
        days = _days(isos)
        starts[exact] = days
        if np.isnat(days).any():
            left = sorted(left + [exact[i] for i in np.flatnonzero(np.isnat(days))])
    ends = starts.copy()
    errors, left_starts, left_ends = [], [], []
    for position in left:
        span = None
        try:
            span = read_date(texts[position], day_only, year)
        except CellError as exc:
            errors.append((values.index[position], str(exc)))
        left_starts.append(pd.NaT if span is None else pd.Timestamp(span.start))
        left_ends.append(pd.NaT if span is None else pd.Timestamp(span.end))
    if left:
        starts[left] = pd.Series(left_starts, dtype="datetime64[ns]").to_numpy()
        ends[left] = pd.Series(left_ends, dtype="datetime64[ns]").to_numpy()
    return (pd.Series(starts, index=values.index), pd.Series(ends, index=values.index), errors)


def read_column(
    values: pd.Series, read: Callable[[str], object]
) -> tuple[list, list[tuple[object, str]]]:
    """`read` applied to every given cell of a column (blank cells give NA) and, in row order,
    the (row index, message) of every cell it could not read. A column repeats its words
    (categories, units, owners), so each distinct text is read once."""
    out: list = []
    errors: list[tuple[object, str]] = []
    known: dict[str, tuple[object, str | None]] = {}
    for index, value, blank in zip(
        values.index, values.tolist(), values.isna().tolist(), strict=True
    ):
        if blank:
            out.append(pd.NA)
            continue
        text = str(value)
        if text not in known:
            try:
                known[text] = (read(text), None)
            except CellError as exc:
                known[text] = (pd.NA, str(exc))
        typed, message = known[text]
        out.append(typed)
        if message is not None:
            errors.append((index, message))
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
