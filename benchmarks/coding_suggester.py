"""Does a model trained on confirmed codes beat the codebook's rules? Prints figures only.

Issue 29, item 4: a suggester (scikit-learn, a linear model over words, phrases and the rules' own
matches) trained on the analyst-confirmed codes (the Northdale demo's analyst themes across its
years) and the hand-coded sets, kept only if, measured leave-documents-out, it beats the rules.

Measured on the evaluation corpus's unseen documents only (the rules were tuned on the tune part,
so scoring them there would flatter them): the unseen documents are split into folds by document
(GroupKFold); for each fold the model is trained on everything else (the tune part, the other
unseen folds, the earlier hand-coded sets, the demo's analyst codes) and scored on the fold. The
rules need no training and are scored on the same sentences. Compared:

- rules: the codebook's board themes (strong evidence);
- model: the model's themes (probability >= 0.5);
- rules + promoted: the rules' themes, plus weak matches the model agrees with (p >= 0.5);
- rules + model: the union of the rules' themes and the model's confident ones (p >= 0.8);

and, for the review queue, how well each orders the suggestions (weak matches) the analyst sees:
average precision of the weak matches ranked by the model's probability against their order in
the text.

The model is a one-vs-rest logistic regression over words and two-word phrases (TF-IDF) and the
codebook's own matches (each theme's strong or weak evidence in the text). It is not part of the
workbook: measured as above it does not code better than the rules (EVALUATION.md has the
figures), so the codebook's rules alone code findings and the review queue lists weak matches in
the order of the text.

Run:  .venv/bin/python benchmarks/coding_suggester.py [--folds 5]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GroupKFold

from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.codebook_schema import STRONG
from workbook.coding.coder import AUTOMATIC, code_findings
from workbook.coding.corpus import UNSEEN, load_corpus
from workbook.coding.findings import parse_theme_list
from workbook.core.paths import data_dir


def rule_matches(texts: Sequence[str], codebook: Codebook) -> tuple[np.ndarray, np.ndarray]:
    """Texts x themes booleans: the themes the codebook codes with strong evidence, and those it
    only suggests (weak evidence and no strong)."""
    findings = pd.DataFrame({"id": [f"T{i}" for i in range(len(texts))], "text": list(texts)})
    coded = code_findings(findings, codebook)
    rows = coded[coded["source"] == AUTOMATIC]
    position = {ident: i for i, ident in enumerate(findings["id"])}
    column = {theme: j for j, theme in enumerate(codebook.theme_ids)}
    strong = np.zeros((len(texts), len(column)), dtype=bool)
    any_match = np.zeros_like(strong)
    for ident, theme, confidence in zip(
        rows["id"].tolist(), rows["theme"].tolist(), rows["confidence"].tolist(), strict=True
    ):
        i, j = position[ident], column[theme]
        any_match[i, j] = True
        strong[i, j] |= confidence == STRONG
    return strong, any_match & ~strong


@dataclass
class Suggester:
    """A trained model: ``probabilities`` of each theme for new texts."""

    codebook: Codebook
    vectorizer: TfidfVectorizer
    models: dict[int, LogisticRegression]

    @classmethod
    def train(cls, texts: Sequence[str], themes: Sequence[str], codebook: Codebook) -> Suggester:
        """Fit one logistic regression per theme that has both coded and uncoded examples
        (``themes``: each text's ``;``-separated theme ids)."""
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        words = vectorizer.fit_transform(texts)
        features = hstack([words, _rule_features(texts, codebook)]).tocsr()
        labels = np.array(
            [[t in set(parse_theme_list(c)) for t in codebook.theme_ids] for c in themes],
            dtype=bool,
        ).reshape(len(texts), len(codebook.theme_ids))
        models = {}
        for j in range(labels.shape[1]):
            if labels[:, j].any() and not labels[:, j].all():
                model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
                models[j] = model.fit(features, labels[:, j])
        return cls(codebook=codebook, vectorizer=vectorizer, models=models)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Texts x themes probabilities (0 for a theme the training data never showed)."""
        features = hstack(
            [self.vectorizer.transform(texts), _rule_features(texts, self.codebook)]
        ).tocsr()
        out = np.zeros((len(texts), len(self.codebook.theme_ids)))
        for j, model in self.models.items():
            out[:, j] = model.predict_proba(features)[:, 1]
        return out


def _rule_features(texts: Sequence[str], codebook: Codebook) -> csr_matrix:
    strong, weak = rule_matches(texts, codebook)
    return csr_matrix(np.hstack([strong, weak]).astype(float))


def other_labelled(themes: list[str]) -> pd.DataFrame:
    """Labelled sentences outside the corpus: the earlier hand-coded sets and the Northdale
    demo's analyst-coded findings (id, document, text, themes)."""
    folder = data_dir() / "codebook"
    frames = []
    for name, column in (("evaluation_published.csv", "document"), ("evaluation.csv", "source")):
        frame = pd.read_csv(folder / name, dtype="string", keep_default_na=False)
        frames.append(
            frame.rename(columns={column: "document"})[["id", "document", "text", "themes"]]
        )
    for path in sorted(Path(data_dir() / "northdale").glob("*/findings.csv")):
        frame = pd.read_csv(path, dtype="string", keep_default_na=False)
        frame = frame[frame["themes"] != ""]
        frames.append(
            pd.DataFrame(
                {
                    "id": frame["finding_id"],
                    "document": "northdale:" + frame["source_id"],
                    "text": frame["text"],
                    "themes": frame["themes"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    known = set(themes)
    out["themes"] = [";".join(t for t in parse_theme_list(c) if t in known) for c in out["themes"]]
    return out


def indicator(cells, themes: list[str]) -> np.ndarray:
    return np.array([[t in set(parse_theme_list(c)) for t in themes] for c in cells], dtype=bool)


def micro(truth: np.ndarray, guess: np.ndarray) -> tuple[float, float, float, float]:
    both = int((truth & guess).sum())
    precision = both / max(int(guess.sum()), 1)
    recall = both / max(int(truth.sum()), 1)
    f1 = 2 * both / max(int(truth.sum() + guess.sum()), 1)
    empty = ~truth.any(axis=1)
    rate = float((guess[empty].any(axis=1)).mean()) if empty.any() else float("nan")
    return precision, recall, f1, rate


def paired_difference(
    truth: np.ndarray,
    guess: np.ndarray,
    rules: np.ndarray,
    documents: np.ndarray,
    rounds: int = 2000,
    seed: int = 29,
) -> tuple[float, float]:
    """95 % interval of (micro-F1 of ``guess``) minus (micro-F1 of ``rules``), both on the same
    bootstrap samples of whole documents."""
    names, index = np.unique(documents, return_inverse=True)
    counts = np.zeros((len(names), 5))
    for row, doc in enumerate(index):
        t, g, r = truth[row], guess[row], rules[row]
        counts[doc] += [(t & g).sum(), g.sum(), (t & r).sum(), r.sum(), t.sum()]
    rng = np.random.default_rng(seed)
    sums = counts[rng.integers(0, len(names), size=(rounds, len(names)))].sum(axis=1)
    both_g, guessed, both_r, ruled, true = sums.T
    diff = 2 * both_g / (true + guessed) - 2 * both_r / (true + ruled)
    low, high = np.percentile(diff, [2.5, 97.5])
    return float(low), float(high)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    codebook = load_codebook()
    themes = codebook.theme_ids
    corpus = load_corpus(themes).coded()
    unseen = corpus[corpus["split"] == UNSEEN].reset_index(drop=True)
    rest = pd.concat([corpus[corpus["split"] != UNSEEN], other_labelled(themes)], ignore_index=True)
    truth = indicator(unseen["themes"], themes)
    strong, weak = rule_matches(unseen["text"].tolist(), codebook)
    probability = np.zeros(truth.shape)
    folds = GroupKFold(n_splits=args.folds)
    for train, test in folds.split(unseen, groups=unseen["document"]):
        training = pd.concat([rest, unseen.iloc[train]], ignore_index=True)
        model = Suggester.train(training["text"].tolist(), training["themes"].tolist(), codebook)
        probability[test] = model.probabilities(unseen["text"].iloc[test].tolist())
    views = {
        "rules (board: strong evidence)": strong,
        "model alone (p >= 0.5)": probability >= 0.5,
        "rules + weak matches the model confirms (p >= 0.5)": strong
        | (weak & (probability >= 0.5)),
        "rules + model's confident themes (p >= 0.8)": strong | (probability >= 0.8),
    }
    print(
        f"{len(unseen)} unseen sentences from {unseen['document'].nunique()} documents, "
        f"{args.folds} folds by document; trained on {len(rest)} other labelled sentences plus "
        "the other folds"
    )
    documents = unseen["document"].to_numpy()
    for name, guess in views.items():
        p, r, f, rate = micro(truth, guess)
        low, high = paired_difference(truth, guess, strong, documents)
        print(
            f"{name:55s} precision {p:.3f} recall {r:.3f} micro-F1 {f:.3f} "
            f"no-theme given a theme {rate:.1%}; F1 minus the rules' [{low:+.3f}, {high:+.3f}]"
        )
    candidates = weak & ~strong
    labels = truth[candidates]
    if labels.any() and not labels.all():
        by_model = average_precision_score(labels, probability[candidates])
        rows = np.nonzero(candidates)[0]
        rng = np.random.default_rng(29)
        names, index = np.unique(documents[rows], return_inverse=True)
        gains = []
        for _ in range(2000):
            pick = np.concatenate(
                [np.nonzero(index == d)[0] for d in rng.integers(0, len(names), len(names))]
            )
            if labels[pick].any() and not labels[pick].all():
                ap = average_precision_score(labels[pick], probability[candidates][pick])
                gains.append(ap - labels[pick].mean())
        low, high = np.percentile(gains, [2.5, 97.5])
        print(
            f"review queue: {int(candidates.sum())} weak matches, {int(labels.sum())} right; "
            f"average precision ranked by the model {by_model:.3f}, unranked (base rate) "
            f"{labels.mean():.3f}; gain over the base rate [{low:+.3f}, {high:+.3f}] "
            "(bootstrap over documents)"
        )


if __name__ == "__main__":
    main()
