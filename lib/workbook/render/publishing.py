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

import contextlib
import copy
import errno
import os
import re
import signal
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from workbook import __version__
from workbook.core import paths
from workbook.core.errors import WorkbookError
from workbook.core.yamlfile import load_spec
from workbook.disclosure.published import Policy
from workbook.disclosure.suppression import symbol_legend
from workbook.inputs.partnership import Partnership
from workbook.national.indicators import catalogue

METHODS = [
    "Findings of reviews and audits are coded to the themes of the partnership's codebook "
    "(data/codebook/themes.yaml); where the analyst coded a finding, the analyst's themes are "
    "used, and automatic themes count only where their evidence is strong.",
]
"""How the figures were made, after the disclosure policy in force (which comes first). What a
section did only for some years (rates recomputed from ONS population, the agreement of the
coding with the analyst's) is said by that section, for the companion, where it did it."""


PACK_HTML = "board_pack.html"


@dataclass(frozen=True)
class Section:
    """One rendered section: its id, title and HTML body for the board (already safe to
    publish), and what it showed for the analyst alone (the companion's part of it)."""

    id: str
    title: str
    body: Markup
    companion: Markup = Markup("")


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "html")), autoescape=True
    )


@cache
def _css() -> Markup:
    return Markup((paths.TEMPLATES_DIR / "html" / "workbook.css").read_text(encoding="utf-8"))


@cache
def _exporter():
    """nbconvert's HTML exporter for published sections: no inputs, no prompts, and no anchor
    links on Markdown headings (links with no text, which a screen reader announces as "link"
    and nothing else; the board pack's contents link to its sections instead)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )


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
        is_heading_cell = cell.cell_type == "markdown" and opening is not None
        if is_heading_cell and (following == 0 or following <= opening):
            continue
        kept.append(cell)
        following = opening if opening is not None else 7  # content: deeper than any heading
    return kept[::-1]


def section_body(notebook, for_whom: str = BOARD) -> Markup:
    """The HTML a section notebook displayed for `for_whom`, without code, prompts or stray
    output (empty where it displayed nothing for them)."""
    cells = publishable_cells(notebook, for_whom)
    if not any(cell.cell_type == "code" and cell.outputs for cell in cells.cells):
        return Markup("")
    body, _ = _exporter().from_notebook_node(cells)
    return Markup(body)


def rendered_section(section_id: str, title: str, notebook) -> Section:
    """A section's board body and its companion part, from its executed notebook."""
    return Section(section_id, title, section_body(notebook), section_body(notebook, ANALYST))


def period_words(partnership: Partnership) -> str:
    """The period the report covers, as a cover or a masthead says it: "1 April 2019 to 31
    March 2020"."""
    year = partnership.report_year
    return f"{year.start:%-d %B %Y} to {year.end:%-d %B %Y}"


def page_context(partnership: Partnership, generated: str) -> dict:
    """What every page template (section, pack, companion, appendix) is given."""
    return {
        "partnership": partnership,
        "period": period_words(partnership),
        "css": _css(),
        "version": __version__,
        "generated": generated,
    }


_IN_PAGE_LINK = re.compile(r'<a href="#([^"]+)">(.*?)</a>', re.DOTALL)


def _linked(body: str, in_pack: set[str], pack: str = "") -> Markup:
    """`body` with each link to a section (the year at a glance points to the sections that
    show each answer) made to go where that section is: within this page, to the board pack
    (`pack`: its file, for a section's own page), or nowhere where the pack has no such
    section this year (its words kept, as text)."""
    here = set(re.findall(r'\bid="([^"]+)"', body))

    def link(match: re.Match) -> str:
        target, words = match.group(1), match.group(2)
        if target in here:
            return match.group(0)
        if target in in_pack:
            return f'<a href="{pack}#{target}">{words}</a>'
        return words

    return Markup(_IN_PAGE_LINK.sub(link, body))


def section_html(
    section: Section, partnership: Partnership, generated: str, in_pack: set[str]
) -> str:
    """One section as a self-contained HTML page; a link to another section goes to it in the
    board pack beside this page (`in_pack`: the pack's sections)."""
    return (
        _templates()
        .get_template("page.html.j2")
        .render(
            title=section.title,
            body=_linked(section.body, in_pack, PACK_HTML),
            **page_context(partnership, generated),
        )
    )


@cache
def flowing_sections() -> frozenset[str]:
    """The sections that follow on from the one before on the same page (specs/pack.yaml)."""
    spec = load_spec("pack")
    return frozenset(spec.get("flows_on") or ())


def board_pack_html(sections: list[Section], partnership: Partnership, generated: str) -> str:
    """The board pack: cover, contents and the sections that have something for the board, and
    nothing else (the working behind it is in the analyst's companion). Pages break before the
    pack's major parts only (`flowing_sections`)."""
    in_pack = {s.id for s in sections if s.body}
    return (
        _templates()
        .get_template("pack.html.j2")
        .render(
            title="Board pack",
            sections=[
                Section(s.id, s.title, _linked(s.body, in_pack), s.companion)
                for s in sections
                if s.body
            ],
            flows=flowing_sections(),
            legend=symbol_legend(partnership.small_number_threshold),
            **page_context(partnership, generated),
        )
    )


