"""How a section notebook shows things: accessible HTML for headings, text, tables and charts.

Every output a board member reads goes through here, so that each table has a caption and header
cells (and the meaning of any `c`, `x` or `z` under it), each chart has alt text and is embedded
(SVG, so the PDF keeps vector graphics), every figure is shown as its `PublishedTable` publishes
it (the only kind of table shown here) and every piece of free text is escaped. Each such output
is marked with its audience in its metadata (the board, or the analyst's companion): the
publication gate publishes those and nothing else.
Nothing here returns a value, so a notebook cell never ends with a stray `Out: True`.

The kernel is the analyst's: nothing here changes the matplotlib backend, its style or the
warnings filters (the charts draw in a style of their own, see `workbook.render.charts`). What
is shown only in JupyterLab (the stylesheet, the labels on raw frames, interactive listings) is
shown outside a `workbook run` alone, and never marked for publication.
"""

from __future__ import annotations

import base64
import html
import io
from functools import cache

import pandas as pd
from IPython import get_ipython
from IPython.display import HTML, display

from workbook.core import paths, settings
from workbook.disclosure.published import PublishedTable
from workbook.disclosure.table_html import table_html
from workbook.render import charts
from workbook.render.appendix import Listing, hand_over
from workbook.text.labels import codes, label
from workbook.text.narrative import listed, render_narrative
from workbook.text.safety import render_markdown

RAW_LABEL = "NOT FOR PUBLICATION: raw figures, before disclosure control"
"""The label on every raw table an analyst shows in JupyterLab."""

SECTION_NOTE = (
    "Section notebook: what workbook.render.display shows is what the board pack publishes. "
    "Anything else shown here (a frame, print, your own chart) is left out of every published "
    "file and named in the run's summary; explore freely in notebooks/explore.ipynb."
)


def setup_notebook() -> None:
    """In JupyterLab: the stylesheet that shows tables as the board reads them (Lab's own
    right-aligns every cell and breaks ids), a note on what is published, and raw frames
    labelled not for publication (`label_raw_frames`). Nothing in a `workbook run`, and
    nothing else anywhere: the backend, style and warnings stay the analyst's."""
    if paths.in_publishing_run():
        return
    lab_stylesheet()
    display(HTML(f'<p class="workbook-note">{SECTION_NOTE}</p>'))
    label_raw_frames()


def lab_stylesheet() -> None:
    """Show, in JupyterLab, the stylesheet that sets the display layer's tables as the board
    pack does (its rules apply to those tables alone)."""
    display(HTML(f"<style>{_lab_css()}</style>"))


@cache
def _lab_css() -> str:
    return (paths.TEMPLATES_DIR / "html" / "lab.css").read_text(encoding="utf-8")


def label_raw_frames() -> None:
    """Label every pandas table and series the analyst shows in this kernel (`placements.frame`,
    `report.tables["findings"]`, a groupby) "NOT FOR PUBLICATION": they hold the figures before
    anything is withheld. Pandas draws them as usual under the label; outside IPython it does
    nothing."""
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, _raw_html)
    for kind in (pd.DataFrame, pd.Series):
        formatters["text/plain"].for_type(kind, _raw_text)


def raw_banner() -> str:
    """The label over raw figures, as HTML (also over the scratch notebook's tables)."""
    return f'<p class="workbook-raw-label" style="color:#b00;font-weight:bold">{RAW_LABEL}</p>'


def _raw_html(frame: pd.DataFrame) -> str | None:
    shown = frame._repr_html_()  # pandas' own HTML, under its display options
    if shown is None:
        return None
    return f'<div style="border:3px solid #b00;padding:4px">{raw_banner()}{shown}</div>'


def _raw_text(value, printer, cycle) -> None:
    printer.text(f"{RAW_LABEL}\n{value!r}")


def interactive_table(frame: pd.DataFrame, **options):
    """A table to sort and filter in JupyterLab (an itables widget): every column sortable,
    a search box over all of them and a search under each heading. Never published; the
    caller shows its caption above it."""
    # itables' widget loads only where a table is shown to sort and filter (JupyterLab)
    from itables.widget import ITable

    return ITable(
        frame,
        showIndex=False,
        classes="display compact",
        style="table-layout:auto;width:100%",
        columnControl=["order", "searchDropdown"],
        # the search box even over a table of one page (itables' default layout leaves it out)
        layout={"topStart": "info", "topEnd": "search", "bottomStart": "pageLength"},
        maxBytes=0,
        **options,
    )


BOARD, ANALYST = "board", "analyst"
"""Who an output is for: the board pack (and the section pages), or only the analyst's
companion beside it (data notes, methods, coder agreement, what to check). The audience travels
in the output's metadata, where publishing reads it: it is also the mark of an output made for
publication, and the publication gate keeps no output without one."""


def _show(markup: str, audience: str = BOARD) -> None:
    """Show markup made for publication, marked with its audience (the gate's mark)."""
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


def analyst_table(published: PublishedTable) -> None:
    """A long table for the analyst alone: in a `workbook run`, the companion's (as `table`
    shows it, for the analyst); in JupyterLab, to sort and filter (never published)."""
    if paths.in_publishing_run():
        table(published, ANALYST)
        return
    display(HTML(f"<p>{html.escape(published.caption)}</p>"))
    display(interactive_table(published.cells))


