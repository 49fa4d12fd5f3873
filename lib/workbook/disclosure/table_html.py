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
"""A value this long or shorter (a date "31 Mar 2020", a figure, a grade) fits any column."""
TOKEN = 24
"""A single word this long or shorter (an id "BCSSP-CSPR-1", a code) is read whole."""


def _unbroken(values: list) -> bool:
    """Whether a column's values are each kept on one line: every value short, or every value
    one word (an id or code breaks at its hyphen otherwise, "BCSSP-" over "CSPR-1")."""
    texts = [str(value) for value in values]
    if not texts:
        return False
    longest = max(len(text) for text in texts)
    one_word = not any(part.isspace() for text in texts for part in text)
    return longest <= SHORT or (one_word and longest <= TOKEN)


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
        unbroken=[_unbroken([row[i] for row in rows]) for i in range(len(cells.columns))],
        notes=published.notes,
        symbols=published.symbol_note,
    )
