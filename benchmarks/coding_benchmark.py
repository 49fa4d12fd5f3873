"""How good and how fast is the automatic coding? Prints figures; asserts nothing.

Quality: the hand-labelled evaluation set (data/codebook/evaluation.csv) is coded with the
analyst's labels in the ``themes`` column, so ``workbook.coding.coder.agreement`` compares the
automatic coding with them: micro-F1 and per-theme precision and recall, for the holdout split
(sentences the codebook was not tuned on) and for the tune split.

Tuning the codebook: list the tune split's mis-coded sentences with ``--errors`` and change the
patterns for those only. There is deliberately no option to list the holdout's: its figures are
the estimate of quality on unseen text only as long as nobody tunes on it.

Speed: 100,000 synthetic findings, assembled from the evaluation sentences with random extra
clauses (so texts repeat rarely and carry negations), are coded on one core. Both the wall-clock
time and the process's CPU time are printed: on a busy machine the CPU time is the fairer figure.

Run:  .venv/bin/python benchmarks/coding_benchmark.py [--errors] [--splits tune] [--n 100000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import agreement, code_findings
from workbook.core.paths import data_dir

EXTRA_CLAUSES = (
    "There were no concerns about neglect at that time.",
    "The review panel met four times.",
    "Domestic abuse was not a feature of this case.",
    "The school reported good attendance.",
    "The family moved house twice during the period.",
    "The health visitor completed the new birth visit.",
    "Records were kept on two separate systems.",
    "The case was closed to children's social care in the spring.",
    "No evidence of substance misuse was found.",
    "The learning was shared at a practitioner event.",
)


def evaluation_set() -> pd.DataFrame:
    """The labelled sentences, with their split."""
    return pd.read_csv(data_dir() / "codebook" / "evaluation.csv", dtype="string")


def quality(evaluation: pd.DataFrame, codebook: Codebook, split: str) -> pd.DataFrame:
    """Agreement of the automatic coding with the hand labels on one split."""
    subset = evaluation[evaluation["split"] == split]
    coded = code_findings(subset[["id", "text", "themes"]], codebook)
    return agreement(coded, themes=codebook.theme_ids)


def print_quality(table: pd.DataFrame, split: str, sentences: int) -> None:
    """Micro-F1 first, then per theme (themes absent from both codings left out)."""
    overall = table.set_index("theme").loc["overall"]
    print(f"\n== {split} split: {sentences} sentences ==")
    print(
        f"micro-F1 {overall['f1']:.3f}  precision {overall['precision']:.3f}  "
        f"recall {overall['recall']:.3f}  pooled kappa {overall['kappa']:.3f}"
    )
    themes = table[(table["theme"] != "overall") & (table[["both", "analyst_only",
                                                             "automatic_only"]].sum(axis=1) > 0)]
    shown = themes[["theme", "both", "analyst_only", "automatic_only", "precision", "recall",
                    "kappa"]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def print_errors(evaluation: pd.DataFrame, codebook: Codebook, split: str) -> None:
    """Sentence by sentence, the themes the codebook missed or added (for tuning: tune only)."""
    subset = evaluation[evaluation["split"] == split]
    coded = code_findings(subset[["id", "text", "themes"]], codebook)
    for ident, rows in coded.groupby("id", sort=False):
        analyst = set(rows.loc[rows["source"] == "analyst", "theme"])
        automatic = rows[rows["source"] == "automatic"]
        found = set(automatic["theme"])
        if analyst != found:
            text = subset.loc[subset["id"] == ident, "text"].iloc[0]
            evidence = dict(zip(automatic["theme"], automatic["evidence"], strict=True))
            extra = {theme: evidence[theme] for theme in found - analyst}
            print(f"{ident}: missed {sorted(analyst - found)} added {extra}\n    {text}")


def synthetic_findings(evaluation: pd.DataFrame, n: int, seed: int = 20) -> pd.DataFrame:
    """``n`` findings of one to three evaluation sentences plus an extra clause, all different."""
    rng = np.random.default_rng(seed)
    sentences = evaluation["text"].tolist() + list(EXTRA_CLAUSES)
    picks = rng.integers(0, len(sentences), size=(n, 3))
    lengths = rng.integers(1, 4, size=n)
    texts = [
        " ".join(sentences[j] for j in row[:length]) + f" (ref {i})"
        for i, (row, length) in enumerate(zip(picks, lengths, strict=True))
    ]
    return pd.DataFrame({"finding_id": [f"S{i:06d}" for i in range(n)], "text": texts})


def time_coding(findings: pd.DataFrame, codebook: Codebook) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds to code the findings in this (single-threaded) process, and the
    number of coded rows produced."""
    wall, cpu = time.perf_counter(), time.process_time()
    coded = code_findings(findings, codebook)
    return time.perf_counter() - wall, time.process_time() - cpu, len(coded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--errors", action="store_true", help="list the tune split's mis-coded sentences"
    )
    parser.add_argument("--n", type=int, default=100_000, help="synthetic findings to time")
    parser.add_argument("--splits", default="holdout,tune", help="splits to score, comma-separated")
    args = parser.parse_args()
    codebook = load_codebook()
    evaluation = evaluation_set()
    print(f"codebook version {codebook.version}: {len(codebook.themes)} themes")
    for split in args.splits.split(","):
        sentences = int((evaluation["split"] == split).sum())
        print_quality(quality(evaluation, codebook, split), split, sentences)
    if args.errors:
        print("\n== mis-coded sentences, tune split ==")
        print_errors(evaluation, codebook, "tune")
    if args.n:
        findings = synthetic_findings(evaluation, args.n)
        wall, cpu, rows = time_coding(findings, codebook)
        chars = int(findings["text"].str.len().sum())
        print(
            f"\n== speed ==\ncoded {args.n:,} synthetic findings ({chars / 1e6:.1f} M characters, "
            f"{rows:,} coded rows) on one core: {cpu:.2f} s CPU, {wall:.2f} s wall clock"
        )


if __name__ == "__main__":
    main()
