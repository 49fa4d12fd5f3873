"""What the benchmarks measure of a command: wall time, CPU time and peak memory, and the
synthetic projects they measure it on (made by scripts/generate_demo.py, never committed)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Measured:
    """One command, as a user or a scheduler sees it."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """Seconds of CPU (user and system) of the command and every process it waited for: a
    run's kernel, its PDF writer, a batch's workers."""
    peak_mb: float
    """The largest resident set of any one of those processes, in MiB (getrusage's maxrss): the
    memory a worker must have for the run."""
    output: str


def measure(
    command: list[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    check: bool = True,
) -> Measured:
    """Run a command to its end and measure it; stop the benchmark if it fails (unless not
    `check`: a batch's failures are in its summary table)."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, text=True
        )
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child and its own
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if check and process.returncode != 0:
        sys.exit(
            f"benchmark step failed ({process.returncode}): {' '.join(map(str, command))}"
            f"\n{output[-3000:]}"
        )
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


@cache
def generator():
    """scripts/generate_demo.py as a module (a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location(
        "generate_demo", ROOT / "scripts" / "generate_demo.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def idle_cpu_seconds() -> float | None:
    """Seconds the machine's cores have spent idle since boot (None where /proc/stat is not):
    read before and after a batch, the difference is the CPU it left unused, neighbours or not."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    return (int(fields[4]) + int(fields[5])) / os.sysconf("SC_CLK_TCK")  # idle + iowait
