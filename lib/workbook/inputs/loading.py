"""Reading a partnership's year of data as supplied: one CSV per table, or one Excel workbook.

Everything is read as text first, so that the validator can say exactly which cell is wrong
instead of pandas guessing a type and losing the original value. An Excel workbook is read with
openpyxl cell by cell, so that the reader can say what Excel did to a cell (a formula it never
calculated, an id it turned into a date) and name the cell.

What a year may hold has budgets far beyond any real partnership's (`MAX_ROWS`, `MAX_CELLS` and
the sizes below), checked before a file is parsed: a CSV of millions of rows, a workbook whose
used range runs to Excel's last row, or a zip bomb posing as a workbook is refused in
milliseconds, naming the file and the budget, instead of filling the memory of a scheduled run.
"""

from __future__ import annotations

import itertools
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from workbook.core.errors import DataError, DataValidationError
from workbook.core.paths import available_years, year_folder
from workbook.core.spreadsheet_safety import FORMULA_TRIGGERS
from workbook.inputs.contract import load_contract

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
FIRST_DATA_ROW = 2
"""Row numbers in messages are those a spreadsheet shows: the header is row 1, and blank lines
count, as they do in a spreadsheet and a text editor."""
INSTRUCTIONS_SHEET, LISTS_SHEET = "instructions", "lists"
NOT_TABLES = (INSTRUCTIONS_SHEET, LISTS_SHEET)
"""Sheets of an Excel workbook that are not tables: the template's instructions and the lists
its drop-downs offer."""
NEUTRALISED = re.compile("^'(?=[" + re.escape("".join(FORMULA_TRIGGERS)) + "])")
"""The quote the workbook puts before text a spreadsheet would run as a formula (see
workbook.core.spreadsheet_safety): its own mark, taken off when the cell is read back."""


MAX_ROWS = 100_000
"""Rows one table of a year may hold. The largest real partnership year we know has a few
hundred findings; the demo year generated at 40 times its size has 12,800."""
MAX_CELLS = 2_000_000
"""Cells (rows times columns) one table of a year may hold."""
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Bytes one CSV file or Excel workbook of a year may take on disk."""
MAX_BLOCK_BYTES = 1024 * 1024
"""Bytes one narrative block (a Markdown file) may take: a few pages of text is some kB."""
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
"""Bytes an Excel workbook may unpack to (its parts are zipped XML)."""
MAX_RATIO = 200
"""How many times larger than its zipped size a part of a workbook may unpack to: real
spreadsheet XML packs 5 to 30 times; a zip bomb packs thousands of times."""
MAX_PARTS = 10_000
"""Parts (zip members) of an Excel workbook: a real one has a few dozen."""


def refused(path, found: str, budget: str) -> DataError:
    return DataError(
        f"{path}: refused: {found}, more than the {budget}, far beyond any real "
        "partnership's year; is it the right file?"
    )


def _check_csv(path: Path) -> None:
    """A CSV file within the budgets, counted on its bytes before pandas reads it (a row may
    hold a line break in quotes, so lines are an upper bound of rows)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise refused(path, f"{size:,} bytes", f"{MAX_FILE_BYTES:,} bytes a table's file may take")
    data = path.read_bytes()
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    rows = max(lines - 1, 0)
    columns = data.split(b"\n", 1)[0].count(b",") + 1
    if rows > MAX_ROWS:
        raise refused(path, f"{rows:,} rows", f"{MAX_ROWS:,} rows a table may hold")
    if rows * columns > MAX_CELLS:
        raise refused(
            path,
            f"{rows:,} rows of {columns:,} columns",
            f"{MAX_CELLS:,} cells a table may hold",
        )


DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')


