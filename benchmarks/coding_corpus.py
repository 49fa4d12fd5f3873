"""How well does the coder do on documents it was never tuned on? Prints figures; asserts nothing.

The evaluation corpus (data/codebook/evaluation_corpus.csv, EVALUATION.md) is coded by hand in
independent passes. This script prints:

1. the agreement between the two passes, Cohen's kappa per theme (or says the second pass has
   not been done yet: the lead gives the uncoded file to a second coder);
2. the coder against the first pass, by part: ``unseen`` documents (never tuned on, never listed)
   and ``tune`` documents: per-theme precision and recall with 95 % Wilson intervals, micro
   precision, recall and F1 and the false-theme rate with 95 % intervals from a bootstrap over
   documents; for the themes as coded, and for the themes the board pack shows (analyst's, or
   automatic with strong evidence);
3. the same figures for the second, third and fourth tune sets, ``evaluation_newtune.csv``,
   ``evaluation_tune3.csv`` and ``evaluation_tune4.csv`` (sentences from documents in no other
   set, coded by hand before the coder was run on them: EVALUATION.md);
4. with ``--errors``, the mis-coded sentences of the tune part and of the extra tune sets (there
   is no option to list the unseen part's: its figures stay an estimate for text nobody tuned on
   only while nobody looks). ``--tune-only`` leaves the unseen part out
   altogether, so that a round of tuning does not even print its figures: measure it only at the
   end of a round.

Run:  .venv/bin/python benchmarks/coding_corpus.py [--errors] [--tune-only] [--codebook PATH]
"""

from __future__ import annotations

import argparse

import pandas as pd

from workbook.coding.codebook import load_codebook
from workbook.coding.corpus import TUNE, UNSEEN, Corpus, load_corpus, pass_agreement
from workbook.coding.evaluation import (
    NEW_TUNE,
    TUNE3,
    TUNE4,
    Scores,
    bootstrap_by_document,
    document_counts,
    errors,
    evaluation_set,
    score,
    with_intervals,
)


def print_agreement(corpus: Corpus, themes: list[str]) -> None:
    print("\n== agreement between the two hand-coding passes ==")
    if corpus.second is None:
        print(
            "The second pass (data/codebook/evaluation_corpus_pass2.csv) does not exist yet: "
            "kappa between passes cannot be computed. Give evaluation_corpus.csv, uncoded, to a "
            "second coder and save their coding there (columns id, themes)."
        )
        return
    table = pass_agreement(corpus.first, corpus.second, themes)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def print_part(sentences: pd.DataFrame, scores: Scores, title: str) -> None:
    pooled = bootstrap_by_document(document_counts(sentences, scores))
    documents = sentences["document"].nunique()
    print(f"\n== {title}: {scores.sentences} sentences from {documents} documents ==")
    print(
        f"micro-F1 {scores.micro_f1:.3f} [{pooled.micro_f1[0]:.3f}, {pooled.micro_f1[1]:.3f}]  "
        f"precision {scores.micro_precision:.3f} [{pooled.micro_precision[0]:.3f}, "
        f"{pooled.micro_precision[1]:.3f}]  recall {scores.micro_recall:.3f} "
        f"[{pooled.micro_recall[0]:.3f}, {pooled.micro_recall[1]:.3f}]  macro-F1 "
        f"{scores.macro_f1:.3f}"
    )
    print(
        f"no-theme sentences given a theme: {scores.no_theme_given_theme} of "
        f"{scores.no_theme_sentences} ({scores.false_theme_rate:.1%}) "
        f"[{pooled.false_theme_rate[0]:.1%}, {pooled.false_theme_rate[1]:.1%}]"
    )
    table = with_intervals(scores.per_theme)
    shown = table[table[["both", "analyst_only", "automatic_only"]].sum(axis=1) > 0]
    columns = ["theme", "examples", "both", "analyst_only", "automatic_only"]
    columns += ["precision", "precision_low", "precision_high"]
    columns += ["recall", "recall_low", "recall_high", "f1"]
    print(shown[columns].to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the tune part's errors")
    parser.add_argument(
        "--tune-only", action="store_true", help="leave the unseen part out (while tuning)"
    )
    parser.add_argument("--codebook", help="a codebook file other than data/codebook/themes.yaml")
    args = parser.parse_args()
    codebook = load_codebook(args.codebook)
    corpus = load_corpus(codebook.theme_ids)
    print(f"codebook version {codebook.version}; corpus of {len(corpus.sentences)} sentences")
    print_agreement(corpus, codebook.theme_ids)
    parts = {f"{p} part": corpus.coded(p) for p in ((TUNE,) if args.tune_only else (UNSEEN, TUNE))}
    parts["second tune set"] = evaluation_set(NEW_TUNE)
    parts["third tune set"] = evaluation_set(TUNE3)
    parts["fourth tune set"] = evaluation_set(TUNE4)
    for part, sentences in parts.items():
        for board in (False, True):
            scores = score(sentences, codebook, board=board)
            view = "board pack (analyst or strong evidence)" if board else "as coded"
            print_part(sentences, scores, f"{part}, {view}")
    if args.errors:
        for part in (f"{TUNE} part", "second tune set", "third tune set", "fourth tune set"):
            tune = parts[part]
            print(f"\n== mis-coded sentences, {part} (as coded) ==")
            for row in errors(tune, score(tune, codebook)).itertuples():
                print(f"{row.id}: missed {row.missed} added {row.added}\n    {row.text}")


if __name__ == "__main__":
    main()
