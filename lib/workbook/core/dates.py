"""Dates as partnerships' reports give them: a day, a month, a year or a reporting year.

A report says "12 May 2019", "May 2019", "in 2015" or "2019-20" and means exactly that much: a
date is kept as a span (its first and last day) at the precision it was given, so a review
"notified in 2019" is never shown as "January 2019", nor counted as new in 2019-20 when it may
have been notified before April. The validator reads every date cell with `parse_span`; the
typed tables hold each date column as its first day and `<column>_end` as its last day;
sections show a date with `span_label` and place it against a reporting year with `relation`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from workbook.core.years import ReportYear

BEFORE, WITHIN, AFTER, OVERLAPS = "before", "within", "after", "overlaps"
"""Where a date's span lies against a reporting year (see `relation`)."""

FORMS = (
    "a day (12/05/2019, 2019-05-12 or 12 May 2019), a month (May 2019 or 2019-05), "
    "a year (2019) or a reporting year (2019-20)"
)
"""The forms a date may take, in the words every date message uses."""
DUE_WORDS = (
    "'by' before any of them ('by March 2024'), and, in a year's data, 'by March' (that month "
    "of the reporting period) or 'by the end of the year' (the period's end)"
)
"""The words a due date may also take, as action plans write them."""

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_DAYS_IN_FIGURES = (
    # as ISO writes it, "2019-05-17" (a time of day after it is allowed)
    re.compile(
        r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
        r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    ),
    # as the UK writes it, "17/05/2019"
    re.compile(r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})$"),
)
"""A day in figures, each way it is written."""
_WORDS_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
"""A day in words, "17th May 2019", "17 May, 2019"."""
_WORDS_MONTH = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
"""A month in words, "May 2019"."""
_MONTHS_IN_FIGURES = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"),  # as ISO writes it, "2019-05"
    re.compile(r"^(?P<month>\d{1,2})/(?P<year>\d{4})$"),  # "05/2019"
)
"""A month in figures, each way it is written (read after a reporting year, "2019-20")."""
_YEAR = re.compile(r"^(?:(?:in|during)\s+)?(\d{4})$")
"""A year alone, "2019", "in 2019", "during 2019"."""
_REPORTING_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
"""A reporting year, "2019-20", "2019/2020"."""

# The words of a due date around its date: "by the end of the year", "by March".
_BY = re.compile(r"^(?:by|no later than)\s+")
_END_OF = re.compile(r"^(?:the\s+)?end\s+of\s+")
_THE_YEAR = re.compile(r"^(?:the\s+)?(?:reporting\s+|financial\s+)?year$")
_YEAR_END = re.compile(r"^(?:the\s+)?year[\s-]end$")
_MONTH_ALONE = re.compile(r"^([a-z]+)\.?$")


class DateError(ValueError):
    """A date cell that is not a date, with the words that say what to write instead."""


@dataclass(frozen=True)
class Span:
    """The first and last day a date covers: equal for a day, a month's days for a month."""

    start: date
    end: date


def _day(year: int, month: int, day: int, text: str) -> Span:
    try:
        value = date(year, month, day)
    except ValueError as exc:
        raise DateError(
            f"{text!r} is not a real date (there is no such day): write {FORMS}"
        ) from exc
    return Span(value, value)


