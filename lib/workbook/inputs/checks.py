"""Checking one table against its contract: types cell by cell, then the rules of the table.

Each cell is read from its original text (so a bad cell is quoted as the user wrote it), pandera
checks ids, whole numbers, required values and unique keys, and the rest (categories, dates on
their spans, figures in their unit's range, columns one value makes required) is checked here
in plain Python so each message can say, in the user's words, what to write instead.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.core.imports import import_without
from workbook.core.years import ReportYear
from workbook.inputs import cells
from workbook.inputs.contract import ColumnSpec, TableSpec, ranges
from workbook.inputs.raw_tables import RawTable
from workbook.inputs.vocabularies import vocabulary

if TYPE_CHECKING:
    # for annotations only: pandera is imported on first use (`pandera_module`)
    import pandera.pandas as pa


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data (or, as a warning, worth a look), located as precisely as
    it can be: file or sheet, spreadsheet row, column and, in an Excel sheet, the cell."""

    source: str
    message: str
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.cell is not None:
            where[-1] += f" (cell {self.cell})"
        return f"{', '.join(where)}: {self.message}"


def pandera_module():
    """pandera, imported when a table is first validated rather than with this module: a run's
    kernel receives the years already validated and never needs it (0.1 s of its start-up).

    Its data-synthesis strategies are imported without hypothesis (an optional dependency of
    pandera that the test suite installs): pandera imports them as it registers its checks,
    and hypothesis, with the plugins it loads, was three quarters of a second of every
    validation; the workbook never synthesises data through pandera."""
    import_without("pandera.strategies.pandas_strategies", "hypothesis")
    return import_without("pandera.pandas", "hypothesis")


_READERS = {
    "integer": cells.read_integer,
    "number": cells.read_number,
    "ids": cells.read_ids,
    "list": cells.read_list,
}
_DTYPES = {"integer": "Int64", "number": "Float64"}


