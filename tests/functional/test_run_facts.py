"""The year's facts are worked out once per run and shared by its sections, and no section
changes what the next one reads (`workbook.facts._run_facts`).

Every section notebook's code runs here in one process, one namespace after another (as the
run's kernel runs them, its namespace reset between sections), with the run's hand-over folder
set; then the facts the sections shared must be those a fresh report works out."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

import workbook.facts as facts_module
from workbook.core import paths
from workbook.facts import year_facts
from workbook.inputs.report import open_report
from workbook.sections import registry

pytestmark = [pytest.mark.render, pytest.mark.slow]


def _described(facts) -> list[tuple]:
    """Every fact of every group, as a reader could tell two apart."""
    return [
        (f.name, repr(f.value), f.rows, f.missing, f.where, f.unknown)
        for group in facts.GROUPS
        for f in facts_module._facts_in(getattr(facts, group))
    ]


def test_every_section_of_a_run_reads_the_same_facts_and_changes_none(monkeypatch, tmp_path):
    if paths.national_store().exists():
        pytest.skip(f"{paths.national_store()} holds imported DfE figures")
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    monkeypatch.setenv(paths.HANDOVER_VARIABLE, str(tmp_path))  # as in a run's kernel
    monkeypatch.setattr(facts_module, "_RUN_FACTS", {})
    parameters = {"partnership": "northdale", "year": "2022-23", "data_dir": "", "params_dir": ""}
    shared = set()
    for section in registry():
        cells = json.loads(section.notebook.read_text(encoding="utf-8"))["cells"]
        namespace = {**parameters, "dfe_dir": ""}
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in cells:
                if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get(
                    "tags", []
                ):
                    exec("".join(cell["source"]), namespace)  # noqa: S102 - our own notebooks
        if "facts" in namespace:
            shared.add(id(namespace["facts"]))
    assert len(shared) == 1, "each section worked the facts out again"
    [(key, kept)] = [(k, v) for k, v in facts_module._RUN_FACTS.items() if not k[-1]]
    monkeypatch.delenv(paths.HANDOVER_VARIABLE)
    fresh = year_facts(open_report("northdale", "2022-23"))
    assert fresh is not kept
    assert _described(kept) == _described(fresh)


def test_outside_a_run_each_report_works_its_facts_out_afresh(monkeypatch):
    monkeypatch.delenv(paths.HANDOVER_VARIABLE, raising=False)
    first = year_facts(open_report("darlington", "2019-20"))
    again = open_report("darlington", "2019-20")
    assert year_facts(again) is not first
    assert year_facts(again) is year_facts(again)  # kept with its report
