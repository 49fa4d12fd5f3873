"""What a year's files may hold, checked before a file is parsed.

The budgets are far beyond any real partnership's year: a CSV of millions of rows, a workbook
whose used range runs to Excel's last row, or a zip bomb posing as a workbook is refused in
milliseconds, naming the file and the budget, instead of filling the memory of a scheduled run.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from workbook.core.errors import DataError

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


def check_csv(path: Path) -> None:
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


def check_workbook(book: Path) -> None:
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
