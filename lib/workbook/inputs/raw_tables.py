"""A table of a year exactly as supplied, every cell a string, before any column rule is
checked: what the readers of CSV files and Excel workbooks make, and what validation reads."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

FIRST_DATA_ROW = 2
"""Row numbers in messages are those a spreadsheet shows: the header is row 1, and blank lines
count, as they do in a spreadsheet and a text editor."""


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


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim whitespace, turn blank cells into NA and drop rows that are wholly blank.

    Column by column over plain lists, each column keeping its type: a year has some twenty
    tables, and pandas' `apply` and `replace` over them were a fifth of validating it."""
    frame = frame.set_axis([str(c).strip() for c in frame.columns], axis=1)
    tidied = frame.copy()
    for position, (_, column) in enumerate(frame.items()):
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            cells = [_trimmed(value) for value in column.tolist()]
            tidied.isetitem(position, pd.Series(cells, index=column.index, dtype=column.dtype))
    return tidied.dropna(how="all")


def _trimmed(value):
    """A text cell without its surrounding spaces, NA where nothing is left; others as they are."""
    if isinstance(value, str):
        value = value.strip()
        return value if value else pd.NA
    return value