class TableChecker:
    """Types and checks one raw table; collects problems rather than stopping at the first.

    Why one class over 150 lines: every step (columns, typing, pandera's rules, categories,
    vocabularies, rules between cells) writes its problems through `problem`, which needs the
    raw table to give the row number and quote the cell as the user wrote it, and the later
    steps read what earlier ones found (the text frame, the missing required columns). Split
    into classes, each would carry the same state; as functions, each would take it all as
    arguments. The steps are short methods run in order by `validation.validate_tables`.
    """

    def __init__(
        self,
        spec: TableSpec,
        raw: RawTable,
        year: ReportYear,
        councils: tuple[tuple[str, str], ...] = (),
    ):
        self.spec, self.raw, self.year = spec, raw, year
        self.councils = dict(councils)
        """The partnership's councils: code to name (blank where the parameters give none);
        empty where the partnership is not known (a council is then read as written)."""
        self.problems: list[Problem] = []
        self.missing_required: set[str] = set()
        self.text = raw.frame

    def problem(self, message, index=None, column=None, warning=False):
        self.problems.append(
            Problem(
                self.raw.source,
                message,
                self.raw.row_number(index),
                column,
                self.raw.cell(index, column),
                warning,
            )
        )

    def check_columns(self) -> pd.DataFrame:
        frame = self.raw.frame.copy()
        known = set(self.spec.columns)
        absent = sorted(known - set(frame.columns))
        for column in frame.columns:
            if column not in known:
                close = difflib.get_close_matches(column, absent, n=1) or difflib.get_close_matches(
                    column, sorted(known), n=1
                )
                hint = (
                    f" (did you mean '{close[0]}'?)"
                    if close
                    else f"; the columns of '{self.spec.name}' are {', '.join(known)}"
                )
                self.problem(f"unknown column{hint}", column=column)
        for name, col in self.spec.columns.items():
            if name not in frame.columns:
                if col.required:
                    self.problem(
                        "required column is missing: add it to the header row", column=name
                    )
                    self.missing_required.add(name)
                frame[name] = pd.NA
        self.text = frame[list(self.spec.columns)]
        return self.text

    def coerce(self, frame: pd.DataFrame) -> pd.DataFrame:
        typed, ends = {}, {}
        for name, col in self.spec.columns.items():
            values = frame[name]
            if col.default is not None:
                values = values.fillna(col.default)
            if col.type == "date":
                typed[name], ends[f"{name}_end"] = self._coerce_dates(values, col)
            else:
                typed[name] = self._coerce_column(values, col)
        return pd.DataFrame({**typed, **ends}, index=frame.index)

    def _coerce_dates(self, values: pd.Series, col: ColumnSpec) -> tuple[pd.Series, pd.Series]:
        starts, ends, errors = cells.read_dates(
            values, day_only=col.precision == "day", year=self.year if col.due else None
        )
        for index, message in errors:
            self.problem(message, index, col.name)
        return starts, ends

    def _coerce_column(self, values: pd.Series, col: ColumnSpec) -> pd.Series:
        read = _READERS.get(col.type) or (cells.category_key if col.type == "category" else None)
        if read is None:  # ids and text, as written
            return values.astype("string")
        out, errors = cells.read_column(values, read)
        for index, message in errors:
            self.problem(message, index, col.name)
        series = pd.Series(out, index=values.index, dtype=object)
        dtype = _DTYPES.get(col.type)
        return series.astype(dtype) if dtype else series.astype("string")

    def schema(self) -> pa.DataFrameSchema:
        """The within-table rules pandera checks, built from the contract: ids, whole numbers
        of 0 or more, required values and unique keys."""
        pa = pandera_module()
        columns = {}
        for name, col in self.spec.columns.items():
            checks = []
            if col.type == "id":
                checks.append(
                    pa.Check.str_matches(
                        cells.ID_PATTERN.pattern, error=f"is not an id ({cells.ID_WORDS})"
                    )
                )
            if col.type == "integer":
                checks.append(
                    pa.Check.ge(0, error="cannot be negative: write a whole number of 0 or more")
                )
            required = col.required and name not in self.missing_required
            columns[name] = pa.Column(
                nullable=not required, checks=checks, unique=self.spec.key == (name,)
            )
        return pa.DataFrameSchema(
            columns, unique=list(self.spec.key) if len(self.spec.key) > 1 else None
        )

    def run_schema(self, typed: pd.DataFrame) -> None:
        """pandera's checks of the rows; a table of no rows has nothing they could find (its
        columns are all there: `check_columns` adds the missing ones), and a year has many."""
        if typed.empty:
            return
        try:
            self.schema().validate(typed, lazy=True)
        except pandera_module().errors.SchemaErrors as exc:
            seen = set()
            for case in exc.failure_cases.itertuples(index=False):
                column = None if pd.isna(case.column) else str(case.column)
                index = None if pd.isna(case.index) else case.index
                message = self._describe(case)
                if (index, column, message) not in seen:
                    seen.add((index, column, message))
                    self.problem(message, index, column)

    def _describe(self, case):
        check = str(case.check)
        value = case.failure_case
        value = value.item() if hasattr(value, "item") else value  # np.int64(-2) reads -2
        if check == "not_nullable":
            column = self.spec.columns.get(str(case.column))
            about = column.description.split(". ")[0].rstrip(".") if column else ""
            return f"a value is required here ({about})" if about else "a value is required here"
        if check == "field_uniqueness":
            return f"{value!r} appears more than once: each row needs its own id"
        if check == "multiple_fields_uniqueness":
            return (
                f"the same {', '.join(self.spec.key)} appears more than once: give each figure once"
            )
        return f"{value!r} {check}"

    def check_categories(self, typed: pd.DataFrame) -> None:
        for name, col in self.spec.columns.items():
            if col.type != "category" or not col.values:
                continue
            allowed = frozenset(col.values)
            values = typed[name]
            for index, value, blank in zip(
                values.index, values.tolist(), values.isna().tolist(), strict=True
            ):
                if blank or value in allowed:
                    continue
                close = difflib.get_close_matches(value, col.values, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(
                    f"{self.text.at[index, name]!r} is not one of: {', '.join(col.values)}{hint}",
                    index,
                    name,
                )

    def check_vocabulary(self, typed: pd.DataFrame, extra: dict[str, frozenset[str]]) -> None:
        words = {
            "codebook": "theme id of data/codebook/themes.yaml",
            "indicators": "indicator id (of the catalogue or of local_indicators)",
            "count_units": "unit a count can count",
        }
        for name, col in self.spec.columns.items():
            if not col.vocabulary:
                continue
            allowed = vocabulary(col.vocabulary)
            if allowed is None:
                continue
            allowed = allowed | extra.get(col.vocabulary, frozenset())
            values = typed[name].dropna()
            for index, value in zip(values.index, values.tolist(), strict=True):
                parts = cells.split_ids(value) if col.type in ("list", "ids") else [str(value)]
                for part in parts:
                    if part not in allowed:
                        close = difflib.get_close_matches(part, sorted(allowed), n=1)
                        hint = (
                            f" (did you mean '{close[0]}'?)"
                            if close
                            else f": write one of {', '.join(sorted(allowed)[:12])}"
                            + (" ..." if len(allowed) > 12 else "")
                        )
                        self.problem(
                            f"{part!r} is not a known {words[col.vocabulary]}{hint}", index, name
                        )

    def check_councils(self, typed: pd.DataFrame) -> None:
        """Each council cell names a council of the partnership, by code or name; the typed
        table holds its code, so a figure given by name and one by code are the same council's."""
        if not self.councils:
            return
        spellings = {code.casefold(): code for code in self.councils}
        spellings.update({name.casefold(): code for code, name in self.councils.items() if name})
        choices = " or ".join(
            f"{code} ({name})" if name else code for code, name in self.councils.items()
        )
        for name, col in self.spec.columns.items():
            if col.type != "council":
                continue
            values = typed[name].dropna()
            codes = values.map(lambda v: spellings.get(str(v).strip().casefold()))
            for index in values.index[codes.isna().to_numpy(dtype=bool)]:
                self.problem(
                    f"{self.text.at[index, name]!r} is not a council of the partnership: write "
                    f"{choices}, or leave it blank for the whole partnership",
                    index,
                    name,
                )
            known = codes.dropna()
            typed.loc[known.index, name] = known

    def check_rows(self, typed: pd.DataFrame) -> None:
        """Rules between the cells of a row: date rules on spans, dates in order, columns
        required by another's value, figures in the range their unit allows."""
        spec = self.spec
        for name, col in spec.columns.items():
            if col.type == "date" and col.rule:
                self._check_date_rule(typed, name, col.rule)
            if col.range_by:
                self._check_ranges(typed, name, col.range_by)
            if col.range:
                self._check_range(typed, name, col.range)
            for other, values in col.required_when.items():
                needed = typed[other].isin(values) & typed[name].isna()
                for index in typed.index[needed.fillna(False)]:
                    self.problem(
                        f"a value is required here when {other} is {typed.at[index, other]}",
                        index,
                        name,
                    )
        self._check_date_order(typed)

    def _check_date_order(self, typed: pd.DataFrame) -> None:
        """Each date of `date_order` against the previous date the row gives (none of the
        dates between them given): a later date may not end before an earlier one starts.
        Column against column, reported row by row as a reader goes down the sheet."""
        order = self.spec.date_order
        found: list[tuple[int, int, str, str]] = []
        starts = {c: typed[c].to_numpy() for c in order}
        given = {c: ~np.isnat(starts[c]) for c in order}
        for i, first in enumerate(order):
            for j in range(i + 1, len(order)):
                second = order[j]
                previous = given[first] & given[second]
                for between in order[i + 1 : j]:
                    previous &= ~given[between]
                if not previous.any():
                    continue
                earlier = previous & (typed[f"{second}_end"].to_numpy() < starts[first])
                found.extend((position, j, first, second) for position in earlier.nonzero()[0])
        for position, _, first, second in sorted(found):
            index = typed.index[position]
            self.problem(
                f"{self.text.at[index, second]} is before {first} "
                f"({self.text.at[index, first]}): check both dates",
                index,
                second,
            )

    def _check_date_rule(self, typed: pd.DataFrame, name: str, rule: str) -> None:
        year = self.year
        starts, ends = typed[name], typed[f"{name}_end"]
        if rule == "in_year":
            bad = (ends < pd.Timestamp(year.start)) | (starts > pd.Timestamp(year.end))
            words = (
                f"is outside the reporting year {year} ({year.start:%d %B %Y} to "
                f"{year.end:%d %B %Y}): put it in that year's data, or correct the date"
            )
        else:
            bad = starts > pd.Timestamp(year.end)
            words = (
                f"is after the end of the reporting year ({year.end:%d %B %Y}): a date "
                "after the year belongs in a later year's data"
            )
        for index in typed.index[bad.fillna(False)]:
            self.problem(f"{self.text.at[index, name]!r} {words}", index, name)

    def _check_range(self, typed: pd.DataFrame, name: str, unit: str) -> None:
        limit = ranges()[unit]
        values = typed[name].dropna()
        for index, value in zip(values.index, values.tolist(), strict=True):
            if not limit.allows(float(value)):
                self.problem(f"{self.text.at[index, name]!r}: {limit.words}", index, name)

    def _check_ranges(self, typed: pd.DataFrame, name: str, unit_column: str) -> None:
        limits = ranges()
        values = typed[name].dropna()
        units = typed.loc[values.index, unit_column]
        for index, value, unit in zip(values.index, values.tolist(), units.tolist(), strict=True):
            limit = limits.get(unit) if pd.notna(unit) else None
            if limit is not None and not limit.allows(float(value)):
                self.problem(
                    f"{self.text.at[index, name]!r} cannot be a {unit} figure: {limit.words}",
                    index,
                    name,
                )
