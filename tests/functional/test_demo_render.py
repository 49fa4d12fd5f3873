"""The bundled demo partnerships render, and their published text carries the key figures.

Every notebook runs with the real runner on the bundled data (outputs go to a temporary
folder). The figures asserted are recorded from the sources: Darlington's from its public annual
report 2019-20, Northdale's from its generated data. DfE files are not used here (the variable
is cleared), so these figures are the partnership's own, as the board would read them without
national statistics.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from workbook.core import paths

pytestmark = [pytest.mark.render, pytest.mark.slow]

STEMS = [
    "00_introduction",
    "02_local_picture",
    "03_reviews_audits",
    "04_thematic_review",
    "08_learning_actions",
]


@pytest.fixture(scope="module")
def outputs(demo_outputs):
    """The demos rendered once for the session (conftest), shared with the layout and
    accessibility tests."""
    return demo_outputs


def _text(path) -> str:
    if path.suffix == ".pdf":
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    page = re.sub(r"<style.*?</style>|<[^>]+>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(page.split())


def test_darlington_sections_carry_the_reports_figures_and_no_code(outputs):
    out = outputs / "darlington" / "2019-20"
    local = _text(out / "02_local_picture.html")
    assert (
        "At the end of March 2020, 85 children were subject to a child protection plan, "
        "a rate of 37.8 per 10,000"
    ) in local
    assert (
        "lower than the regional rate (63.1), statistical neighbours (50.4) and England "
        "(43.7)" in local
    )
    assert "270" in local and "120.1" in local  # looked-after children and their rate
    pack = _text(out / "board_pack.pdf")
    assert "85 children were subject to a child protection plan" in pack
    for stem in STEMS:
        html = (out / f"{stem}.html").read_text(encoding="utf-8")
        assert "open_report" not in html and "Traceback" not in html


def test_darlington_child_deaths_are_suppressed_everywhere(outputs):
    # The report states 4 child deaths: under the threshold of 5, never published as a number.
    local = _text(outputs / "darlington" / "2019-20" / "02_local_picture.html")
    assert "Child deaths reviewed c" in local  # the table's row, withheld
    assert "4 child deaths" not in local and "Child deaths reviewed 4" not in local


def test_northdale_thematic_review_covers_four_years_of_findings(outputs):
    text = _text(outputs / "northdale" / "2022-23" / "04_thematic_review.html")
    assert "over the 4 years 2019-20 to 2022-23" in text
    findings = pd.concat(
        [
            pd.read_csv(paths.data_dir() / "northdale" / y / "findings.csv")
            for y in ("2019-20", "2020-21", "2021-22", "2022-23")
        ]
    )
    assert f"{len(findings)} findings" in text  # all four years' findings (generated data)
    assert "Themes that occur together" in text


def test_darlington_opens_with_its_foreword_arrangements_and_budget(outputs):
    """The analyst's foreword and governance blocks and the budget table are published, not
    only validated: the report's contributions add up to £233,688 (its own total says
    £233,666), and the council gave the largest share, 115,616 of it."""
    text = _text(outputs / "darlington" / "2019-20" / "00_introduction.html")
    assert "Foreword" in text and "went live on 1 July 2019" in text
    assert "How the partnership works" in text and "Child Death Overview Panel" in text
    assert "The partnership's budget for 2019-20 was £233,688" in text
    assert "Darlington Borough Council (49.5%)" in text  # the share as the table prints it
    assert "£115,616 49.5" in text and "Total £233,688 100.0" in text


def test_every_narrative_block_the_contract_accepts_is_placed_in_a_section():
    """An analyst's block that validates but no notebook shows would be lost without a word."""
    from workbook.inputs.contract import load_contract

    blocks = set(load_contract()["narrative"].columns["block"].values)
    placed = set()
    for notebook in paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"):
        code = "".join(
            "".join(cell["source"])
            for cell in json.loads(notebook.read_text())["cells"]
            if cell["cell_type"] == "code"
        )
        placed |= set(re.findall(r'analyst_block\(report, "(\w+)"', code))
    assert blocks == placed, blocks ^ placed


@pytest.mark.parametrize(
    "notebook", sorted(paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb")), ids=lambda path: path.stem
)
def test_notebook_is_thin_with_one_parameters_cell_of_commented_literals(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    tagged = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    lines = "".join(tagged[0]["source"]).splitlines()
    names = [re.match(r"(\w+) = ", line)[1] for line in lines]
    expected = ["partnership", "year", "data_dir", "params_dir"]
    assert names == expected + (["dfe_dir"] if notebook.stem == "02_local_picture" else [])
    assert all(re.match(r'\w+ = ("[^"]*"|\d+)  # \S', line) for line in lines), lines
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert not any(re.search(r"^\s*(def|class) ", "".join(c["source"]), flags=re.M) for c in code)