def companion_html(
    sections: list[Section], partnership: Partnership, notes: dict, provenance: dict, generated: str
) -> str:
    """The analyst's companion beside the pack: what each section showed the analyst alone
    (what the data could not show and where to fill it in, coder agreement, terms to check),
    the data notes and methods, and the provenance of the run.

    `provenance` is the run's manifest; the companion states its parameters and time in words."""
    return (
        _templates()
        .get_template("companion.html.j2")
        .render(
            title="Analyst's companion",
            sections=[s for s in sections if s.companion],
            notes=notes,
            provenance=provenance,
            parameters=parameters_in_words(provenance["parameters"], sections),
            rendered_at=_moment(provenance["generated_at"]),
            legend=symbol_legend(partnership.small_number_threshold),
            **page_context(partnership, generated),
        )
    )


PARAMETER_LABELS = {
    "id": "Partnership id",
    "year": "Report year",
    "name": "Name",
    "short_name": "Short name",
    "councils": "Councils (local authority codes)",
    "region": "Region",
    "covers_adults": "Covers adults",
    "fictional": "Fictional demonstration data",
    "protective_marking": "Protective marking",
    "small_number_threshold": "Small-number threshold",
    "lookback_years": "Years looked back",
    "sections": "Sections",
    "targets": "Targets",
}
"""How the provenance names the run's parameters; a parameter not listed here is named from
its key ("a_new_key" as "A new key"), so a new parameter is never left out."""


def _plain(value, names: dict[str, str]) -> str:
    """A parameter's value as a reader writes it: yes/no, lists joined, no Python notation;
    keys of a mapping (targets by indicator) by the measure's name."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "not set"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item, names) for item in value) or "none"
    if isinstance(value, dict):
        return (
            "; ".join(
                f"{_named(str(key), names)}: {_plain(item, names)}" for key, item in value.items()
            )
            or "none"
        )
    return str(value)


def parameters_in_words(parameters: dict, sections: list[Section]) -> dict[str, str]:
    """The run's parameters (as the manifest records them) for a board member to read:
    "Covers adults: yes", "Councils (local authority codes): 841", sections by title, targets
    by the measure's name."""
    titles = {section.id: section.title for section in sections}
    names = _measure_names()
    words = {}
    for key, value in parameters.items():
        label = PARAMETER_LABELS.get(key, key.replace("_", " ").capitalize())
        if key == "sections":
            shown = value or list(titles)
            words[label] = ", ".join(titles.get(s, s) for s in shown) + ("" if value else " (all)")
        else:
            words[label] = _plain(value, names)
    return words


