"""The board pack stays a board pack: four times the data, about the same number of pages, and
every item of the larger year in the appendix beside it.

Renders fictional Northdale 2022-23 twice, as committed and with four times its reviews, audits,
findings and actions (scripts/generate_demo.py --scale 4), so it is marked slow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import demo_generator
from workbook.core import paths
from workbook.run.runner import RunSettings, run_partnership_year

pytestmark = [pytest.mark.render, pytest.mark.slow]


def _render(root: Path, scale: int) -> Path:
    demo_generator().write(root, scale=scale)
    settings = RunSettings(root / "data", root / "params", root / "outputs")
    result = run_partnership_year("northdale", "2022-23", settings, echo=lambda *_: None)
    assert result.status == "rendered"
    return result.target


def test_four_times_the_data_gives_about_the_same_pack_and_four_times_the_appendix(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    if paths.national_store().exists():
        pytest.skip("an imported DfE store changes the local picture between the two runs")
    small, large = _render(tmp_path / "x1", 1), _render(tmp_path / "x4", 4)
    pages = [len(PdfReader(folder / "board_pack.pdf").pages) for folder in (small, large)]
    assert pages[1] <= 1.2 * pages[0], pages
    findings = pd.read_csv(tmp_path / "x4" / "data" / "northdale" / "2022-23" / "findings.csv")
    listings = json.loads((large / "manifest.json").read_text())["appendix"]["listings"]
    assert listings["Findings"] == len(findings) > 4 * 60
    listed = {
        row[0]
        for row in load_workbook(large / "appendix.xlsx", read_only=True)["Findings"].iter_rows(
            min_row=3, values_only=True
        )
    }
    assert listed == set(findings["finding_id"])
    pack = " ".join(page.extract_text() for page in PdfReader(large / "board_pack.pdf").pages)
    assert "more findings" in " ".join(pack.split())
