"""Reading a partnership's year of data as supplied: one CSV per table, or one Excel workbook.

Everything is read as text first (`raw_tables.RawTable`), so that the validator can say exactly
which cell is wrong instead of pandas guessing a type and losing the original value. An Excel
workbook is read by `workbook.inputs.excel`.

What a year may hold has budgets far beyond any real partnership's, checked before a file is
parsed (`workbook.inputs.budgets`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from workbook.core.errors import DataError, DataValidationError
from workbook.core.paths import available_years, year_folder
from workbook.inputs.budgets import MAX_BLOCK_BYTES, check_csv, refused
from workbook.inputs.contract import load_contract
from workbook.inputs.excel import excel_workbooks, read_workbook
from workbook.inputs.raw_tables import RawTable, tidy


def _read_csv(path: Path) -> pd.DataFrame:
    check_csv(path)
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=False
        )
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [f"{path}: not UTF-8 text (save the sheet as 'CSV UTF-8'): {exc}"]
        ) from exc
    except pd.errors.ParserError as exc:
        raise DataValidationError([_unreadable_csv(path, str(exc))]) from exc
    except pd.errors.EmptyDataError as exc:
        raise DataValidationError([f"{path}: the file is empty (it needs a header row)"]) from exc
    return tidy(frame)


def _unreadable_csv(path: Path, reason: str) -> str:
    """What is wrong with a CSV file the parser gave up on, in the words of a spreadsheet."""
    if fields := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", reason):
        expected, line, saw = fields.groups()
        return (
            f"{path}, line {line}: {saw} values where the header has {expected}; a value "
            'with a comma in it needs double quotes around it ("like, this"), or remove '
            "the extra comma"
        )
    if quote := re.search(r"EOF inside string starting at row (\d+)", reason):
        return (
            f"{path}, line {int(quote[1]) + 1}: a double quote opens a value that never "
            "closes; close it, or remove the quote"
        )
    return f"{path}: not a readable CSV file ({reason.strip()}); save it again as CSV UTF-8"


def _read_narrative_folder(folder: Path) -> pd.DataFrame:
    for md in folder.glob("*.md"):
        if (size := md.stat().st_size) > MAX_BLOCK_BYTES:
            raise refused(
                md, f"{size:,} bytes", f"{MAX_BLOCK_BYTES:,} bytes a narrative block may take"
            )
    rows = [
        {"block": md.stem, "markdown": md.read_text(encoding="utf-8").strip()}
        for md in sorted(folder.glob("*.md"))
    ]
    return pd.DataFrame(rows, columns=["block", "markdown"], dtype=object)


INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters (NUL, backspace, escape...) that no spreadsheet shows and no page can
print: pasted from other systems or left by a damaged file. Tabs and line breaks are allowed."""


def _invisible_characters(tables: dict[str, RawTable]) -> list[str]:
    """Every cell holding a control character, by file, row and column. A table's text is
    searched at once (a line break, which is allowed, between cells) and cell by cell only
    where something was found."""
    problems = []
    for table in tables.values():
        texts = [
            v
            for column in table.frame.columns
            for v in table.frame[column].tolist()
            if isinstance(v, str)
        ]
        if not INVISIBLE.search("\n".join(texts)):
            continue
        for column in table.frame.columns:
            values = table.frame[column]
            found = values.map(lambda v: isinstance(v, str) and bool(INVISIBLE.search(v)))
            for index in values.index[found.to_numpy(dtype=bool)]:
                character = INVISIBLE.search(values[index]).group()
                if table.name == "narrative":  # one Markdown file a block
                    where = f"{Path(table.source) / table.frame.at[index, 'block']}.md"
                else:
                    where = f"{table.source}, row {table.row_number(index)}, column '{column}'"
                problems.append(
                    f"{where}: holds an invisible control character "
                    f"(U+{ord(character):04X}) that no page can show: retype the "
                    "text, or delete the character"
                )
    return problems


def _where(folder: Path, book: Path | None, name: str) -> str:
    """A table's place as messages name it: its CSV file, or its sheet of the workbook."""
    return f"{book}, sheet '{name}'" if book is not None else str(folder / f"{name}.csv")


def table_sources(partnership: str, year: str, data_dir: Path | None = None) -> dict[str, str]:
    """Where each table of a partnership-year is read from, as messages name it (a CSV file, or
    a sheet of the year's workbook), without reading the data: for warnings about tables
    already validated. "narrative" is a pattern with a `{block}` field: each block is a
    Markdown file of its own, or a row of the workbook's narrative sheet."""
    folder = year_folder(partnership, year, data_dir)
    book = next(iter(excel_workbooks(folder)), None)
    sources = {name: _where(folder, book, name) for name in load_contract()}
    sources["narrative"] = (
        f"{_where(folder, book, 'narrative')}, block {{block}}"
        if book
        else str(folder / "narrative" / "{block}.md")
    )
    return sources


def read_year(partnership: str, year: str, data_dir: Path | None = None) -> dict[str, RawTable]:
    """The raw tables of one partnership-year, from CSV files or an Excel workbook."""
    folder = year_folder(partnership, year, data_dir)
    if not folder.is_dir():
        years = ", ".join(available_years(partnership, data_dir)) or "none"
        raise DataError(
            f"{folder}: no data folder for {partnership} {year} (years with data: {years}); "
            "make it and put the year's CSV files (or one Excel workbook) in it"
        )
    workbooks = excel_workbooks(folder)
    csvs = {p.stem: p for p in folder.glob("*.csv")}
    if workbooks and csvs:
        raise DataError(
            f"{folder}: holds both an Excel workbook and CSV files; keep one form of the data"
        )
    if len(workbooks) > 1:
        names = ", ".join(p.name for p in workbooks)
        raise DataError(f"{folder}: more than one Excel workbook ({names}); keep one")
    contract = load_contract()
    tables: dict[str, RawTable] = {}
    if workbooks:
        tables = read_workbook(workbooks[0])
    else:
        for name, path in csvs.items():
            tables[name] = RawTable(name, str(path), _read_csv(path))
        narrative = folder / "narrative"
        if narrative.is_dir():
            tables["narrative"] = RawTable(
                "narrative", str(narrative), _read_narrative_folder(narrative)
            )
    if problems := _invisible_characters(tables):
        raise DataValidationError(problems)
    for name, spec in contract.items():
        if name not in tables:
            tables[name] = RawTable(
                name,
                _where(folder, workbooks[0] if workbooks else None, name),
                pd.DataFrame(columns=list(spec.columns), dtype=object),
                present=False,
                workbook=str(workbooks[0]) if workbooks else None,
            )
    return tables
