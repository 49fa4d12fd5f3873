"""Turning executed section notebooks into what the board reads: self-contained HTML and PDF.

HTML comes from nbconvert's `basic` template with inputs and prompts excluded, wrapped in the
project's page template (heading, protective marking, stylesheet inline, no external fetches).
PDF comes from that same HTML through WeasyPrint, which needs neither a browser nor TeX.
"""

from __future__ import annotations

import copy
from datetime import datetime
from functools import cache
from pathlib import Path

import jinja2

from workbook import __version__, paths
from workbook.params import Partnership

SECTION_TITLES = {
    "local_picture": "Local picture and performance",
    "reviews_audits": "Case reviews and audits",
    "thematic_review": "Thematic review of learning",
    "learning_actions": "Learning into practice: actions and impact",
}


@cache
def _page_template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "html")),
                             autoescape=True)
    return env.get_template("page.html.j2")


@cache
def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, anchor_link_text="")


def publishable_cells(notebook) -> object:
    """A copy of the notebook without anything a reader must not see.

    Code inputs go through the exporter's `exclude_input`; here we keep only what the library
    displayed on purpose (`display_data`) and drop streams (print output, warnings, stderr),
    errors, the echo of a cell's last expression (a stray `True` or a raw DataFrame) and any cell
    tagged `remove`.
    """
    clean = copy.deepcopy(notebook)
    kept = []
    for cell in clean.cells:
        if "remove" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type == "display_data"]
        kept.append(cell)
    clean.cells = kept
    return clean


def section_html(notebook, section: str, partnership: Partnership) -> str:
    """One section as a self-contained HTML page."""
    body, _ = _exporter().from_notebook_node(publishable_cells(notebook))
    css = (paths.TEMPLATES_DIR / "html" / "workbook.css").read_text(encoding="utf-8")
    return _page_template().render(
        title=SECTION_TITLES[section], partnership=partnership.name, year=partnership.year,
        marking=partnership.protective_marking, threshold=partnership.small_number_threshold,
        body=jinja2.utils.markupsafe.Markup(body), css=jinja2.utils.markupsafe.Markup(css),
        version=__version__, generated=datetime.now().strftime("%d %B %Y"),
    )


def write_pdf(html: str, target: Path) -> None:
    """Render HTML to PDF with WeasyPrint (images are embedded, so no base URL is needed)."""
    from weasyprint import HTML

    HTML(string=html).write_pdf(target)
