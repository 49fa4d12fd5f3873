"""Many partnership-years at once: parallel, failure-isolated, incremental, optionally on Dask.

Each partnership-year runs in its own worker process, forked from a parent that has already
imported the heavy libraries (nbformat, nbclient, nbconvert, WeasyPrint), so no worker pays those
seconds again; a run whose outputs are up to date is skipped by the parent without a worker. A
worker that crashes, or a run that exceeds its time limit, is killed with its kernel and reported
as failed; the other runs go on. Every run writes a log to
outputs/<partnership>/logs/<year>.log, and a failed section's executed notebook is kept beside it.

With a Dask scheduler address the same runs become tasks on an existing cluster instead
(`workbook.run.dask_batch`).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import resource
import signal
import time
import traceback
from multiprocessing.connection import wait
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.core.paths import available_years
from workbook.inputs.params import list_partnerships
from workbook.run import speed, staging, stopping
from workbook.run.execution import remove_stale_kernel_folders
from workbook.run.plan import up_to_date
from workbook.run.runner import RunResult, run_partnership_year
from workbook.run.settings import RunSettings
from workbook.run.staging import writing

DEFAULT_RUN_TIMEOUT = 1800
"""Seconds one partnership-year may take in all before its worker is killed."""


def targets(
    params_dir: Path | None = None,
    data_dir: Path | None = None,
    partnership: str | None = None,
    year: str | None = None,
) -> list[tuple[str, str]]:
    """Every (partnership, year) with parameters and data, optionally filtered."""
    found = [(p, y) for p in list_partnerships(params_dir) for y in available_years(p, data_dir)]
    return [
        (p, y)
        for p, y in found
        if (partnership is None or p == partnership) and (year is None or y == year)
    ]


def _log_for(partnership: str, year: str, settings: RunSettings) -> tuple[logging.Logger, Path]:
    folder = settings.log_dir(partnership)
    folder.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(f"workbook.run.{partnership}.{year}")
    logger.handlers.clear()
    handler = logging.FileHandler(folder / f"{year}.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, folder / f"{year}.log"


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (a run's kernel and PDF
    writer): in a batch worker, or a Dask worker running one task at a time, a run's own."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_one(partnership: str, year: str, settings: RunSettings) -> RunResult:
    """One partnership-year that never raises: every outcome is a RunResult, logged.

    Users' errors (bad data, a failing section) keep their message; anything unexpected is
    logged with its traceback for the maintainers and summarised for the user.
    """
    started, cpu_before = time.perf_counter(), cpu_seconds()
    try:
        with writing(settings.outputs):
            log, log_path = _log_for(partnership, year, settings)
    except WorkbookError as exc:  # no log can be written: the message says why
        return RunResult(partnership, year, "failed", time.perf_counter() - started, str(exc))
    log.info("run %s %s (force=%s)", partnership, year, settings.force)
    try:
        result = run_partnership_year(partnership, year, settings, echo=log.info)
    except WorkbookError as exc:
        log.error("%s", exc)
        result = RunResult(partnership, year, "failed", message=str(exc))
    except Exception as exc:  # a defect, not the user's input: keep the traceback in the log
        log.error("unexpected error\n%s", traceback.format_exc())
        result = RunResult(
            partnership,
            year,
            "failed",
            message=f"unexpected error ({type(exc).__name__}: {exc}), a defect "
            "in the workbook: report it with the log",
        )
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = cpu_seconds() - cpu_before
    result.log = log_path
    log.info(
        "%s in %.1f s (%.1f s of CPU) %s",
        result.status,
        result.seconds,
        result.cpu_seconds,
        result.message,
    )
    for handler in log.handlers:
        handler.close()
    return result


def _child(connection, partnership: str, year: str, settings: RunSettings) -> None:
    os.setpgrp()  # the worker and what it forks form one group, killed together on a timeout
    stopping.forget()
    connection.send(run_one(partnership, year, settings))
    connection.close()


def _preload() -> None:
    """Import and warm up once in the parent what every run needs; forked workers inherit it
    (imports, the exporter's templates, WeasyPrint's first PDF, pandera's first validation, the
    identifier screen's patterns) rather than each worker paying for it again."""
    # Imported here, not at the top: only a batch about to fork its workers pays for them.
    import jupyter_client.manager  # noqa: F401
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    import papermill.iorw  # noqa: F401
    import papermill.parameterize  # noqa: F401

    from workbook.inputs import validation
    from workbook.render import publishing
    from workbook.text import safety as text_safety

    publishing.warm_up()
    validation.warm_up()
    text_safety.find_identifiers("")  # compiles its patterns
    speed.freeze_loaded_objects()  # what was loaded lives as long as the workers


def _up_to_date(partnership: str, year: str, settings: RunSettings) -> bool:
    """Whether the run can be skipped; any problem (bad parameters...) is left for the run
    itself to report, in its worker and its log."""
    try:
        return up_to_date(partnership, year, settings)
    except WorkbookError:
        return False


def run_batch(
    work: list[tuple[str, str]],
    settings: RunSettings,
    workers: int | None = None,
    run_timeout: float = DEFAULT_RUN_TIMEOUT,
    progress=None,
) -> list[RunResult]:
    """Run every (partnership, year) in `work` with at most `workers` at a time."""
    workers = max(1, workers or os.cpu_count() or 1)
    _preload()
    context = multiprocessing.get_context("fork")
    pending = list(work)
    running: list[tuple] = []
    results: list[RunResult] = []
    try:
        _schedule(pending, running, results, context, settings, workers, run_timeout, progress)
    except BaseException:  # stopped (or a defect here): no worker goes on rendering alone
        for process, _, partnership, year, _ in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.join()
            clean_after(partnership, year, settings)
        raise
    order = {target: i for i, target in enumerate(work)}
    return sorted(results, key=lambda r: order[(r.partnership, r.year)])


def _schedule(pending, running, results, context, settings, workers, run_timeout, progress):
    """Start workers while there is work and room, collect what they send back."""
    while pending or running:
        while pending and len(running) < workers:
            partnership, year = pending.pop(0)
            if _up_to_date(partnership, year, settings):  # no worker, no kernel spent on it
                results.append(
                    RunResult(
                        partnership,
                        year,
                        "skipped",
                        message="unchanged since the last successful run",
                    )
                )
                if progress:
                    progress(results[-1])
                continue
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(send, partnership, year, settings))
            with stopping.deferred():  # a started worker is always in `running`
                process.start()
                running.append((process, receive, partnership, year, time.monotonic()))
            send.close()
        watched = [w for process, receive, *_ in running for w in (process.sentinel, receive)]
        ready = set(wait(watched, timeout=1.0))
        for entry in list(running):
            process, receive, partnership, year, began = entry
            elapsed = time.monotonic() - began
            if not ({process.sentinel, receive} & ready) and elapsed < run_timeout:
                continue
            running.remove(entry)
            results.append(
                _collect(process, receive, partnership, year, elapsed, run_timeout, settings)
            )
            if progress:
                progress(results[-1])


