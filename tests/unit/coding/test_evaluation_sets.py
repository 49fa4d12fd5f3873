"""The hand-coded evaluation sets: well formed, sourced, and split by a rule nobody can bend.

The published set's split is fixed by a hash of each document's key (data/codebook/EVALUATION.md),
so a sentence cannot be moved from the holdout part into the tune part after the codebook has
been tuned; these tests fail if one is.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from workbook.coding.codebook import load_codebook
from workbook.coding.findings import parse_theme_list
from workbook.core.paths import data_dir

EXCLUDED_AREAS = ("derbyshire", "dudley", "durham")


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return pd.read_csv(
        data_dir() / "codebook" / "evaluation_published.csv", dtype="string", keep_default_na=False
    )


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return pd.read_csv(
        data_dir() / "codebook" / "evaluation_sources.csv", dtype="string", keep_default_na=False
    )


def expected_split(document: str) -> str:
    number = int(hashlib.sha256(document.encode("utf-8")).hexdigest(), 16)
    return "holdout" if number % 100 < 45 else "tune"


def test_every_row_follows_the_split_rule(published):
    wrong = published[published["split"] != published["document"].map(expected_split)]
    assert wrong.empty, f"rows moved between parts: {wrong['id'].tolist()}"
    assert set(published["split"]) == {"tune", "holdout"}


def test_the_set_is_as_large_and_varied_as_promised(published):
    assert published["id"].is_unique
    assert published["text"].str.strip().ne("").all()
    assert not published["text"].duplicated().any()
    assert len(published) >= 250
    assert published["document"].nunique() >= 25
    assert (published["themes"] == "").sum() >= 30
    themes = published["themes"].map(parse_theme_list)
    assert set().union(*themes) <= set(load_codebook().theme_ids)
    counts = pd.Series([t for found in themes for t in found]).value_counts()
    assert set(counts.index) == set(load_codebook().theme_ids)
    assert counts.min() >= 8, counts[counts < 8]


def test_every_sentence_names_a_source_with_an_address(published, sources):
    assert sources["document"].is_unique
    assert set(published["document"]) == set(sources["document"])
    for column in ("title", "publisher", "url"):
        assert sources[column].str.strip().ne("").all(), column


def test_no_document_of_the_areas_kept_for_the_independent_check(sources):
    text = sources[["document", "title", "publisher", "url"]].agg(" ".join, axis=1).str.lower()
    assert not text.str.contains("|".join(EXCLUDED_AREAS)).any()


def test_holdout_quality_floor(published):
    """A regression floor, not the target: the benchmark reports the figures (README)."""
    from workbook.coding.evaluation import score

    holdout = published[published["split"] == "holdout"].reset_index(drop=True)
    scores = score(holdout, load_codebook())
    assert scores.sentences == len(holdout)
    assert scores.micro_f1 >= 0.85
    assert scores.false_theme_rate <= 0.15
    assert scores.no_theme_sentences == (holdout["themes"] == "").sum()


EXTRA_TUNE_SETS = ("evaluation_newtune", "evaluation_tune3", "evaluation_tune4")


@pytest.mark.parametrize("name", EXTRA_TUNE_SETS)
def test_each_extra_tune_set_is_sourced_coded_and_new_to_every_other_set(name):
    """The second, third and fourth tune sets are for tuning only: their documents must be in no
    other set, above all not in the corpus whose unseen part measures the coder."""
    folder = data_dir() / "codebook"

    def read(file: str) -> pd.DataFrame:
        return pd.read_csv(folder / file, dtype="string", keep_default_na=False)

    frame, its_sources = read(f"{name}.csv"), read(f"{name}_sources.csv")
    assert list(frame.columns) == ["id", "document", "text", "themes"]
    assert frame["id"].is_unique and not frame["text"].duplicated().any()
    assert set(frame["document"]) == set(its_sources["document"])
    assert its_sources["url"].str.startswith("http").all()
    known = set(load_codebook().theme_ids)
    assert all(set(parse_theme_list(cell)) <= known for cell in frame["themes"])
    assert frame["themes"].eq("").any() and frame["themes"].ne("").any()
    extra = set(EXTRA_TUNE_SETS) - {name}
    others = [read("evaluation_corpus_sources.csv"), read("evaluation_sources.csv")]
    others += [read(f"{other}_sources.csv") for other in extra]
    other_texts = set(read("evaluation_corpus.csv")["text"])
    other_texts |= set(read("evaluation_published.csv")["text"])
    for other in extra:
        other_texts |= set(read(f"{other}.csv")["text"])
    for other in others:
        assert not set(its_sources["document"]) & set(other["document"])
        assert not set(its_sources["url"]) & set(other["url"])
    assert not set(frame["text"]) & other_texts
    assert not any(area in url.lower() for url in its_sources["url"] for area in EXCLUDED_AREAS)
