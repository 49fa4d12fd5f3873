"""Reporting years: April to March, written "2019-20" as partnerships and DfE write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workbook.core.errors import ParamsError

_YEAR_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class ReportYear:
    """One reporting year, 1 April to 31 March; ordered by start year."""

    start_year: int

    @classmethod
    def parse(cls, label: str) -> ReportYear:
        """Read "2019-20"; reject anything else, so a typo never silently picks another year."""
        match = _YEAR_LABEL.match(str(label).strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ParamsError(
                f"{label!r} is not a reporting year: write it as 2019-20 (April 2019 to March 2020)"
            )
        return cls(int(match[1]))

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def time_period(self) -> int:
        """DfE's `time_period` for this year: 2020 is the year ending 31 March 2020."""
        return self.start_year + 1

    @property
    def end_text(self) -> str:
        """How a report names the year end: "March 2020"."""
        return f"March {self.start_year + 1}"

    def shifted(self, years: int) -> ReportYear:
        return ReportYear(self.start_year + years)

    def __str__(self) -> str:
        return self.label


def window(report_year: str | ReportYear, length: int) -> list[ReportYear]:
    """The `length` years ending with `report_year`, oldest first (a thematic review's lookback)."""
    last = report_year if isinstance(report_year, ReportYear) else ReportYear.parse(report_year)
    if length < 1:
        raise ParamsError(f"a lookback must cover at least one year, not {length}")
    return [last.shifted(-offset) for offset in range(length - 1, -1, -1)]
