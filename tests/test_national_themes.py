"""National theme prevalences: a versioned, cited file, and the share of the partnership's
reviews (not findings) featuring each theme, checked against a count made by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbook.coding.codebook import load_codebook
from workbook.national.themes import (
    assessed_reviews,
    beside_national,
    load_national_themes,
    review_theme_shares,
    reviews_without_findings,
)

REVIEWS = pd.DataFrame(
    {
        "review_id": ["R1", "R2", "R3", "R4", "R5", "R1"],
        "review_type": ["cspr", "rapid_review", "sar", "scr", "cspr", "cspr"],
        "year": ["2019-20"] * 3 + ["2020-21"] * 3,
    }
)
# One row per finding and theme, as the thematic review's theme table holds them.
THEMES = pd.DataFrame(
    [
        ("F1", "review", "R1", "neglect"),
        ("F2", "review", "R1", "neglect"),
        ("F3", "review", "R1", "domestic_abuse"),
        ("F4", "review", "R2", "neglect"),
        ("F5", "review", "R2", None),
        ("F6", "review", "R3", "neglect"),
        ("F7", "review", "R4", "parental_mental_health"),
        ("F8", "review", "R4", "domestic_abuse"),
        ("F9", "review", "R1", "neglect"),  # R1 carried into 2020-21: still one review
        ("F10", "audit", "A1", "neglect"),
    ],
    columns=["finding_id", "source_type", "source_id", "theme"],
)


def test_share_of_reviews_matches_a_hand_count():
    # By hand: children's reviews with findings are R1, R2 and R4 (R3 is a SAR, R5 has no
    # findings, A1 is an audit): 3. Neglect: R1 and R2 (R1's three neglect findings count
    # once) = 2 of 3. Domestic abuse: R1 and R4 = 2 of 3. Parental mental health: R4 = 1 of 3.
    shares = review_theme_shares(THEMES, REVIEWS)
    assert shares["theme"].tolist() == ["domestic_abuse", "neglect", "parental_mental_health"]
    assert shares["reviews"].tolist() == [2, 2, 1]
    assert shares["of_reviews"].tolist() == [3, 3, 3]
    assert shares["share"].tolist() == pytest.approx([200 / 3, 200 / 3, 100 / 3])
    assert reviews_without_findings(THEMES, REVIEWS) == ["R5"]


def test_adult_reviews_count_when_asked_for():
    shares = review_theme_shares(THEMES, REVIEWS, review_types=("sar",))
    assert shares[["theme", "reviews", "of_reviews"]].values.tolist() == [["neglect", 1, 1]]


def test_no_reviews_with_findings_gives_no_shares():
    audits_only = THEMES[THEMES["source_type"] == "audit"]
    assert review_theme_shares(audits_only, REVIEWS).empty
    beside = beside_national(review_theme_shares(audits_only, REVIEWS))
    assert (beside["reviews"] == 0).all() and beside["share"].map(math.isnan).all()


def test_reviews_whose_findings_match_no_theme_still_count_in_the_denominator():
    # No finding carries a theme, yet R1, R2 and R4 (children's reviews) have findings,
    # so every share is 0 of 3, not a share of nothing.
    untagged = THEMES.assign(theme=None)
    assert assessed_reviews(untagged, REVIEWS) == 3
    beside = beside_national(
        review_theme_shares(untagged, REVIEWS), assessed=assessed_reviews(untagged, REVIEWS)
    )
    assert (beside["of_reviews"] == 3).all() and (beside["share"] == 0).all()


def test_each_national_figure_sits_beside_the_local_share_of_its_theme():
    beside = beside_national(review_theme_shares(THEMES, REVIEWS))
    national = load_national_themes()
    assert len(beside) == len(national.figures)
    neglect = beside[beside["theme"] == "neglect"].iloc[0]
    assert (neglect["reviews"], neglect["of_reviews"]) == (2, 3)
    assert neglect["national_percent"] == 75 and neglect["approximate"]
    substance = beside[beside["theme"] == "substance_misuse"]
    assert (substance["reviews"] == 0).all()  # no local review featured it


def test_the_national_file_is_cited_and_uses_codebook_themes():
    national = load_national_themes()
    themes = {t.id for t in load_codebook().themes}
    assert national.version and national.figures
    for figure in national.figures:
        assert figure.theme in themes, figure
        assert 0 < figure.percent <= 100 and figure.of and figure.checked
        for key in ("title", "publisher", "year", "url", "location"):
            assert figure.source.get(key), (figure.factor, key)
        assert figure.source["url"].startswith(("https://", "http://"))
    # The figures proposed in the issue that could not be checked are listed, not used.
    left_out = " ".join(entry["figure"] for entry in national.not_verified)
    assert "54%" in left_out and "53%" in left_out and "47%" in left_out
    assert not any(f.percent in (54, 53, 47) for f in national.figures)
