"""Generate the fictional demo partnerships: Northdale's four years of realistic synthetic data,
and the small partnership of scripts/demo/<id>/ that shows the rest of the data contract.

Nothing here is real. Northdale Safeguarding Partnership does not exist: its council code
(E06000999), its people (pseudonyms "Child A", "Adult C" only), its reviews, audits, findings,
actions and figures are invented, so that the multi-year parts of the workbook (the thematic
review, trends, actions carried across years, the chain from learning to impact) have substance.

    python scripts/generate_demo.py            # (re)write data/ and params/ of the demos
    python scripts/generate_demo.py --check    # exit 1 if committed files differ from a fresh run

Larger synthetic projects, for benchmarks and the national batch, go into a folder you give
(never into this repository: they are made again in a second from their seed, not committed):

    python scripts/generate_demo.py --root /tmp/x10 --scale 10      # Northdale, 10x the data
    python scripts/generate_demo.py --root /tmp/national --partnerships 150

`--scale N` gives each year N times the reviews, audits, findings and actions: copy 1 is the
committed data, copies 2 to N are drawn from seeds of their own, with ids of their own (ND02-...,
ND03-...); indicators and budget stay those of one partnership. `--partnerships N` writes N
fictional partnerships, northdale001 to northdale<N>, each the size of Northdale and drawn from
its own seed.

This is a small program over data. The phrase banks, the skeleton of each year (its reviews and
audits), the figures, the report's other parts and the narrative are YAML files in
scripts/demo/northdale/; the facts contract v3 added (inspections, joint and thematic reviews,
stated counts, the chain from actions to later audits, effectiveness...) are in its
`contract_v3.yaml`; the second demo partnership is wholly facts, in scripts/demo/<id>/. The code
is the structure of a year, in the modules of scripts/demo/ (its `__init__` lists them): how
findings are drawn from the banks, how actions follow them, how figures are drawn. This script
puts a year's parts together, writes the files and checks them. Every table's columns are the
data contract's (lib/workbook/specs/contract.yaml), in its order.

The output depends only on the seed: the same seed gives byte-identical files. Everything random is
drawn from ``random.Random`` generators in a fixed order, so changing a phrase bank changes the
data; regenerate and commit both together (``--check`` in the tests catches a forgotten
regeneration).
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

from workbook.inputs.contract import load_contract

# The generator's parts are the package beside this script (scripts/demo/, with the data files).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo.common import DEFAULT_SEED, PARTNERSHIP, SMALL, YEARS, facts, text_file  # noqa: E402
from demo.northdale import Northdale  # noqa: E402
from demo.statutory import StatutoryGenerator  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def with_v3(partnership: str, label: str, tables: dict[str, list[dict]]) -> None:
    """Add what the year's report says that contract v3 holds (contract_v3.yaml): columns of
    generated rows, found by their id (`amend`), and rows of their own (`add`)."""
    year = facts(partnership, "contract_v3").get(label, {})
    contract = load_contract()
    for table, changes in year.get("amend", {}).items():
        key = contract[table].key[0]
        rows = {row[key]: row for row in tables[table]}
        for ident, columns in changes.items():
            rows[ident].update(columns)
    for table, rows in year.get("add", {}).items():
        tables.setdefault(table, [])
        tables[table] += [dict(row) for row in rows]


def _csv_text(name: str, rows: list[dict]) -> str:
    """A table as the contract lays it out: every column of the contract, in its order; a
    column a row does not give is blank (a key the contract does not know is an error)."""
    buffer = io.StringIO()
    columns = list(load_contract()[name].columns)
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


ID_COLUMNS = {
    "reviews": ("review_id",),
    "audits": ("audit_id",),
    "findings": ("finding_id", "source_id"),
    "actions": ("action_id", "finding_id", "source_id"),
}
"""The columns holding Northdale's own references (all start "ND-"), renumbered in copies."""


