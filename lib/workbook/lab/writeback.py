"""Writing the analyst's themes back into the year's findings table, the file the year is read
from: `findings.csv`, or the `findings` sheet of the year's Excel workbook.

Only the `themes` cells of the findings decided are changed. In a CSV every other record is
kept byte for byte (its quoting, line ending, blank lines and the file's byte-order mark), and
a changed record is written back with the quoting that reproduces its original text where one
does; a file without a `themes` column gets one, appended after the last column, so no other
cell moves. In a workbook the sheet's cells are set through openpyxl, which keeps the other
cells, formats and drop-down lists. Either way the new file is checked before it replaces the
old (every other cell read back unchanged) and replaces it in one step, so a failure leaves
the year's data as it was.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook

from workbook.core.errors import DataError
from workbook.core.paths import year_folder
from workbook.inputs.excel import EXCEL_SUFFIXES

TABLE = "findings"
ID_COLUMN = "finding_id"
THEMES_COLUMN = "themes"
THEME_ID = re.compile(r"[a-z0-9_]+")
"""How the codebook's theme ids are written: all that is ever written into a themes cell."""
_BOM = "\ufeff"


def themes_cell(themes: list[str]) -> str:
    """The `themes` cell of a list of theme ids, as the contract writes it ("a;b")."""
    return ";".join(themes)


def findings_file(partnership: str, year: str, data_dir: Path | None = None) -> Path:
    """The file a year's findings are read from: its Excel workbook, else findings.csv."""
    folder = year_folder(partnership, year, data_dir)
    books = sorted(
        p
        for p in (folder.iterdir() if folder.is_dir() else ())
        if p.suffix.lower() in EXCEL_SUFFIXES and not p.name.startswith("~$")
    )
    if books:
        return books[0]
    csv_file = folder / f"{TABLE}.csv"
    if not csv_file.is_file():
        raise DataError(f"{folder}: no findings.csv (or Excel workbook) to save the themes in")
    return csv_file


def write_analyst_themes(
    partnership: str, year: str, themes: Mapping[str, list[str]], data_dir: Path | None = None
) -> Path:
    """Set the analyst's themes of the findings named in `themes` (finding id: theme ids; an
    empty list clears the analyst's coding, so the automatic coding counts again); return the
    file written."""
    odd = [t for ids in themes.values() for t in ids if not THEME_ID.fullmatch(str(t))]
    if odd:  # ids only: nothing a spreadsheet would run, nothing that breaks the list
        raise DataError(f"not theme ids: {', '.join(map(repr, odd))} (ids are like neglect)")
    target = findings_file(partnership, year, data_dir)
    cells = {str(finding): themes_cell(list(ids)) for finding, ids in themes.items()}
    if target.suffix.lower() in EXCEL_SUFFIXES:
        _write_workbook(target, cells)
    else:
        _write_csv(target, cells)
    return target


# ---- CSV -------------------------------------------------------------------------------------


def _records(text: str) -> list[tuple[list[str], str]]:
    """Each CSV record as parsed and as written (its physical lines, line ending included)."""
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(lines)
    records, start = [], 0
    for row in reader:
        records.append((row, "".join(lines[start : reader.line_num])))
        start = reader.line_num
    return records


def _ending(raw: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if raw.endswith(ending):
            return ending
    return ""


def _rewritten(row: list[str], raw: str, new_row: list[str]) -> str:
    """`new_row` written as a CSV record in place of `raw` (which reads as `row`): with the
    quoting that reproduces `raw` where one does (Excel quotes what needs it; the workbook's own
    files quote all text), so that the cells left alone keep their bytes; its line ending."""
    ending = _ending(raw)
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL):
        before = io.StringIO()
        csv.writer(before, quoting=quoting, lineterminator=ending).writerow(row)
        if before.getvalue() == raw:
            break
    else:
        quoting = csv.QUOTE_MINIMAL
    after = io.StringIO()
    csv.writer(after, quoting=quoting, lineterminator=ending).writerow(new_row)
    return after.getvalue()


