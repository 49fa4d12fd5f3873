"""End to end: `workbook run` renders every section, all or nothing.

These tests execute the real notebooks with papermill on the small Testshire year, so they are
the slowest in the suite (a few seconds a section).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from pypdf import PdfReader

from conftest import TINY_TABLES, folders, write_year
from conftest import run_testshire as run
from workbook.run.cli import main
from workbook.sections import registry

pytestmark = [pytest.mark.render, pytest.mark.slow]

SECTIONS = [
    "02_local_picture",
    "03_reviews_audits",
    "04_thematic_review",
    "08_learning_actions",
]


@pytest.mark.smoke  # in `make test-fast`: one render, read end to end
def test_every_section_as_html_pdf_and_executed_notebook(rendered):
    _, out = rendered
    for stem in SECTIONS:
        assert (out / f"{stem}.html").stat().st_size > 1000
        assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
        assert (out / "notebooks" / f"{stem}.ipynb").exists()
    # Testshire records no foreword, arrangements or budget: the section has nothing for the
    # board and no page, but its notebook ran
    assert not (out / "00_introduction.html").exists()
    assert (out / "notebooks" / "00_introduction.ipynb").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["fingerprint"] and manifest["inputs"]
    leftovers = [p.name for p in out.parent.iterdir() if p.name != "2019-20"]
    assert leftovers == []


@pytest.mark.smoke  # in `make test-fast`: one render, read end to end
def test_board_pack_reads_as_a_published_report(rendered):
    _, out = rendered
    pdf = PdfReader(out / "board_pack.pdf")
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]
    assert "Testshire Safeguarding Partnership" in pages[0] and "OFFICIAL" in pages[0]
    assert "Annual report 2019-20" in pages[0]
    assert "1 April 2019 to 31 March 2020" in pages[0]  # the report's period, not a render date
    contents = pages[1]
    assert "Contents" in contents
    titles = [
        "Local picture and performance",
        "Case reviews and audits",
        "Thematic review of learning",
        "Learning into practice: actions and impact",
    ]
    bookmarks = {
        item.title: pdf.get_destination_page_number(item)
        for item in pdf.outline
        if not isinstance(item, list)
    }
    for title in titles:
        # the page number the contents give is the page the section's heading is on, where
        # its bookmark goes (a section may begin part way down a page)
        listed = int(re.search(re.escape(title) + r"[ .]*?(\d+)", contents)[1])
        assert title in pages[listed - 1], (title, listed)
        assert bookmarks[title] == listed - 1, (title, listed)
    total = len(pdf.pages)
    assert all(
        f"Board pack page {n} of {total}" in text for n, text in enumerate(pages, 1) if n > 1
    )
    assert all("Testshire Safeguarding Partnership · 2019-20" in text for text in pages[1:])
    pack_text = " ".join(pages)
    assert "findings.csv" not in pack_text and "Provenance" not in pack_text
    companion = (out / "companion.html").read_text(encoding="utf-8")
    assert "findings.csv" in companion and manifest_hash(out) in companion
    html = (out / "board_pack.html").read_text(encoding="utf-8")
    assert all('alt="' in img for img in re.findall(r"<img[^>]*>", html))
    assert "<script" not in html and "http" not in re.sub(r"https?://www\.w3\.org[^\"']*", "", html)


def test_each_section_pdf_is_its_pages_of_the_pack(rendered):
    """A section's PDF holds exactly the pack's pages of that section, numbered as in the pack,
    with the section's bookmarks and a title of its own."""
    _, out = rendered
    pack = [" ".join(p.extract_text().split()) for p in PdfReader(out / "board_pack.pdf").pages]
    # the sections with something for the board, in this order (a section with nothing has
    # no pages, and no PDF)
    sections = [s for s in registry() if (out / f"{s.notebook.stem}.pdf").exists()]
    stems = [s.notebook.stem for s in sections]
    titles = [s.title for s in sections]
    assert set(SECTIONS) <= set(stems)
    pack_pdf = PdfReader(out / "board_pack.pdf")
    starts = {
        item.title: pack_pdf.get_destination_page_number(item)
        for item in pack_pdf.outline
        if not isinstance(item, list)
    }
    following = [*titles[1:], None]
    for stem, title, after in zip(stems, titles, following, strict=True):
        pdf = PdfReader(out / f"{stem}.pdf")
        pages = [" ".join(p.extract_text().split()) for p in pdf.pages]
        first = starts[title]
        end = starts[after] if after else len(pack)
        # its pages run to where the next section starts, and take in that page when the
        # next section begins part way down it
        assert len(pages) in (end - first, end - first + 1), stem
        assert pages == pack[first : first + len(pages)], stem
        assert f"Board pack page {first + 1} of {len(pack)}" in pages[0]
        assert pdf.metadata.title.startswith(f"{title} | Testshire")
        marks = [item.title for item in pdf.outline if not isinstance(item, list)]
        # its own bookmark, and those of the sections on the pages it shares (a shared page
        # keeps its headings): sections next to each other in the pack, its own among them
        named = [titles.index(m) for m in marks if m in titles]
        assert title in marks and named == list(range(named[0], named[-1] + 1)), stem
        assert "/StructTreeRoot" in pdf.trailer["/Root"]  # tagged for screen readers


def manifest_hash(out) -> str:
    """The fingerprint of the run, as the provenance page must show it."""
    return json.loads((out / "manifest.json").read_text())["fingerprint"][:16]


def test_an_unchanged_run_is_skipped(rendered, capsys):
    project, out = rendered
    before = (out / "manifest.json").read_text()
    assert run(project) == 0
    assert "unchanged, skipped" in capsys.readouterr().out
    assert (out / "manifest.json").read_text() == before


