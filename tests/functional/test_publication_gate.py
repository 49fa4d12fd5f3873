"""The publication gate: of a section notebook's outputs, only those the display layer made for
publication reach a published file; whatever else an analyst typed into a section notebook (a
frame, a cell's last value, print, a warning, an own chart, Markdown text) is left out of every
published file and of the kept notebooks, and the run names its notebook and cell."""

from __future__ import annotations

import json
import re
import shutil
import zipfile

import nbformat
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from workbook.render.gate import ANALYST, BOARD, gate, publishable_cells
from workbook.render.publishing import section_body


def _code(source: str, *outputs) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    return cell


def _html(markup: str, marked: bool = True, audience: str = BOARD):
    return nbformat.v4.new_output(
        "display_data",
        data={"text/html": markup, "text/plain": "<IPython.core.display.HTML object>"},
        metadata={"workbook": {"audience": audience}} if marked else {},
    )


STRAY = [
    _code(
        "display(placements.frame)",
        _html("<table><tr><td>Independent living</td><td>4.0</td></tr></table>", marked=False),
    ),
    _code(
        "placements.frame",
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": "Other 1.0"}, execution_count=3
        ),
    ),
    _code("print(counts)", nbformat.v4.new_output("stream", name="stdout", text="Other 1\n")),
    _code(
        "import warnings\nwarnings.warn('x')",
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: x\n"),
    ),
    _code(
        "plt.plot(counts)",
        nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
        ),
    ),
]


def _notebook():
    """A section notebook as papermill leaves it: parameters, injected parameters, a heading,
    a library table, then the analyst's own cells."""
    parameters = _code('partnership = "darlington"')
    parameters.metadata["tags"] = ["parameters"]
    injected = _code('partnership = "northdale"')
    injected.metadata["tags"] = ["injected-parameters"]
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("<!-- how to run -->"),
            parameters,
            injected,
            nbformat.v4.new_markdown_cell("## Placements"),
            _code("show.table(placements)", _html("<table><caption>Placements</caption></table>")),
            *STRAY,
            nbformat.v4.new_markdown_cell("Note to self: Other is 1 child"),
        ]
    )


def test_the_gate_keeps_what_the_display_layer_marked_and_names_the_rest():
    gated, left_out = gate(_notebook(), "02_local_picture.ipynb")
    kept = [o for cell in gated.cells if cell.cell_type == "code" for o in cell.outputs]
    assert kept == [_html("<table><caption>Placements</caption></table>")]
    # cells numbered as in the notebook the analyst edits (papermill's injected cell not counted)
    assert [(x.cell, x.first_line, x.shown) for x in left_out] == [
        (5, "display(placements.frame)", ("a display of its own",)),
        (6, "placements.frame", ("the value of its last line",)),
        (7, "print(counts)", ("printed text",)),
        (8, "import warnings", ("text on stderr (a warning?)",)),
        (9, "plt.plot(counts)", ("a chart or image of its own",)),
        (10, "Note to self: Other is 1 child", ("Markdown text",)),
    ]
    assert str(left_out[0]).startswith(
        "02_local_picture.ipynb, cell 5 (display(placements.frame)): a display of its own "
        "left out of every published file"
    )


def test_a_failed_notebook_keeps_its_error_and_nothing_unmarked():
    notebook = _notebook()
    error = nbformat.v4.new_output("error", ename="KeyError", evalue="'x'", traceback=["KeyError"])
    notebook.cells.append(_code("boom", error))
    gated, _ = gate(notebook, "x.ipynb", keep_errors=True)
    outputs = [o for cell in gated.cells if cell.cell_type == "code" for o in cell.outputs]
    assert [o.output_type for o in outputs] == ["display_data", "error"]


def test_the_page_publishes_only_marked_outputs_even_of_an_ungated_notebook():
    page = str(section_body(_notebook()))
    assert "Placements" in page
    for stray in ("Independent living", "Other 1", "UserWarning", "image/png", "iVBOR", "self"):
        assert stray not in page
    assert "how to run" not in page  # a comment shows nothing, but would be in the source
    cells = publishable_cells(_notebook()).cells
    assert [c.cell_type for c in cells if c.cell_type == "markdown"] == ["markdown"]


