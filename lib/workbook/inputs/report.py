"""What a section notebook opens: one partnership-year's parameters and validated data.

A notebook's first code cell calls `open_report(...)` with its parameters; everything the
section shows is then derived from the returned object through library functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from workbook.core.paths import available_years
from workbook.core.years import ReportYear, window
from workbook.disclosure.published import Policy
from workbook.inputs.params import load_params
from workbook.inputs.partnership import Partnership
from workbook.inputs.validation import load_valid_tables
from workbook.inputs.views import as_read


def _optional_path(value: str | Path | None) -> Path | None:
    """Notebook parameters are literals: an empty string means "the project's default folder"."""
    return Path(value) if value else None


@dataclass
class Report:
    """One partnership-year: its parameters, its tables and, on demand, its lookback years."""

    partnership: Partnership
    tables: dict[str, pd.DataFrame]
    data_dir: Path | None = None
    _history: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict, repr=False)
    _views: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict, repr=False)

    # The parameters sections read most, under the names they use: taken once from the
    # partnership, which is frozen.
    year: ReportYear = field(init=False, repr=False)
    """The report's year, with its period (`ReportYear.period_text` for captions)."""
    threshold: int = field(init=False, repr=False)
    """Counts of people from 1 to this are withheld."""
    policy: Policy = field(init=False, repr=False)
    """The disclosure rules in force (see `Partnership.policy`)."""
    listing_limit: int = field(init=False, repr=False)
    """How many items a listing of the board pack shows (the rest: in the appendix)."""

    def __post_init__(self) -> None:
        self.year = self.partnership.report_year
        self.threshold = self.partnership.small_number_threshold
        self.policy = self.partnership.policy
        self.listing_limit = self.partnership.pack_listing_limit

    def block(self, name: str) -> str | None:
        """An analyst-written Markdown block of the year, if the partnership supplied it."""
        blocks = self.tables["narrative"]
        rows = blocks.loc[blocks["block"] == name, "markdown"]
        return None if rows.empty else str(rows.iloc[0])

    @cached_property
    def lookback(self) -> list[str]:
        """The years of the thematic review's window (parameter `lookback_years`), oldest first."""
        return [y.label for y in window(self.year, self.partnership.lookback_years)]

    @cached_property
    def lookback_with_data(self) -> list[str]:
        """Years of the window for which the partnership supplied data."""
        have = set(available_years(self.partnership.id, self.data_dir))
        return [y for y in self.lookback if y in have]

    def year_tables(self, year: str) -> dict[str, pd.DataFrame]:
        if year == self.year.label:
            return self.tables
        if year not in self._history:
            self._history[year] = load_valid_tables(
                self.partnership.id, year, self.data_dir, self.partnership
            )
        return self._history[year]

    def view(self, year: str | None = None) -> dict[str, pd.DataFrame]:
        """A year's tables (default: the report's) as contract v3 means them: the one view a
        consumer of v3's facts reads, in which contract v2's inspection rows of the audits table
        are inspections (workbook.inputs.views). `tables` and `year_tables` keep the data as
        written, which today's sections read."""
        label = year or self.year.label
        if label not in self._views:
            self._views[label] = as_read(self.year_tables(label))
        return self._views[label]

    def across_lookback(self, table: str) -> pd.DataFrame:
        """One table over every year of the window that has data, with a `year` column."""
        frames = [
            self.year_tables(year)[table].assign(year=year) for year in self.lookback_with_data
        ]
        return pd.concat(frames, ignore_index=True)


def open_report(
    partnership: str,
    year: str,
    data_dir: str | Path | None = "",
    params_dir: str | Path | None = "",
) -> Report:
    """Load and validate one partnership-year for a section notebook."""
    params = load_params(partnership, year, _optional_path(params_dir))
    data = _optional_path(data_dir)
    return Report(params, load_valid_tables(partnership, params.year, data, params), data)
