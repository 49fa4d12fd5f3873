"""Scoring the automatic coding against hand-coded sentences (data/codebook/EVALUATION.md).

The figures the benchmark reports and the tests hold a floor under: micro-F1 (every sentence and
theme decision pooled), macro-F1 (the mean of the themes' F1, each theme counting once), per-theme
precision, recall and F1, and the false-theme rate: the share of sentences with no theme that the
coder gave one anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbook.coding.agreement import agreement
from workbook.coding.codebook import Codebook
from workbook.coding.coder import ANALYST, AUTOMATIC, code_findings
from workbook.core.paths import data_dir

PUBLISHED = "evaluation_published.csv"
EARLIER = "evaluation.csv"


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


def score(sentences: pd.DataFrame, codebook: Codebook) -> Scores:
    """Code ``sentences`` (id, text, themes) and compare the coding with their hand coding.

    Themes without a hand-coded example in ``sentences`` are left out of the macro mean (their F1
    is undefined, not zero), but their false positives still lower micro precision.
    """
    coded = code_findings(sentences[["id", "text", "themes"]], codebook)
    table = agreement(coded, themes=codebook.theme_ids).set_index("theme")
    overall = table.loc["overall"]
    per_theme = table.drop(index="overall")
    per_theme = per_theme.assign(examples=per_theme["both"] + per_theme["analyst_only"])
    with_examples = per_theme[per_theme["examples"] > 0]
    macro = float(with_examples["f1"].fillna(0.0).mean()) if len(with_examples) else float("nan")
    analysed = set(coded.loc[coded["source"] == ANALYST, "id"])
    no_theme = [ident for ident in sentences["id"] if ident not in analysed]
    automatic = set(coded.loc[coded["source"] == AUTOMATIC, "id"])
    return Scores(
        sentences=len(sentences),
        micro_precision=float(overall["precision"]),
        micro_recall=float(overall["recall"]),
        micro_f1=float(overall["f1"]),
        macro_f1=macro,
        per_theme=per_theme.reset_index(),
        no_theme_sentences=len(no_theme),
        no_theme_given_theme=sum(ident in automatic for ident in no_theme),
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
