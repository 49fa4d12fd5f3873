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
        notes=published.notes,
        symbols=published.symbol_note,
    )
