"""Checking a year's data against the contract, reporting every problem at once.

Each table is typed and checked on its own (workbook.inputs.checks), then the references
between tables (workbook.inputs.references). Each problem names the file or sheet, the
spreadsheet row, the column and what is wrong; validated years are cached and handed over to a
run's kernel. The partnership's parameters give the year's period (its date rules) and its
councils (the `council` columns); without them a year runs April to March and a council is
read as written. The typed tables are the data as written; `Report.view`
(workbook.inputs.views) reads them as contract v3 means them.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from workbook import __version__
from workbook.core import file_cache, paths, settings
from workbook.core.errors import DataValidationError
from workbook.core.paths import year_folder
from workbook.core.years import ReportYear
from workbook.inputs.checks import Problem, TableChecker, pandera_module
from workbook.inputs.contract import TableSpec, load_contract
from workbook.inputs.loading import read_year
from workbook.inputs.partnership import Partnership
from workbook.inputs.raw_tables import FIRST_DATA_ROW, RawTable
from workbook.inputs.references import (
    check_local_indicators,
    check_references,
    local_indicator_ids,
    stated_counts_below_listed,
)

__all__ = ["Problem", "load_valid_tables", "validate_tables", "validate_year", "warm_up"]


def warm_up() -> None:
    """Import pandera and validate a two-row frame once, paying its first-use costs (backend
    registration, lazy imports: about 0.2 s). A batch's parent does this before forking, so no
    worker pays it again."""
    pa = pandera_module()
    schema = pa.DataFrameSchema(
        {"n": pa.Column(int, pa.Check.ge(0)), "kind": pa.Column(str, pa.Check.isin(["a", "b"]))}
    )
    schema.validate(pd.DataFrame({"n": [1, 2], "kind": ["a", "b"]}), lazy=True)


def _absent_tables(
    raw: dict[str, RawTable], contract: dict[str, TableSpec], folder: Path | None
) -> list[Problem]:
    """Required tables the data lack: one problem per missing CSV file, or one per workbook
    naming every missing sheet and the sheets it has."""
    missing = [
        name
        for name, spec in contract.items()
        if spec.required and (name not in raw or not raw[name].present)
    ]
    problems: list[Problem] = []
    by_book: dict[str, list[str]] = {}
    for name in missing:
        table = raw.get(name)
        if table is not None and table.workbook:
            by_book.setdefault(table.workbook, []).append(name)
        else:
            where = (
                table.source
                if table is not None
                else (str(folder / f"{name}.csv") if folder else name)
            )
            problems.append(
                Problem(
                    where,
                    f"the required table '{name}' is missing: add "
                    f"{name}.csv with its header row (`workbook template` and "
                    "`workbook new` write every table's headers)",
                )
            )
    for book, names in by_book.items():
        has = [
            t.source.split(", sheet ")[-1] for t in raw.values() if t.workbook == book and t.present
        ]
        problems.append(
            Problem(
                book,
                f"the workbook has no sheet {', '.join(map(repr, names))} "
                f"(its sheets: {', '.join(has) or 'none'}): add a sheet for each "
                "table, named as the table, with its header row",
            )
        )
    return problems


HEADLINE_BREAKDOWNS = frozenset({"all", "total", "overall", "headline"})
"""Breakdowns that mean the headline figure itself, as analysts often write it."""


def _headline_breakdowns_blank(indicators: pd.DataFrame) -> pd.DataFrame:
    """The headline figure's breakdown is blank in the contract; "all" or "total" mean it too
    (a figure given both ways is then the same figure twice, which the key check reports)."""
    words = indicators["breakdown"].astype("string").str.strip().str.casefold()
    return indicators.assign(
        breakdown=indicators["breakdown"].mask(
            words.isin(HEADLINE_BREAKDOWNS).fillna(False).astype(bool)
        )
    )


def validate_tables(
    raw: dict[str, RawTable],
    year: str | ReportYear,
    folder: Path | None = None,
    warnings: list[Problem] | None = None,
    councils: tuple[tuple[str, str], ...] = (),
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Type and check raw tables; returns the typed tables (as written: see `load_valid_tables`
    for the view sections read) and every problem found. `year` carries the period the date
    rules use (a label: 1 April to 31 March); `councils` the partnership's (code, name) pairs
    (`Partnership.council_list`). Warnings (cells worth a look that do not stop a run) go into
    `warnings`, if given."""
    report_year = year if isinstance(year, ReportYear) else ReportYear.parse(year)
    contract = load_contract()
    problems: list[Problem] = []
    typed: dict[str, pd.DataFrame] = {}
    for name, table in raw.items():
        if name not in contract:
            problems.append(
                Problem(
                    table.source,
                    f"'{name}' is not a table of the data contract "
                    f"(expected: {', '.join(contract)}): rename it, or move it "
                    "out of the year's folder",
                )
            )
    problems.extend(_absent_tables(raw, contract, folder))
    extra = {"indicators": local_indicator_ids(raw)}
    for name, spec in contract.items():
        if name not in raw or (spec.required and not raw[name].present):
            continue
        table = raw[name]
        checker = TableChecker(spec, table, report_year, councils)
        for note in table.notes:
            checker.problem(note.message, note.row - FIRST_DATA_ROW, note.column, note.warning)
        frame = checker.check_columns()
        typed[name] = checker.coerce(frame)
        if name == "indicators":
            typed[name] = _headline_breakdowns_blank(typed[name])
        checker.run_schema(typed[name])
        checker.check_categories(typed[name])
        checker.check_councils(typed[name])
        checker.check_vocabulary(typed[name], extra)
        checker.check_rows(typed[name])
        problems.extend(checker.problems)
    problems.extend(check_references(typed, raw, contract))
    problems.extend(check_local_indicators(typed, raw))
    problems.extend(stated_counts_below_listed(typed, raw, report_year.start, report_year.end))
    if warnings is not None:
        warnings.extend(p for p in problems if p.warning)
    return typed, [p for p in problems if not p.warning]


