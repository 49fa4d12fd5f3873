"""Where a partnership-year's time and memory go, and how they grow with the data.

    python benchmarks/run_benchmarks.py [--partnership northdale --year 2022-23]
                                        [--scales 1,10,40] [--repeats 3] [--batch 20]
    python benchmarks/run_benchmarks.py --stages [--repeats 3]    # the floor and 0. alone

Prints, with the ratios the targets are set on (it asserts nothing):
0. where a forced run's time goes, stage by stage, for both demos (Darlington 2019-20,
   Northdale 2022-23): first after install (empty caches) and warm, with each run's wall time
   over the floor measured in the same process; the stages are the run's own timings
   (`manifest.json`, `workbook.run.stages`: validation, screening, each notebook's execution,
   HTML export, the appendix, PDF layout and writing), and what each section adds is the
   median of a notebook's execution and export;
1. the floor: the papermill CLI executing an empty notebook with one parameter;
2. the usual route: the papermill CLI on each section notebook, then `jupyter nbconvert --to html
   --no-input` on each, then a PDF of each with the WeasyPrint CLI (no board pack: the usual
   route has none, so it is flattered);
3. `workbook run` for the same partnership-year: first as after a fresh install (empty
   matplotlib, fontconfig and IPython caches; the operating system's file cache is not emptied),
   then warm, then again with nothing changed;
4. growth: the same partnership-year at 1x, 10x and 40x its data (scripts/generate_demo.py
   --scale N, written to a temporary folder): wall time, CPU time, peak memory, board pack pages;
5. a batch of N partnership-years (fictional partnerships from generate_demo.py --partnerships)
   with as many workers as cores, and its parallel efficiency: the CPU its runs used over the
   CPU the machine could give them (wall time x workers). 100 % is the ceiling; the figure does
   not depend on how many cores a single run keeps busy, as the old 1-worker / 2-worker ratio did.
   On a shared machine, other processes' work lowers it too, so the cores' idle time during the
   batch is also read (/proc/stat): the share of the CPU no one else used that the batch used.
Every figure is of a fresh process, as a user or a scheduler would see it; timings are medians of
--repeats. CPU counts every process a command waited for (kernels, PDF writers, workers); peak
memory is the largest resident set of any one of them. Outputs go to a temporary folder.
This machine is shared: the load average is printed before and after, since other processes'
work lengthens wall times (and lowers the efficiency) without changing CPU times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from measure import BIN, ROOT, Measured, generator, idle_cpu_seconds, measure, pdf_pages

from workbook.core import settings

EMPTY_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "p",
            "metadata": {"tags": ["parameters"]},
            "outputs": [],
            "source": "x = 1",
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def median(measured: list[Measured]) -> Measured:
    """Each figure's median over repeats: one slow start (a busy neighbour) moves none."""
    return Measured(
        *(statistics.median(getattr(m, f) for m in measured) for f in ("wall", "cpu", "peak_mb")),
        measured[-1].output,
    )


def repeated(repeats: int, command: list[str], **kwargs) -> Measured:
    return median([measure(command, **kwargs) for _ in range(repeats)])


def workbook(*args: str) -> list[str]:
    return [str(BIN / "workbook"), *map(str, args)]


def sections_of(partnership: str, year: str) -> list[Path]:
    sys.path.insert(0, str(ROOT / "lib"))
    from workbook.inputs.params import load_params
    from workbook.sections import select

    params = load_params(partnership, year)
    return [section.notebook for section in select(params.sections, ROOT / "notebooks")]


def floor(work: Path, repeats: int) -> Measured:
    notebook = work / "empty.ipynb"
    notebook.write_text(json.dumps(EMPTY_NOTEBOOK))
    return repeated(
        repeats,
        [
            str(BIN / "papermill"),
            "--no-progress-bar",
            str(notebook),
            str(work / "empty.out.ipynb"),
            "-p",
            "x",
            "2",
        ],
    )


def usual_route(partnership: str, year: str, work: Path) -> dict[str, float]:
    folder = work / "usual"
    folder.mkdir()
    figures = {"papermill": 0.0, "nbconvert": 0.0, "pdf": 0.0}
    for notebook in sections_of(partnership, year):
        executed = folder / notebook.name
        figures["papermill"] += measure(
            [
                str(BIN / "papermill"),
                "--no-progress-bar",
                str(notebook),
                str(executed),
                "-p",
                "partnership",
                partnership,
                "-p",
                "year",
                year,
            ],
            cwd=ROOT / "notebooks",
        ).wall
        figures["nbconvert"] += measure(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
        ).wall
        figures["pdf"] += measure(
            [
                str(BIN / "weasyprint"),
                str(executed.with_suffix(".html")),
                str(executed.with_suffix(".pdf")),
            ]
        ).wall
    return figures


