"""Where a run's time goes: seconds per stage, kept in the run's manifest.

The benchmark (benchmarks/run_benchmarks.py) reads them from `manifest.json` to say which
stage grows with the sections, so a change that speeds one stage up can be checked against the
stage itself rather than against a whole run on a shared machine. Stages run on two threads (a
section's HTML is exported while the kernel executes the next), so their seconds overlap and
add up to more than the run's wall time; `execute` and `publish` are the run's own two phases,
one after the other.
"""

from __future__ import annotations

import contextlib
import threading
import time


class Stopwatch:
    """Seconds spent in each named stage, added up over every time it ran (a stage that runs
    once a section is one figure for the run); safe to time from two threads at once."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def timed(self, stage: str):
        """Add the time the block takes to `stage`, whether it ends well or not."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - started)

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self._seconds[stage] = self._seconds.get(stage, 0.0) + seconds

    def seconds(self) -> dict[str, float]:
        """Each stage's seconds, in the order the stages first ran."""
        with self._lock:
            return dict(self._seconds)
