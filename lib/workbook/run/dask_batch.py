"""A batch on an existing Dask distributed cluster: each partnership-year a task, run by the
same `run_one` as a local batch. The workers must see the same project, data and outputs
folders (a shared file system). A task whose worker dies is run again once, on another
worker; one that loses its worker twice is reported as failed, and the others go on.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.run.batch import clean_after, run_log, run_one
from workbook.run.runner import RunResult
from workbook.run.settings import RunSettings
from workbook.run.staging import writing

ATTEMPTS = 2
"""How often a Dask batch tries a partnership-year whose worker died under it: once more, on
another worker, then it is reported as failed and the batch goes on."""


def _attempts_file(partnership: str, year: str, settings: RunSettings) -> Path:
    """Beside the run's log: which workers of which batch have started the run (the workers
    share the outputs folder, so a retry on another machine sees its first attempt)."""
    return settings.log_dir(partnership) / f"{year}.attempts"


def _dask_run(partnership: str, year: str, settings: RunSettings, batch: str) -> RunResult:
    """One partnership-year as a Dask task: noted in its attempts file before it starts, so the
    attempt after a dead worker knows it is a retry, and a third one is not made."""
    # distributed is imported only where a batch runs on a Dask cluster (here, on a worker)
    from distributed import get_worker

    here = f"{get_worker().address} (pid {os.getpid()})"
    try:
        with writing(settings.outputs):
            ledger = _attempts_file(partnership, year, settings)
            ledger.parent.mkdir(parents=True, exist_ok=True)
            earlier = [
                line.split(" ", 1)[1]
                for line in (
                    ledger.read_text(encoding="utf-8") if ledger.exists() else ""
                ).splitlines()
                if line.startswith(f"{batch} ")
            ]
            if len(earlier) >= ATTEMPTS:
                clean_after(partnership, year, settings)  # what the last dead worker left
                return RunResult(
                    partnership,
                    year,
                    "failed",
                    message=_died_twice(earlier),
                    log=run_log(partnership, year, settings),
                )
            with ledger.open("a" if earlier else "w", encoding="utf-8") as out:
                out.write(f"{batch} {here}\n")
    except WorkbookError as exc:
        return RunResult(partnership, year, "failed", message=str(exc))
    result = run_one(partnership, year, settings)
    if earlier:
        result.retried = f"retried on {here}: the worker that first ran it died ({earlier[0]})"
    return result


def _died_twice(workers: list[str]) -> str:
    return (
        f"the worker running it died {len(workers)} times ({'; '.join(workers)}); not tried "
        "again: see the workers' logs (memory, a killed process)"
    )


def run_on_dask(
    work: list[tuple[str, str]], settings: RunSettings, scheduler: str, progress=None
) -> list[RunResult]:
    """Each (partnership, year) as a task on an existing Dask distributed cluster.

    A task whose worker dies is run again once, on another worker (by the scheduler, which
    reschedules the tasks of a dead worker, or here when the scheduler has given up on it);
    the summary says so. One that loses its worker twice is reported as failed, and the other
    partnership-years go on.
    """
    # distributed is imported only where a batch runs on a Dask cluster
    from distributed import Client, as_completed
    from distributed.scheduler import KilledWorker

    batch = uuid.uuid4().hex[:12]
    with Client(scheduler) as client:

        def submit(p, y, suffix=""):
            return client.submit(
                _dask_run, p, y, settings, batch, pure=False, key=f"workbook-{p}-{y}{suffix}"
            )

        futures = {submit(p, y): (p, y) for p, y in work}
        results = []
        pending = as_completed(futures)
        for future in pending:
            partnership, year = futures[future]
            try:
                result = future.result()
            except KilledWorker:  # the scheduler gave up on it: at most one more attempt here
                workers = _attempted(partnership, year, settings, batch)
                if len(workers) < ATTEMPTS:
                    retry = submit(partnership, year, "-retry")
                    futures[retry] = (partnership, year)
                    pending.add(retry)
                    continue
                result = RunResult(partnership, year, "failed", message=_died_twice(workers))
            except Exception as exc:  # the Dask task itself failed
                said = next(iter(str(exc).strip().splitlines()), "")
                result = RunResult(
                    partnership,
                    year,
                    "failed",
                    message=f"the Dask task failed: {type(exc).__name__}: {said}",
                )
            if result.log is None:
                result.log = run_log(partnership, year, settings)
            results.append(result)
            if progress:
                progress(result)
    order = {target: i for i, target in enumerate(work)}
    return sorted(results, key=lambda r: order[(r.partnership, r.year)])


def _attempted(partnership: str, year: str, settings: RunSettings, batch: str) -> list[str]:
    with contextlib.suppress(OSError, WorkbookError):
        text = _attempts_file(partnership, year, settings).read_text(encoding="utf-8")
        return [line.split(" ", 1)[1] for line in text.splitlines() if line.startswith(batch)]
    return []