def _collect(
    process,
    receive,
    partnership: str,
    year: str,
    elapsed: float,
    run_timeout: float,
    settings: RunSettings,
) -> RunResult:
    """The worker's result, or a failure saying how the worker ended; no worker outlives it."""
    result = None
    if receive.poll():
        with contextlib.suppress(EOFError):
            result = receive.recv()
    process.join(timeout=30 if result else 0.1)
    if process.is_alive() or result is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the worker with its kernel
        process.join()
        clean_after(partnership, year, settings)
    if result is not None:
        return result
    log = run_log(partnership, year, settings)
    if elapsed >= run_timeout:
        return RunResult(
            partnership,
            year,
            "failed",
            elapsed,
            f"timed out after {run_timeout:.0f} s; the run was stopped (raise "
            "--run-timeout if it needs longer)",
            log=log,
        )
    return RunResult(
        partnership,
        year,
        "failed",
        elapsed,
        f"the worker process died (exit code {process.exitcode})",
        log=log,
    )


def run_log(partnership: str, year: str, settings: RunSettings) -> Path | None:
    """The log a run of the partnership-year wrote, if there is one (for a failed run's line)."""
    with contextlib.suppress(WorkbookError):
        log = settings.log_dir(partnership) / f"{year}.log"
        return log if log.exists() else None
    return None


def clean_after(partnership: str, year: str, settings: RunSettings) -> None:
    """Remove what a killed worker's run left (its staging and kernel folders) at once,
    rather than at the next run."""
    with contextlib.suppress(WorkbookError, OSError):
        staging.clean_stale(settings.output_folder(partnership, year))
    remove_stale_kernel_folders()


def first_problem(message: str) -> str:
    """The first thing a failure's message says: a list's heading with its first item
    ("1 problem(s) in the data: findings.csv, row 3, ..."), and how many more there are."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        more = f" (and {len(lines) - 2} more)" if len(lines) > 2 else ""
        return f"{lines[0]} {lines[1]}{more}"
    return lines[0] if lines else ""


def summary_table(results: list[RunResult]) -> str:
    """The end-of-batch table: one line per partnership-year with its wall and CPU time (a
    failed one with its first problem, then the path of its log), then the totals."""
    lines = [f"{'partnership':<16} {'year':<8} {'status':<9} {'seconds':>8} {'CPU s':>7}  message"]
    for r in results:
        lines.append(
            f"{r.partnership:<16} {r.year:<8} {r.status:<9} {r.seconds:>8.1f} "
            f"{r.cpu_seconds:>7.1f}  {first_problem(r.message)}"
        )
        if r.retried:
            lines.append(f"{'':<53}  {r.retried}")
        if r.status == "failed" and r.log is not None:
            lines.append(f"{'':<53}  log: {r.log}")
    counts = {s: sum(r.status == s for r in results) for s in ("rendered", "skipped", "failed")}
    retried = sum(bool(r.retried) for r in results)
    lines.append(
        ", ".join(f"{n} {s}" for s, n in counts.items())
        + (f" ({retried} retried after a worker died)" if retried else "")
    )
    return "\n".join(lines)
