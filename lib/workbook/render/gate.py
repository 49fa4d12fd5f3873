"""The publication gate: of an executed section notebook, only the outputs the display layer
(`workbook.render.display`) marked for publication are kept, each for its audience (the board,
or the analyst's companion); everything else a notebook shows is dropped and said, cell by cell,
in the run's warnings. Headings left with nothing under them go too."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

BOARD, ANALYST = "board", "analyst"
"""Who a displayed output is for (`workbook.render.display` puts it in the output's metadata):
the board pack and section pages, or the analyst's companion. The mark is also what makes an
output publishable at all: the publication gate (`gate`) keeps no output without it."""


def audience(output) -> str | None:
    """Who an output is for, as the display layer marked it; None for any output the display
    layer did not make for publication (an analyst's own display, a last value, a stream)."""
    if output.output_type != "display_data":
        return None
    mark = output.get("metadata", {}).get("workbook")
    said = mark.get("audience") if isinstance(mark, dict) else None
    return said if said in (BOARD, ANALYST) else None


@dataclass(frozen=True)
class LeftOut:
    """A cell of a section notebook whose outputs (or Markdown) the gate kept out of every
    published file: its notebook, its place and first line as the analyst sees them, and what
    it showed."""

    notebook: str
    cell: int
    """1 for the notebook's first cell, counted in the notebook as saved (papermill's injected
    parameters cell not counted)."""
    first_line: str
    shown: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.notebook}, cell {self.cell} ({self.first_line}): {', '.join(self.shown)} "
            "left out of every published file (only what workbook.render.display shows is "
            "published; explore in notebooks/explore.ipynb)"
        )


_PARAMETER_TAGS = {"remove", "parameters", "injected-parameters"}


def gate(notebook, name: str, keep_errors: bool = False) -> tuple[object, list[LeftOut]]:
    """The publication gate: a copy of an executed section notebook holding, of its outputs,
    only those the display layer marked for publication (with their `audience`), and what it
    left out, cell by cell.

    Dropped, not stopped: the run goes on and says what was left out (the run's summary and
    manifest), so a cell an analyst typed while exploring (and JupyterLab saved) can neither
    reach the board pack nor fail a scheduled run. Everything unmarked is dropped: a
    `display(frame)`, a cell's last value, `print` and warnings (streams), an analyst's own
    chart, and any Markdown cell other than a single heading (text for the reader belongs in
    the narrative templates or the year's narrative blocks). The kept executed notebook is this
    copy too, so what was left out is not kept beside the pack either. `keep_errors` keeps a
    failed cell's error (for the notebook kept in the logs)."""
    gated = copy.deepcopy(notebook)
    left_out, number = [], 0
    for cell in gated.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "injected-parameters" in tags:
            continue
        number += 1
        if tags & _PARAMETER_TAGS:
            continue
        if cell.cell_type == "markdown":
            text = _COMMENT.sub("", cell.source)
            if text.strip() and not _HEADING_CELL.fullmatch(text):
                left_out.append(_left_out(name, number, cell, ("Markdown text",)))
            continue
        if cell.cell_type != "code":
            continue
        kept, dropped = [], []
        for output in cell.outputs:
            if _published(output) or (keep_errors and output.output_type == "error"):
                kept.append(output)
            else:
                dropped.append(_what(output))
        cell.outputs = kept
        if dropped:
            left_out.append(_left_out(name, number, cell, tuple(dict.fromkeys(dropped))))
    return gated, left_out


def _published(output) -> bool:
    """Whether an output was made for publication by the display layer."""
    return audience(output) is not None


def _what(output) -> str:
    """An unmarked output as the run's summary names it."""
    if output.output_type == "execute_result":
        return "the value of its last line"
    if output.output_type == "stream":
        return "printed text" if output.get("name") == "stdout" else "text on stderr (a warning?)"
    if output.output_type == "error":
        return "an error"
    data = output.get("data", {})
    if any(kind.startswith("image/") for kind in data) and "text/html" not in data:
        return "a chart or image of its own"
    return "a display of its own"


def _left_out(name: str, number: int, cell, shown: tuple[str, ...]) -> LeftOut:
    lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
    first = lines[0] if lines else "empty"
    return LeftOut(name, number, first if len(first) <= 60 else first[:57] + "...", shown)


def publishable_cells(notebook, for_whom: str = BOARD) -> object:
    """A copy of a gated notebook (`gate`) without anything `for_whom` (the board, or the
    analyst reading the companion) must not see.

    Code inputs go through the exporter's `exclude_input`; here go the parameters cells, any
    cell tagged `remove`, Markdown that is not a heading (an HTML comment shows nothing, but
    would still be in the page's source), outputs for another audience or with nothing to see
    (and a code cell left with none), and a Markdown heading with nothing under it (the
    notebook's heading over findings a year did not record). The
    gate has already kept only the outputs made for publication; they are checked again here
    (with their audience), so that nothing unmarked is published whoever calls this.
    """
    clean = copy.deepcopy(notebook)
    kept = []
    for cell in clean.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if _PARAMETER_TAGS & set(tags):
            continue
        if cell.cell_type == "markdown":
            cell.source = _COMMENT.sub("", cell.source)
            if not _HEADING_CELL.fullmatch(cell.source):
                continue
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs if audience(o) == for_whom and _shows_something(o)
            ]
            if not cell.outputs:
                continue
        kept.append(cell)
    clean.cells = _without_empty_headings(kept)
    return clean


_HEADING_CELL = re.compile(r"\s*(#{1,6})[ \t]+[^\n]*\s*")
_HTML_HEADING = re.compile(r"\s*<h([1-6])\b", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _shows_something(output) -> bool:
    """Whether a display output has anything to see: its HTML where it has HTML (the page shows
    that, not the plain-text stand-in beside it), else any of its representations."""
    data = output.get("data", {})
    shown = [data["text/html"]] if "text/html" in data else data.values()
    return any(str(value).strip() for value in shown)


def _opening(cell) -> int | None | bool:
    """What a reader meets first in a cell: a heading (its level), other content (None), or
    nothing at all (False: empty outputs, an HTML comment)."""
    if cell.cell_type == "markdown":
        text = _COMMENT.sub("", cell.source)
        heading = _HEADING_CELL.fullmatch(text)
        return len(heading.group(1)) if heading else (None if text.strip() else False)
    if cell.cell_type != "code" or not cell.outputs:
        return False
    html = str(cell.outputs[0].get("data", {}).get("text/html", ""))
    heading = _HTML_HEADING.match(html)
    return int(heading.group(1)) if heading else None


def _without_empty_headings(cells: list) -> list:
    """The cells less each Markdown heading cell followed, before any content, by a heading of
    its level or higher, or by the end: a heading over nothing tells the reader nothing."""
    kept, following = [], 0  # the level of the next heading met; 0: the end
    for cell in reversed(cells):
        opening = _opening(cell)
        if opening is False:
            kept.append(cell)
            continue
        if (
            cell.cell_type == "markdown"
            and opening is not None
            and (following == 0 or following <= opening)
        ):
            continue  # a heading cell over nothing
        kept.append(cell)
        following = opening if opening is not None else 7  # content: deeper than any heading
    return kept[::-1]