def _rules(year: str, params: Partnership | None) -> tuple[ReportYear, tuple]:
    """The year with its period, and the councils, that a year's data are checked against."""
    if params is None:
        return ReportYear.parse(year), ()
    return params.year_of(year), params.council_list()


def validate_year(
    partnership: str, year: str, data_dir: Path | None = None, params: Partnership | None = None
) -> list[Problem]:
    """Every problem in one partnership-year's data (an empty list means it is valid), under the
    partnership's parameters where given (its period and councils)."""
    raw = read_year(partnership, year, data_dir)
    report_year, councils = _rules(year, params)
    folder = year_folder(partnership, year, data_dir)
    _, problems = validate_tables(raw, report_year, folder, councils=councils)
    return problems


def load_valid_tables(
    partnership: str, year: str, data_dir: Path | None = None, params: Partnership | None = None
) -> dict[str, pd.DataFrame]:
    """The typed tables of one partnership-year; raises DataValidationError listing all
    problems. `params` gives the year's period and councils, as in `validate_year`.

    Every section of a run opens the report year and most read the lookback years too, in one
    kernel: a year is validated once per content of its files and of the codebook (see
    `YearFiles`), and each caller gets its own copies to change as it likes. In a run, the
    kernel finds the years the runner has already validated in the folder named by
    WORKBOOK_VALIDATED_DIR (see `hand_over`), and uses them even if a file was replaced since:
    every section of a run shows the data the run validated.
    """
    report_year, councils = _rules(year, params)
    shared = settings.validated_dir()
    handed = shared and _handover_file(shared, partnership, report_year.label, data_dir)
    if handed and handed.exists():
        typed = _handed_over(handed)
    else:
        typed = _validated(year_files(partnership, year, data_dir, params))
    return {name: frame.copy() for name, frame in typed.items()}


@dataclass(frozen=True)
class YearFiles:
    """What a year's validation depends on, as the cache's key: the name and content of every
    file of the year (narrative included), the codebook its theme ids are checked against, and
    its period and councils. Where the year's files are is carried along but is not part of the
    key: the same files in another folder are the same year, and type to the same tables."""

    contents: tuple
    year: ReportYear
    councils: tuple
    partnership: str = field(compare=False)
    data_dir: Path | None = field(compare=False)


def year_files(
    partnership: str, year: str, data_dir: Path | None = None, params: Partnership | None = None
) -> YearFiles:
    """The key of a year's validation (`YearFiles`): an edited file, another codebook or a
    changed period is validated afresh."""
    folder = year_folder(partnership, year, data_dir)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    contents = [(str(file.relative_to(folder)), _digest(file)) for file in files]
    contents.append(("codebook", _digest(paths.codebook_path())))
    report_year, councils = _rules(year, params)
    return YearFiles(tuple(contents), report_year, councils, partnership, data_dir)


def _digest(file: Path) -> str:
    """A file's digest; empty for one that cannot be read (removed since the folder was listed,
    or not a file): reading the year then says what is wrong with it."""
    try:
        return file_cache.digest(file)
    except OSError:
        return ""


def _handover_file(folder: Path, partnership: str, year: str, data_dir: Path | None) -> Path:
    key = repr((__version__, partnership, year, str(data_dir or "")))
    return Path(folder) / f"{hashlib.sha256(key.encode()).hexdigest()}.pickle"


def hand_over(
    folder: Path,
    partnership: str,
    year: str,
    data_dir: Path | None,
    typed: dict[str, pd.DataFrame],
) -> None:
    """Leave a year the runner has validated for the run's kernel to pick up.

    The runner validates every year before any section runs (so bad data stops a run with
    one clear message); the sections then open the same years. Handing the typed tables over
    spares the kernel, which is on the run's critical path, validating them a second time, and
    makes every section show the data the runner validated: a file replaced while the run goes
    on is not read halfway through it (the runner notices the change before it swaps the
    outputs in, and the next run renders the new version). The folder is the run's own private
    temporary folder.
    """
    with _handover_file(folder, partnership, year, data_dir).open("wb") as out:
        pickle.dump(typed, out, protocol=pickle.HIGHEST_PROTOCOL)


@lru_cache(maxsize=32)
def _validated(files: YearFiles) -> dict[str, pd.DataFrame]:
    """One year validated, cached by the content of its files (`YearFiles`)."""
    raw = read_year(files.partnership, files.year.label, files.data_dir)
    folder = year_folder(files.partnership, files.year.label, files.data_dir)
    typed, problems = validate_tables(raw, files.year, folder, councils=files.councils)
    if problems:
        raise DataValidationError(problems)
    return typed


@lru_cache(maxsize=8)
def _handed_over(file: Path) -> dict[str, pd.DataFrame]:
    """A year the runner handed over (read once a kernel: every section opens it)."""
    with file.open("rb") as stored:
        return pickle.load(stored)  # noqa: S301 - written by this run's own runner