def _month(year: int, month: int, text: str) -> Span:
    if not 1 <= month <= 12:
        raise DateError(f"{text!r} is not a date: write {FORMS}")
    return Span(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def parse_span(text: str, year: ReportYear | None = None) -> Span:
    """The span a date cell gives, or DateError saying what to write instead.

    "YYYY-MM" is a month ("2019-05"); a reporting year is written "2019-20" or "2019/20". The
    few texts that could be either ("2011-12": December 2011, or April 2011 to March 2012) are
    refused rather than guessed. A due date may say "by" ("by March 2024", "by the end of
    March 2024": that month), and, given the `year` whose data it is in, "by the end of the
    year" (the reporting period, so it is overdue only once the period has ended) or "by March"
    (the March of the period; refused where the period holds two).
    """
    raw = str(text).strip()
    cleaned = re.sub(r"\s+", " ", raw).lower()
    rest = _BY.sub("", cleaned, count=1)
    ended = _END_OF.match(rest)
    if ended:
        rest = rest[ended.end() :]
    if (ended and _THE_YEAR.match(rest)) or _YEAR_END.match(rest):
        return _year_end(raw, year)
    if (match := _MONTH_ALONE.match(rest)) and (month := _month_number(match[1])):
        return _month_of_year(raw, month, year)
    if " to " in rest:
        return _run_of_days(raw, *rest.split(" to ", 1))
    return _absolute(raw, rest)


def _run_of_days(raw: str, first: str, last: str) -> Span:
    """A run of days, "1 October 2022 to 30 September 2023": how `span_label` writes a span
    that is no day, month, year or reporting year (a due date "by the end of the year" of a
    year to September), read back as written."""
    start, end = _absolute(raw, first.strip()).start, _absolute(raw, last.strip()).end
    if end < start:
        raise DateError(f"{raw!r} ends before it starts: check both dates")
    return Span(start, end)


def _year_end(raw: str, year: ReportYear | None) -> Span:
    """By "the end of the year": the reporting period, so it is due when the period ends."""
    if year is None:
        raise DateError(f"{raw!r} needs its year: write the date itself, e.g. 31/03/2024")
    return Span(year.start, year.end)


def _month_of_year(raw: str, month: int, year: ReportYear | None) -> Span:
    """By "March": the March of the reporting period, where the period holds exactly one."""
    name = calendar.month_name[month]
    if year is None:
        raise DateError(f"{raw!r} needs its year: write {name} and the year, e.g. {name} 2024")
    inside = [
        _month(first, month, raw)
        for first in range(year.start.year, year.end.year + 1)
        if year.start <= date(first, month, 1) <= year.end
    ]
    if len(inside) != 1:
        years = (
            " or ".join(f"{name} {span.start.year}" for span in inside) or f"{name} and its year"
        )
        raise DateError(
            f"{raw!r}: the reporting period {year.period_text} holds "
            f"{'no' if not inside else 'more than one'} {name}: write {years}"
        )
    return inside[0]


def _absolute(raw: str, cleaned: str) -> Span:
    """A date that says its own year: a day, a month, a year or a reporting year."""
    for form in _DAYS_IN_FIGURES:
        if match := form.match(cleaned):
            return _day(int(match["year"]), int(match["month"]), int(match["day"]), raw)
    if (match := _WORDS_DAY.match(cleaned)) and (month := _month_number(match[2])):
        return _day(int(match[3]), month, int(match[1]), raw)
    if (match := _WORDS_MONTH.match(cleaned)) and (month := _month_number(match[1])):
        return _month(int(match[2]), month, raw)
    if match := _YEAR.match(cleaned):
        year = int(match[1])
        return Span(date(year, 1, 1), date(year, 12, 31))
    if match := _REPORTING_YEAR.match(cleaned):
        first, second = int(match[1]), match[2]
        follows = int(second) == first + 1 if len(second) == 4 else int(second) == (first + 1) % 100
        month_like = "-" in cleaned and len(second) == 2 and 1 <= int(second) <= 12
        if follows and month_like:
            label = ReportYear(first).label
            raise DateError(
                f"{raw!r} could be {calendar.month_name[int(second)]} {first} or the "
                f"reporting year {label}: write '{calendar.month_name[int(second)]} "
                f"{first}' for the month, or '{first}/{second}' for the year"
            )
        if follows:
            reporting = ReportYear(first)
            return Span(reporting.start, reporting.end)
        if month_like:
            return _month(first, int(second), raw)
    for form in _MONTHS_IN_FIGURES:
        if match := form.match(cleaned):
            return _month(int(match["year"]), int(match["month"]), raw)
    raise DateError(f"{raw!r} is not a date: write {FORMS}")


def precision(start, end) -> str | None:
    """The precision of a span: "day", "month", "year", "reporting_year" or "span" (any other
    run of days); None if blank."""
    if start is None or pd.isna(start) or end is None or pd.isna(end):
        return None
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if first == last:
        return "day"
    if first.day == 1 and last == _month(first.year, first.month, "").end:
        return "month"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return "year"
    if first == ReportYear(first.year).start and last == ReportYear(first.year).end:
        return "reporting_year"
    return "span"


def span_label(start, end=None) -> str:
    """A date as the report gave it: "12 May 2019", "May 2019", "2019", "2019-20"; blank reads
    "Not recorded". `end` defaults to `start` (a day)."""
    end = start if end is None else end
    kind = precision(start, end)
    if kind is None:
        return "Not recorded"
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if kind == "day":
        return f"{first.day} {first:%B %Y}"
    if kind == "month":
        return f"{first:%B %Y}"
    if kind == "year":
        return str(first.year)
    if kind == "reporting_year":
        return ReportYear(first.year).label
    return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def relation(start, end, report_year: ReportYear | str) -> str | None:
    """Where a date lies against a reporting year: "before" it, "within" it, "after" it, or
    "overlaps" (the date is too coarse to say: "2019" against 2019-20); None when blank."""
    if start is None or pd.isna(start):
        return None
    end = start if end is None or pd.isna(end) else end
    year = report_year if isinstance(report_year, ReportYear) else ReportYear.parse(report_year)
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if last < year.start:
        return BEFORE
    if first > year.end:
        return AFTER
    if first >= year.start and last <= year.end:
        return WITHIN
    return OVERLAPS


def column_relation(frame: pd.DataFrame, column: str, report_year: ReportYear | str) -> pd.Series:
    """`relation` for every row of a typed table's date column (its `<column>_end` beside it;
    a table without one is read as day dates)."""
    ends = frame[f"{column}_end"] if f"{column}_end" in frame else frame[column]
    return pd.Series(
        [relation(s, e, report_year) for s, e in zip(frame[column], ends, strict=True)],
        index=frame.index,
        dtype=object,
    )


def column_labels(frame: pd.DataFrame, column: str) -> pd.Series:
    """`span_label` for every row of a typed table's date column."""
    ends = frame[f"{column}_end"] if f"{column}_end" in frame else frame[column]
    return pd.Series(
        [span_label(s, e) for s, e in zip(frame[column], ends, strict=True)],
        index=frame.index,
        dtype=object,
    )
