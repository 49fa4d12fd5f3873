"""The analyst's JupyterLab: the kernel stays the analyst's, raw frames are labelled, the
library's tables explain their symbols, a chart that cannot be drawn is said, the library's
errors read as one line, the scratch notebook runs, and `make lab` opens the project root."""

from __future__ import annotations

import base64
import json
import re
import subprocess

import nbformat
import pandas as pd
import pytest

import workbook.render.display as show
from workbook.core import paths
from workbook.core.errors import DataError, ParamsError
from workbook.disclosure.policy import Policy
from workbook.disclosure.published import Count, Figure, PublishedTable
from workbook.render.gate import BOARD

MARKED = {"workbook": {"audience": BOARD}}
"""The display layer's mark on an output made for the board."""

# ---- what the display layer shows -----------------------------------------------------------


@pytest.fixture
def shown(monkeypatch):
    """What the display layer passes to IPython's display, with its keywords."""
    calls = []
    monkeypatch.setattr(show, "display", lambda obj, **kw: calls.append((obj, kw)))
    return calls


def test_what_the_library_shows_is_marked_for_publication(shown):
    show.paragraph("Two reviews.")
    ((obj, keywords),) = shown
    assert obj.data == "<p>Two reviews.</p>" and keywords == {"metadata": MARKED}


def test_every_symbol_a_table_uses_is_explained_under_it():
    frame = pd.DataFrame(
        {"Area": ["Here", "There"], "Children": [3, 40], "Rate": [float("nan"), 12.5]}
    )
    table = PublishedTable(
        frame, "Children", Policy(5), {"Children": Count("children"), "Rate": Figure(1)}
    )
    page = show.table_html(table)
    note = re.search(r'<p class="table-note symbols">([^<]*)</p>', page)[1]
    assert note == (
        "c = suppressed to protect confidentiality: a count from 1 to 5, or a figure from which "
        "such a count could be worked out. x = not available: the source does not give this "
        "figure."
    )
    plain = PublishedTable(frame.iloc[1:], "Children", Policy(5), {"Children": Count("children")})
    assert "symbols" not in show.table_html(plain)  # none used: nothing to explain


def test_a_chart_that_cannot_be_drawn_is_said_to_the_analyst(shown):
    """The board read "No chart of this is drawn (...)" under a table that said it all; the
    analyst is told which chart, and the board the section's own reason where it gives one."""
    show.chart(None, "Children in need per 10,000, by year.")
    ((obj, keywords),) = shown
    assert obj.data == (
        "<p>No chart of this is drawn (Children in need per 10,000, by year): there are too few "
        "figures to chart, or none but zeros and withheld figures.</p>"
    )
    assert keywords["metadata"]["workbook"]["audience"] == show.ANALYST
    shown.clear()
    show.chart(None, "Trend.", otherwise="Only one year has data.")
    assert shown[0][0].data == "<p>Only one year has data.</p>"


def test_setup_shows_nothing_in_a_run(shown, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBOOK_VALIDATED_DIR", str(tmp_path))
    show.setup_notebook()
    assert shown == []


def test_the_librarys_errors_read_as_one_line_in_a_notebook(monkeypatch):
    monkeypatch.delenv("WORKBOOK_DEBUG", raising=False)
    error = ParamsError("no partnership 'x'; did you mean northdale? known: darlington")
    assert error._render_traceback_() == [f"error: {error}"]
    monkeypatch.setenv("WORKBOOK_DEBUG", "1")
    try:
        raise error
    except ParamsError as raised:
        assert "Traceback" in "".join(raised._render_traceback_())


# ---- did you mean, on the command line and in a notebook ------------------------------------


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("Northdale", "'Northdale' is not a partnership id (did you mean northdale?)"),
        ("northdal", "no parameters for partnership 'northdal'; did you mean northdale? known:"),
        ("kent", "no parameters for partnership 'kent'; known: darlington, northdale"),
    ],
)
def test_an_unknown_partnership_names_the_known_ones(given, said, capsys):
    from workbook.run.cli import main

    assert main(["validate", given, "2019-20"]) == 2
    message = capsys.readouterr().err
    assert said in message and message.count("\n") == 1


def test_a_year_without_data_names_the_years_with_data():
    from workbook.inputs.report import open_report

    with pytest.raises(DataError, match=r"years with data: 2019-20, 2020-21, 2021-22, 2022-23\)"):
        open_report("northdale", "2030-31")


# ---- the kernel is the analyst's --------------------------------------------------------------

