"""The thematic review section's facts, checked against the data they come from.

Uses the bundled fictional Northdale data (four years), read independently with plain pandas.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook import paths
from workbook import thematic_report as tr
from workbook.report import open_report
from workbook.thematic import theme_order

YEARS = ["2019-20", "2020-21", "2021-22", "2022-23"]


@pytest.fixture(scope="module")
def review():
    return tr.build(open_report("northdale", "2022-23"))


def _raw(table: str) -> pd.DataFrame:
    folder = paths.data_dir() / "northdale"
    return pd.concat([pd.read_csv(folder / year / f"{table}.csv").assign(year=year)
                      for year in YEARS], ignore_index=True)


def test_counts_cover_every_finding_review_and_audit_of_the_window(review):
    findings = _raw("findings")
    facts = tr.facts(review)
    assert facts["findings"] == len(findings)
    assert facts["reviews"] == len(findings[findings.source_type == "review"]
                                   .drop_duplicates(["year", "source_id"]))
    assert facts["audits"] == len(findings[findings.source_type == "audit"]
                                  .drop_duplicates(["year", "source_id"]))
    assert (facts["first_year"], facts["last_year"], facts["years_with_data"]) == (
        "2019-20", "2022-23", 4)
    assert facts["missing_years"] == []


def test_finding_ids_are_scoped_by_year_so_equal_ids_in_two_years_stay_apart(review):
    assert review.findings["finding_id"].is_unique
    linked = review.actions["finding_id"].dropna()
    assert linked.isin(review.findings["finding_id"]).all()


def test_every_finding_is_kept_coded_or_uncoded(review):
    assert set(review.table["finding_id"]) == set(review.findings["finding_id"])


def test_leading_themes_are_in_order_with_shares_and_real_examples(review):
    leading = tr.leading_themes(review)
    counts = [theme["findings"] for theme in leading]
    assert counts == sorted(counts, reverse=True)
    total = review.findings["finding_id"].nunique()
    for theme in leading:
        assert theme["share"] == pytest.approx(100 * theme["findings"] / total)
        assert theme["example"].rstrip(" …")[:40] in " ".join(review.findings["text"])


def test_theme_lists_in_sentences_are_capped_with_the_rest_counted(review):
    themes = list(review.table["theme"].dropna().unique())
    assert len(themes) > 6
    named = tr._named(themes, review, limit=5)
    assert len(named) == 6
    assert named[-1] == f"{len(themes) - 5} other themes"
    most_first = theme_order(review.table)
    two = [most_first[3], most_first[0]]
    assert tr._named(two, review) == [review.theme_label(most_first[0]),
                                      review.theme_label(most_first[3])]


def test_a_year_without_data_is_named_and_not_counted(tmp_path):
    from conftest import write_year

    write_year(tmp_path)  # 2019-20 only; Testshire looks back two years
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    facts = tr.facts(tr.build(report))
    assert facts["missing_years"] == ["2018-19"]
    assert facts["window"] == 2 and facts["years_with_data"] == 1
    assert facts["findings"] == 3