def _copy_of(tables: dict[str, list[dict]], copy: int) -> dict[str, list[dict]]:
    """Copy number `copy` (2 or more) of a year's reviews, audits, findings and actions, with
    references of its own: ND-RR-2223-01 becomes ND02-RR-2223-01 in copy 2."""
    prefix = f"ND{copy:02d}-"
    renumbered = {}
    for name, columns in ID_COLUMNS.items():
        rows = []
        for row in tables[name]:
            row = dict(row)
            for column in columns:
                if column in row:
                    row[column] = re.sub(r"\bND-", prefix, row[column])
            rows.append(row)
        renumbered[name] = rows
    return renumbered


def build(
    seed: int = DEFAULT_SEED,
    scale: int = 1,
    partnership: str = PARTNERSHIP,
    name: str = "Northdale",
) -> dict[str, str]:
    """Every generated file of Northdale as {path relative to the project root: text}.

    With `scale` N, each year holds N independent draws of the reviews, audits, findings and
    actions (the first is the scale-1 data); `partnership` and `name` label a synthetic
    partnership of a national batch."""
    if scale < 1:
        raise SystemExit(f"--scale must be 1 or more, not {scale}")
    generator, statutory = Northdale(seed), StatutoryGenerator(seed)
    copies = [Northdale(seed + copy) for copy in range(1, scale)]
    params = text_file(PARTNERSHIP, "params.yaml")
    if name != "Northdale":
        params = params.replace(
            "Northdale Safeguarding Partnership", f"{name} Safeguarding Partnership"
        ).replace("short_name: Northdale", f"short_name: {name}")
    files: dict[str, str] = {f"params/{partnership}.yaml": params}
    counts = {"reviews": set(), "audits": 0, "graded": 0, "findings": 0, "actions": 0}
    counts["answered"] = 0
    for index, label in enumerate(YEARS):
        tables = {**generator.year(label, index), **statutory.tables(label, index)}
        with_v3(PARTNERSHIP, label, tables)
        for copy, extra in enumerate(copies, start=2):
            for table, rows in _copy_of(extra.year(label, index), copy).items():
                tables[table] += rows
        folder = f"data/{partnership}/{label}"
        for table, rows in tables.items():
            files[f"{folder}/{table}.csv"] = _csv_text(table, rows)
        blocks = {**generator.narrative(label, index, tables), **statutory.narrative(label)}
        for block, text in blocks.items():
            files[f"{folder}/narrative/{block}.md"] = text
        counts["reviews"] |= {r["review_id"] for r in tables["reviews"]}
        counts["audits"] += len(tables["audits"])
        counts["graded"] += sum("graded_good" in a for a in tables["audits"])
        counts["findings"] += len(tables["findings"])
        counts["actions"] += len(tables["actions"])
        answering = {i for a in tables["actions"] for i in a.get("finding_id", "").split(";")}
        counts["answered"] += sum(f["finding_id"] in answering for f in tables["findings"])
    least = facts(PARTNERSHIP, "years")["min_findings"]
    if counts["findings"] < least:
        raise SystemExit(f"only {counts['findings']} findings; the demo needs {least}")
    readme = text_file(PARTNERSHIP, "data-readme.md").format(
        seed=seed, first=YEARS[0], last=YEARS[-1], **{**counts, "reviews": len(counts["reviews"])}
    )
    if scale > 1:
        readme += (
            f"\nScaled {scale} times (`--scale {scale}`): copies 2 to {scale} of each "
            f"year's reviews, audits, findings and actions come from seeds {seed + 1} to "
            f"{seed + scale - 1}.\n"
        )
    files[f"data/{partnership}/README.md"] = readme
    return files


def build_small(partnership: str = SMALL) -> dict[str, str]:
    """Every file of the small demo partnership, written from its facts (tables.yaml): its
    parameters, a README, and for each year every table it gives and the required ones (a
    header row where it has no rows), with its narrative blocks."""
    data = facts(partnership, "tables")
    required = [name for name, spec in load_contract().items() if spec.required]
    files = {
        f"params/{partnership}.yaml": text_file(partnership, "params.yaml"),
        f"data/{partnership}/README.md": text_file(partnership, "data-readme.md"),
    }
    for label, year in data["years"].items():
        folder = f"data/{partnership}/{label}"
        tables = {name: [] for name in required} | year["tables"]
        for table, rows in tables.items():
            files[f"{folder}/{table}.csv"] = _csv_text(table, rows)
        for block, text in year.get("narrative", {}).items():
            files[f"{folder}/narrative/{block}.md"] = f"{data['banner']}\n\n{text}\n"
    return files


