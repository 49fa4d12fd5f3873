"""Turning executed section notebooks into what the board reads: each section's HTML page and
the combined board pack.

HTML comes from nbconvert's `basic` template with inputs and prompts excluded, of the outputs
the publication gate (`workbook.render.gate`) keeps, wrapped in the project's page templates
(stylesheet inline, images embedded, no external fetches). The PDFs are made from the pack's
HTML by `workbook.render.pdf`; the analyst's companion and the data notes by
`workbook.render.companion`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import Markup

from workbook import __version__
from workbook.core import paths
from workbook.core.yamlfile import load_spec
from workbook.disclosure.suppression import symbol_legend
from workbook.inputs.partnership import Partnership
from workbook.render.gate import ANALYST, BOARD, publishable_cells
from workbook.text.narrative import listed

PACK_HTML = "board_pack.html"


@dataclass(frozen=True)
class Section:
    """One rendered section: its id, title and HTML body for the board (already safe to
    publish), and what it showed for the analyst alone (the companion's part of it)."""

    id: str
    title: str
    body: Markup
    companion: Markup = Markup("")
    named: str = ""
    """The title its notebook gives, where the pack shows another (`shown_title`): what the
    pages rendered before the pack was assembled (the checklist) call it."""


@cache
def page_templates() -> jinja2.Environment:
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
    # nbconvert loads only when a run exports, not with the display layer every kernel imports
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )


def section_body(notebook, for_whom: str = BOARD) -> Markup:
    """The HTML a section notebook displayed for `for_whom`, without code, prompts or stray
    output (empty where it displayed nothing for them)."""
    cells = publishable_cells(notebook, for_whom)
    if not any(cell.cell_type == "code" and cell.outputs for cell in cells.cells):
        return Markup("")
    body, _ = _exporter().from_notebook_node(cells)
    return Markup(unrepeated_captions(body))


_HEADING_THEN_CAPTION = re.compile(
    r"(<h([2-6])\b[^>]*>(?P<heading>[^<]*)</h\2>(?:\s*</?(?:div|table)\b[^>]*>)*\s*)"
    r"<caption(?P<attrs>[^>]*)>(?P<caption>[^<]*)</caption>"
)
"""A heading with nothing but markup between it and a table's caption: the heading just above
the table."""


SEPARATORS = ":;,.-\u2013\u2014"
"""What may follow a heading's words opening a caption, for the rest to stand as its own title
("You said, we did: views sought"; not "Audits this year", one phrase)."""


def unrepeated_captions(body: str) -> str:
    """`body` with no table caption repeating the heading just above it ("You said, we did"
    over "You said, we did: views sought in 2023-24"): the caption keeps only what it adds
    ("Views sought in 2023-24"); one that adds nothing stays for screen readers (a table's
    caption names it) but is not shown twice. A caption opening with the heading's words in
    one phrase ("Audits this year") is left whole: cut, it would not read."""

    def caption(match: re.Match) -> str:
        heading, said = match.group("heading").strip(), match.group("caption").strip()
        attrs = match.group("attrs")
        after = said[len(heading) :]
        if heading and said.casefold().startswith(heading.casefold()) and after[:1] in SEPARATORS:
            rest = after.lstrip(" " + SEPARATORS)
        elif heading and _words(said) == _words(heading):
            rest = ""
        else:
            return match.group(0)
        shown = (
            f"<caption{attrs}>{rest[:1].upper()}{rest[1:]}</caption>"
            if rest
            else f'<caption class="visually-hidden"{attrs}>{said}</caption>'
        )
        return match.group(1) + shown

    return _HEADING_THEN_CAPTION.sub(caption, body)


