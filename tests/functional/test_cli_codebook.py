"""`workbook codebook export|suggest|apply|import-qdpx` and `workbook code --qdpx`, through the CLI
entry point: files written, round trips closed, errors named with a non-zero exit."""

from __future__ import annotations

import zipfile

import pandas as pd
from lxml import etree

from conftest import SMALL_CODEBOOK
from workbook.coding.refi.files import schema
from workbook.run.cli import main

FINDINGS = """\
id,text,themes
F1,The action plan for county lines was late.,exploitation
F2,The action plan did not mention cuckooing.,exploitation
F3,The child's plan drifted.,planning
F4,Cuckooing of the flat was not recognised.,exploitation
F5,Cuckooing continued for months.,exploitation
F6,"=HYPERLINK(""x"") county lines",exploitation
"""


def files(tmp_path):
    codebook = tmp_path / "themes.yaml"
    codebook.write_text(SMALL_CODEBOOK, encoding="utf-8")
    findings = tmp_path / "findings.csv"
    findings.write_text(FINDINGS, encoding="utf-8")
    return codebook, findings


def test_export_writes_a_valid_qdc(tmp_path, capsys):
    codebook, _ = files(tmp_path)
    target = tmp_path / "out" / "codebook.qdc"
    assert main(["codebook", "export", "--qdc", str(target), "--codebook", str(codebook)]) == 0
    assert schema("Codebook.xsd").validate(etree.parse(str(target)))
    assert "2 themes" in capsys.readouterr().out


def test_code_with_qdpx_and_import_close_the_round_trip(tmp_path, capsys):
    codebook, findings = files(tmp_path)
    coded, project = tmp_path / "coded.csv", tmp_path / "project.qdpx"
    assert (
        main(
            [
                "code",
                str(findings),
                "--out",
                str(coded),
                "--codebook",
                str(codebook),
                "--qdpx",
                str(project),
            ]
        )
        == 0
    )
    with zipfile.ZipFile(project) as archive:
        assert schema("Project.xsd").validate(
            etree.fromstring(archive.read("project.qde")).getroottree()
        )
    back = tmp_path / "back.csv"
    assert (
        main(
            [
                "codebook",
                "import-qdpx",
                str(project),
                "--out",
                str(back),
                "--codebook",
                str(codebook),
                "--findings",
                str(findings),
            ]
        )
        == 0
    )
    original = pd.read_csv(findings, dtype=str)
    result = pd.read_csv(back, dtype=str)
    assert result["id"].tolist() == original["id"].tolist()
    assert result["themes"].tolist() == original["themes"].tolist()
    # a formula-like text is neutralised for spreadsheets, in both CSVs written for people
    assert result["text"].iloc[5].startswith("'=")
    assert not pd.read_csv(coded, dtype=str)["evidence"].dropna().str.startswith("=").any()
    assert "6 of 6 findings" in capsys.readouterr().out


def test_suggest_then_apply(tmp_path, capsys):
    codebook, findings = files(tmp_path)
    suggestions = tmp_path / "suggestions.yaml"
    assert (
        main(
            [
                "codebook",
                "suggest",
                str(findings),
                "--out",
                str(suggestions),
                "--codebook",
                str(codebook),
            ]
        )
        == 0
    )
    assert "workbook codebook apply" in capsys.readouterr().out
    text = suggestions.read_text(encoding="utf-8")
    assert "phrase: cuckooing" in text and "unless: action plan" in text
    suggestions.write_text(text.replace("accept: false", "accept: true"), encoding="utf-8")
    assert main(["codebook", "apply", str(suggestions), "--codebook", str(codebook)]) == 0
    changed = codebook.read_text(encoding="utf-8")
    assert (
        changed.startswith("# An analyst's comment that must survive.") and "cuckooing" in changed
    )


def test_import_of_a_broken_project_exits_non_zero_naming_it(tmp_path, capsys):
    codebook, _ = files(tmp_path)
    project = tmp_path / "broken.qdpx"
    project.write_bytes(b"PK not really")
    assert (
        main(
            [
                "codebook",
                "import-qdpx",
                str(project),
                "--out",
                str(tmp_path / "x.csv"),
                "--codebook",
                str(codebook),
            ]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "broken.qdpx" in err and "Traceback" not in err


def test_code_with_sources_shows_or_counts_their_themes(tmp_path):
    codebook, _ = files(tmp_path)
    findings = tmp_path / "f.csv"
    findings.write_text("id,source_id,text\nA1,AUD-1,Interviews were late.\n", encoding="utf-8")
    sources = tmp_path / "sources.csv"
    sources.write_text(
        "source_id,kind,title\nAUD-1,deep_dive,County lines audit\n", encoding="utf-8"
    )
    coded = tmp_path / "coded.csv"
    assert (
        main(
            [
                "code",
                str(findings),
                "--out",
                str(coded),
                "--codebook",
                str(codebook),
                "--sources",
                str(sources),
            ]
        )
        == 0
    )
    shown = pd.read_csv(coded, dtype=str, keep_default_na=False)
    assert shown[["theme", "evidence", "source", "final"]].values.tolist() == [
        ["exploitation", 'source "County lines audit"', "from_source", "False"],
        ["", "", "uncoded", "True"],
    ]
    assert (
        main(
            [
                "code",
                str(findings),
                "--out",
                str(coded),
                "--codebook",
                str(codebook),
                "--sources",
                str(sources),
                "--count-source-themes",
            ]
        )
        == 0
    )
    counted = pd.read_csv(coded, dtype=str, keep_default_na=False)
    assert counted["final"].tolist() == ["True"]
