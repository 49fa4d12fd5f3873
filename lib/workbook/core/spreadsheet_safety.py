"""Cells a spreadsheet would run as a formula, made inert before the workbook writes them.

Ids and free text come from many agencies: a finding that starts with `=HYPERLINK(...)`, `+`,
`-`, `@`, a tab or a carriage return is run as a formula when the CSV is opened in Excel or
LibreOffice (CSV or formula injection), and openpyxl writes such a string as a formula too.
OWASP's rule is applied: such a cell gets a single quote in front, which spreadsheets show as
text. A cell that is a plain number ("-5", "+3.2") is left alone: a spreadsheet reads it as a
number, never as a formula, and the quote would spoil it. Every CSV or Excel file the workbook
writes goes through `neutralise_frame` (or `write_csv`);
tests/unit/core/test_spreadsheet_safety.py holds a test per writer.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import IO

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of first characters that make a spreadsheet evaluate a cell."""
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def neutralise(value):
    """`value` as a spreadsheet will show it and never evaluate it: text starting with
    = + - @ tab or carriage return gets a leading single quote; anything else is unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell, and every column name, passed through
    `neutralise` (numbers, dates and missing values are left as they are)."""
    safe = frame.copy()
    safe.columns = [neutralise(column) for column in frame.columns]
    for position, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            safe.isetitem(position, frame.iloc[:, position].map(neutralise, na_action="ignore"))
    return safe


def write_csv(frame: pd.DataFrame, target: str | Path | IO[str]) -> None:
    """Write `frame` as CSV (without its index) with every cell made inert and every text cell
    in double quotes (OWASP's second rule: a carriage return inside a cell stays inside it)."""
    neutralise_frame(frame).to_csv(target, index=False, quoting=csv.QUOTE_NONNUMERIC)