def _words(text: str) -> str:
    """Text as words alone, to compare a heading with a caption (case, punctuation and spacing
    aside)."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def rendered_section(section_id: str, title: str, notebook) -> Section:
    """A section's board body and its companion part, from its executed notebook, under a
    title naming only the parts it shows (`shown_title`)."""
    body = section_body(notebook)
    shown = shown_title(section_id, title, body)
    return Section(
        section_id, shown, body, section_body(notebook, ANALYST), title if shown != title else ""
    )


def named_as_shown(body: str, sections: list[Section]) -> Markup:
    """`body` calling each section by the title the pack shows it under: a page rendered before
    the pack was assembled (the checklist's "where" column) knows a section by its notebook's
    title ("The partnership: foreword, arrangements and budget"), which may name parts the
    pack does not show this year."""
    for section in sections:
        if section.named:
            body = body.replace(html.escape(section.named), html.escape(section.title))
    return Markup(body)


def shown_title(section_id: str, title: str, body: str) -> str:
    """The section's title as the pack prints it: for a section titled by its parts
    (specs/pack.yaml `titled_by_parts`), the parts whose heading `body` shows, so a title
    never promises a budget the section does not show; any other section's title as it is."""
    spec = (load_spec("pack").get("titled_by_parts") or {}).get(section_id)
    if not spec:
        return title
    shown = {html.unescape(h).strip() for h in re.findall(r"<h2\b[^>]*>([^<]*)</h2>", body)}
    parts = [word for word, heading in spec["parts"].items() if heading in shown]
    return f"{spec['title']}: {listed(parts)}" if parts else spec["title"]


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
_POINTER = re.compile(r'(<p>|\n)See ((?:<a href="#[^"]+">[^<]*</a>(?:, | and )?)+)\.')
"""A sentence that only points to sections, opening a paragraph or a line of one."""


def _linked(body: str, in_pack: set[str], pack: str = "") -> Markup:
    """`body` with each link to a section (the year at a glance points to the sections that
    show each answer) made to go where that section is: within this page, to the board pack
    (`pack`: its file, for a section's own page), or nowhere where the pack has no such
    section this year (its words kept, as text)."""
    here = set(re.findall(r'\bid="([^"]+)"', body))

    def pointer(match: re.Match) -> str:
        """A sentence that only points to sections ("See A and B.") names those there are."""
        opening = match.group(1)
        links = [
            (target, words)
            for target, words in _IN_PAGE_LINK.findall(match.group(2))
            if target in here or target in in_pack
        ]
        if not links:
            return opening if opening == "<p>" else ""
        named = [f'<a href="#{target}">{words}</a>' for target, words in links]
        return f"{opening}See {listed(named)}."

    def link(match: re.Match) -> str:
        target, words = match.group(1), match.group(2)
        if target in here:
            return match.group(0)
        if target in in_pack:
            return f'<a href="{pack}#{target}">{words}</a>'
        return words

    return Markup(_IN_PAGE_LINK.sub(link, _POINTER.sub(pointer, body)))


def section_html(
    section: Section, partnership: Partnership, generated: str, in_pack: set[str]
) -> str:
    """One section as a self-contained HTML page; a link to another section goes to it in the
    board pack beside this page (`in_pack`: the pack's sections)."""
    return (
        page_templates()
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
    year at a glance only (`flowing_sections`)."""
    in_pack = {s.id for s in sections if s.body}
    return (
        page_templates()
        .get_template("pack.html.j2")
        .render(
            title="Board pack",
            sections=[
                Section(s.id, s.title, _linked(named_as_shown(s.body, sections), in_pack))
                for s in sections
                if s.body
            ],
            flows=flowing_sections(),
            legend=symbol_legend(partnership.small_number_threshold),
            **page_context(partnership, generated),
        )
    )


def warm_up() -> None:
    """Pay the first-use costs of publishing while the kernel is still busy, not when the pages
    are waiting: WeasyPrint's import, the exporter's templates and the CSS selectors it
    compiles on its first notebook, and the cffi declarations read on a first PDF write (a
    forked PDF writer inherits them). In a batch the parent does this once before forking."""
    # loaded here, to be paid for now (see the docstring)
    import nbformat
    from weasyprint import HTML

    _exporter().from_notebook_node(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# .")])
    )
    HTML(string="<p>.</p>").write_pdf()
