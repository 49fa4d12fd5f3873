"""How a section notebook shows things: accessible HTML for headings, text, tables and charts.

Every output a board member reads goes through here, so that each table has a caption and header
cells, each chart has alt text and is embedded (SVG, so the PDF keeps vector graphics), every
count is published through small-number suppression and every piece of free text is escaped.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import warnings

import jinja2
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from workbook.core import paths
from workbook.disclosure.suppression import suppress_small_counts
from workbook.text.narrative import render_narrative
from workbook.text.safety import render_markdown

PALETTE = "colorblind"
"""Seaborn's colour-blind-safe palette (Okabe-Ito style) for every chart."""

_TABLE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "html")), autoescape=True
).get_template("table.html.j2")


def setup_notebook() -> None:
    """Quiet, consistent notebooks: no warnings in published output, one chart style."""
    warnings.filterwarnings("ignore")
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    matplotlib.use("agg")
    sns.set_theme(style="whitegrid", palette=PALETTE, context="notebook")
    plt.rcParams.update({"svg.fonttype": "none", "figure.dpi": 100,
                         "font.family": "DejaVu Sans"})


def _show(markup: str) -> None:
    display(HTML(markup))


def heading(text: str, level: int = 2) -> None:
    """A section heading (the section title is h1; parts of it h2, h3)."""
    _show(f"<h{level}>{html.escape(text)}</h{level}>")


def paragraph(text: str) -> None:
    _show(f"<p>{html.escape(text)}</p>")


def analyst_block(report, block: str, heading_text: str | None = None) -> bool:
    """Show an analyst-written Markdown block from the data, if the partnership supplied it,
    under `heading_text` (an h2, shown only with the block: no heading over nothing)."""
    blocks = report.tables["narrative"]
    rows = blocks.loc[blocks["block"] == block, "markdown"]
    if rows.empty:
        return False
    if heading_text:
        heading(heading_text)
    _show(f'<div class="analyst-text">{render_markdown(rows.iloc[0])}</div>')
    return True


def narrative(template: str, report, **facts) -> None:
    """Generated narrative from a Jinja2 template, with the partnership's threshold in force."""
    body = render_narrative(template, report.threshold, partnership=report.partnership,
                            year=report.year, **facts)
    _show(f'<div class="narrative">{body}</div>')


def table(frame: pd.DataFrame, caption: str, report, count_columns=(), rate_columns=None,
          notes: str | None = None, row_total: str | None = None, total_row=None,
          row_parts=None) -> None:
    """A published table: counts suppressed under the threshold, header cells, a caption.

    `rate_columns` maps a rate or percentage column to the count column it is built on, so
    that a rate on a suppressed count is suppressed with it. `row_total` (a column) and
    `total_row` (a label in the first column) declare published totals, so that no suppressed
    cell can be worked out from them; `row_parts` groups the columns that add up to `row_total`
    when it is broken down more than one way.
    """
    published = suppress_small_counts(frame, threshold=report.threshold,
                                      count_columns=list(count_columns),
                                      rate_columns=rate_columns or {}, row_total=row_total,
                                      total_row=total_row, row_parts=row_parts)
    _show(table_html(published, caption, notes))


def table_html(frame: pd.DataFrame, caption: str, notes: str | None = None) -> str:
    """Accessible HTML for a table already fit to publish (every cell formatted)."""
    rows = [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) or c in frame.attrs.get("numeric", ())
               for c in frame.columns]
    return _TABLE.render(caption=caption, columns=list(frame.columns), rows=rows,
                         numeric=numeric, notes=notes)


def chart(fig, alt: str, caption: str) -> None:
    """Embed a matplotlib figure as SVG with alt text and a caption, then close it."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    _show(
        f'<figure class="chart"><img src="data:image/svg+xml;base64,{encoded}" '
        f'alt="{html.escape(alt, quote=True)}"/>'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def findings_lists(items: list[dict], level: int = 3) -> None:
    """Per review or audit, its findings grouped by kind, each finding escaped as text."""
    titles = {"strength": "Strengths", "area_for_development": "Areas for development",
              "learning": "Learning", "recommendation": "Recommendations",
              "satisfactory": "Found satisfactory"}
    parts = []
    for item in items:
        parts.append(f"<h{level}>{html.escape(str(item['title']))}</h{level}>")
        for kind, title in titles.items():
            if item.get(kind):
                entries = "".join(f"<li>{html.escape(text)}</li>" for text in item[kind])
                parts.append(f"<p><strong>{title}</strong></p><ul>{entries}</ul>")
    _show("".join(parts))