def _moment(stamp: str) -> str:
    """An ISO time stamp as "1 December 2026 at 09:30 UTC" (as written if it is not one)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    zone = moment.tzname()
    return f"{moment:%-d %B %Y at %H:%M}" + (f" {zone}" if zone else "")


def _measure_names() -> dict[str, str]:
    """Indicator ids and their names in the catalogue ("cin_rate": "Rate of children in need
    per 10,000 children"), read once per document."""
    return {indicator: item.name for indicator, item in catalogue().items()}


def _named(indicator: str, names: dict[str, str]) -> str:
    """An indicator by its catalogue name, or its id in words where the catalogue has none."""
    return names.get(indicator) or indicator.replace("_", " ")


def data_notes(tables: dict, inputs: list[str], policy: Policy) -> dict:
    """Sources, notes on figures and methods for the appendix, from the year's own data.

    Figures that share a note are listed under it once (a demo partnership's forty indicators
    all say "fictional"), each by its name in the indicator catalogue, and the partnership's own
    files are referred to the provenance list rather than listed twice.
    """
    indicators = tables.get("indicators")
    sources, by_note = [], {}
    if indicators is not None and len(indicators):
        measures = _measure_names()
        sources = sorted({str(s) for s in indicators["source"].dropna()})
        for row in indicators.dropna(subset=["note"]).itertuples():
            by_note.setdefault(str(row.note), set()).add(_named(str(row.indicator), measures))
    own = sum("/data/" in f"/{p}" for p in inputs)
    sources.append(
        f"Case reviews, audits, findings and actions: the partnership's own records "
        f"({own} files, listed with their hashes under Provenance)."
        if own
        else "The partnership's own records."
    )
    revisions = [f"{'; '.join(sorted(named))}: {note}" for note, named in sorted(by_note.items())]
    return {"sources": sources, "revisions": revisions, "methods": [policy.describe(), *METHODS]}


def warm_up() -> None:
    """Pay the first-use costs of publishing while the kernel is still busy, not when the pages
    are waiting: WeasyPrint's import, the exporter's templates and the CSS selectors it
    compiles on its first notebook, and the cffi declarations read on a first PDF write (a
    forked PDF writer inherits them). In a batch the parent does this once before forking."""
    import nbformat
    from weasyprint import HTML

    _exporter().from_notebook_node(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# .")])
    )
    HTML(string="<p>.</p>").write_pdf()


def lay_out(html: str):
    """The laid-out WeasyPrint document of a page (images are embedded: no base URL needed)."""
    from weasyprint import HTML

    return HTML(string=html).render()


def section_extracts(pack, sections: list[Section], partnership: Partnership) -> dict[str, object]:
    """Each section's pages of the laid-out pack, as a document titled like its HTML page.

    A section runs from the page holding its anchor (its id) to the page before the next
    section's, the last one to the end of the pack; where the next section flows on below it on
    the same page, that page is in both. A section with nothing for the board is not in the pack
    and has no extract.
    """
    sections = [s for s in sections if s.body]
    chapters = [s.id for s in sections]
    starts = {}
    for number, page in enumerate(pack.pages):
        for anchor in page.anchors:
            if anchor in chapters:
                starts.setdefault(anchor, number)
    missing = [c for c in chapters if c not in starts]
    if missing:
        raise WorkbookError(f"board pack: no page holds the start of {', '.join(missing)}")
    extracts = {}
    ends = [
        *(starts[c] + _shares_its_page(pack, starts[c], c) for c in chapters[1:]),
        len(pack.pages),
    ]
    for section, end in zip(sections, ends, strict=True):
        part = pack.copy(pack.pages[starts[section.id] : end])
        part.metadata = copy.copy(pack.metadata)  # shared with the pack until replaced
        part.metadata.title = f"{section.title} | {partnership.name} {partnership.year}"
        extracts[section.id] = part
    return extracts


PAGE_TOP = 100
"""How far down a page (CSS pixels) a section's heading may start and still be the first thing
on it: below this, what is above it on the page is the end of the section before."""


def _shares_its_page(pack, page: int, section_id: str) -> bool:
    """Whether a section flows on below the end of the one before, on the page it starts on."""
    if section_id not in flowing_sections():
        return False
    return pack.pages[page].anchors[section_id][1] > PAGE_TOP


def _end_with_parent(parent: int) -> None:
    """In the forked writer: be killed if the run is (Linux), rather than go on writing into
    a staging folder that the next run removes as a dead run's."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the call
            os._exit(1)


WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM)
"""Why a PDF could not be written that the user can act on (a full disk, a file-size limit, a
read-only or forbidden folder): the forked writer exits with 100 plus that errno, and the parent
raises it as the OSError it was, for the run to say which folder and what to do."""


PDF_OPTIONS = {"pdf_tags": True, "pdf_variant": "pdf/ua-1"}
"""Every PDF is tagged and declares PDF/UA-1 in its XMP metadata (WeasyPrint writes both)."""


def header_scopes(_document, pdf) -> None:
    """Give each table header cell its scope in the PDF's structure tree, a WeasyPrint
    `finisher`: WeasyPrint links data cells to their headers (`/Headers`, `/ID`) but writes no
    `/Scope` on the headers themselves, which PDF/UA checkers look for. Our tables put column
    headers in `thead` and row headers (`th scope="row"`) in `tbody`, so a header's row group
    says which it is."""
    by_reference = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "get")}
    for obj in list(by_reference.values()):
        if obj.get("S") != "/TH":
            continue
        row = by_reference.get(obj.get("P"))
        group = by_reference.get(row.get("P")) if row is not None else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        attributes = obj.get("A")
        if attributes is not None:
            attributes["Scope"] = scope


def _write(document, target: Path) -> None:
    document.write_pdf(target, finisher=header_scopes, **PDF_OPTIONS)


def write_pdfs(jobs: list[tuple[object, Path]]) -> None:
    """Write laid-out documents as tagged PDFs, the first in this process and the rest in a
    forked child at the same time (the documents are shared by the fork, not copied over a
    pipe); one after the other where the platform cannot fork."""
    if len(jobs) < 2 or not hasattr(os, "fork"):
        for document, target in jobs:
            _write(document, target)
        return
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which reports by its exit status
        status = 1
        _end_with_parent(parent)
        try:
            for document, target in jobs[1:]:
                _write(document, target)
            status = 0
        except OSError as exc:
            status = 100 + exc.errno if exc.errno in WRITE_ERRORS else 1
        finally:
            os._exit(status)
    try:
        document, target = jobs[0]
        _write(document, target)
    except BaseException:
        with contextlib.suppress(OSError):  # stopped or failed: the child's work is not wanted
            os.kill(child, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    if code - 100 in WRITE_ERRORS:
        raise OSError(code - 100, os.strerror(code - 100), str(jobs[1][1].parent))
    if code != 0:
        raise WorkbookError(
            f"writing {', '.join(str(t.name) for _, t in jobs[1:])} failed (exit status {code})"
        )
