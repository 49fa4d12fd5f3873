"""Councils by code or by name: every code of DfE's lists accepted, one pattern for all of them."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import tiny_folder
from workbook.core.errors import ParamsError
from workbook.inputs.partnership import PartnershipFile
from workbook.national.councils import LA_CODE, councils, find_council
from workbook.run.cli import main

ROOT = Path(__file__).resolve().parents[3]


def _dfe_codes(folder: Path) -> set[str]:
    """Every LA code in the DfE files: the old and new codes of council rows and the codes of
    the statistical neighbour models."""
    codes = set()
    for path in folder.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.columns = [str(c).strip() for c in frame.columns]
        if "geographic_level" in frame:
            rows = frame[frame["geographic_level"] == "Local authority"]
            codes |= set(rows.get("old_la_code", [])) | set(rows.get("new_la_code", []))
        for column in ("old_la_code", "LA number", "LA num"):
            if column in frame and "geographic_level" not in frame:
                codes |= {c for c in frame[column] if c.strip().isdigit()}
    return {code.strip() for code in codes if code.strip()}


def test_every_la_code_in_dfe_files_is_accepted_everywhere(dfe_dir):
    codes = _dfe_codes(dfe_dir)
    assert len(codes) > 300  # about 150 councils, each with an old and a new code
    assert {code[:3] for code in codes if code.startswith("E")} == {"E06", "E08", "E09", "E10"}
    base = {
        "name": "Test partnership",
        "short_name": "Test",
        "region": "North East",
        "covers_adults": False,
    }
    for code in sorted(codes):
        assert LA_CODE.match(code), code
        assert PartnershipFile.model_validate({**base, "councils": [code]}).councils == (code,)
        assert code in find_council(code).codes


def test_the_committed_list_of_councils_is_dfes(dfe_dir):
    spec = importlib.util.spec_from_file_location(
        "build_councils", ROOT / "scripts" / "build_councils.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.main([str(dfe_dir), "--check"]) == 0


def test_one_la_code_pattern_in_the_library():
    library = ROOT / "lib" / "workbook"
    la_pattern = re.compile(r"E(\(\?:)?(0\[6-9\]|10\\d)|\\d\{3\}\|E")
    patterns = [
        path
        for path in library.rglob("*.py")
        if la_pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert [p.relative_to(library).as_posix() for p in patterns] == ["core/la_codes.py"]


@pytest.mark.parametrize(
    ("given", "name", "code"),
    [
        ("Dudley", "Dudley", "332"),
        ("County Durham", "County Durham", "840"),
        ("county durham", "County Durham", "840"),
        ("E10000016", "Kent", "886"),
        ("e10000016", "Kent", "886"),
        ("886", "Kent", "886"),
        ("Kingston upon Hull", "Kingston upon Hull, City of", "810"),
        ("Bournemouth Christchurch & Poole", "Bournemouth, Christchurch and Poole", "839"),
    ],
)
def test_a_council_by_name_or_code(given, name, code):
    found = find_council(given)
    assert (found.name, found.old_code) == (name, code)


def test_a_council_whose_code_changed_is_found_under_its_latest_code():
    assert find_council("North Yorkshire").new_code == "E06000065"
    assert find_council("E10000023").name == "North Yorkshire"  # the old county code still reads


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("Durham", "did you mean 'County Durham'"),
        ("Dudly", "did you mean 'Dudley'"),
        ("Kentt", "did you mean 'Kent'"),
        ("E10000999", "is not the code of a council in DfE's lists"),
        ("Atlantis", "give its name as DfE writes it (e.g. 'County Durham')"),
    ],
)
def test_near_misses_get_a_did_you_mean(given, words):
    with pytest.raises(ParamsError, match=words.replace("(", r"\(").replace(")", r"\)")):
        find_council(given)


def test_the_list_holds_every_kind_of_council():
    kinds = {c.new_code[:3] for c in councils()}
    assert kinds == {"E06", "E08", "E09", "E10"}
    assert len({c.old_code for c in councils()}) >= 150


def test_indicators_take_a_council_by_name(tmp_path, capsys):
    folder = str(tiny_folder(tmp_path / "dfe"))  # Darlington and three neighbours
    assert main(["indicators", "Hartlepool", "2019-20", "--dfe-dir", folder]) == 0
    assert capsys.readouterr().out.startswith("Hartlepool (805), 2019-20")
    assert main(["indicators", "Hartlepol", "2019-20", "--dfe-dir", folder]) == 2
    assert "did you mean 'Hartlepool'?" in capsys.readouterr().err
