"""Scoring the automatic coding against hand-coded sentences (data/codebook/EVALUATION.md).

The figures the benchmark reports and the tests hold a floor under: micro-F1 (every sentence and
theme decision pooled), macro-F1 (the mean of the themes' F1, each theme counting once), per-theme
precision, recall and F1, and the false-theme rate: the share of sentences with no theme that the
coder gave one anyway.

How sure those figures are: a theme's precision and recall get Wilson intervals (a proportion of
its decisions), and the pooled figures get intervals from a bootstrap over documents, because
sentences of one document are not independent (one report's style and subjects run through all of
them): resampling documents, not sentences, keeps that in the interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from workbook.coding.agreement import agreement_row
from workbook.coding.codebook import Codebook
from workbook.coding.codebook_schema import STRONG
from workbook.coding.coder import ANALYST, AUTOMATIC, code_findings
from workbook.core.paths import data_dir

PUBLISHED = "evaluation_published.csv"
EARLIER = "evaluation.csv"
NEW_TUNE = "evaluation_newtune.csv"
"""A second tune set (id, document, text, themes): documents in no other set, for tuning only."""
TUNE3 = "evaluation_tune3.csv"
"""A third tune set, same shape and rule: new documents, coded by hand before the coder saw them."""
TUNE4 = "evaluation_tune4.csv"
"""A fourth tune set, same shape and rule, chosen for the themes the unseen part recalls worst."""


def evaluation_set(name: str = PUBLISHED, folder: Path | None = None) -> pd.DataFrame:
    """A hand-coded set (columns id, text, themes, split, and document for the published set)."""
    path = (folder or data_dir() / "codebook") / name
    return pd.read_csv(path, dtype="string", keep_default_na=False)


@dataclass(frozen=True)
class Scores:
    """How one part of a set was coded: pooled and per-theme agreement, and false themes."""

    sentences: int
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    per_theme: pd.DataFrame
    no_theme_sentences: int
    no_theme_given_theme: int
    coded: pd.DataFrame

    @property
    def false_theme_rate(self) -> float:
        """Share of no-theme sentences the coder gave a theme (NaN when there are none)."""
        if not self.no_theme_sentences:
            return float("nan")
        return self.no_theme_given_theme / self.no_theme_sentences


def score(sentences: pd.DataFrame, codebook: Codebook, board: bool = False) -> Scores:
    """Code ``sentences`` (id, text, themes) and compare the coding with their hand coding.

    With ``board``, only the automatic themes the board pack would show count (those with strong
    evidence); weak ones are suggestions, not codes. Themes without a hand-coded example in
    ``sentences`` are left out of the macro mean (their F1 is undefined, not zero), but their
    false positives still lower micro precision.
    """
    coded = code_findings(sentences[["id", "text", "themes"]], codebook)
    if board:
        strong = coded.groupby(["id", "theme"])["confidence"].transform(
            lambda values: (values == STRONG).any()
        )
        coded = coded[(coded["source"] != AUTOMATIC) | strong.fillna(False).astype(bool)]
    hand = _themes_of(coded, ANALYST)
    auto = _themes_of(coded, AUTOMATIC)
    ids = sentences["id"].tolist()
    themes = codebook.theme_ids
    a = np.array([[theme in hand.get(i, ()) for theme in themes] for i in ids], dtype=bool)
    b = np.array([[theme in auto.get(i, ()) for theme in themes] for i in ids], dtype=bool)
    a, b = a.reshape(len(ids), len(themes)), b.reshape(len(ids), len(themes))
    per_theme = pd.DataFrame([agreement_row(t, a[:, j], b[:, j]) for j, t in enumerate(themes)])
    overall = agreement_row("overall", a.ravel(), b.ravel())
    per_theme = per_theme.assign(examples=per_theme["both"] + per_theme["analyst_only"])
    with_examples = per_theme[per_theme["examples"] > 0]
    macro = float(with_examples["f1"].fillna(0.0).mean()) if len(with_examples) else float("nan")
    no_theme = ~a.any(axis=1)
    return Scores(
        sentences=len(sentences),
        micro_precision=float(overall["precision"]),
        micro_recall=float(overall["recall"]),
        micro_f1=float(overall["f1"]),
        macro_f1=macro,
        per_theme=per_theme,
        no_theme_sentences=int(no_theme.sum()),
        no_theme_given_theme=int((no_theme & b.any(axis=1)).sum()),
        coded=coded,
    )


def errors(sentences: pd.DataFrame, scores: Scores) -> pd.DataFrame:
    """Sentence by sentence, the themes the coder missed and those it added with their evidence
    (for tuning the codebook on a tune part: never list a holdout part's)."""
    coded = scores.coded
    rows = []
    for ident, found in coded.groupby("id", sort=False):
        analyst = set(found.loc[found["source"] == ANALYST, "theme"])
        automatic = found[found["source"] == AUTOMATIC]
        given = set(automatic["theme"])
        if analyst == given:
            continue
        evidence = dict(zip(automatic["theme"], automatic["evidence"], strict=True))
        rows.append(
            {
                "id": ident,
                "missed": sorted(analyst - given),
                "added": {theme: evidence[theme] for theme in sorted(given - analyst)},
                "text": sentences.loc[sentences["id"] == ident, "text"].iloc[0],
            }
        )
    return pd.DataFrame(rows, columns=["id", "missed", "added", "text"])


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (NaN, NaN when there are no trials)."""
    if trials == 0:
        return float("nan"), float("nan")
    interval = binomtest(int(successes), int(trials)).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)


def with_intervals(per_theme: pd.DataFrame) -> pd.DataFrame:
    """``Scores.per_theme`` with 95 % Wilson intervals for each theme's precision and recall."""
    out = per_theme.copy()
    bounds = {"precision": "automatic_only", "recall": "analyst_only"}
    for measure, misses in bounds.items():
        pairs = [
            wilson_interval(both, both + other)
            for both, other in zip(out["both"], out[misses], strict=True)
        ]
        out[f"{measure}_low"] = [low for low, _ in pairs]
        out[f"{measure}_high"] = [high for _, high in pairs]
    return out


@dataclass(frozen=True)
class PooledInterval:
    """Bootstrap (over documents) 95 % intervals of the pooled figures."""

    micro_f1: tuple[float, float]
    micro_precision: tuple[float, float]
    micro_recall: tuple[float, float]
    false_theme_rate: tuple[float, float]


def document_counts(sentences: pd.DataFrame, scores: Scores) -> pd.DataFrame:
    """Per document: pooled decisions (both, hand only, coder only) and no-theme sentences with
    and without a theme from the coder, the units the bootstrap resamples."""
    coded = scores.coded
    hand = _themes_of(coded, ANALYST)
    auto = _themes_of(coded, AUTOMATIC)
    rows = []
    for ident, document in zip(sentences["id"], sentences["document"], strict=True):
        a, b = hand.get(ident, set()), auto.get(ident, set())
        rows.append(
            {
                "document": document,
                "both": len(a & b),
                "hand_only": len(a - b),
                "coder_only": len(b - a),
                "no_theme": int(not a),
                "no_theme_given": int(not a and bool(b)),
            }
        )
    return pd.DataFrame(rows).groupby("document", sort=True).sum()


def _themes_of(coded: pd.DataFrame, source: str) -> dict[str, set[str]]:
    rows = coded[coded["source"] == source]
    found: dict[str, set[str]] = {}
    for ident, theme in zip(rows["id"], rows["theme"], strict=True):
        found.setdefault(ident, set()).add(theme)
    return found


def bootstrap_by_document(
    counts: pd.DataFrame, rounds: int = 2000, seed: int = 29
) -> PooledInterval:
    """Percentile intervals of micro precision, recall, F1 and the false-theme rate, resampling
    whole documents with replacement (``counts``: ``document_counts``)."""
    rng = np.random.default_rng(seed)
    values = counts[["both", "hand_only", "coder_only", "no_theme", "no_theme_given"]].to_numpy()
    picks = rng.integers(0, len(values), size=(rounds, len(values)))
    sums = values[picks].sum(axis=1).astype(float)
    both, hand_only, coder_only, no_theme, given = sums.T
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = both / (both + coder_only)
        recall = both / (both + hand_only)
        f1 = 2 * both / (2 * both + hand_only + coder_only)
        rate = given / no_theme

    def interval(sample: np.ndarray) -> tuple[float, float]:
        sample = sample[~np.isnan(sample)]
        if not len(sample):
            return float("nan"), float("nan")
        low, high = np.percentile(sample, [2.5, 97.5])
        return float(low), float(high)

    return PooledInterval(interval(f1), interval(precision), interval(recall), interval(rate))
