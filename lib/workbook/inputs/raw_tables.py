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
    """Trim whitespace, turn blank cells into NA and drop rows that are wholly blank."""
    frame = frame.rename(columns=lambda c: str(c).strip())
    frame = frame.apply(lambda col: col.map(lambda v: v.strip() if isinstance(v, str) else v))
    frame = frame.replace({"": pd.NA})
    return frame.dropna(how="all")