def _check_workbook(book: Path) -> None:
    """An Excel workbook within the budgets, from its zip directory and each sheet's stated
    used range, before openpyxl reads it (openpyxl unzips parts as it reads them: a zip bomb
    would unpack into memory). A file that is not a zip is left to openpyxl to describe."""
    size = book.stat().st_size
    if size > MAX_FILE_BYTES:
        raise refused(book, f"{size:,} bytes", f"{MAX_FILE_BYTES:,} bytes a workbook may take")
    try:
        archive = zipfile.ZipFile(book)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise refused(book, f"{len(parts):,} parts", f"{MAX_PARTS:,} parts a workbook has")
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise refused(
                book,
                f"{unpacked:,} bytes once unpacked",
                f"{MAX_UNPACKED_BYTES:,} bytes a workbook may unpack to",
            )
        for part in parts:
            if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(
                part.compress_size, 1
            ):
                raise DataError(
                    f"{book}: refused: its part {part.filename} unpacks to "
                    f"{part.file_size // max(part.compress_size, 1):,} times its packed size "
                    f"(a real workbook packs less than {MAX_RATIO} times): a zip bomb, not a "
                    "workbook saved by Excel"
                )
        names = _sheet_names(archive)
        for part in parts:
            if not part.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(part) as sheet:
                start = sheet.read(64 * 1024)
            stated = DIMENSION.search(start)
            if stated is None:
                continue
            letters, last_row = stated[1].decode(), int(stated[2])
            width = _column_number(letters)
            where = f"{book}, sheet '{names.get(part.filename, part.filename)}'"
            if last_row - 1 > MAX_ROWS:
                raise refused(
                    where,
                    f"its used range runs to row {last_row:,}",
                    f"{MAX_ROWS:,} rows a table may hold (clear the rows below the data)",
                )
            if (last_row - 1) * width > MAX_CELLS:
                raise refused(
                    where,
                    f"its used range is {last_row:,} rows by {width:,} columns",
                    f"{MAX_CELLS:,} cells a table may hold",
                )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet name, from the workbook's own index (best effort)."""
    try:
        book = archive.read("xl/workbook.xml")[: 1024 * 1024].decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels")[: 1024 * 1024].decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    targets = {}
    for tag in re.finditer(r"<Relationship\b[^>]*>", rels):
        attributes = dict(re.findall(r'([\w:]+)="([^"]*)"', tag[0]))
        target = attributes.get("Target", "").lstrip("/").removeprefix("xl/")
        targets[attributes.get("Id")] = "xl/" + target
    names = {}
    for tag in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book):
        attributes = dict(re.findall(r'([\w:]+)="([^"]*)"', tag[0]))
        if attributes.get("r:id") in targets and "name" in attributes:
            names[targets[attributes["r:id"]]] = attributes["name"]
    return names


@dataclass(frozen=True)
class CellNote:
    """Something the reader noticed in a cell before any column rule was checked."""

    row: int
    column: str
    message: str
    warning: bool = False


@dataclass(frozen=True)
class RawTable:
    """One table exactly as supplied, every cell a string (blank cells are NA).

    `present` is False for a table the data do not have (the frame is then empty). For an Excel
    sheet, `letters` gives each column's letter, so a problem can name the cell (B3), and
    `notes` what the reader found in the cells (formulas without a value, ids Excel turned
    into dates)."""

    name: str
    source: str
    frame: pd.DataFrame
    present: bool = True
    letters: dict[str, str] = field(default_factory=dict)
    notes: tuple[CellNote, ...] = ()
    workbook: str | None = None
    """The Excel workbook the table was read from (None for CSV files)."""

    def row_number(self, index) -> int | None:
        return None if index is None else int(index) + FIRST_DATA_ROW

    def cell(self, index, column) -> str | None:
        """The spreadsheet cell ("B3") of a row index and column, where there is a sheet."""
        letter = self.letters.get(column) if column is not None else None
        return None if letter is None or index is None else f"{letter}{self.row_number(index)}"


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim whitespace, turn blank cells into NA and drop rows that are wholly blank."""
    frame = frame.rename(columns=lambda c: str(c).strip())
    frame = frame.apply(lambda col: col.map(lambda v: v.strip() if isinstance(v, str) else v))
    frame = frame.replace({"": pd.NA})
    return frame.dropna(how="all")


def _read_csv(path: Path) -> pd.DataFrame:
    _check_csv(path)
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
    return _tidy(frame)


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


def _date_text(value: datetime, number_format: str | None) -> str:
    """A date cell as text at the precision its format shows: Excel turns "May 2019" typed in a
    cell into 1 May 2019 shown as "May-19", so a format without the day is read as the month
    (without the month, as the year)."""
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    if "y" in shown and not any(mark in shown for mark in "dhs"):
        return value.strftime("%Y-%m") if "m" in shown else value.strftime("%Y")
    return value.date().isoformat() if value.time() == time() else value.isoformat()


def _excel_cell_to_text(value, number_format: str | None = None):
    """A cell's value as the text the validator reads: dates as YYYY-MM-DD (or YYYY-MM, YYYY as
    the cell's format shows them), whole numbers without ".0", TRUE/FALSE as yes/no, the
    workbook's own formula guard taken off."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _date_text(value, number_format)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return NEUTRALISED.sub("", value)
    return str(value)


