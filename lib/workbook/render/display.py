"""How a section notebook shows things: accessible HTML for headings, text, tables and charts.

Every output a board member reads goes through here, so that each table has a caption and header
cells, each chart has alt text and is embedded (SVG, so the PDF keeps vector graphics), every
figure is shown as its `PublishedTable` publishes it (the only kind of table shown here) and
every piece of free text is escaped. Nothing here returns a value, so a notebook cell never ends
with a stray `Out: True`.
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
import seaborn as sns
from IPython.display import HTML, display

from workbook.core import paths, settings
from workbook.disclosure.published import PublishedTable
from workbook.render.appendix import Listing, hand_over
from workbook.text.labels import codes, label
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
    plt.rcParams.update({"svg.fonttype": "none", "figure.dpi": 100, "font.family": "DejaVu Sans"})


BOARD, ANALYST = "board", "analyst"
"""Who an output is for: the board pack (and the section pages), or only the analyst's
companion beside it (data notes, methods, coder agreement, what to check). The audience travels
in the output's metadata, where publishing reads it."""


def _show(markup: str, audience: str = BOARD) -> None:
    if markup:
        display(HTML(markup), metadata={"workbook": {"audience": audience}})


def heading(text: str, level: int = 2, audience: str = BOARD) -> None:
    """A section heading (the section title is h1; parts of it h2, h3)."""
    _show(f"<h{level}>{html.escape(text)}</h{level}>", audience)


def paragraph(text: str, audience: str = BOARD) -> None:
    _show(f"<p>{html.escape(text)}</p>", audience)


def analyst_block(report, block: str, heading_text: str | None = None) -> None:
    """Show an analyst-written Markdown block from the data, if the partnership supplied it,
    under `heading_text` (an h2, shown only with the block: no heading over nothing)."""
    text = report.block(block)
    if text is None:
        return
    if heading_text:
        heading(heading_text)
    _show(f'<div class="analyst-text">{render_markdown(text)}</div>')


def narrative(template: str, report, audience: str = BOARD, **facts) -> None:
    """Generated narrative from a Jinja2 template, with the partnership's threshold in force."""
    body = render_narrative(
        template, report.threshold, partnership=report.partnership, year=report.year, **facts
    )
    if body.strip():  # nothing recorded, nothing said: no empty block under a heading
        _show(f'<div class="narrative">{body}</div>', audience)


def table(published: PublishedTable, audience: str = BOARD) -> None:
    """A table as the board reads it: its caption, header cells, every figure as the table's
    disclosure rules publish it; a sentence instead when it has no rows."""
    _show(table_html(published), audience)


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
    )


def appendix(published: PublishedTable, sheet: str, anchor: str | None = None) -> None:
    """Every row of a listing, for the appendix beside the board pack (a sheet of
    appendix.xlsx and a table of appendix.html), published as the pack publishes it. In a
    `workbook run` it is handed to the runner and shows nothing in the section; in JupyterLab
    the analyst sees the table. `anchor`: the column of ids a reader can search or link to."""
    folder = settings.appendix_dir()
    if folder:
        hand_over(Listing.of(published, sheet, anchor), folder)
    else:
        heading(f"Appendix: {sheet}", level=3)
        table(published)


def chart(drawn, caption: str, otherwise: str | None = None, audience: str = BOARD) -> None:
    """Embed a chart (a `(figure, alt text)` pair from `workbook.render.charts`) as SVG with its
    alt text and caption, then close it. A chart function gives None where a chart would carry
    no information (nothing but zeros): then `otherwise` is said instead, if given."""
    if drawn is None:
        if otherwise:
            paragraph(otherwise, audience)
        return
    fig, alt = drawn
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    _show(
        f'<figure class="chart"><img src="data:image/svg+xml;base64,{encoded}" '
        f'alt="{html.escape(alt, quote=True)}"/>'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>",
        audience,
    )