def _write_csv(path: Path, cells: dict[str, str]) -> None:
    original = path.read_bytes()
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (save it as 'CSV UTF-8'): {exc}") from None
    bom = text.startswith(_BOM)
    records = _records(text.removeprefix(_BOM))
    if not records:
        raise DataError(f"{path}: the file is empty (it needs a header row)")
    header = [name.strip() for name in records[0][0]]
    if ID_COLUMN not in header:
        raise DataError(f"{path}: no {ID_COLUMN} column (columns: {', '.join(header)})")
    identity = header.index(ID_COLUMN)
    added = THEMES_COLUMN not in header
    position = len(header) if added else header.index(THEMES_COLUMN)
    rows_by_id = {
        row[identity].strip(): number
        for number, (row, _) in enumerate(records[1:], start=1)
        if len(row) > identity
    }
    _check_known(path, cells, rows_by_id)
    expected, out = [], []
    for number, (row, raw) in enumerate(records):
        finding = row[identity].strip() if number and len(row) > identity else None
        if number == 0 and added:
            new_row = [*row, THEMES_COLUMN]
        elif row and number and (added or finding in cells):
            new_row = [*row, *[""] * (position + 1 - len(row))]
            new_row[position] = cells.get(finding, new_row[position])
        else:
            expected.append(row)
            out.append(raw)
            continue
        expected.append(new_row)
        out.append(_rewritten(row, raw, new_row))
    new_text = (_BOM if bom else "") + "".join(out)
    if [row for row, _ in _records(new_text.removeprefix(_BOM))] != expected:
        raise DataError(f"{path}: the themes could not be written without changing other cells")
    _replace(path, new_text.encode("utf-8"))


# ---- Excel -----------------------------------------------------------------------------------


def _id_text(value) -> str:
    """A cell's id as the reader reads it (a whole number typed as a number reads "101")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _write_workbook(path: Path, cells: dict[str, str]) -> None:
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        with_formula = [
            f"sheet '{sheet.title}', cell {cell.coordinate}"
            for sheet in formulas.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        ]
    finally:
        formulas.close()
    if with_formula:
        raise DataError(
            f"{path}: holds formulas ({'; '.join(with_formula[:3])}), whose calculated values "
            "would be lost if the workbook were saved outside Excel; replace them with their "
            "values in Excel (copy, paste values), then save the themes again"
        )
    book = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    sheets = [s for s in book.worksheets if s.title.strip().lower() == TABLE]
    if not sheets:
        raise DataError(f"{path}: no '{TABLE}' sheet to save the themes in")
    sheet = sheets[0]
    header = [_id_text(cell.value) for cell in sheet[1]]
    if ID_COLUMN not in header:
        raise DataError(f"{path}, sheet '{sheet.title}': no {ID_COLUMN} column in row 1")
    identity = header.index(ID_COLUMN) + 1
    if THEMES_COLUMN in header:
        column = header.index(THEMES_COLUMN) + 1
    else:
        column = len(header) + 1
        sheet.cell(row=1, column=column, value=THEMES_COLUMN)
    rows_by_id = {
        _id_text(sheet.cell(row=number, column=identity).value): number
        for number in range(2, sheet.max_row + 1)
    }
    rows_by_id.pop("", None)
    _check_known(f"{path}, sheet '{sheet.title}'", cells, rows_by_id)
    for finding, value in cells.items():
        sheet.cell(row=rows_by_id[finding], column=column, value=value or None)
    buffer = io.BytesIO()
    book.save(buffer)
    _replace(path, buffer.getvalue())


# ---- both ------------------------------------------------------------------------------------


def _check_known(where, cells: dict[str, str], rows_by_id: dict[str, int]) -> None:
    unknown = [finding for finding in cells if finding not in rows_by_id]
    if unknown:
        raise DataError(f"{where}: no finding {', '.join(unknown)} to save themes for")


def _replace(path: Path, content: bytes) -> None:
    """Write `content` beside `path` and move it into its place in one step (a failure leaves
    the file as it was), keeping the file's permissions."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
