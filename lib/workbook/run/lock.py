"""One run of a partnership-year at a time, whoever started it.

Two runs of the same partnership-year can overlap: a nightly cron job and an analyst's manual run,
a timer that fires while yesterday's batch is still going, two Dask tasks on a shared file system.
Each renders into its own staging folder, but both then swap theirs into the same place, and the
renames of one can meet those of the other (the old outputs moved aside by one and deleted by the
other). So a run holds an exclusive lock on `outputs/<partnership>/.<year>.lock` from its
up-to-date check to its swap; a second run waits for it, then checks again, and is usually skipped
because the first has just rendered the same inputs.

The lock is the operating system's (flock): it is released when its holder ends, even by a crash
or a kill, so a lock file left behind never blocks anyone. The file records who holds it, for the
message a run gives when it stops waiting, and is removed by its holder when it is done; a waiter
that then gets the lock of the removed file opens the path again, so two runs never hold the locks
of two different files.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from workbook.core.errors import OutputsError

POLL_SECONDS = 0.25


class RunInProgress(OutputsError):
    """Another run of the same partnership-year held its lock for longer than this one waits
    (exit code 7: this run could not write its outputs; the earlier ones are untouched)."""


def lock_path(target: Path) -> Path:
    """The lock file of a partnership-year's outputs folder: hidden, beside it."""
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def exclusive(target: Path, wait: float, echo=print) -> Iterator[bool]:
    """Hold the lock of `target` (an outputs/<partnership>/<year> folder) for the block, waiting
    at most `wait` seconds for another run to release it; yield whether this run had to wait."""
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    waited = False
    while True:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed below or on exit
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            if time.monotonic() >= deadline:
                raise RunInProgress(
                    f"another run of the same partnership-year ({holder}) still holds {path} "
                    f"after {wait:.0f} s of waiting; this run rendered nothing. Run again when "
                    "it has finished."
                ) from None
            if not waited:
                echo(f"  waiting for another run of the same partnership-year ({holder})")
            waited = True
            time.sleep(POLL_SECONDS)
            continue
        if _same_file(handle, path):
            break
        handle.close()  # its holder removed it as we took its lock: take the current file's
    with handle:
        handle.truncate(0)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}, since {started}\n")
        handle.flush()
        try:
            yield waited
        finally:
            path.unlink(missing_ok=True)  # still locked: no one can take it between the two


def _same_file(handle, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except FileNotFoundError:
        return False