def findings_lists(
    items: list[dict],
    level: int = 3,
    limit: int | None = None,
    noun: str = "",
    where: str = "",
    per_source: int | None = None,
) -> None:
    """Per review or audit, its findings grouped by kind, each finding escaped as text; nothing
    where there are none (the heading above is then left out, and what the year could not show
    is said once, at the end of the pack). With a `limit`, the first `limit` reviews or audits
    (`noun`) with at most `per_source` findings each (default: `limit`), and how many more
    there are and `where`."""
    if not items:
        return
    each = per_source if per_source is not None else limit
    parts = []
    for item in items[:limit]:
        parts.append(f"<h{level}>{html.escape(str(item['title']))}</h{level}>")
        quota = _shares(item, each)
        for kind in codes("kind_heading"):
            shown = (item.get(kind) or [])[: quota[kind]]
            if shown:
                entries = "".join(f"<li>{_finding(entry)}</li>" for entry in shown)
                title = html.escape(label("kind_heading", kind))
                parts.append(f"<p><strong>{title}</strong></p><ul>{entries}</ul>")
        more = sum(len(item.get(kind) or []) for kind in codes("kind_heading")) - (each or 0)
        if each is not None and more > 0:
            parts.append(
                f'<p class="more">And {more:,} more findings of this {noun[:-1]}: '
                f"{html.escape(where)}.</p>"
            )
    if limit is not None and len(items) > limit:
        parts.append(
            f'<p class="more">And {len(items) - limit:,} more {noun} with findings: '
            f"{html.escape(where)}.</p>"
        )
    _show("".join(parts))


def _shares(item: dict, limit: int | None) -> dict[str, int]:
    """How many findings of each kind a review or audit shows: all without a limit, else
    `limit` shared out in turn between its kinds (so strengths do not crowd out the areas for
    development)."""
    counts = {kind: len(item.get(kind) or []) for kind in codes("kind_heading")}
    if limit is None:
        return counts
    quota = dict.fromkeys(counts, 0)
    left = limit
    while left and any(quota[k] < counts[k] for k in counts):
        for kind in counts:
            if left and quota[kind] < counts[kind]:
                quota[kind] += 1
                left -= 1
    return quota


def _finding(entry) -> str:
    """A finding's text, with its id after it where it has one (to find it in the appendix),
    and the other reviews or audits it also comes from (`also`), so that a finding shared by
    several is printed once."""
    if isinstance(entry, str):
        return html.escape(entry)
    also = entry.get("also") or []
    shared = f" Also from {html.escape(_listed(also))}." if also else ""
    return (
        f"{html.escape(entry['text'])}{shared} "
        f'<span class="ref">({html.escape(entry["id"])})</span>'
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def theme_listings(themes: list[dict], where: dict[str, str], level: int = 3) -> None:
    """Per leading theme, its key findings and what was done (see `thematic_review.theme_leads`),
    each with its id and its other themes, so that a finding or action under several themes is
    printed once; how many were listed above and how many more there are, and `where` (per
    "findings", "actions"). Nothing where there are none."""
    parts = []
    for theme in themes:
        parts.append(f"<h{level}>{html.escape(theme['theme'])}</h{level}>")
        for key, title in (("findings", "Key findings"), ("actions", "What was done")):
            if theme[key]:
                entries = "".join(f"<li>{_themed(item)}</li>" for item in theme[key])
                parts.append(f"<p><strong>{title}</strong></p><ul>{entries}</ul>")
            more = _more(key, theme[f"above_{key}"], theme[f"more_{key}"], where.get(key, ""))
            if more:
                parts.append(f'<p class="more">{html.escape(more)}</p>')
    _show("".join(parts))


def _themed(entry: dict) -> str:
    """A finding or action of a theme: its kind (for a finding), its text, its other themes and
    its id."""
    kind = f"{html.escape(entry['kind'])}: " if entry.get("kind") else ""
    others = entry.get("themes") or []
    also = f" Also coded to {html.escape(_listed(others))}." if others else ""
    return (
        f"{kind}{html.escape(entry['text'])}{also} "
        f'<span class="ref">({html.escape(entry["id"])})</span>'
    )


def _more(noun: str, above: int, more: int, where: str) -> str:
    """How many more of a theme's findings (or actions) there are: listed above, under an
    earlier theme, and elsewhere (`where`)."""
    one = noun[:-1]
    listed = (
        f"{above:,} other {one if above == 1 else noun} on this theme "
        f"{'is' if above == 1 else 'are'} listed above"
    )
    if above and more:
        return f"{listed}; and {more:,} more: {where}."
    if above:
        return f"{listed}."
    if more:
        return f"And {more:,} more {noun} on this theme: {where}."
    return ""