def _sheet_table(name: str, sheet, formulas, book: Path) -> RawTable:
    """One sheet as a raw table: header from row 1, rows numbered as Excel numbers them."""
    spec = load_contract().get(name)
    id_columns = (
        {c.name for c in spec.columns.values() if c.type in ("id", "ids")} if spec else set()
    )
    rows = list(itertools.islice(sheet.iter_rows(), MAX_ROWS + 2))  # its used range may lie
    if len(rows) > MAX_ROWS + 1:
        raise refused(
            f"{book}, sheet '{sheet.title}'",
            f"more than {MAX_ROWS:,} rows",
            f"{MAX_ROWS:,} rows a table may hold",
        )
    header = [cell.value for cell in rows[0]] if rows else []
    width = max((len(row) for row in rows), default=0)
    columns, letters = [], {}
    for position in range(1, width + 1):
        letter = get_column_letter(position)
        title = header[position - 1] if position <= len(header) else None
        text = "" if title is None else str(title).strip()
        if text in columns:
            text = f"{text} (again, column {letter})"
        columns.append(text or f"(no header, column {letter})")
        letters[columns[-1]] = letter
    notes, records, index = [], [], []
    for number, row in enumerate(rows[1:], start=FIRST_DATA_ROW):
        record = {}
        for position, cell in enumerate(row[: len(columns)]):
            column, value = columns[position], cell.value
            if value is None and formulas.get((number, position)):
                notes.append(
                    CellNote(
                        number,
                        column,
                        "the cell holds a formula with no saved "
                        f"value ({formulas[(number, position)]}), read as blank: open the "
                        "workbook in Excel, let it calculate and save it, or type the value",
                        warning=True,
                    )
                )
            if column in id_columns and isinstance(value, datetime | date):
                notes.append(
                    CellNote(
                        number,
                        column,
                        "Excel has turned this id into "
                        f"a date ({_excel_cell_to_text(value)}): format the column as Text "
                        "and type the id again",
                    )
                )
            record[column] = _excel_cell_to_text(value, getattr(cell, "number_format", None))
        records.append(record)
        index.append(number - FIRST_DATA_ROW)
    frame = pd.DataFrame(records, columns=columns, index=index, dtype=object)
    unnamed = [c for c in columns if c.startswith("(no header") and frame[c].isna().all()]
    frame = _tidy(frame.drop(columns=unnamed))
    source = f"{book}, sheet '{sheet.title}'"
    return RawTable(name, source, frame, letters=letters, notes=tuple(notes), workbook=str(book))


def _formula_cells(book: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet, the formula of every cell that holds one, by (row, column position)."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    workbook = load_workbook(book, read_only=True, data_only=False)
    try:
        for sheet in workbook.worksheets:
            cells = found.setdefault(sheet.title, {})
            for number, row in enumerate(sheet.iter_rows(), start=1):
                for position, cell in enumerate(row):
                    if getattr(cell, "data_type", None) == "f":
                        cells[(number, position)] = str(cell.value)
    finally:
        workbook.close()
    return found


def _read_workbook(book: Path) -> dict[str, RawTable]:
    _check_workbook(book)
    try:
        formulas = _formula_cells(book)
        workbook = load_workbook(book, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataValidationError(
            [
                f"{book}: not a readable Excel workbook ({exc}): save it "
                "again from Excel as an .xlsx workbook"
            ]
        ) from exc
    tables = {}
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            if name in NOT_TABLES:
                continue
            tables[name] = _sheet_table(name, sheet, formulas.get(sheet.title, {}), book)
    finally:
        workbook.close()
    return tables


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


def _workbooks(folder: Path) -> list[Path]:
    """The Excel workbooks of a year's folder (not Excel's own "~$" lock files)."""
    return sorted(
        p
        for p in (folder.iterdir() if folder.is_dir() else ())
        if p.suffix.lower() in EXCEL_SUFFIXES and not p.name.startswith("~$")
    )


def _where(folder: Path, book: Path | None, name: str) -> str:
    """A table's place as messages name it: its CSV file, or its sheet of the workbook."""
    return f"{book}, sheet '{name}'" if book is not None else str(folder / f"{name}.csv")


def table_sources(partnership: str, year: str, data_dir: Path | None = None) -> dict[str, str]:
    """Where each table of a partnership-year is read from, as messages name it (a CSV file, or
    a sheet of the year's workbook), without reading the data: for warnings about tables
    already validated. "narrative" is a pattern with a `{block}` field: each block is a
    Markdown file of its own, or a row of the workbook's narrative sheet."""
    folder = year_folder(partnership, year, data_dir)
    book = next(iter(_workbooks(folder)), None)
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
    workbooks = _workbooks(folder)
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
        tables = _read_workbook(workbooks[0])
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