def test_the_companion_gets_what_the_library_made_for_the_analyst_and_nothing_unmarked():
    cell = _code(
        "show.table(agreement, audience=ANALYST)",
        _html("<p>For the board.</p>"),
        _html("<p>Agreement with the analyst: 0.92.</p>", audience=ANALYST),
        _html("<p>For everyone.</p>", audience="everyone"),  # no audience the layer gives
        _html("<p>Raw: Other 1.</p>", marked=False),
    )
    gated, left_out = gate(nbformat.v4.new_notebook(cells=[cell]), "04_thematic_review.ipynb")
    assert [(x.cell, x.shown) for x in left_out] == [(1, ("a display of its own",))]
    board, companion = str(section_body(gated)), str(section_body(gated, ANALYST))
    assert "For the board." in board and "Agreement" not in board
    assert "Agreement with the analyst: 0.92." in companion and "For the board." not in companion
    for page in (board, companion):
        assert "everyone" not in page and "Raw" not in page


# ---- end to end: a real run of a section notebook with an analyst's cells in it -------------

SENTINELS = ["STRAY-FRAME", "STRAY-PRINT", "STRAY-LAST", "STRAY-WARNING", "STRAY-NOTE"]
ANALYST_CELLS = [
    ("code", 'display(report.tables["indicators"].assign(note="STRAY-FRAME"))'),
    ("code", 'report.tables["indicators"].assign(note="STRAY-LAST")'),
    ("code", 'print("STRAY-PRINT", report.tables["indicators"]["value"].tolist())'),
    ("code", 'import warnings\nwarnings.warn("STRAY-WARNING")'),
    ("code", 'import matplotlib.pyplot as plt\nplt.plot([1, 2], [4, 1])\nplt.title("mine")'),
    ("markdown", "STRAY-NOTE: child deaths are 4 this year"),
]


def _published_text(folder) -> dict[str, str]:
    """Every published file of a run as text: pages, PDFs' text, the appendix workbook's
    cells and the kept executed notebooks."""
    texts = {}
    for path in folder.rglob("*"):
        name = str(path.relative_to(folder))
        if path.suffix in (".html", ".json"):
            texts[name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".ipynb":  # its outputs (its code is the notebook's own)
            cells = nbformat.read(path, as_version=4).cells
            texts[name] = json.dumps([c.get("outputs", []) for c in cells])
        elif path.suffix == ".pdf":
            texts[name] = " ".join(page.extract_text() for page in PdfReader(path).pages)
        elif path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            texts[name] = " ".join(
                str(value)
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
            with zipfile.ZipFile(path) as archive:  # and every part of the file, as stored
                texts[name] += " ".join(
                    archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                )
    return texts


def _without_charts(page: str) -> str:
    """A page with its embedded charts' data and its cells' ids left out (an SVG's ids are
    random per drawing; a cell added to a notebook gets an id of its own, and its neighbours'
    ids are numbered on)."""
    page = re.sub(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", "SVG", page)
    return re.sub(r'id="cell-id=[^"]*"', "", page)


@pytest.mark.render
@pytest.mark.slow
def test_nothing_an_analyst_types_into_a_section_notebook_is_published(rendered, tmp_path):
    from workbook.core import paths
    from workbook.run.runner import RunSettings, run_partnership_year

    project, baseline = rendered
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.notebooks_dir(), notebooks)
    source = notebooks / "02_local_picture.ipynb"
    notebook = nbformat.read(source, as_version=4)
    after = next(i for i, c in enumerate(notebook.cells) if "open_report(" in c.source) + 1
    made = [
        nbformat.v4.new_code_cell(text) if kind == "code" else nbformat.v4.new_markdown_cell(text)
        for kind, text in ANALYST_CELLS
    ]
    notebook.cells[after:after] = made
    nbformat.write(notebook, source)

    said = []
    result = run_partnership_year(
        "testshire",
        "2019-20",
        RunSettings(
            data_dir=project / "data",
            params_dir=project / "params",
            outputs_dir=tmp_path / "outputs",
            notebooks_dir=notebooks,
        ),
        echo=said.append,
    )
    assert result.status == "rendered"
    out = tmp_path / "outputs" / "testshire" / "2019-20"
    for name, text in _published_text(out).items():
        for sentinel in SENTINELS:
            assert sentinel not in text, (sentinel, name)
        assert "image/png" not in text and "data:image/png" not in text, name
    # what the library shows on purpose is all still there: the section's page is the page of
    # the same year rendered without the analyst's cells
    page = (out / "02_local_picture.html").read_text(encoding="utf-8")
    assert _without_charts(page) == _without_charts(
        (baseline / "02_local_picture.html").read_text(encoding="utf-8")
    )
    # the run says what it left out, notebook and cell, in its summary and its manifest
    first = after + 1
    warnings = [line for line in said if "left out of every published file" in line]
    assert [line.split(" (")[0] for line in warnings] == [
        f"  warning: 02_local_picture.ipynb, cell {first + i}" for i in range(len(made))
    ]
    assert "6 cell(s) of the section notebooks" in result.message
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["sections"]["local_picture"]["left_out"]) == len(made)
