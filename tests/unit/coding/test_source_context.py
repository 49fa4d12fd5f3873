"""Themes from the source: an audit's title and a review's type suggest themes, shown "from the
source" with their reason, and counted only when the analyst accepts them or a run says so."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.coding.codebook import load_codebook
from workbook.coding.coder import code_findings, final_themes
from workbook.coding.context import sources_table

FINDINGS = pd.DataFrame(
    {
        "finding_id": ["A1", "A2", "A3", "R1"],
        "source_type": ["audit", "audit", "audit", "review"],
        "source_id": ["AUD-1", "AUD-1", "AUD-1", "SAR-1"],
        "text": [
            "Return interviews were not offered after each episode.",
            "Sexual exploitation of the young person was recognised early.",
            "Records were incomplete.",
            "The adult's wishes were not recorded.",
        ],
        "themes": ["", "", "education", ""],
    }
)
REVIEWS = pd.DataFrame({"review_id": ["SAR-1"], "review_type": ["sar"]})
AUDITS = pd.DataFrame(
    {"audit_id": ["AUD-1"], "title": ["Child sexual exploitation"], "audit_type": ["deep_dive"]}
)


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def rows(coded, ident, source):
    return coded[(coded["finding_id"] == ident) & (coded["source"] == source)]


def test_the_source_suggests_themes_with_its_reason_but_they_do_not_count(codebook):
    coded = code_findings(FINDINGS, codebook, sources=sources_table(REVIEWS, AUDITS))
    first = rows(coded, "A1", "from_source")
    assert first[["theme", "evidence", "final"]].values.tolist() == [
        ["exploitation_missing", 'audit "Child sexual exploitation"', False]
    ]
    sar = rows(coded, "R1", "from_source")
    assert sar[["theme", "evidence"]].values.tolist() == [["adult_safeguarding", "review type sar"]]
    final = final_themes(coded)
    assert "exploitation_missing" not in set(final.loc[final["finding_id"] == "A1", "theme"])


def test_a_parameter_counts_them_where_the_analyst_did_not_code(codebook):
    coded = code_findings(
        FINDINGS, codebook, sources=sources_table(REVIEWS, AUDITS), count_source_themes=True
    )
    final = final_themes(coded)
    themes = final.groupby("finding_id")["theme"].apply(set).to_dict()
    assert "exploitation_missing" in themes["A1"]
    assert themes["A3"] == {"education"}  # the analyst coded it: the analyst's themes only
    assert "adult_safeguarding" in themes["R1"]
    # a theme the text already gave is not counted twice
    assert not rows(coded, "A2", "from_source")["final"].any()
    assert "uncoded" not in set(coded.loc[coded["finding_id"] == "A1", "source"])


def test_findings_from_sources_that_suggest_nothing_are_unchanged(codebook):
    plain = code_findings(FINDINGS, codebook)
    audits = AUDITS.assign(title=["Quarterly dip sample"])
    reviews = REVIEWS.assign(review_type=["rapid_review"])
    with_sources = code_findings(
        FINDINGS, codebook, sources=sources_table(reviews, audits), count_source_themes=True
    )
    pd.testing.assert_frame_equal(plain, with_sources)