def test_html_has_no_code_prompts_or_errors(rendered):
    _, out = rendered
    for stem in SECTIONS:
        page = (out / f"{stem}.html").read_text(encoding="utf-8")
        for banned in (
            "open_report",
            "import ",
            "In&nbsp;[",
            "Traceback",
            "Warning",
            'class="input',
            "stderr",
            "<script",
        ):
            assert banned not in page, f"{stem}.html shows {banned!r}"
        assert '<html lang="en-GB">' in page
        assert all('alt="' in img for img in re.findall(r"<img[^>]*>", page))


def test_published_text_carries_figures_and_suppresses_small_counts(rendered):
    _, out = rendered
    html = (out / "02_local_picture.html").read_text(encoding="utf-8")
    assert "85" in html and "37.8" in html
    pdf = PdfReader(out / "02_local_picture.pdf")
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert "85" in pdf_text
    actions = (out / "08_learning_actions.html").read_text(encoding="utf-8")
    # three actions in all: every count of them is at or under the threshold of 5
    assert "5 or fewer" in actions


def test_invalid_data_renders_nothing_and_keeps_earlier_outputs(rendered, capsys):
    project, out = rendered
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = TINY_TABLES["audits"].replace("2019-11-15", "15th November")
    write_year(project, tables={"audits": bad})
    try:
        assert run(project) == 3
        err = capsys.readouterr().err
        assert "audits.csv, row 2, column 'audit_date': '15th November' is not a date" in err
        assert "Traceback" not in err
        after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert after == before
    finally:
        write_year(project)


def test_failing_section_keeps_earlier_outputs_and_the_failed_notebook(rendered, capsys, tmp_path):
    project, out = rendered
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    notebooks = tmp_path / "notebooks"
    shutil.copytree(_project_notebooks(), notebooks)
    broken = notebooks / "03_reviews_audits.ipynb"
    broken.write_text(broken.read_text().replace("ra.review_sentences(", "ra.no_such_function("))
    from workbook.run.runner import RunSettings, SectionFailed, run_partnership_year

    settings = RunSettings(project / "data", project / "params", project / "outputs", notebooks)
    with pytest.raises(SectionFailed, match="03_reviews_audits.ipynb failed: AttributeError"):
        run_partnership_year("testshire", "2019-20", settings, echo=lambda *_: None)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    kept = out.parent / "logs" / "2019-20.03_reviews_audits.failed.ipynb"
    assert "no_such_function" in kept.read_text()
    assert "AttributeError" in kept.read_text()  # the error is in the kept notebook


def test_the_appendix_holds_every_review_audit_finding_and_action_beside_the_pack(rendered):
    import hashlib
    import io

    import pandas as pd
    from openpyxl import load_workbook

    _, out = rendered
    tables = {
        name: pd.read_csv(io.StringIO(TINY_TABLES[name]), dtype=str)
        for name in ("reviews", "audits", "findings", "actions")
    }
    appendix = json.loads((out / "manifest.json").read_text())["appendix"]
    assert appendix["listings"] == {
        "Case reviews": len(tables["reviews"]),
        "Audits": len(tables["audits"]),
        "Findings": len(tables["findings"]),
        "Actions": len(tables["actions"]),
    }
    for name in ("appendix.html", "appendix.xlsx"):
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == appendix["sha256"][name]
    book = load_workbook(out / "appendix.xlsx")
    assert book.sheetnames == ["Case reviews", "Audits", "Findings", "Actions"]
    listed = [row[0] for row in book["Findings"].iter_rows(min_row=3, values_only=True)]
    assert listed == tables["findings"]["finding_id"].tolist()
    html = (out / "appendix.html").read_text()
    for finding in tables["findings"]["finding_id"]:
        assert f'<tr id="{finding}">' in html
    companion = (out / "companion.html").read_text(encoding="utf-8")
    assert "Listings in full" in companion and "appendix.xlsx" in companion


def _project_notebooks():
    from workbook.core import paths

    return paths.notebooks_dir()


def test_identifiers_in_text_are_flagged_but_do_not_stop_a_run(tiny_project, capsys):
    findings = TINY_TABLES["findings"].replace(
        "Chronologies were missing", "Mrs Jane Smith said chronologies were missing"
    )
    write_year(tiny_project, tables={"findings": findings})
    assert main(["validate", "testshire", "2019-20", *folders(tiny_project)]) == 0
    err = capsys.readouterr().err
    assert "findings.csv, row 4, column text: possible titled name: 'Mrs Jane'" in err
    assert "1 possible personal identifiers" in err or "possible personal identifiers" in err


def test_inputs_are_named_from_their_folders_never_as_machine_paths(
    rendered, tmp_path, monkeypatch
):
    from pathlib import Path

    from workbook.run.plan import _shown
    from workbook.run.runner import RunSettings

    _, out = rendered
    names = list(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"])
    assert {
        "params/testshire.yaml",
        "data/testshire/2019-20/findings.csv",
        "data/codebook/themes.yaml",
        "notebooks/02_local_picture.ipynb",
    } <= set(names)
    assert not any(Path(name).is_absolute() or name.startswith("..") for name in names)
    dfe = tmp_path / "dfe"
    monkeypatch.setenv("WORKBOOK_DFE_DIR", str(dfe))
    assert _shown(dfe / "cin" / "b1.csv", RunSettings()) == "DfE file cin/b1.csv"
    assert _shown(tmp_path / "x" / "y.csv", RunSettings(data_dir=tmp_path)) == "data/x/y.csv"
    assert _shown(tmp_path / "elsewhere.csv", RunSettings()) == "elsewhere.csv"
