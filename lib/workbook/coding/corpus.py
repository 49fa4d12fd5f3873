"""The evaluation corpus: sentences from public documents, coded by hand in independent passes.

``data/codebook/evaluation_corpus.csv`` holds the sentences (id, document, text) without codes, so
a second coder can code them without seeing the first pass; each pass is a file of its own with
the same shape (id, themes), ``evaluation_corpus_pass1.csv`` and ``evaluation_corpus_pass2.csv``.
The second pass may not exist yet: everything here says so instead of failing.

Documents are split once, by a hash of their key, into a ``tune`` part (its errors may be listed
while the codebook is changed) and an ``unseen`` part (never listed, never tuned on): a
document's sentences all fall in one part, so the unseen figures measure text from documents the
codebook was never tuned on (data/codebook/EVALUATION.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.coding.agreement import cohens_kappa
from workbook.coding.findings import parse_theme_list
from workbook.core.errors import WorkbookError
from workbook.core.paths import data_dir

SENTENCES = "evaluation_corpus.csv"
SOURCES = "evaluation_corpus_sources.csv"
PASSES = ("evaluation_corpus_pass1.csv", "evaluation_corpus_pass2.csv")
TUNE, UNSEEN = "tune", "unseen"
UNSEEN_SHARE = 50
"""Percent of documents (by hash) in the unseen part."""


def corpus_split(document: str) -> str:
    """The part a document belongs to, fixed by the first 256 bits of its key's SHA-256."""
    number = int(hashlib.sha256(document.encode("utf-8")).hexdigest(), 16)
    return UNSEEN if number % 100 < UNSEEN_SHARE else TUNE


def _folder(folder: Path | None) -> Path:
    return folder if folder is not None else data_dir() / "codebook"


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype="string", keep_default_na=False)
    except FileNotFoundError:
        raise WorkbookError(f"{path} does not exist") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise WorkbookError(f"{path} is not a readable CSV: {exc}") from None


def sentences(folder: Path | None = None) -> pd.DataFrame:
    """The uncoded sentences (id, document, text) with each one's ``split``."""
    path = _folder(folder) / SENTENCES
    frame = _read(path)
    missing = [c for c in ("id", "document", "text") if c not in frame.columns]
    if missing:
        raise WorkbookError(f"{path} lacks column(s) {', '.join(missing)}")
    return frame.assign(split=frame["document"].map(corpus_split))


def read_pass(
    name: str, ids: pd.Series, themes: list[str], folder: Path | None = None
) -> pd.Series | None:
    """One coding pass as a Series of theme lists indexed by sentence id, or None when the file
    does not exist yet. A pass must code every sentence of the corpus, once, with known theme
    ids: anything else is a ``WorkbookError`` naming the file, the row and what is wrong."""
    path = _folder(folder) / name
    if not path.exists():
        return None
    frame = _read(path)
    problems = []
    for column in ("id", "themes"):
        if column not in frame.columns:
            problems.append(f"no '{column}' column")
    if problems:
        raise WorkbookError(f"{path}: {'; '.join(problems)} (expected columns id, themes)")
    known = set(themes)
    coded: dict[str, list[str]] = {}
    for row, (ident, cell) in enumerate(zip(frame["id"], frame["themes"], strict=True), start=2):
        if ident in coded:
            problems.append(f"row {row}, column id: {ident} is coded twice")
        unknown = [t for t in parse_theme_list(cell) if t not in known]
        if unknown:
            problems.append(f"row {row}, column themes: unknown theme id(s) {', '.join(unknown)}")
        coded[ident] = parse_theme_list(cell)
    expected = set(ids)
    extra = sorted(set(coded) - expected)
    absent = sorted(expected - set(coded))
    if extra:
        problems.append(f"ids not in {SENTENCES}: {', '.join(extra[:10])}")
    if absent:
        problems.append(f"{len(absent)} sentence(s) not coded, e.g. {', '.join(absent[:10])}")
    if problems:
        raise WorkbookError(f"{path}: " + "; ".join(problems))
    return pd.Series(coded).reindex(list(ids))


@dataclass(frozen=True)
class Corpus:
    """The sentences and their coding passes (``second`` is None until it has been done)."""

    sentences: pd.DataFrame
    first: pd.Series
    second: pd.Series | None

    def coded(self, part: str | None = None) -> pd.DataFrame:
        """Sentences with the first pass's themes (``;``-separated), of one part or all."""
        frame = self.sentences.assign(
            themes=[";".join(found) for found in self.first.reindex(self.sentences["id"])]
        )
        return frame if part is None else frame[frame["split"] == part].reset_index(drop=True)


def load_corpus(themes: list[str], folder: Path | None = None) -> Corpus:
    """The corpus with its first pass (required) and second pass (if it exists)."""
    frame = sentences(folder)
    first = read_pass(PASSES[0], frame["id"], themes, folder)
    if first is None:
        raise WorkbookError(f"{_folder(folder) / PASSES[0]} does not exist: code the corpus first")
    second = read_pass(PASSES[1], frame["id"], themes, folder)
    return Corpus(sentences=frame, first=first, second=second)


def _indicator(coding: pd.Series, themes: list[str]) -> np.ndarray:
    """Sentences x themes matrix of booleans: did this pass give this sentence this theme?"""
    index = {theme: i for i, theme in enumerate(themes)}
    marks = np.zeros((len(coding), len(themes)), dtype=bool)
    for row, found in enumerate(coding):
        for theme in found:
            marks[row, index[theme]] = True
    return marks


def pass_agreement(first: pd.Series, second: pd.Series, themes: list[str]) -> pd.DataFrame:
    """Per theme, how far two passes agree: the 2x2 counts, the share of sentences coded the
    same, and Cohen's kappa; an ``overall`` row pools every (sentence, theme) decision, and a
    ``no theme`` row compares whether each pass left the sentence without any theme."""
    second = second.reindex(first.index)
    a, b = _indicator(first, themes), _indicator(second, themes)
    rows = [_row(theme, a[:, i], b[:, i]) for i, theme in enumerate(themes)]
    rows.append(_row("no theme", ~a.any(axis=1), ~b.any(axis=1)))
    rows.append(_row("overall", a.ravel(), b.ravel()))
    return pd.DataFrame(rows)


def _row(theme: str, a: np.ndarray, b: np.ndarray) -> dict[str, object]:
    both, first_only = int((a & b).sum()), int((a & ~b).sum())
    second_only, neither = int((~a & b).sum()), int((~a & ~b).sum())
    total = both + first_only + second_only + neither
    return {
        "theme": theme,
        "both": both,
        "first_only": first_only,
        "second_only": second_only,
        "neither": neither,
        "agreement": (both + neither) / total if total else float("nan"),
        "kappa": cohens_kappa(both, first_only, second_only, neither),
    }
