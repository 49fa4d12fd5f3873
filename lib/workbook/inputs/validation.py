"""Checking a year's data against the contract, reporting every problem at once.

Types are read cell by cell (so a bad cell is named with its original text), then pandera checks
the rules that hold within a table (required values, vocabularies, ranges, dates inside the year,
unique keys), then references between tables are checked here.  Each problem names the file,
the spreadsheet row, the column and what is wrong.
"""

from __future__ import annotations

import difflib
import hashlib
import pickle
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbook import __version__
from workbook.core import paths, settings
from workbook.core.errors import DataValidationError
from workbook.core.paths import year_folder
from workbook.core.yamlfile import safe_load
from workbook.core.years import ReportYear
from workbook.inputs.contract import ColumnSpec, TableSpec, load_contract
from workbook.inputs.loading import RawTable, read_year

if TYPE_CHECKING:
    import pandera.pandas as pa

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as it can be."""

    source: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


def _category_key(value: str) -> str:
    return re.sub(r"[\s\-/]+", "_", value.strip().lower())


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")


def _parse_dates(values: pd.Series) -> pd.Series:
    """Dates (midnight, to the second) of a column of text, NaT where no format fits: each
    format tried on a whole column at once, since per cell the parsing grew to most of a big
    year's validation."""
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    for fmt in DATE_FORMATS:
        left = parsed.isna() & values.notna()
        if not left.any():
            break
        parsed[left] = pd.to_datetime(values[left].astype(str), format=fmt, errors="coerce")
    return parsed.dt.normalize()