def fresh_caches(work: Path) -> dict[str, str]:
    """The environment of a first run after install: every per-user cache empty (a new folder
    for each run measured, so one demo's first run does not fill the next one's caches; the
    workbook's own cache of DfE's files is in XDG_CACHE_HOME's unless WORKBOOK_CACHE_DIR says
    otherwise, which is dropped here)."""
    caches = Path(tempfile.mkdtemp(prefix="fresh-caches-", dir=work))
    env = dict(os.environ)
    env.pop("WORKBOOK_CACHE_DIR", None)
    for variable in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "IPYTHONDIR"):
        env[variable] = str(caches / variable.lower())
    return env


def scaled_project(work: Path, scale: int) -> Path:
    """Northdale with `scale` times its reviews, audits, findings and actions."""
    root = work / f"scale{scale}"
    generator().write(root, scale=scale)
    return root


def run_at_scale(args, work: Path, scale: int) -> dict:
    project = scaled_project(work, scale)
    out = work / f"outputs-x{scale}"
    command = workbook(
        "run",
        args.partnership,
        args.year,
        "--data-dir",
        project / "data",
        "--params-dir",
        project / "params",
        "--outputs-dir",
        out,
        "--force",
    )
    measured = repeated(args.repeats, command)
    folder = out / args.partnership / args.year
    manifest = json.loads((folder / "manifest.json").read_text())
    return {
        "measured": measured,
        "pages": pdf_pages(folder / "board_pack.pdf"),
        "stages": manifest["timings_seconds"],
        "command": command,
    }


