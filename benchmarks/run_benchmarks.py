"""Where a partnership-year's time goes, measured in one run on one machine.

    python benchmarks/run_benchmarks.py [--partnership northdale --year 2022-23] [--batch 20]
                                        [--repeats 3]

Prints, with the ratios the targets are set on:
1. the floor: the papermill CLI executing an empty notebook with one parameter;
2. the usual route: the papermill CLI on each section notebook, then `jupyter nbconvert --to html
   --no-input` on each, then a PDF of each with the WeasyPrint CLI (no board pack: the usual
   route has none, so it is flattered);
3. `workbook run` for the same partnership-year (sections, HTML, PDF and board pack), and again
   with nothing changed;
4. `workbook run --all` over N partnership-years (copies of the fictional Northdale data) with
   1 worker and with 2.
Every figure is wall-clock time of a fresh process, as a user or a scheduler would see it; the
floor, the run and the re-run are medians of --repeats timings, and the batches also report the
CPU time a run took. Outputs go to a temporary folder; the project's own outputs/ is not touched.
Whether WORKBOOK_DFE_DIR is set is printed: with DfE files, every route also reads them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbook.core import settings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EMPTY_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "p",
               "metadata": {"tags": ["parameters"]}, "outputs": [], "source": "x = 1"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def timed(command: list[str], **kwargs) -> float:
    """Seconds for one command to finish; stops the benchmark if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return seconds


def median_of(repeats: int, command: list[str], **kwargs) -> float:
    """The median of several timings: one slow start (a cold disk cache, a busy neighbour)
    should move neither the floor nor the run, since the targets are ratios of the two."""
    return statistics.median(timed(command, **kwargs) for _ in range(repeats))


def cpu_seconds() -> float:
    """CPU time (user and system) used so far by the finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sections_of(partnership: str, year: str) -> list[Path]:
    sys.path.insert(0, str(ROOT / "lib"))
    from workbook.inputs.params import load_params
    from workbook.sections import select

    params = load_params(partnership, year)
    return [section.notebook for section in select(params.sections, ROOT / "notebooks")]


def floor(work: Path, repeats: int) -> float:
    notebook = work / "empty.ipynb"
    notebook.write_text(json.dumps(EMPTY_NOTEBOOK))
    return median_of(repeats, [str(BIN / "papermill"), "--no-progress-bar", str(notebook),
                               str(work / "empty.out.ipynb"), "-p", "x", "2"])


def usual_route(partnership: str, year: str, work: Path) -> dict[str, float]:
    folder = work / "usual"
    folder.mkdir()
    figures = {"papermill": 0.0, "nbconvert": 0.0, "pdf": 0.0}
    for notebook in sections_of(partnership, year):
        executed = folder / notebook.name
        figures["papermill"] += timed([str(BIN / "papermill"), "--no-progress-bar",
                                       str(notebook), str(executed), "-p", "partnership",
                                       partnership, "-p", "year", year],
                                      cwd=ROOT / "notebooks")
        figures["nbconvert"] += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html",
                                       "--no-input", str(executed)])
        figures["pdf"] += timed([str(BIN / "weasyprint"), str(executed.with_suffix(".html")),
                                 str(executed.with_suffix(".pdf"))])
    return figures


def workbook(*args: str) -> list[str]:
    return [str(BIN / "workbook"), *args]


def batch_project(work: Path, runs: int) -> tuple[Path, Path, int]:
    """A project folder holding `runs` partnership-years: copies of Northdale's four years."""
    data, params = work / "batch" / "data", work / "batch" / "params"
    params.mkdir(parents=True)
    years = sorted(p.name for p in (ROOT / "data" / "northdale").iterdir() if p.is_dir())
    copies = -(-runs // len(years))
    made = 0
    for i in range(copies):
        name = f"northdale{i + 1:02d}"
        keep = years[: min(len(years), runs - made)]
        for year in keep:
            shutil.copytree(ROOT / "data" / "northdale" / year, data / name / year)
        made += len(keep)
        shutil.copy(ROOT / "params" / "northdale.yaml", params / f"{name}.yaml")
    return data, params, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnership", default="northdale")
    parser.add_argument("--year", default="2022-23")
    parser.add_argument("--batch", type=int, default=20, help="partnership-years in the batch")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timings of the floor, the run and the re-run (median reported)")
    args = parser.parse_args()
    dfe = settings.dfe_dir()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; DfE files: "
          f"{dfe if dfe else 'none (WORKBOOK_DFE_DIR unset)'}; medians of {args.repeats}")
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        work = Path(tmp)
        results = {"floor": floor(work, args.repeats)}
        print(f"1. floor (papermill CLI, empty notebook, one parameter): "
              f"{results['floor']:.2f} s")

        usual = usual_route(args.partnership, args.year, work)
        results["usual"] = sum(usual.values())
        print(f"2. usual route for {args.partnership} {args.year}: {results['usual']:.2f} s "
              f"(papermill {usual['papermill']:.2f}, nbconvert {usual['nbconvert']:.2f}, "
              f"PDF {usual['pdf']:.2f}; sections only, no board pack)")

        out = work / "outputs"
        run = workbook("run", args.partnership, args.year, "--outputs-dir", str(out))
        results["run"] = median_of(args.repeats, [*run, "--force"])
        manifest = json.loads((out / args.partnership / args.year / "manifest.json").read_text())
        stages = ", ".join(f"{k} {v:.2f}" for k, v in manifest["timings_seconds"].items())
        results["rerun"] = median_of(args.repeats, run)
        print(f"3. workbook run (all sections, HTML, PDF, board pack): {results['run']:.2f} s "
              f"(last run inside: {stages}); re-run with nothing changed: "
              f"{results['rerun']:.2f} s")

        data, params, runs = batch_project(work, args.batch)
        cpu = {}
        for workers in (1, 2):
            batch_out = work / f"batch-out-{workers}"
            before = cpu_seconds()
            results[f"batch{workers}"] = timed(workbook(
                "run", "--all", "--workers", str(workers), "--quiet", "--data-dir", str(data),
                "--params-dir", str(params), "--outputs-dir", str(batch_out)))
            cpu[workers] = (cpu_seconds() - before) / runs
        print(f"4. workbook run --all over {runs} partnership-years: 1 worker "
              f"{results['batch1']:.2f} s, 2 workers {results['batch2']:.2f} s "
              f"(CPU per run: {cpu[1]:.2f} s and {cpu[2]:.2f} s)")

    print("\nratio                                   measured   target")
    rows = [
        ("workbook run / floor", results["run"] / results["floor"], "<= 3"),
        ("usual route / workbook run", results["usual"] / results["run"], ">= 4"),
        ("batch: 1 worker / 2 workers", results["batch1"] / results["batch2"], ">= 1.7"),
        ("re-run unchanged / full run", results["rerun"] / results["run"], "< 0.1"),
    ]
    for name, value, target in rows:
        print(f"{name:<38} {value:>9.2f}   {target}")


if __name__ == "__main__":
    main()
