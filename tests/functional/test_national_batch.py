"""The national batch recipe (benchmarks/national_batch.py): fictional partnerships rendered by
`workbook run --all --dask-scheduler` on a Dask LocalCluster of 2 workers, each with a memory
limit. The recipe's default is 150 partnerships, which takes about ten minutes of this 2-core
machine; the test runs the same machinery on WORKBOOK_NATIONAL_RUNS of them (default 4)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.render, pytest.mark.slow]


def _recipe():
    sys.path.insert(0, str(ROOT / "benchmarks"))  # it imports its sibling, measure.py
    spec = importlib.util.spec_from_file_location(
        "national_batch", ROOT / "benchmarks" / "national_batch.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_partnership_year_of_a_national_batch_is_rendered_on_a_dask_cluster(tmp_path, capsys):
    runs = int(os.environ.get("WORKBOOK_NATIONAL_RUNS", "4"))
    code = _recipe().main(
        [
            "--partnerships",
            str(runs),
            "--workers",
            "2",
            "--memory-limit",
            "1GiB",
            "--root",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "2 workers, one thread each, memory limit 1.00 GiB each" in out
    assert f"{runs} rendered, 0 skipped, 0 failed" in out
    summary = [line for line in out.splitlines() if line.startswith("northdale")]
    assert len(summary) == runs and all(" rendered " in line for line in summary)
    assert "runs per CPU-minute" in out
    for number in range(1, runs + 1):
        folder = tmp_path / "outputs" / f"northdale{number:03d}" / "2022-23"
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["partnership"] == f"northdale{number:03d}"
        assert (folder / "board_pack.pdf").read_bytes().startswith(b"%PDF")
