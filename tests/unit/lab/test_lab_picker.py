"""The scratch notebook's picker: the year's tables are added to its Output widget rather than
captured into it, and Open replaces them with the year chosen."""

from __future__ import annotations

import json

from conftest import write_year
from workbook.lab.explore import OpenYear


def _shown_text(shown) -> str:
    return json.dumps(shown.outputs)


def test_the_picker_shows_the_years_tables_and_open_replaces_them(tmp_path):
    write_year(tmp_path)
    write_year(tmp_path, "otherton", params='name: "Otherton Safeguarding Partnership"')
    opened = OpenYear("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    box = opened.picker()
    (chosen, _years, button), shown = box.children[0].children, box.children[1]
    text = _shown_text(shown)
    assert "Testshire Safeguarding Partnership, 2019-20: the year" in text
    assert "NOT FOR PUBLICATION" in text
    assert "findings (3 rows)" in text
    tables = text.count("application/vnd.jupyter.widget-view+json")
    assert tables == sum(not frame.empty for frame in opened.tables.values())
    assert shown.msg_id == ""  # nothing was captured: no output was routed into it

    chosen.value = "otherton"
    button.click()
    text = _shown_text(shown)
    assert "Otherton Safeguarding Partnership, 2019-20: the year" in text
    assert "Testshire" not in text
    assert opened.report.partnership.id == "otherton"


def test_a_year_that_cannot_be_opened_is_said_in_the_picker(tmp_path):
    write_year(tmp_path)
    opened = OpenYear("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    box = opened.picker()
    (_chosen, years, button), shown = box.children[0].children, box.children[1]
    years.options = ["2019-20", "2031-32"]
    years.value = "2031-32"
    button.click()
    text = _shown_text(shown)
    assert "error:" in text and "2031-32" in text
    assert "findings (3 rows)" not in text  # the tables of the year before are gone
