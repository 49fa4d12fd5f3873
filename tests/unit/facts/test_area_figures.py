"""DfE's figures for a partnership's area, handed over by the runner to the run's kernel
(`workbook.facts.area_figures`): taken when they are the same partnership-year's, worked out
otherwise, and never a different result from working them out."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import tiny_folder
from workbook.core import paths
from workbook.facts import area_figures as af
from workbook.inputs.params import load_params


@pytest.fixture
def dfe_dir(tmp_path) -> str:
    return str(tiny_folder(tmp_path / "dfe"))


@pytest.fixture
def darlington():
    return load_params("darlington", "2019-20")


def test_outside_a_run_the_figures_are_worked_out(monkeypatch, dfe_dir, darlington):
    monkeypatch.delenv(paths.HANDOVER_VARIABLE, raising=False)
    figures = af.handed_over_or_worked_out(darlington, "2019-20", dfe_dir)
    assert figures.national is not None and figures.note == ""
    assert figures.area.codes == ("841",)
    assert "cpp_rate" in figures.table.index


def test_a_run_kernel_takes_what_its_runner_handed_over(monkeypatch, tmp_path, dfe_dir, darlington):
    handover = tmp_path / "handover"
    handover.mkdir()
    af.hand_over_area_figures(handover, darlington, "2019-20", dfe_dir)
    worked_out = af.area_figures(darlington, "2019-20", dfe_dir)
    monkeypatch.setenv(paths.HANDOVER_VARIABLE, str(handover))

    def not_again(*args, **kwargs):
        raise AssertionError("worked out again although handed over")

    monkeypatch.setattr(af, "area_figures", not_again)
    taken = af.handed_over_or_worked_out(darlington, "2019-20", dfe_dir)
    pd.testing.assert_frame_equal(taken.table, worked_out.table)
    assert taken.area == worked_out.area and taken.note == worked_out.note


def test_figures_for_other_parameters_or_years_are_not_taken(
    monkeypatch, tmp_path, dfe_dir, darlington
):
    handover = tmp_path / "handover"
    handover.mkdir()
    af.hand_over_area_figures(handover, darlington, "2019-20", dfe_dir)
    monkeypatch.setenv(paths.HANDOVER_VARIABLE, str(handover))
    retargeted = darlington.model_copy(update={"targets": {"cpp_rate": 1.0}})
    assert af.handed_over_or_worked_out(retargeted, "2019-20", dfe_dir).area.targets == {
        "cpp_rate": 1.0
    }
    other_year = af.handed_over_or_worked_out(darlington, "2018-19", dfe_dir)
    assert other_year.table.empty or set(other_year.table["year"]) == {"2018-19"}


def test_a_problem_with_dfe_files_is_left_for_the_kernel_to_report(tmp_path, dfe_dir, darlington):
    broken = tmp_path / "dfe" / "d5_cpps_at31march_test.csv"
    broken.write_text(broken.read_text(encoding="utf-8").replace(",80,", ",eighty,"))
    handover = tmp_path / "handover"
    handover.mkdir()
    af.hand_over_area_figures(handover, darlington, "2019-20", dfe_dir)  # no exception here
    assert list(handover.iterdir()) == []


def test_without_dfe_figures_the_note_says_why_and_whose_figures_are_shown(
    monkeypatch, dfe_dir, darlington
):
    """Each way of having no DfE figures (none supplied, a year they do not cover) gives no
    table and one note: why, and that the figures are the partnership's own."""
    uncovered = af.area_figures(darlington, "2005-06", dfe_dir)
    monkeypatch.setattr(af.store, "national_data", lambda folder: None)
    unsupplied = af.area_figures(darlington, "2019-20", dfe_dir)
    for figures, why in (
        (uncovered, "DfE's published statistics do not cover 2005-06"),
        (unsupplied, "DfE's published statistics were not supplied"),
    ):
        assert figures.national is None and figures.table.empty
        assert figures.note == f"{why}: figures are those the partnership reported."


def test_a_kernel_waits_for_figures_its_runner_is_still_working_out(
    monkeypatch, tmp_path, dfe_dir, darlington
):
    """Asked while the runner works them out, the kernel takes the runner's, not its own."""
    handover = tmp_path / "handover"
    handover.mkdir()
    monkeypatch.setenv(paths.HANDOVER_VARIABLE, str(handover))
    worked_out = af.area_figures(darlington, "2019-20", dfe_dir)
    slow = af.area_figures

    def runner_working_slowly(*args, **kwargs):
        time.sleep(0.5)
        return slow(*args, **kwargs)

    monkeypatch.setattr(af, "area_figures", runner_working_slowly)
    runner = threading.Thread(
        target=af.hand_over_area_figures, args=(handover, darlington, "2019-20", dfe_dir)
    )
    runner.start()
    time.sleep(0.1)  # the runner has begun
    calls = []
    monkeypatch.setattr(af, "area_figures", lambda *a, **k: calls.append(a) or slow(*a, **k))
    taken = af.handed_over_or_worked_out(darlington, "2019-20", dfe_dir)
    runner.join()
    assert calls == []  # waited for the runner's
    pd.testing.assert_frame_equal(taken.table, worked_out.table)
    assert not list(handover.glob("*.working"))


def test_figures_are_worked_out_once_a_process_for_the_same_parameters_year_and_files(
    monkeypatch, dfe_dir, darlington
):
    worked = []
    real = af.ind.indicator_table
    monkeypatch.setattr(af.ind, "indicator_table", lambda *a: worked.append(a[2]) or real(*a))
    first = af.area_figures(darlington, "2019-20", dfe_dir)
    assert af.area_figures(darlington, "2019-20", dfe_dir) is first
    assert worked == ["2019-20"]
    af.area_figures(darlington, "2018-19", dfe_dir)
    retargeted = darlington.model_copy(update={"targets": {"cpp_rate": 1.0}})
    assert af.area_figures(retargeted, "2019-20", dfe_dir).area.targets == {"cpp_rate": 1.0}
    assert worked == ["2019-20", "2018-19", "2019-20"]
    population = next(p for p in Path(dfe_dir).glob("*.csv") if "population" in p.name)
    population.write_text(population.read_text("utf-8").replace("1000000", "2000000"), "utf-8")
    again = af.area_figures(darlington, "2019-20", dfe_dir)  # DfE's files changed
    assert len(worked) == 4 and again is not first
