"""Every page a board member is given fits the paper, read back from the PDFs as printed.

Word positions come from pdfplumber (pdfminer.six underneath, so no system package is needed).
A word must lie inside the printable area (nothing within 12 pt of the paper's edge, which
printers leave blank) and inside the text column the stylesheet sets (no table or chart running
into the side margin). The demo packs are checked page by page, and tables of every width are
checked as a class: six, nine and thirteen columns of long headings, dates and figures.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
from markupsafe import Markup

from workbook.core import paths
from workbook.disclosure.published import Count, Policy, PublishedTable
from workbook.inputs.params import load_params
from workbook.render.display import table_html
from workbook.render.pdf import lay_out
from workbook.render.publishing import Section, board_pack_html

pytestmark = pytest.mark.render

PRINTABLE_MARGIN_PT = 12
"""How near the paper's edge a printer prints (about 4 mm): no word may come nearer."""
TOLERANCE_PT = 1
"""Right-aligned text ends on the text column's edge; rounding may put it a fraction beyond."""
DEMOS = [("darlington", "2019-20"), ("northdale", "2022-23")]
_UNITS_PT = {"cm": 72 / 2.54, "mm": 72 / 25.4, "in": 72, "pt": 1, "px": 0.75}


def side_margins_pt() -> tuple[float, float]:
    """The left and right page margins of workbook.css's @page rule, in points."""
    css = (paths.TEMPLATES_DIR / "html" / "workbook.css").read_text(encoding="utf-8")
    rule = re.search(r"@page\s*\{[^{}]*?\bmargin:\s*([^;]+);", css)
    assert rule, "workbook.css has no @page margin"
    sizes = [
        float(n) * _UNITS_PT[unit]
        for n, unit in re.findall(r"([\d.]+)(cm|mm|in|pt|px)", rule.group(1))
    ]
    _, right, _, left = {1: sizes * 4, 2: sizes * 2, 3: [*sizes, sizes[1]], 4: sizes}[len(sizes)]
    return left, right


def words_off_the_page(pdf: Path) -> list[str]:
    """Each word outside the printable area or the text column, with its page and position."""
    left, right = side_margins_pt()
    problems = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            for word in page.extract_words():
                off_paper = (
                    min(word["x0"], word["top"]) < PRINTABLE_MARGIN_PT
                    or word["x1"] > page.width - PRINTABLE_MARGIN_PT
                    or word["bottom"] > page.height - PRINTABLE_MARGIN_PT
                )
                off_column = (
                    word["x0"] < left - TOLERANCE_PT
                    or word["x1"] > page.width - right + TOLERANCE_PT
                )
                if off_paper or off_column:
                    problems.append(
                        f"{pdf.name} page {number}: '{word['text']}' at x "
                        f"{word['x0']:.0f}-{word['x1']:.0f}, y {word['top']:.0f} "
                        f"on a page {page.width:.0f} x {page.height:.0f} pt"
                    )
    return problems


def _pack_pdf(body: str, target: Path) -> Path:
    """A board pack of one section holding `body`, written as a PDF."""
    html = board_pack_html(
        [Section("wide", "Wide tables", Markup(body))],
        load_params("northdale", "2022-23"),
        "1 Dec 2026",
    )
    lay_out(html).write_pdf(target)
    return target


def test_a_table_wider_than_the_page_is_found(tmp_path):
    """The check can fail: a table forced wider than the paper puts words off the page."""
    body = '<table style="width: 30cm"><tr>' + "<td>Inadequate</td>" * 12 + "</tr></table>"
    problems = words_off_the_page(_pack_pdf(body, tmp_path / "too_wide.pdf"))
    assert any("'Inadequate'" in p and "page 3" in p for p in problems), problems


