"""A published table as accessible HTML: its caption, cells as published, notes and the
symbols it uses spelled out, or its sentence when it has no rows.

It lives beside `PublishedTable` (not in the render layer, which shows it) because the table's
own `_repr_html_` uses it: a table left as a cell's last line in JupyterLab shows as published.
"""

from __future__ import annotations

import html
from typing import Protocol

import jinja2
import pandas as pd

from workbook.core import paths


class PublishedTable(Protocol):
    """What the HTML reads of a `workbook.disclosure.published.PublishedTable` (named by what
    it needs, so that this module does not import the one that imports it)."""

    caption: str
    when_empty: str | None
    notes: str | None

    @property
    def empty(self) -> bool: ...
    @property
    def cells(self) -> pd.DataFrame: ...
    @property
    def numeric_columns(self) -> list[str]: ...
    @property
    def symbol_note(self) -> str | None: ...


_TABLE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "html")), autoescape=True
).get_template("table.html.j2")


SHORT = 11
"""A column whose values are all this long or shorter (a date "31 Mar 2020", a figure, a grade)
keeps each on one line: it fits any column."""
WORD = 24
"""A single word this long or shorter (an id "WE-TR-2324-01", a code) is kept whole: it would
otherwise break at its hyphen, "WE-" over "TR-2324-01"."""


def _kinds(rows: list[list], numeric: list[bool]) -> list[list[str]]:
    """Each cell's class: `num` for figures (right-aligned, never wrapped), `nowrap` for a
    value of a short column or a single word, none for text that may wrap."""
    columns = list(zip(*rows, strict=True)) if rows else []
    short = [max(len(str(value)) for value in column) <= SHORT for column in columns]

    def kind(value, column: int) -> str:
        if numeric[column] and column > 0:
            return "num"
        text = str(value)
        one_word = 0 < len(text) <= WORD and not any(c.isspace() for c in text)
        return "nowrap" if short[column] or one_word else ""

    return [[kind(value, column) for column, value in enumerate(row)] for row in rows]


def table_html(published: PublishedTable) -> str:
    """Accessible HTML for a published table (or its sentence when it has no rows)."""
    if published.empty:
        return (
            f'<p class="empty-table">{html.escape(published.when_empty)}</p>'
            if published.when_empty
            else ""
        )
    cells = published.cells
    numeric = [column in published.numeric_columns for column in cells.columns]
    rows = [list(row) for row in cells.itertuples(index=False)]
    return _TABLE.render(
        caption=published.caption,
        columns=list(cells.columns),
        rows=rows,
        numeric=numeric,
        kinds=_kinds(rows, numeric),
        notes=published.notes,
        symbols=published.symbol_note,
    )
