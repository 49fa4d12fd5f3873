"""A section made by following CONTRIBUTING.md alone renders into the board pack.

The steps of "Add a section", done in a temporary folder: a module whose builder returns a
`PublishedTable`, and a numbered notebook with a parameters cell, a title heading and cells
calling the library. Nothing is registered anywhere else.
"""

from __future__ import annotations

import json
import shutil

import pytest

from workbook.core import paths
from workbook.run.runner import RunSettings, run_partnership_year

pytestmark = pytest.mark.render

MODULE = '''\
"""A throwaway section: the year's audits by type."""

import pandas as pd

from workbook.disclosure.published import Count, PublishedTable
from workbook.text.labels import label


def audits_by_type(report) -> PublishedTable:
    counts = report.tables["audits"]["audit_type"].value_counts()
    frame = pd.DataFrame({"Type": [label("audit_type", t) for t in counts.index],
                          "Audits": counts.to_numpy()})
    return PublishedTable(frame, f"Audits by type, {report.year}", report.policy,
                          {"Audits": Count("audits")}, when_empty="No audits this year.")
'''

PARAMETERS = """partnership = "testshire"  # partnership id: the name of a file in params/
year = "2019-20"  # reporting year, April to March, e.g. "2019-20"
data_dir = ""  # folder holding <partnership>/<year>/ data; empty means the project's data/
params_dir = ""  # folder holding <partnership>.yaml; empty means the project's params/
"""

CODE = """import workbook.render.display as show
from workbook.inputs.report import open_report

show.setup_notebook()
report = open_report(partnership, year, data_dir, params_dir)

import throwaway_section
"""


def _cell(kind: str, source: str, tags=()) -> dict:
    cell = {
        "cell_type": kind,
        "id": f"{kind[0]}{abs(hash(source)) % 10**8}",
        "metadata": {"tags": list(tags)} if tags else {},
        "source": source,
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def test_a_section_made_by_following_contributing_renders_into_the_pack(
    tiny_project, tmp_path, monkeypatch
):
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "throwaway_section.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(modules))  # the kernel imports it from here
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(paths.notebooks_dir() / "00_introduction.ipynb", notebooks)
    notebook = {
        "cells": [
            _cell("markdown", "<!-- A throwaway section. -->"),
            _cell("code", PARAMETERS, ["parameters"]),
            _cell("markdown", "# Audits at a glance", ["remove"]),
            _cell("code", CODE),
            _cell("markdown", "## By type"),
            _cell("code", "show.table(throwaway_section.audits_by_type(report))"),
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (notebooks / "05_throwaway.ipynb").write_text(json.dumps(notebook), encoding="utf-8")

    settings = RunSettings(
        tiny_project / "data", tiny_project / "params", tmp_path / "outputs", notebooks
    )
    result = run_partnership_year("testshire", "2019-20", settings, echo=lambda _: None)

    pack = (result.target / "board_pack.html").read_text(encoding="utf-8")
    assert "Audits at a glance" in pack  # the title, from the notebook's heading
    assert "Audits by type, 2019-20" in pack
    assert "Multi-agency thematic audit" in pack
    assert (result.target / "05_throwaway.pdf").exists()
    manifest = json.loads((result.target / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["sections"]) == ["introduction", "throwaway"]