@pytest.mark.parametrize("columns", [6, 9, 13])
def test_tables_of_any_width_fit_the_page(columns, tmp_path):
    headings = [
        "Audit",
        "Type of audit undertaken",
        "Reported",
        "Cases audited",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Due",
        "Position at year end",
        "Impact on practice",
        "Owner agency",
        "Completed",
    ]
    row = [
        "Multi-agency safeguarding self-assessment (Working Together 2018), biennial",
        "Multi-agency audit (JTAI method)",
        "Not recorded",
        12,
        3,
        4,
        5,
        0,
        "31 Mar 2020",
        "In progress",
        "Practitioners report better supervision",
        "Children's social care",
        "30 Sep 2021",
    ]
    frame = pd.DataFrame([row[:columns]] * 4, columns=headings[:columns])
    counts = {c: Count("cases_audited") for c in frame.columns[3:8]}
    body = table_html(PublishedTable(frame, "Audits and actions", Policy(), counts))
    assert words_off_the_page(_pack_pdf(body, tmp_path / "table.pdf")) == []


@pytest.mark.slow
@pytest.mark.parametrize("run", DEMOS, ids=lambda run: "-".join(run))
def test_every_page_of_the_demo_packs_fits_the_paper(demo_outputs, run):
    pdfs = sorted((demo_outputs / run[0] / run[1]).glob("*.pdf"))
    assert any(pdf.name == "board_pack.pdf" for pdf in pdfs)
    problems = [problem for pdf in pdfs for problem in words_off_the_page(pdf)]
    assert problems == [], "\n".join(problems[:20])


PAGE_BUDGETS = {("darlington", "2019-20"): 24, ("northdale", "2022-23"): 30}
"""Issue 27: the most pages each demo's board pack may run to, every board question answered."""


@pytest.mark.slow
@pytest.mark.parametrize("run", DEMOS, ids=lambda run: "-".join(run))
def test_the_demo_packs_keep_to_their_page_budgets(demo_outputs, run):
    with pdfplumber.open(demo_outputs / run[0] / run[1] / "board_pack.pdf") as document:
        assert len(document.pages) <= PAGE_BUDGETS[run], len(document.pages)


class _Outline(HTMLParser):
    """Headings met with nothing (no text, image or table) between them and the next heading
    of their level or higher, or the end of the page."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[int, str]] = []  # headings with nothing under them yet
        self.empty: list[str] = []
        self._level = 0  # inside a heading of this level (0: outside)
        self._skip = 0  # inside <style>, <script> or <title>
        self._text = ""

    def _close(self, level: int) -> None:
        self.empty += [text for lvl, text in self.open if lvl >= level]
        self.open = [(lvl, text) for lvl, text in self.open if lvl < level]

    def handle_starttag(self, tag, attrs):
        if tag in {"style", "script", "title"}:
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._close(int(tag[1]))
            self._level, self._text = int(tag[1]), ""
        elif tag in {"img", "table", "svg"} and not self._level:
            self.open = []

    def handle_endtag(self, tag):
        if tag in {"style", "script", "title"}:
            self._skip -= 1
        elif re.fullmatch(r"h[1-6]", tag) and self._level:
            self.open.append((self._level, self._text.strip()))
            self._level = 0

    def handle_data(self, data):
        if self._skip:
            return
        if self._level:
            self._text += data
        elif data.strip():
            self.open = []

    def close(self):
        super().close()
        self._close(1)


def headings_over_nothing(html: str) -> list[str]:
    # The colophon closes every page: what comes before it must stand on its own.
    outline = _Outline()
    outline.feed(html.split('<footer class="colophon">')[0])
    outline.close()
    return outline.empty


def test_a_heading_over_nothing_is_found():
    page = "<h1>Title</h1><p>Text</p><h2>Empty</h2><h2>Full</h2><p>x</p><h3>Last</h3>"
    assert headings_over_nothing(page) == ["Empty", "Last"]


@pytest.mark.slow
@pytest.mark.parametrize("run", DEMOS, ids=lambda run: "-".join(run))
def test_no_demo_heading_stands_over_nothing(demo_outputs, run):
    pages = sorted((demo_outputs / run[0] / run[1]).glob("*.html"))
    empty = {
        page.name: found
        for page in pages
        if (found := headings_over_nothing(page.read_text(encoding="utf-8")))
    }
    assert empty == {}
