"""Reporting years: written "2019-20" as partnerships and DfE write them, and the period each
covers.

The label names the year's folder and follows DfE's April-to-March years. The period is the
partnership's own: most reports run 1 April to 31 March, some October to September, a calendar
year, or a first report of 18 or 24 months. Every date rule, caption and sentence about "the
year" uses the period, so a partnership whose year ends in September is never told that an
audit of June falls "after the year end".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from workbook.core.errors import ParamsError

_YEAR_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
LONGEST_PERIOD_MONTHS = 24
"""A first report may cover up to two years (an 18- or 24-month report); longer is a typo."""


@dataclass(frozen=True, order=True)
class ReportYear:
    """One reporting year, ordered by its label's start year; 1 April to 31 March unless the
    partnership's parameters give the year another period (`period_start`, `period_end`).

    Two ReportYears with the same label are equal whatever their periods: within one run a label
    has one period (the parameters'), and a cache that must tell periods apart keys on them."""

    start_year: int
    period_start: date | None = field(default=None, compare=False)
    period_end: date | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if (self.period_start is None) != (self.period_end is None):
            raise ParamsError(
                f"{self.label}: give both period_start and period_end, or neither "
                "(1 April to 31 March)"
            )
        if self.period_start is not None and self.period_end is not None:
            check_period(self.label, self.period_start, self.period_end)

    @classmethod
    def parse(cls, label: str) -> ReportYear:
        """Read "2019-20"; reject anything else, so a typo never silently picks another year."""
        match = _YEAR_LABEL.match(str(label).strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ParamsError(
                f"{label!r} is not a reporting year: write it as 2019-20 (April 2019 to March 2020)"
            )
        return cls(int(match[1]))

    def with_period(self, start: date | None, end: date | None) -> ReportYear:
        """The same year covering `start` to `end` (both None: 1 April to 31 March)."""
        return ReportYear(self.start_year, start, end)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        """The period's first day."""
        return self.period_start or date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        return self.period_end or date(self.start_year + 1, 3, 31)

    @property
    def is_april_to_march(self) -> bool:
        april, march = date(self.start_year, 4, 1), date(self.start_year + 1, 3, 31)
        return (self.start, self.end) == (april, march)

    @property
    def months(self) -> int:
        """The period's length in months, a part month counted whole (12 for a year; 18 for an
        18-month report)."""
        return _months(self.start, self.end)

    @property
    def time_period(self) -> int:
        """DfE's `time_period` for this year: 2020 is the year ending 31 March 2020."""
        return self.start_year + 1

    @property
    def end_text(self) -> str:
        """How a report names the year end: "March 2020" ("September 2023" for a year to
        September)."""
        return f"{self.end:%B %Y}"

    @property
    def period_text(self) -> str:
        """The period in a caption's words: "April 2019 to March 2020", "October 2022 to
        September 2023"; days where the period does not run from a month's start to a month's
        end ("15 October 2022 to 14 October 2023")."""
        whole_months = self.start.day == 1 and (self.end + timedelta(days=1)).day == 1
        if whole_months:
            return f"{self.start:%B %Y} to {self.end:%B %Y}"
        return f"{_day(self.start)} to {_day(self.end)}"

    def shifted(self, years: int) -> ReportYear:
        """The year `years` later (earlier when negative), April to March: its own period, if
        any, is in the parameters (`Partnership.year_of`)."""
        return ReportYear(self.start_year + years)

    def __str__(self) -> str:
        return self.label


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _months(start: date, end: date) -> int:
    """Months from `start` to `end` inclusive, a part month counted whole: 1 April to 31 March
    is 12, 1 October 2021 to 31 March 2023 is 18, 15 April to 15 April a year on is 13."""
    after_end = end + timedelta(days=1)
    months = (after_end.year - start.year) * 12 + after_end.month - start.month
    return months + (after_end.day > start.day)


def check_period(label: str, start: date, end: date) -> None:
    """A year's period must run forwards, last at most 24 months and overlap its label's April
    to March year (so "2022-23" may be October 2022 to September 2023, or a first report from
    October 2021 to March 2023, but not 2032)."""
    nominal = ReportYear.parse(label)
    if end < start:
        raise ParamsError(
            f"{label}: the period ends ({_day(end)}) before it starts ({_day(start)})"
        )
    if _months(start, end) > LONGEST_PERIOD_MONTHS:
        raise ParamsError(
            f"{label}: the period {_day(start)} to {_day(end)} is longer than "
            f"{LONGEST_PERIOD_MONTHS} months: check the dates"
        )
    if end < nominal.start or start > nominal.end:
        raise ParamsError(
            f"{label}: the period {_day(start)} to {_day(end)} does not overlap "
            f"{nominal.start:%B %Y} to {nominal.end:%B %Y}, the year {label} names: check the "
            "dates, or give the period under the year it belongs to"
        )


def window(report_year: str | ReportYear, length: int) -> list[ReportYear]:
    """The `length` years ending with `report_year`, oldest first (a thematic review's lookback)."""
    last = report_year if isinstance(report_year, ReportYear) else ReportYear.parse(report_year)
    if length < 1:
        raise ParamsError(f"a lookback must cover at least one year, not {length}")
    return [last.shifted(-offset) if offset else last for offset in range(length - 1, -1, -1)]


def span_words(years: list[str] | tuple[str, ...]) -> str:
    """The lookback's years as a sentence says them once: "over the 4 years 2019-20 to 2022-23",
    "in 2019-20", or "in 2019-20, 2021-22 and 2022-23" where a year between has no data."""
    if len(years) > 1 and _consecutive(years):
        return f"over the {len(years)} years {years[0]} to {years[-1]}"
    return f"in {scope_words(years)}"


def scope_words(years: list[str] | tuple[str, ...]) -> str:
    """The lookback's years as a caption or a column names them: "2019-20 to 2022-23" (or
    "2019-20, 2021-22 and 2022-23" where a year between has no data)."""
    if len(years) == 1:
        return years[0]
    if _consecutive(years):
        return f"{years[0]} to {years[-1]}"
    return f"{', '.join(years[:-1])} and {years[-1]}"


def _consecutive(years) -> bool:
    """Whether the years follow one another with none missing between."""
    starts = [ReportYear.parse(y).start_year for y in years]
    return starts == list(range(starts[0], starts[0] + len(starts)))
