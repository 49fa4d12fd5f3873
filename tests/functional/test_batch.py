"""Batches: parallel runs, failure isolation, incremental skips, and the Dask path.

A small notebook stands in for the real sections so that these tests are about the batch, not
the analysis; it misbehaves on purpose for chosen partnerships (an error, a dying kernel, a hang).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TINY_TABLES, folders, stand_in_notebook, write_year
from workbook.core.errors import ExitCode
from workbook.run.batch import run_batch, summary_table, targets
from workbook.run.cli import main
from workbook.run.dask_batch import run_on_dask
from workbook.run.runner import RunSettings

pytestmark = [pytest.mark.render, pytest.mark.slow]

SECTION_CODE = """\
import os, time
import workbook.render.display as show
from workbook.inputs.report import open_report
report = open_report(partnership, year, data_dir, params_dir)
if partnership == "errorton":
    raise ValueError("a section that fails")
if partnership == "crashton":
    os._exit(1)
if partnership == "hangton":
    time.sleep(120)
show.heading(f"Reviews of {report.partnership.name}")
"""

PARTNERSHIPS = ["testshire", "otherton", "errorton", "crashton", "hangton"]


def _write(project, partnership: str, tables: dict | None = None) -> None:
    """A Testshire-like year whose only section is the stand-in notebook."""
    write_year(project, partnership, tables=tables, params="sections: [reviews_audits]")


@pytest.fixture
def project(tmp_path):
    for partnership in PARTNERSHIPS:
        _write(tmp_path, partnership)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "03_reviews_audits.ipynb").write_text(json.dumps(stand_in_notebook(SECTION_CODE)))
    return tmp_path


def _settings(project, **extra) -> RunSettings:
    return RunSettings(
        project / "data", project / "params", project / "outputs", project / "notebooks", **extra
    )


def _outputs(project, partnership: str) -> dict:
    folder = project / "outputs" / partnership / "2019-20"
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_targets_come_from_params_and_data_and_can_be_filtered(project):
    assert len(targets(project / "params", project / "data")) == len(PARTNERSHIPS)
    assert targets(project / "params", project / "data", partnership="otherton") == [
        ("otherton", "2019-20")
    ]
    assert targets(project / "params", project / "data", year="2020-21") == []


def test_one_broken_partnership_never_stops_or_damages_the_others(project):
    good = [("testshire", "2019-20"), ("otherton", "2019-20")]
    first = run_batch(good, _settings(project, cell_timeout=5), workers=2)
    assert [r.status for r in first] == ["rendered", "rendered"]
    earlier = _outputs(project, "otherton")

    # otherton's data is now broken; three others fail in their notebook in three ways
    bad = TINY_TABLES["audits"].replace("2019-11-15", "15th November")
    _write(project, "otherton", tables={"audits": bad})
    work = [(p, "2019-20") for p in PARTNERSHIPS]
    results = {
        r.partnership: r for r in run_batch(work, _settings(project, cell_timeout=5), workers=2)
    }

    assert results["testshire"].status == "skipped"  # unchanged since its success
    assert results["otherton"].status == "failed"
    assert "audits.csv, row 2, column 'audit_date'" in results["otherton"].message
    assert _outputs(project, "otherton") == earlier  # its own good outputs are intact
    assert "ValueError: a section that fails" in results["errorton"].message
    assert "kernel died" in results["crashton"].message
    assert "timed out" in results["hangton"].message
    for partnership in ("errorton", "crashton", "hangton"):
        logs = project / "outputs" / partnership / "logs"
        assert (logs / "2019-20.log").read_text().count("failed") >= 1
        assert (logs / "2019-20.03_reviews_audits.failed.ipynb").exists()
        assert not (project / "outputs" / partnership / "2019-20").exists()
    assert summary_table(list(results.values())).endswith("0 rendered, 1 skipped, 4 failed")


def test_unchanged_runs_are_skipped_and_force_renders_again(project):
    work = [("testshire", "2019-20")]
    assert run_batch(work, _settings(project), workers=1)[0].status == "rendered"
    log = project / "outputs" / "testshire" / "logs" / "2019-20.log"
    rendered_log = log.read_text()
    assert run_batch(work, _settings(project), workers=1)[0].status == "skipped"
    assert log.read_text() == rendered_log  # skipped by the parent: no worker, no new log
    assert run_batch(work, _settings(project, force=True), workers=1)[0].status == "rendered"
    findings = project / "data" / "testshire" / "2019-20" / "findings.csv"
    findings.write_text(findings.read_text().replace("clearly recorded", "recorded"))
    assert run_batch(work, _settings(project), workers=1)[0].status == "rendered"


def test_overlapping_runs_of_one_partnership_year_render_it_once_and_leave_it_whole(project):
    """Two runs of the same partnership-year at once (a timer firing during a manual run): the
    second waits for the first's lock, then finds its outputs up to date."""
    work = [("testshire", "2019-20"), ("testshire", "2019-20")]
    results = run_batch(work, _settings(project), workers=2)
    assert sorted(r.status for r in results) == ["rendered", "skipped"], [
        (r.status, r.message) for r in results
    ]
    folder = project / "outputs" / "testshire"
    assert sorted(p.name for p in folder.iterdir()) == ["2019-20", "logs"]  # no lock, no .old
    html = folder / "2019-20" / "03_reviews_audits.html"
    assert "Reviews of Testshire Safeguarding Partnership" in html.read_text()
    assert all(r.cpu_seconds > 0 for r in results)


def test_cli_batch_exits_non_zero_when_any_run_failed(project, capsys):
    bad = TINY_TABLES["audits"].replace("2019-11-15", "15th November")
    _write(project, "otherton", tables={"audits": bad})
    code = main(
        [
            "run",
            "--all",
            "--partnership",
            "otherton",
            "--quiet",
            *folders(project, outputs=True),
        ]
    )
    assert code == ExitCode.BATCH
    out = capsys.readouterr().out
    assert "otherton" in out and "failed" in out and "Traceback" not in out


def test_the_installed_command_ends_with_the_runs_exit_code_and_all_its_output(project):
    """`workbook` leaves with os._exit once a command is done: its exit code and every line it
    printed, to the terminal or to a run's log, must still come out."""
    command = Path(sys.executable).with_name("workbook")
    bad = TINY_TABLES["audits"].replace("2019-11-15", "15th November")
    _write(project, "otherton", tables={"audits": bad})
    done = subprocess.run(
        [command, "run", "--all", "--partnership", "otherton", *folders(project, outputs=True)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == ExitCode.BATCH, done.stderr
    assert "otherton" in done.stdout and "failed" in done.stdout
    logs = list((project / "outputs").rglob("*.log"))
    assert logs and all(log.read_text().strip() for log in logs)
    done = subprocess.run(
        [command, "validate", "nowhere", "2019-20", *folders(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2 and done.stderr.startswith("error:"), done


def test_dask_runs_each_partnership_year_as_a_task(project):
    from distributed import LocalCluster

    work = [("testshire", "2019-20"), ("otherton", "2019-20")]
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        results = run_on_dask(work, _settings(project), cluster.scheduler_address)
    assert [(r.partnership, r.status) for r in results] == [
        ("testshire", "rendered"),
        ("otherton", "rendered"),
    ]
    for partnership, _ in work:
        html = project / "outputs" / partnership / "2019-20" / "03_reviews_audits.html"
        assert "Reviews of Testshire Safeguarding Partnership" in html.read_text()
