"""Turning executed section notebooks into what the board reads: HTML and PDF, one per section,
and the combined board pack.

HTML comes from nbconvert's `basic` template with inputs and prompts excluded, wrapped in the
project's page templates (stylesheet inline, images embedded, no external fetches). PDF comes
from the board pack's HTML through WeasyPrint, which needs neither a browser nor TeX, writes
charts as vector graphics, builds the bookmarks from the headings and tags the PDF for screen
readers.

The pack is laid out once and each section's PDF is its pages of the pack, so a page number
means the same page whether the reader holds the pack or one section ("Board pack page 7 of
35"), and the layout, most of a run's PDF time, is not paid twice. The pack and the section
files are then written by two processes at once.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from workbook import __version__
from workbook.core import paths
from workbook.core.errors import WorkbookError
from workbook.disclosure.published import Policy
from workbook.disclosure.suppression import symbol_legend
from workbook.inputs.params import Partnership

METHODS = [
    "Findings of reviews and audits are coded to the themes of the partnership's codebook "
    "(data/codebook/themes.yaml); where the analyst coded a finding, the analyst's themes are "
    "used, and the agreement of the automatic coding with the analyst's is reported.",
    "Rates per 10,000 children are recomputed from counts and the ONS mid-year population aged "
    "0 to 17; statistical neighbour figures are the median of the ten neighbours' rates.",
]
"""How the figures were made, after the disclosure policy in force (which comes first)."""


@dataclass(frozen=True)
class Section:
    """One rendered section: its id, title and HTML body (already safe to publish)."""

    id: str
    title: str
    body: Markup


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "html")),
                              autoescape=True)


@cache
def _css() -> Markup:
    return Markup((paths.TEMPLATES_DIR / "html" / "workbook.css").read_text(encoding="utf-8"))


@cache
def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, anchor_link_text="")


def publishable_cells(notebook) -> object:
    """A copy of the notebook without anything a reader must not see.

    Code inputs go through the exporter's `exclude_input`; here we keep only what the library
    displayed on purpose (`display_data`) and drop streams (print output, warnings, stderr),
    errors, the echo of a cell's last expression (a stray `True` or a raw DataFrame), the
    parameters cells and any cell tagged `remove`.
    """
    clean = copy.deepcopy(notebook)
    kept = []
    for cell in clean.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if {"remove", "parameters", "injected-parameters"} & set(tags):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type == "display_data"]
        kept.append(cell)
    clean.cells = kept
    return clean


def section_body(notebook) -> Markup:
    """The HTML a section notebook displayed, without code, prompts or stray output."""
    body, _ = _exporter().from_notebook_node(publishable_cells(notebook))
    return Markup(body)


def page_context(partnership: Partnership, generated: str) -> dict:
    """What every page template (section, pack, appendix) is given."""
    return {"partnership": partnership, "css": _css(), "version": __version__,
            "generated": generated}


def section_html(section: Section, partnership: Partnership, generated: str) -> str:
    """One section as a self-contained HTML page."""
    return _templates().get_template("page.html.j2").render(
        title=section.title, body=section.body, **page_context(partnership, generated))


def board_pack_html(sections: list[Section], partnership: Partnership, notes: dict,
                    provenance: dict, generated: str) -> str:
    """The combined board pack: cover, contents, sections, data notes and provenance."""
    return _templates().get_template("pack.html.j2").render(
        title="Board pack", sections=sections, notes=notes, provenance=provenance,
        legend=symbol_legend(partnership.small_number_threshold),
        **page_context(partnership, generated))


def data_notes(tables: dict, inputs: list[str], policy: Policy) -> dict:
    """Sources, notes on figures and methods for the appendix, from the year's own data.

    Figures that share a note are listed under it once (a demo partnership's forty indicators
    all say "fictional"), and the partnership's own files are referred to the provenance
    list rather than listed twice.
    """
    indicators = tables.get("indicators")
    sources, by_note = [], {}
    if indicators is not None and len(indicators):
        sources = sorted({str(s) for s in indicators["source"].dropna()})
        for row in indicators.dropna(subset=["note"]).itertuples():
            by_note.setdefault(str(row.note), set()).add(row.indicator.replace("_", " "))
    own = sum("/data/" in f"/{p}" for p in inputs)
    sources.append(f"Case reviews, audits, findings and actions: the partnership's own records "
                   f"({own} files, listed with their hashes under Provenance)."
                   if own else "The partnership's own records.")
    revisions = [f"{', '.join(sorted(names))}: {note}" for note, names in sorted(by_note.items())]
    return {"sources": sources, "revisions": revisions,
            "methods": [policy.describe(), *METHODS]}


def warm_up() -> None:
    """Pay the first-use costs of publishing while the kernel is still busy, not when the pages
    are waiting: WeasyPrint's import, the exporter's templates and the CSS selectors it
    compiles on its first notebook, and the cffi declarations read on a first PDF write (a
    forked PDF writer inherits them). In a batch the parent does this once before forking."""
    import nbformat
    from weasyprint import HTML

    _exporter().from_notebook_node(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# .")]))
    HTML(string="<p>.</p>").write_pdf()


def lay_out(html: str):
    """The laid-out WeasyPrint document of a page (images are embedded: no base URL needed)."""
    from weasyprint import HTML

    return HTML(string=html).render()


def section_extracts(pack, sections: list[Section], partnership: Partnership) -> dict[str, object]:
    """Each section's pages of the laid-out pack, as a document titled like its HTML page.

    A section runs from the page holding its anchor (its id) to the page before the next
    chapter's: the next section, or the data notes.
    """
    chapters = [*(s.id for s in sections), "data-notes"]
    starts = {}
    for number, page in enumerate(pack.pages):
        for anchor in page.anchors:
            if anchor in chapters:
                starts.setdefault(anchor, number)
    missing = [c for c in chapters if c not in starts]
    if missing:
        raise WorkbookError(f"board pack: no page holds the start of {', '.join(missing)}")
    extracts = {}
    for section, following in zip(sections, chapters[1:], strict=True):
        part = pack.copy(pack.pages[starts[section.id]:starts[following]])
        part.metadata = copy.copy(pack.metadata)  # shared with the pack until replaced
        part.metadata.title = f"{section.title} | {partnership.name} {partnership.year}"
        extracts[section.id] = part
    return extracts


def write_pdfs(jobs: list[tuple[object, Path]]) -> None:
    """Write laid-out documents as tagged PDFs, the first in this process and the rest in a
    forked child at the same time (the documents are shared by the fork, not copied over a
    pipe); one after the other where the platform cannot fork."""
    if len(jobs) < 2 or not hasattr(os, "fork"):
        for document, target in jobs:
            document.write_pdf(target, pdf_tags=True)
        return
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which reports by its exit status
        status = 1
        try:
            for document, target in jobs[1:]:
                document.write_pdf(target, pdf_tags=True)
            status = 0
        finally:
            os._exit(status)
    try:
        document, target = jobs[0]
        document.write_pdf(target, pdf_tags=True)
    finally:
        _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise WorkbookError(f"writing {', '.join(str(t.name) for _, t in jobs[1:])} failed "
                            f"(exit status {os.waitstatus_to_exitcode(status)})")