def _write_files(root: Path, files: dict[str, str], partnership: str) -> list[Path]:
    """Write files under root, replacing data/<partnership> entirely."""
    data = root / "data" / partnership
    if data.exists():
        shutil.rmtree(data)
    written = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def write(
    root: Path,
    seed: int = DEFAULT_SEED,
    scale: int = 1,
    partnership: str = PARTNERSHIP,
    name: str = "Northdale",
) -> list[Path]:
    """Write Northdale under root (replacing data/<partnership> entirely), and, for the
    committed demo (scale 1, Northdale itself), the small demo partnership too; return the
    files."""
    written = _write_files(root, build(seed, scale, partnership, name), partnership)
    if scale == 1 and partnership == PARTNERSHIP:
        written += _write_files(root, build_small(), SMALL)
    return written


def write_national(root: Path, partnerships: int, seed: int = DEFAULT_SEED) -> list[str]:
    """N fictional partnerships of Northdale's size, each from its own seed: a national batch.
    Returns their ids."""
    width = max(3, len(str(partnerships)))
    ids = []
    for number in range(1, partnerships + 1):
        ids.append(f"{PARTNERSHIP}{number:0{width}d}")
        write(root, seed + 1000 * number, partnership=ids[-1], name=f"Northdale {number:0{width}d}")
    return ids


def _tree(root: Path) -> set[str]:
    """The demo partnerships' files under root: their data folders and parameters."""
    found = set()
    for partnership in (PARTNERSHIP, SMALL):
        data = root / "data" / partnership
        if data.exists():
            found |= {p.relative_to(root).as_posix() for p in data.rglob("*") if p.is_file()}
        if (root / "params" / f"{partnership}.yaml").exists():
            found.add(f"params/{partnership}.yaml")
    return found


def differences(root: Path, seed: int = DEFAULT_SEED) -> list[str]:
    """How the files under root differ from a fresh generation (empty when identical)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        write(fresh, seed)
        expected, actual = _tree(fresh), _tree(root)
        problems = [f"missing: {p}" for p in sorted(expected - actual)]
        problems += [f"not generated (stale?): {p}" for p in sorted(actual - expected)]
        problems += [
            f"differs: {p}"
            for p in sorted(expected & actual)
            if not filecmp.cmp(fresh / p, root / p, shallow=False)
        ]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="project root to write into (default: this repository)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the files under --root differ from a fresh generation",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        metavar="N",
        help="N times the reviews, audits, findings and actions in every year "
        "(needs --root outside this repository)",
    )
    parser.add_argument(
        "--partnerships",
        type=int,
        metavar="N",
        help="write N fictional partnerships northdale001... instead of "
        "Northdale (needs --root outside this repository)",
    )
    args = parser.parse_args(argv)
    synthetic = args.scale != 1 or args.partnerships is not None
    if synthetic and (args.check or args.root.resolve() == ROOT):
        parser.error(
            "--scale and --partnerships write a synthetic project into a folder given "
            "with --root (not this repository), and cannot be checked with --check"
        )
    if args.check:
        problems = differences(args.root, args.seed)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(
                "the demo data are out of date: run python scripts/generate_demo.py",
                file=sys.stderr,
            )
            return 1
        print("the demo data match a fresh generation")
        return 0
    if args.partnerships is not None:
        if args.scale != 1 or args.partnerships < 1:
            parser.error("--partnerships takes a number from 1, and no --scale")
        ids = write_national(args.root, args.partnerships, args.seed)
        print(
            f"wrote {len(ids)} fictional partnerships ({ids[0]} to {ids[-1]}, "
            f"{', '.join(YEARS)}) under {args.root}"
        )
        return 0
    written = write(args.root, args.seed, args.scale)
    also = f" and '{SMALL}'" if args.scale == 1 else ""
    print(
        f"wrote {len(written)} files for the fictional partnerships '{PARTNERSHIP}'{also} "
        f"({', '.join(YEARS)}{f', scale {args.scale}' if args.scale > 1 else ''}) "
        f"under {args.root}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