def appendix(published: PublishedTable, sheet: str, anchor: str | None = None) -> None:
    """Every row of a listing, for the appendix beside the board pack (a sheet of
    appendix.xlsx and a table of appendix.html), published as the pack publishes it. In a
    `workbook run` it is handed to the runner and shows nothing in the section; in JupyterLab
    the analyst sees it as published, to sort and filter. `anchor`: the column of ids a reader
    can search or link to."""
    folder = settings.appendix_dir()
    if folder:
        hand_over(Listing.of(published, sheet, anchor), folder)
    elif published.empty:
        display(
            HTML(
                f"<p>Appendix, {html.escape(sheet)}: {html.escape(published.when_empty or '')}</p>"
            )
        )
    else:
        display(
            HTML(f"<h3>Appendix: {html.escape(sheet)}</h3><p>{html.escape(published.caption)}</p>")
        )
        display(interactive_table(published.cells))
        if published.symbol_note:
            display(HTML(f'<p class="table-note">{html.escape(published.symbol_note)}</p>'))


def chart(drawn, caption: str, otherwise: str | None = None, audience: str = BOARD) -> None:
    """Embed a chart (a `(figure, alt text)` pair from `workbook.render.charts`) as SVG with its
    alt text and caption. A chart function gives None where a chart would carry no information
    (too few years for a trend, nothing but zeros or withheld figures): then the board reads
    `otherwise` where the section gives a reason worth its reading, and nothing where not (a
    heading left with nothing under it is not published); the analyst's companion says which
    chart was not drawn and why."""
    if drawn is None:
        if otherwise:
            paragraph(otherwise, audience)
        else:
            paragraph(no_chart(caption), ANALYST)
        return
    fig, alt = drawn
    buffer = io.StringIO()
    with charts.style():
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    _show(
        f'<figure class="chart"><img src="data:image/svg+xml;base64,{encoded}" '
        f'alt="{html.escape(alt, quote=True)}"/>'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>",
        audience,
    )


def no_chart(caption: str) -> str:
    """The sentence shown where a chart cannot be drawn, naming the chart by its caption."""
    return (
        f"No chart of this is drawn ({caption.rstrip('.')}): there are too few figures to "
        "chart, or none but zeros and withheld figures."
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
                f'<p class="more">And {more:,} more {"finding" if more == 1 else "findings"} '
                f"of this {noun[:-1]}: "
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
    shared = f" Also from {html.escape(listed(also))}." if also else ""
    return referenced(f"{html.escape(entry['text'])}{shared}", entry["id"])


def referenced(text: str, ref: str) -> str:
    """Text (HTML) with its id after it, to find it in the appendix. The space before the id is
    inside the id's span: a space between running text and an inline box let WeasyPrint break
    a list item after its first word ("The" alone on a line, the rest below it)."""
    return f'{text}<span class="ref"> ({html.escape(ref)})</span>'


def theme_listings(themes: list[dict], where: str, level: int = 3) -> None:
    """Per leading theme, its key findings and what was done (see `thematic_review.theme_leads`),
    each with its id and its other themes, so that a finding or action under several themes is
    printed once; how many were listed above and how many more there are. Where the rest are
    (`where`: `appendix.in_appendix`) is said once, above the themes, not under each (it took
    two lines a theme). Nothing where there are none."""
    parts = []
    if any(theme["more_findings"] or theme["more_actions"] for theme in themes):
        parts.append(
            f'<p class="more">Under each theme, its leading findings and what was done; '
            f"every one of them is in {html.escape(where)}.</p>"
        )
    for theme in themes:
        parts.append(f"<h{level}>{html.escape(theme['theme'])}</h{level}>")
        for key, title in (("findings", "Key findings"), ("actions", "What was done")):
            if theme[key]:
                entries = "".join(f"<li>{_themed(item)}</li>" for item in theme[key])
                parts.append(f"<p><strong>{title}</strong></p><ul>{entries}</ul>")
            more = _more(key, theme[f"above_{key}"], theme[f"more_{key}"])
            if more:
                parts.append(f'<p class="more">{html.escape(more)}</p>')
    _show("".join(parts))


def _themed(entry: dict) -> str:
    """A finding or action of a theme: its kind (for a finding), its text, its other themes and
    its id."""
    # A finding that opens with its kind's word ("Learning for the partnership: ...") is not
    # given it again ("Learning: Learning for the partnership: ...").
    said = str(entry.get("kind") or "")
    opens_with_it = said and entry["text"].casefold().startswith(said.casefold())
    kind = f"{html.escape(said)}: " if said and not opens_with_it else ""
    others = entry.get("themes") or []
    also = f" Also coded to {html.escape(listed(others))}." if others else ""
    return referenced(f"{kind}{html.escape(entry['text'])}{also}", entry["id"])


def _more(noun: str, above: int, more: int) -> str:
    """How many more of a theme's findings (or actions) there are: listed above, under an
    earlier theme, and elsewhere (the appendix, said once above the themes)."""
    one = noun[:-1]
    listed = (
        f"{above:,} other {one if above == 1 else noun} on this theme "
        f"{'is' if above == 1 else 'are'} listed above"
    )
    if above and more:
        return f"{listed}; and {more:,} more."
    if above:
        return f"{listed}."
    if more:
        return f"And {more:,} more {noun} on this theme."
    return ""
