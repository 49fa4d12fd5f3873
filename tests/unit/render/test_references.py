"""A finding's or an action's id after its text: found in the appendix, and never the cause of a
list item broken after its first word."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from workbook.inputs.params import load_params
from workbook.render.display import referenced
from workbook.render.pdf import lay_out
from workbook.render.publishing import Section, board_pack_html

pytestmark = pytest.mark.render


def _lines(box) -> list[str]:
    """The text of each line of a laid-out box, in order."""
    if type(box).__name__ == "LineBox":
        return ["".join(t.text for t in box.descendants() if hasattr(t, "text")).strip()]
    return [line for child in getattr(box, "children", []) for line in _lines(child)]


def test_a_list_item_with_its_id_breaks_where_its_words_run_out():
    """Northdale 2020-21's "The young person's views and wishes were not sought before
    decisions were made." printed "The" alone on a line, the rest on the next: WeasyPrint broke
    at the space between the text and the id's span. Items of every length around a line's
    width must fill their first line."""
    params = load_params("northdale", "2020-21")
    words = [
        "young",
        "person's",
        "views",
        "and",
        "wishes",
        "were",
        "not",
        "sought",
        "before",
        "decisions",
        "were",
        "made",
    ]
    items = [
        " ".join(["The", *words[:n], *(["again"] * extra)]) + "."
        for n in range(6, len(words) + 1)
        for extra in range(4)
    ]
    body = (
        "<ul>" + "".join(f"<li>{referenced(t, 'ND-A-2021-03-F04')}</li>" for t in items) + "</ul>"
    )
    html = board_pack_html([Section("voice", "Voice", Markup(body))], params, "1 April 2021")
    lines = [line for page in lay_out(html).pages for line in _lines(page._page_box)]
    assert "The" not in lines
    assert "(ND-A-2021-03-F04)" not in lines  # nor an id alone on a line
