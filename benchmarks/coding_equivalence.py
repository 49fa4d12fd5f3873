"""Does a change to the coder leave every coding result as it was? Saves or compares outputs.

Refactoring or speeding up the coder must not change what it codes. This script codes a fixed
corpus and writes the results to a file (``--save``); run it before the change, then after it
with ``--against`` the saved file: it prints every difference and exits 1 if there is any.

The corpus: both hand-coded evaluation sets (with their analyst themes, so analyst, automatic
and uncoded rows are all compared); a few thousand findings generated as the speed benchmark
generates them (other seeds), as written and in capitals; a set of awkward texts (empty, only
punctuation, characters whose lower case is longer, hyphens and curly apostrophes); and every
year of the Northdale demo with its reviews and audits as sources (the "from the source" rows).
What is compared: the coded table of each, and the codebook's raw hits (sense and scope rules
not applied) on the generated findings, sorted, since the scan that finds them is what a speed
change is most likely to touch.

Run:  .venv/bin/python benchmarks/coding_equivalence.py --save before.pkl
      .venv/bin/python benchmarks/coding_equivalence.py --against before.pkl [--n 5000]
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import pandas as pd
from coding_benchmark import synthetic_findings

from workbook.coding.codebook import load_codebook
from workbook.coding.coder import code_findings
from workbook.coding.context import sources_table
from workbook.coding.evaluation import EARLIER, PUBLISHED, evaluation_set
from workbook.core.paths import data_dir

AWKWARD = (
    "",
    " ",
    "...",
    "İstanbul: neglect of the child's needs was not recognised",
    "NEGLECT WAS NOT A FEATURE; DOMESTIC ABUSE WAS.",
    "self-neglect and neglect; child-protection plan; the child’s voice",
    "No concerns about neglect, but the mother’s mental health was poor.",
    "ﬁnancial abuse (ﬁ ligature) and neglect",
    "The MASH sent a smash; MARACs and DASH forms.",
    "\nneglect\n\nescalation\n",
)


def corpus(n: int) -> dict[str, tuple[pd.DataFrame, pd.DataFrame | None]]:
    """Named findings tables to code, each with its sources table (or None)."""
    published, earlier = evaluation_set(PUBLISHED), evaluation_set(EARLIER)
    pool = published["text"].tolist() + earlier["text"].tolist()
    generated = synthetic_findings(pool, n, seed=71)
    shouted = synthetic_findings(pool, n // 5, seed=72)
    shouted["text"] = shouted["text"].str.upper()
    tables: dict[str, tuple[pd.DataFrame, pd.DataFrame | None]] = {
        "published": (published[["id", "text", "themes"]], None),
        "earlier": (earlier[["id", "text", "themes"]], None),
        "generated": (generated, None),
        "generated in capitals": (shouted, None),
        "awkward": (
            pd.DataFrame({"id": [f"A{i}" for i in range(len(AWKWARD))], "text": list(AWKWARD)}),
            None,
        ),
    }
    for year in sorted((data_dir() / "northdale").glob("20*")):

        def read(name: str, folder: Path = year) -> pd.DataFrame:
            return pd.read_csv(folder / name, dtype="string", keep_default_na=False)

        sources = sources_table(read("reviews.csv"), read("audits.csv"))
        tables[f"northdale {year.name}"] = (read("findings.csv"), sources)
    return tables


def results(n: int) -> dict[str, pd.DataFrame]:
    """Every coded table of the corpus (sources counted and not), and the generated raw hits."""
    codebook = load_codebook()
    tables = corpus(n)
    out = {}
    for name, (findings, sources) in tables.items():
        out[name] = code_findings(findings, codebook, sources=sources)
        if sources is not None:
            out[f"{name}, source themes counted"] = code_findings(
                findings, codebook, sources=sources, count_source_themes=True
            )
    texts = tables["generated"][0]["text"].tolist()
    hits = codebook.scan_with_context(texts)
    out["generated raw hits"] = hits.sort_values(list(hits.columns)).reset_index(drop=True)
    return out


def differences(saved: dict[str, pd.DataFrame], now: dict[str, pd.DataFrame]) -> list[str]:
    """One line per table that differs (or is missing on one side), saying how."""
    lines = []
    for name in sorted(set(saved) | set(now)):
        if name not in saved or name not in now:
            lines.append(f"{name}: only {'now' if name in now else 'in the saved file'}")
            continue
        before, after = saved[name], now[name]
        if before.equals(after) and list(before.dtypes) == list(after.dtypes):
            continue
        if before.shape != after.shape or list(before.columns) != list(after.columns):
            lines.append(f"{name}: shape {before.shape} -> {after.shape}")
            continue
        changed = before.astype(str).ne(after.astype(str)).any(axis=1)
        lines.append(
            f"{name}: {int(changed.sum())} row(s) differ (or dtypes "
            f"{list(before.dtypes)} -> {list(after.dtypes)}), first rows:\n"
            f"{before[changed].head(3)}\n->\n{after[changed].head(3)}"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the results to this file")
    action.add_argument("--against", type=Path, help="compare the results with this saved file")
    parser.add_argument("--n", type=int, default=5000, help="generated findings to code")
    args = parser.parse_args()
    now = results(args.n)
    rows = sum(len(frame) for frame in now.values())
    if args.save:
        args.save.write_bytes(pickle.dumps(now))
        print(f"saved {len(now)} tables ({rows:,} rows) to {args.save}")
        return 0
    found = differences(pickle.loads(args.against.read_bytes()), now)
    print(
        "\n".join(found)
        if found
        else f"identical: {len(now)} tables ({rows:,} rows) as in {args.against}"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