def _parse_number(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("£", "").removesuffix("%").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _parse_integer(text: str) -> int | None:
    number = _parse_number(text)
    return int(number) if number is not None and float(number).is_integer() else None


def _vocabulary(name: str) -> frozenset[str] | None:
    """Allowed ids for a `vocabulary` column, or None when the list is not available."""
    if name == "codebook":
        path = paths.codebook_path()
        key = "themes"
    else:
        path = paths.SPECS_DIR / f"{name}.yaml"
        key = name
    stat = _stat(path)
    if stat is None:
        return None
    return _read_vocabulary(path, key, stat.st_mtime_ns, stat.st_size)


@cache
def _read_vocabulary(path: Path, key: str, mtime_ns: int, size: int) -> frozenset[str]:
    """Read once per version of the file (its stamp is in the key): every year and table of a
    run checks against the same codebook, while an edited file is read afresh."""
    entries = safe_load(path.read_text(encoding="utf-8")).get(key, [])
    if isinstance(entries, dict):
        return frozenset(entries)
    return frozenset(entry["id"] for entry in entries)


def _pandera():
    """pandera, imported when a table is first validated rather than with this module: a run's
    kernel receives the years already validated and never needs it (0.1 s of its start-up)."""
    import pandera.pandas

    return pandera.pandas


def warm_up() -> None:
    """Import pandera and validate a two-row frame once, paying its first-use costs (backend
    registration, lazy imports: about 0.2 s). A batch's parent does this before forking, so no
    worker pays it again."""
    pa = _pandera()
    schema = pa.DataFrameSchema({"n": pa.Column(int, pa.Check.ge(0)),
                                 "kind": pa.Column(str, pa.Check.isin(["a", "b"]))})
    schema.validate(pd.DataFrame({"n": [1, 2], "kind": ["a", "b"]}), lazy=True)


class _TableChecker:
    """Types and checks one raw table; collects problems rather than stopping at the first."""

    def __init__(self, spec: TableSpec, raw: RawTable, year: ReportYear):
        self.spec, self.raw, self.year = spec, raw, year
        self.problems: list[Problem] = []
        self.missing_required: set[str] = set()

    def problem(self, message, index=None, column=None):
        self.problems.append(Problem(self.raw.source, message, self.raw.row_number(index), column))

    def check_columns(self) -> pd.DataFrame:
        frame = self.raw.frame.copy()
        known = set(self.spec.columns)
        absent = sorted(known - set(frame.columns))
        for column in frame.columns:
            if column not in known:
                close = (difflib.get_close_matches(column, absent, n=1)
                         or difflib.get_close_matches(column, sorted(known), n=1))
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(f"unknown column{hint}", column=column)
        for name, col in self.spec.columns.items():
            if name not in frame.columns:
                if col.required:
                    self.problem("required column is missing", column=name)
                    self.missing_required.add(name)
                frame[name] = pd.NA
        return frame[list(self.spec.columns)]

    def coerce(self, frame: pd.DataFrame) -> pd.DataFrame:
        typed = {}
        for name, col in self.spec.columns.items():
            typed[name] = self._coerce_column(frame[name], col)
        return pd.DataFrame(typed, index=frame.index)

    def _coerce_column(self, values: pd.Series, col: ColumnSpec) -> pd.Series:
        if col.default is not None:
            values = values.fillna(col.default)
        if col.type == "date":
            return self._coerce_dates(values, col)
        parse, expected, dtype = {
            "integer": (_parse_integer, "a whole number", "Int64"),
            "number": (_parse_number, "a number", "Float64"),
        }.get(col.type, (None, None, None))
        out = []
        for index, value in values.items():
            if pd.isna(value):
                out.append(pd.NA)
            elif parse is not None:
                parsed = parse(str(value))
                if parsed is None:
                    self.problem(f"{value!r} is not {expected}", index, col.name)
                    out.append(pd.NA)
                else:
                    out.append(parsed)
            elif col.type == "category":
                out.append(_category_key(str(value)))
            elif col.type == "list":
                out.append(";".join(_category_key(p) for p in str(value).split(";") if p.strip()))
            else:
                out.append(str(value))
        series = pd.Series(out, index=values.index, dtype=object)
        return series.astype(dtype) if dtype else series.astype("string")

    def _coerce_dates(self, values: pd.Series, col: ColumnSpec) -> pd.Series:
        parsed = _parse_dates(values)
        for index, value in values[parsed.isna() & values.notna()].items():
            self.problem(f"{value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)", index, col.name)
        return parsed

    def schema(self) -> pa.DataFrameSchema:
        """The within-table rules as a pandera schema built from the contract."""
        pa = _pandera()
        columns = {}
        for name, col in self.spec.columns.items():
            checks = []
            if col.type == "id":
                checks.append(pa.Check.str_matches(
                    ID_PATTERN.pattern,
                    error="is not an id (letters, digits, '-', '_' or '.', no spaces)"))
            if col.type == "category":
                checks.append(pa.Check.isin(
                    col.values, error=f"is not one of: {', '.join(col.values)}"))
            if col.type == "integer":
                checks.append(pa.Check.ge(0, error="cannot be negative"))
            if col.rule == "in_year":
                checks.append(pa.Check.in_range(
                    pd.Timestamp(self.year.start), pd.Timestamp(self.year.end),
                    error=f"is outside the reporting year {self.year} "
                          f"({self.year.start:%d %B %Y} to {self.year.end:%d %B %Y})"))
            if col.rule == "not_after_year_end":
                checks.append(pa.Check.le(
                    pd.Timestamp(self.year.end),
                    error=f"is after the end of the reporting year ({self.year.end:%d %B %Y})"))
            required = col.required and name not in self.missing_required
            columns[name] = pa.Column(nullable=not required, checks=checks,
                                      unique=self.spec.key == (name,))
        return pa.DataFrameSchema(columns, unique=list(self.spec.key)
                                  if len(self.spec.key) > 1 else None)

    def run_schema(self, typed: pd.DataFrame) -> None:
        try:
            self.schema().validate(typed, lazy=True)
        except _pandera().errors.SchemaErrors as exc:
            seen = set()
            for case in exc.failure_cases.itertuples(index=False):
                column = None if pd.isna(case.column) else str(case.column)
                index = None if pd.isna(case.index) else case.index
                message = self._describe(case, column)
                if (index, column, message) not in seen:
                    seen.add((index, column, message))
                    self.problem(message, index, column)

    def _describe(self, case, column):
        check = str(case.check)
        value = case.failure_case
        if check == "not_nullable":
            return "a value is required here"
        if check == "field_uniqueness":
            return f"{value!r} appears more than once; ids must be unique"
        if check == "multiple_fields_uniqueness":
            return f"the same {', '.join(self.spec.key)} appears more than once"
        shown = value.date().isoformat() if isinstance(value, pd.Timestamp) else value
        return f"{shown!r} {check}"

    def check_vocabulary(self, typed: pd.DataFrame) -> None:
        for name, col in self.spec.columns.items():
            if not col.vocabulary:
                continue
            allowed = _vocabulary(col.vocabulary)
            if allowed is None:
                continue
            for index, value in typed[name].dropna().items():
                parts = str(value).split(";") if col.type == "list" else [str(value)]
                for part in parts:
                    if part not in allowed:
                        close = difflib.get_close_matches(part, sorted(allowed), n=1)
                        hint = f" (did you mean '{close[0]}'?)" if close else ""
                        self.problem(f"{part!r} is not a known {col.vocabulary} id{hint}",
                                     index, name)

    def check_rows(self, typed: pd.DataFrame) -> None:
        """Dates in their order (each against the previous date given in the row) and one of
        the `one_of_required` columns given; column against column, not row by row."""
        order, found = self.spec.date_order, []
        given = {c: typed[c].notna() for c in order}
        for i, first in enumerate(order):
            for j in range(i + 1, len(order)):
                second = order[j]
                adjacent = given[first] & given[second]
                for between in order[i + 1:j]:  # the previous date given: none in between
                    adjacent &= ~given[between]
                earlier = adjacent & (typed[second] < typed[first])
                for position in earlier.to_numpy().nonzero()[0]:
                    a, b = typed[first].iloc[position], typed[second].iloc[position]
                    found.append((position, j, f"{b.date()} is before {first} ({a.date()})",
                                  second))
        if self.spec.one_of_required:
            missing = typed[list(self.spec.one_of_required)].isna().all(axis=1)
            found += [(position, len(order), "give at least one of: "
                       f"{', '.join(self.spec.one_of_required)}", self.spec.one_of_required[0])
                      for position in missing.to_numpy().nonzero()[0]]
        for position, _, message, column in sorted(found, key=lambda f: f[:2]):
            self.problem(message, typed.index[position], column)


def _check_references(tables: dict[str, pd.DataFrame], raw: dict[str, RawTable],
                      contract: dict[str, TableSpec]) -> list[Problem]:
    """Every finding points at a real review or audit; every action at a real finding."""
    problems = []

    def ids(target: str) -> set:
        table, column = target.split(".")
        return set(tables[table][column].dropna()) if table in tables else set()

    for name, spec in contract.items():
        if name not in tables:
            continue
        frame, source = tables[name], raw[name]
        for col in spec.columns.values():
            if col.references:
                targets, label = ids(col.references), col.references.replace(".", " ")
                for index, value in frame[col.name].dropna().items():
                    if value not in targets:
                        problems.append(Problem(source.source, f"{value!r} is not a {label} "
                                                f"in this year's data", source.row_number(index),
                                                col.name))
            if col.references_any:
                targets = set().union(*(ids(t) for t in col.references_any))
                for index, value in frame[col.name].dropna().items():
                    if value not in targets:
                        problems.append(Problem(source.source, f"{value!r} is neither a review "
                                                "nor an audit in this year's data",
                                                source.row_number(index), col.name))
            if col.references_by:
                selector = col.references_by["column"]
                for kind, target in col.references_by["tables"].items():
                    targets = ids(target)
                    rows = frame[frame[selector] == kind]
                    for index, value in rows[col.name].dropna().items():
                        if value not in targets:
                            problems.append(Problem(
                                source.source, f"{value!r} is not a {target.split('.')[0][:-1]} "
                                f"({target}) in this year's data", source.row_number(index),
                                col.name))
    return problems


def validate_tables(raw: dict[str, RawTable], year: str,
                    folder: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Type and check raw tables; returns the typed tables and every problem found."""
    report_year = ReportYear.parse(year)
    contract = load_contract()
    problems: list[Problem] = []
    typed: dict[str, pd.DataFrame] = {}
    for name, table in raw.items():
        if name not in contract:
            problems.append(Problem(table.source, f"'{name}' is not a table of the data contract "
                                    f"(expected: {', '.join(contract)})"))
    for name, spec in contract.items():
        if name not in raw:
            where = str(folder / f"{name}.csv") if folder else name
            problems.append(Problem(where, f"the required table '{name}' is missing"))
            continue
        checker = _TableChecker(spec, raw[name], report_year)
        frame = checker.check_columns()
        typed[name] = checker.coerce(frame)
        checker.run_schema(typed[name])
        checker.check_vocabulary(typed[name])
        checker.check_rows(typed[name])
        problems.extend(checker.problems)
    problems.extend(_check_references(typed, raw, contract))
    return typed, problems


def validate_year(partnership: str, year: str, data_dir: Path | None = None) -> list[Problem]:
    """Every problem in one partnership-year's data (an empty list means it is valid)."""
    raw = read_year(partnership, year, data_dir)
    _, problems = validate_tables(raw, year, year_folder(partnership, year, data_dir))
    return problems


def load_valid_tables(partnership: str, year: str,
                      data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """The typed tables of one partnership-year; raises DataValidationError listing all problems.

    Every section of a run opens the report year and most read the lookback years too, in one
    kernel: a year is validated once per version of its files and of the codebook (their
    stamps are the cache key, so an edited file is read afresh), and each caller gets its own
    copies to change as it likes. In a run, the kernel finds the years the runner has already
    validated in the folder named by WORKBOOK_VALIDATED_DIR (see `hand_over`).
    """
    stamps = year_stamps(partnership, year, data_dir)
    typed = _validated(partnership, year, data_dir, stamps)
    return {name: frame.copy() for name, frame in typed.items()}


def year_stamps(partnership: str, year: str, data_dir: Path | None = None) -> tuple:
    """Path, modification time and size of every file a year's validation depends on: its
    data files (narrative included) and the codebook its theme ids are checked against."""
    folder = year_folder(partnership, year, data_dir)
    files = [*sorted(p for p in folder.rglob("*") if p.is_file()), paths.codebook_path()]
    return tuple((str(f), s.st_mtime_ns, s.st_size) for f in files if (s := _stat(f)))


def _stat(path: Path):
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _handover_file(folder: Path, stamps: tuple) -> Path:
    key = hashlib.sha256(repr((__version__, stamps)).encode()).hexdigest()
    return Path(folder) / f"{key}.pickle"


def hand_over(folder: Path, stamps: tuple, typed: dict[str, pd.DataFrame]) -> None:
    """Leave a year the runner has validated for the run's kernel to pick up.

    The runner validates every year before any section runs (so bad data stops a run with
    one clear message); the sections then open the same years. Handing the typed tables over
    spares the kernel, which is on the run's critical path, validating them a second time.
    The folder is the run's own private temporary folder; the stamps and the library version
    are in the file name, so a file edited in between is validated afresh.
    """
    with _handover_file(folder, stamps).open("wb") as out:
        pickle.dump(typed, out, protocol=pickle.HIGHEST_PROTOCOL)


@lru_cache(maxsize=32)
def _validated(partnership: str, year: str, data_dir: Path | None,
               stamps: tuple) -> dict[str, pd.DataFrame]:
    shared = settings.validated_dir()
    if shared and (handed := _handover_file(shared, stamps)).exists():
        with handed.open("rb") as stored:
            return pickle.load(stored)  # noqa: S301 - written by this run's own runner
    raw = read_year(partnership, year, data_dir)
    typed, problems = validate_tables(raw, year, year_folder(partnership, year, data_dir))
    if problems:
        raise DataValidationError(problems)
    return typed
