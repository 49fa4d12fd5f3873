"""A national batch: many partnership-years rendered on a Dask cluster, with its throughput.

    python benchmarks/national_batch.py                      # 150 partnerships, 2 workers
    python benchmarks/national_batch.py --partnerships 20 --workers 2 --memory-limit 1GiB \\
                                        --root /tmp/national --keep

Makes N fictional partnerships (scripts/generate_demo.py --partnerships N, in --root or a
temporary folder), starts a Dask LocalCluster of --workers processes with one thread each and
--memory-limit each, and renders year --year of every partnership with the same command a
scheduler would use on a real cluster:

    workbook run --all --year 2022-23 --dask-scheduler tcp://... --data-dir ... --outputs-dir ...

It prints that command's summary table, then the batch's wall time, the CPU its runs used (read
from the Dask workers, with the kernels and PDF writers they waited for), the workers' peak
memory, and the throughput in runs per CPU-minute: a cluster giving C CPU-minutes a minute renders
about C times that many runs a minute. Exits non-zero if any run failed.
tests/functional/test_national_batch.py runs it with a few partnerships; docs/scheduling.md says
how to run the command on a real cluster.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
from pathlib import Path

from measure import BIN, generator, measure

from workbook.core import settings


def worker_peak_mb() -> float:
    """The largest resident set of this Dask worker and of the kernels it has run, in MiB."""
    return (
        max(
            resource.getrusage(who).ru_maxrss
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        / 1024
    )


def render(root: Path, year: str, workers: int, memory_limit: str) -> int:
    from distributed import Client, LocalCluster

    from workbook.run.batch import cpu_seconds

    outputs = root / "outputs"
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        limits = {w["memory_limit"] for w in client.scheduler_info()["workers"].values()}
        print(
            f"cluster: {workers} workers, one thread each, memory limit "
            f"{', '.join(f'{limit / 2**30:.2f} GiB' for limit in limits)} each"
        )
        before = sum(client.run(cpu_seconds).values())
        batch = measure(
            [
                str(BIN / "workbook"),
                "run",
                "--all",
                "--year",
                year,
                "--quiet",
                "--dask-scheduler",
                cluster.scheduler_address,
                "--data-dir",
                str(root / "data"),
                "--params-dir",
                str(root / "params"),
                "--outputs-dir",
                str(outputs),
            ],
            check=False,
        )
        cpu = sum(client.run(cpu_seconds).values()) - before + batch.cpu
        peak = max(client.run(worker_peak_mb).values())
    print(batch.output.rstrip())
    counts = re.search(r"(\d+) rendered, (\d+) skipped, (\d+) failed", batch.output)
    if counts is None:  # the command itself failed before its summary
        return 1
    rendered = int(counts[1])
    print(
        f"\n{rendered} partnership-years rendered in {batch.wall:.1f} s with {workers} "
        f"workers on {os.cpu_count()} cores; {cpu:.1f} s of CPU ({cpu / max(rendered, 1):.2f} "
        f"a run); largest worker or kernel {peak:.0f} MB"
    )
    print(
        f"throughput: {rendered / (cpu / 60):.1f} runs per CPU-minute; "
        f"{rendered / (batch.wall / 60):.1f} runs a minute on this machine"
    )
    return 0 if int(counts[3]) == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=150)
    parser.add_argument("--year", default="2022-23", help="the year rendered for each")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GiB", help="per worker (Dask's syntax)")
    parser.add_argument("--root", type=Path, help="where the project goes (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep a temporary --root")
    args = parser.parse_args(argv)
    print(f"DfE files: {settings.dfe_dir() or 'none (WORKBOOK_DFE_DIR unset)'}")
    with tempfile.TemporaryDirectory(prefix="workbook-national-") as tmp:
        root = args.root or Path(tmp)
        if args.keep and not args.root:
            root = Path(tempfile.mkdtemp(prefix="workbook-national-"))
            print(f"project kept in {root}")
        generator().write_national(root, args.partnerships)
        return render(root, args.year, args.workers, args.memory_limit)


if __name__ == "__main__":
    sys.exit(main())