KERNEL_CELLS = [
    # 0: the library's chart, drawn after its setup; nothing global changed
    """import warnings, matplotlib
import pandas as pd
backend, filters = matplotlib.get_backend(), list(warnings.filters)
settings = {k: str(v) for k, v in matplotlib.rcParams.items()}
import workbook.render.display as show
from workbook.render import charts
from workbook.disclosure.published import Count, PublishedTable
from workbook.disclosure.policy import Policy
show.setup_notebook()
kids = PublishedTable(pd.DataFrame({"Kind": ["a", "b"], "Children": [10, 20]}), "Kids",
                      Policy(5), {"Children": Count("children")})
show.chart(charts.count_bars(kids, "Kids", "Children", column="Children"), "Kids by kind.")
assert matplotlib.get_backend() == backend, matplotlib.get_backend()
silenced = [f for f in warnings.filters if f not in filters and f[0] == "ignore" and not f[1]]
assert not silenced, silenced  # third parties' narrow filters (scipy's on import) aside
now = {k: str(v) for k, v in matplotlib.rcParams.items()}
assert now == settings, {k: (settings[k], now[k]) for k in now if now[k] != settings[k]}""",
    # 1: the analyst's own pandas plot draws
    "pd.Series([3, 1, 2]).plot();",
    # 2: the analyst's seaborn draws
    'import seaborn as sns\nsns.barplot(x=["a", "b"], y=[1, 2]);',
    # 3: pandas' warnings are shown
    'pd.to_datetime(pd.Series(["13/01/2020", "01/02/2020"]))',
    # 4: the analyst's style does not reach the library's charts
    """import matplotlib.pyplot as plt
plt.style.use("dark_background")
show.chart(charts.count_bars(kids, "Kids", "Children", column="Children"), "Kids by kind.")""",
    # 5: a raw frame is labelled
    "kids.frame",
    # 6: an unknown partnership: one line
    'from workbook.inputs.report import open_report\nopen_report("Northdale", "2019-20")',
]


def _svg(output) -> str:
    """The chart of a display output, without its random ids."""
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", output["data"]["text/html"])[1]
    svg = base64.b64decode(encoded).decode()
    return re.sub(
        r'(id|xlink:href|clip-path)="[^"]*"|url\(#[^)]*\)|<dc:date>.*?</dc:date>', "", svg
    )


@pytest.mark.slow
def test_the_kernel_stays_the_analysts():
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in KERNEL_CELLS])
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True).execute()
    outputs = [cell.outputs for cell in notebook.cells]
    assert not [o for o in outputs[0] if o.output_type == "error"], outputs[0]
    charts = [o for o in outputs[0] if "base64" in o.get("data", {}).get("text/html", "")]
    assert len(charts) == 1 and charts[0].metadata == MARKED
    for own in (outputs[1], outputs[2]):
        assert any("image/png" in o.get("data", {}) for o in own), own
    stderr = "".join(o.text for o in outputs[3] if o.output_type == "stream")
    assert "UserWarning: Parsing dates in %d/%m/%Y format" in stderr
    assert _svg(outputs[4][0]) == _svg(charts[0])
    assert "NOT FOR PUBLICATION" in outputs[5][0]["data"]["text/html"]
    (error,) = outputs[6]
    assert error.traceback == [
        "error: 'Northdale' is not a partnership id (did you mean northdale?): an id is the "
        "name of its parameters file without .yaml, made of lower-case letters, digits, '-' and "
        "'_' (e.g. darlington); rename the file in params/ if it has other characters"
    ]


# ---- the scratch notebook --------------------------------------------------------------------


def test_the_scratch_notebook_is_never_a_section():
    from workbook.sections import registry

    assert (paths.notebooks_dir() / "explore.ipynb").is_file()
    assert "explore" not in [section.id for section in registry()]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("partnership", "year"), [("darlington", "2019-20"), ("northdale", "2022-23")]
)
def test_the_scratch_notebook_runs_on_a_year(partnership, year):
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = parameterize_notebook(
        load_notebook_node(str(paths.notebooks_dir() / "explore.ipynb")),
        {"partnership": partnership, "year": year},
    )
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    text = json.dumps(outputs)
    assert "NOT FOR PUBLICATION" in text and "image/png" in text  # labelled; the own chart
    assert text.count("application/vnd.jupyter.widget-view+json") == 2  # picker, review


def test_make_lab_opens_the_scratch_notebook_at_the_project_root():
    root = paths.project_root()
    command = subprocess.run(
        ["make", "-s", "--no-print-directory", "-n", "lab"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1]
    assert f'--ServerApp.root_dir="{root}"' in command
    assert "--KernelManager.transport_encryption=auto" in command
    assert command.endswith("notebooks/explore.ipynb")


# ---- a normal run is quiet on stderr ------------------------------------------------------------


@pytest.mark.render
@pytest.mark.slow
def test_a_normal_run_says_nothing_on_stderr(tiny_project):
    """The command as installed, as a scheduler runs it: no kernel chatter (the transport
    warning, its log), no progress bar off a terminal; the run's messages on stdout."""
    import sys
    from pathlib import Path

    folders = [f"--{name}-dir={tiny_project / name}" for name in ("data", "params", "outputs")]
    command = str(Path(sys.executable).parent / "workbook")
    for run in (["run", "testshire", "2019-20"], ["run", "--all", "--force"]):
        done = subprocess.run(
            [command, *run, *folders], capture_output=True, text=True, timeout=600
        )
        assert (done.returncode, done.stderr) == (0, ""), done.stdout
        assert "testshire" in done.stdout
