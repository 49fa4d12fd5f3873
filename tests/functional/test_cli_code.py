"""`workbook code FILE.csv --out CODED.csv [--codebook YAML]`, run through the CLI entry point."""

from __future__ import annotations

import pandas as pd

from workbook.run.cli import main

CODEBOOK = """\
version: "cli-1"
themes:
  - id: harm
    label: Harm
    definition: Harms to a child.
    negatable: true
    subthemes:
      - id: neglect
        label: Neglect
        patterns: [neglect]
  - id: multi_agency
    label: Multi-agency working
    definition: Agencies working together.
    subthemes:
      - id: marac
        label: MARAC
        patterns: [MARAC, strategy meeting]
"""


def test_code_writes_rows_with_evidence(tmp_path, capsys):
    source = tmp_path / "findings.csv"
    source.write_text(
        "id,text\n"
        'A1,"Neglect was known, and the MARAC met."\n'
        "A2,There were no concerns about neglect.\n"
        "A3,Strategy meetings were late.\n",
        encoding="utf-8",
    )
    codebook = tmp_path / "themes.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    target = tmp_path / "coded.csv"

    assert main(["code", str(source), "--out", str(target), "--codebook", str(codebook)]) == 0

    coded = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert coded[["id", "theme", "subtheme", "evidence", "source", "final"]].values.tolist() == [
        ["A1", "harm", "neglect", "Neglect", "automatic", "True"],
        ["A1", "multi_agency", "marac", "MARAC", "automatic", "True"],
        ["A2", "", "", "", "uncoded", "True"],  # negated: kept, not dropped
        ["A3", "multi_agency", "marac", "Strategy meetings", "automatic", "True"],
    ]
    assert set(coded["codebook_version"]) == {"cli-1"}
    out = capsys.readouterr().out
    assert "3 findings" in out and "1 with no theme" in out and str(target) in out


def test_code_uses_the_default_codebook(tmp_path):
    source = tmp_path / "findings.csv"
    source.write_text("finding_id,text\nF1,The MASH screened the referral.\n", encoding="utf-8")
    target = tmp_path / "coded.csv"
    assert main(["code", str(source), "--out", str(target)]) == 0
    coded = pd.read_csv(target, dtype=str)
    assert coded.columns[0] == "finding_id"
    assert "thresholds_decision_making" in set(coded["theme"])


def test_missing_text_column_exits_non_zero_naming_the_file(tmp_path, capsys):
    source = tmp_path / "no_text.csv"
    source.write_text("id,description\n1,Neglect.\n", encoding="utf-8")
    target = tmp_path / "coded.csv"
    assert main(["code", str(source), "--out", str(target)]) != 0
    err = capsys.readouterr().err
    assert str(source) in err and "'text' column" in err
    assert "Traceback" not in err
    assert not target.exists()


def test_missing_input_and_broken_codebook_exit_non_zero(tmp_path, capsys):
    target = tmp_path / "coded.csv"
    assert main(["code", str(tmp_path / "absent.csv"), "--out", str(target)]) != 0
    assert "absent.csv" in capsys.readouterr().err
    source = tmp_path / "findings.csv"
    source.write_text("id,text\n1,x\n", encoding="utf-8")
    broken = tmp_path / "themes.yaml"
    broken.write_text("version: 1\nthemes: []\n", encoding="utf-8")
    assert main(["code", str(source), "--out", str(target), "--codebook", str(broken)]) != 0
    assert str(broken) in capsys.readouterr().err