def batch(args, work: Path) -> tuple[Measured, int, int, float | None]:
    """`workbook run --all` over fictional partnerships (each of four years) with one worker
    per core; returns the measure, the runs, the workers and the CPU seconds left idle."""
    root = work / "batch"
    partnerships = -(-args.batch // 4)
    generator().write_national(root, partnerships)
    workers = args.workers or os.cpu_count() or 1
    idle = idle_cpu_seconds()
    measured = measure(
        workbook(
            "run",
            "--all",
            "--workers",
            workers,
            "--quiet",
            "--data-dir",
            root / "data",
            "--params-dir",
            root / "params",
            "--outputs-dir",
            work / "batch-out",
        )
    )
    idle = None if idle is None else idle_cpu_seconds() - idle
    return measured, 4 * partnerships, workers, idle


STAGE_DEMOS = [("darlington", "2019-20"), ("northdale", "2022-23")]
"""The demos the stage table is measured on: the public one and the fictional one of 4 years."""


def stage_table(work: Path, repeats: int, base: Measured) -> list[tuple[str, float]]:
    """Print where a forced run's time goes, per demo, cold and warm; return each demo's warm
    wall time over the floor."""
    ratios = []
    for partnership, year in STAGE_DEMOS:
        out = work / f"stages-{partnership}"
        run = workbook("run", partnership, year, "--outputs-dir", out, "--force")
        manifest = out / partnership / year / "manifest.json"
        cold = measure(run, env=fresh_caches(work))
        cold_stages = json.loads(manifest.read_text())["timings_seconds"]
        warm_runs = []
        for _ in range(repeats):
            warm_runs.append((measure(run), json.loads(manifest.read_text())["timings_seconds"]))
        warm = median([m for m, _ in warm_runs])
        warm_stages = {
            k: statistics.median(stages.get(k, 0.0) for _, stages in warm_runs)
            for k in warm_runs[0][1]
        }
        notebooks = [k for k in warm_stages if k.startswith("execute ")]
        per_section = "a version that does not time its sections"
        if len(notebooks) > 1:
            exports = warm_stages.get("html export", 0.0) / len(notebooks)
            typical = statistics.median(warm_stages[k] for k in notebooks[1:]) + exports
            per_section = f"{len(notebooks)} sections, {typical:.2f} s a section after the first"
        print(
            f"0. {partnership} {year}, forced: first after install {cold.wall:.2f} s "
            f"({cold.wall / base.wall:.2f}x the floor), warm {warm.wall:.2f} s "
            f"({warm.wall / base.wall:.2f}x; {warm.cpu:.2f} s CPU, peak {warm.peak_mb:.0f} MB); "
            f"{per_section}"
        )
        print(f"   {'stage':<34} {'cold s':>7} {'warm s':>7}")
        for stage, seconds in warm_stages.items():
            label = stage + (" (waits for the kernel)" if notebooks[:1] == [stage] else "")
            print(f"   {label:<34} {cold_stages.get(stage, 0.0):>7.2f} {seconds:>7.2f}")
        ratios.append((f"{partnership} {year}", warm.wall / base.wall))
    return ratios


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnership", default="northdale")
    parser.add_argument("--year", default="2022-23")
    parser.add_argument(
        "--scales",
        default="1,10,40",
        help="data sizes to measure, as multiples of Northdale's (first: the base)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=20,
        help="partnership-years in the batch (rounded up to a multiple of 4)",
    )
    parser.add_argument("--workers", type=int, help="batch workers (default: the cores)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="timings of each measure (the median is reported)"
    )
    parser.add_argument(
        "--stages", action="store_true", help="measure the floor and the stage table only"
    )
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    dfe = settings.dfe_dir()
    print(
        f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; DfE files: "
        f"{dfe if dfe else 'none (WORKBOOK_DFE_DIR unset)'}; medians of {args.repeats}; "
        f"load average {load()}"
    )
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        work = Path(tmp)
        base = floor(work, args.repeats)
        print(f"1. floor (papermill CLI, empty notebook, one parameter): {base.wall:.2f} s")
        stage_ratios = stage_table(work, args.repeats, base)
        if args.stages:
            for name, ratio in stage_ratios:
                print(f"{name}: forced run / floor {ratio:.2f}")
            print(f"load average after: {load()}")
            return

        usual = usual_route(args.partnership, args.year, work)
        usual_total = sum(usual.values())
        print(
            f"2. usual route for {args.partnership} {args.year}: {usual_total:.2f} s "
            f"(papermill {usual['papermill']:.2f}, nbconvert {usual['nbconvert']:.2f}, "
            f"PDF {usual['pdf']:.2f}; sections only, no board pack)"
        )

        cold_out = work / "outputs-cold"
        cold = measure(
            workbook("run", args.partnership, args.year, "--outputs-dir", cold_out),
            env=fresh_caches(work),
        )
        out = work / "outputs"
        run = workbook("run", args.partnership, args.year, "--outputs-dir", out)
        warm = repeated(args.repeats, [*run, "--force"])
        rerun = repeated(args.repeats, run)
        print(
            f"3. workbook run: first after install {cold.wall:.2f} s ({cold.cpu:.2f} s CPU); "
            f"warm {warm.wall:.2f} s ({warm.cpu:.2f} s CPU, peak {warm.peak_mb:.0f} MB); "
            f"re-run with nothing changed {rerun.wall:.2f} s"
        )

        print("4. growth with the data (generate_demo.py --scale N):")
        print(f"   {'data':>5} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'pages':>6}  stages")
        growth = {}
        for scale in scales:
            growth[scale] = run_at_scale(args, work, scale)
            m = growth[scale]["measured"]
            stages = ", ".join(f"{k} {v:.2f}" for k, v in growth[scale]["stages"].items())
            print(
                f"   {scale:>4}x {m.wall:>7.2f} {m.cpu:>7.2f} {m.peak_mb:>8.0f} "
                f"{growth[scale]['pages']:>6}  {stages}"
            )

        batched, runs, workers, idle = batch(args, work)
        cores = min(workers, os.cpu_count() or 1)
        efficiency = batched.cpu / (batched.wall * cores)
        print(
            f"5. workbook run --all, {runs} partnership-years, {workers} workers: "
            f"{batched.wall:.2f} s, {batched.cpu:.2f} s of CPU ({batched.cpu / runs:.2f} a "
            f"run), peak {batched.peak_mb:.0f} MB; parallel efficiency {efficiency:.0%}"
        )
        if idle is not None:  # what other processes took is not the batch's inefficiency
            print(
                f"   cores left idle during the batch: {idle:.1f} s of "
                f"{batched.wall * (os.cpu_count() or 1):.1f}; the batch used "
                f"{batched.cpu / (batched.cpu + idle):.0%} of the CPU no one else used"
            )
    print(f"load average after: {load()}")

    first = growth[scales[0]]
    rows = [
        *(
            (f"{name}: forced run / floor", ratio, target, ratio <= float(target[3:]))
            for (name, ratio), target in zip(stage_ratios, ("<= 2.5", "<= 4"), strict=True)
        ),
        ("workbook run / floor", warm.wall / base.wall, "<= 3", warm.wall / base.wall <= 3),
        (
            "usual route / workbook run",
            usual_total / warm.wall,
            ">= 4",
            usual_total / warm.wall >= 4,
        ),
        (
            "re-run unchanged / full run",
            rerun.wall / warm.wall,
            "< 0.1",
            rerun.wall / warm.wall < 0.1,
        ),
    ]
    for scale, time_target, page_target in ((10, 1.3, 1.2), (40, 2.0, None)):
        if scale not in growth:
            continue
        ratio = growth[scale]["measured"].wall / first["measured"].wall
        rows.append(
            (
                f"{scale}x data / {scales[0]}x: wall time",
                ratio,
                f"<= {time_target}",
                ratio <= time_target,
            )
        )
        if page_target:
            pages = growth[scale]["pages"] / first["pages"]
            rows.append(
                (
                    f"{scale}x data / {scales[0]}x: pages",
                    pages,
                    f"<= {page_target}",
                    pages <= page_target,
                )
            )
        else:
            peak = growth[scale]["measured"].peak_mb
            rows.append((f"{scale}x data: peak memory (MB)", peak, "< 400", peak < 400))
    rows.append(
        (f"batch parallel efficiency ({workers} workers)", efficiency, ">= 0.90", efficiency >= 0.9)
    )
    print("\nratio                                      measured   target   met")
    for name, value, target, met in rows:
        print(f"{name:<42} {value:>9.2f}   {target:<8} {'yes' if met else 'no'}")


if __name__ == "__main__":
    main()
