"""The thematic review section's facts, checked against the data they come from.

Uses the bundled fictional Northdale data (four years), read independently with plain pandas.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.coding.analysis import theme_order
from workbook.core import paths
from workbook.disclosure.published import Policy
from workbook.facts.actions import OPEN_POSITIONS, position_at_year_end
from workbook.inputs.report import open_report
from workbook.sections import thematic_review as tr
from workbook.sections.thematic_review import narrative
from workbook.text.labels import label

YEARS = ["2019-20", "2020-21", "2021-22", "2022-23"]


@pytest.fixture(scope="module")
def review():
    return tr.build(open_report("northdale", "2022-23"))


@pytest.fixture(scope="module")
def strict_review():
    """Northdale as a partnership that withholds small counts of findings and actions too
    (`withhold_counts_of`): the suppression across outputs is then in play."""
    report = open_report("northdale", "2022-23")
    report.policy = Policy(report.threshold, frozenset({"findings", "actions"}))
    return tr.build(report)


def test_counts_of_findings_and_actions_are_published_by_default(review):
    for table in (tr.findings_table(review), tr.actions_table(review), tr.echo_table(review)):
        assert not table.any_withheld, table.caption


def _raw(table: str) -> pd.DataFrame:
    folder = paths.data_dir() / "northdale"
    return pd.concat(
        [pd.read_csv(folder / year / f"{table}.csv").assign(year=year) for year in YEARS],
        ignore_index=True,
    )


def test_counts_cover_every_finding_review_and_audit_of_the_window(review):
    findings = _raw("findings")
    facts = tr.facts(review)
    assert facts["findings"] == len(findings)
    assert facts["reviews"] == len(
        findings[findings.source_type == "review"].drop_duplicates(["year", "source_id"])
    )
    assert facts["audits"] == len(
        findings[findings.source_type == "audit"].drop_duplicates(["year", "source_id"])
    )
    assert (facts["first_year"], facts["last_year"], facts["years_with_data"]) == (
        "2019-20",
        "2022-23",
        4,
    )
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
    named = narrative._named(themes, review, limit=5)
    assert len(named) == 6
    assert named[-1] == f"{len(themes) - 5} other themes"
    most_first = theme_order(review.table)
    two = [most_first[3], most_first[0]]
    assert narrative._named(two, review) == [
        review.theme_label(most_first[0]),
        review.theme_label(most_first[3]),
    ]


def test_a_year_without_data_is_named_and_not_counted(tmp_path):
    from conftest import write_year

    write_year(tmp_path)  # 2019-20 only; Testshire looks back two years
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    facts = tr.facts(tr.build(report))
    assert facts["missing_years"] == ["2018-19"]
    assert facts["window"] == 2 and facts["years_with_data"] == 1
    assert facts["findings"] == 3


# ---- one suppression for every output that states a theme's findings -----------------------------


def _breakdowns(review):
    return [
        list(tr.SOURCE_COLUMNS.values()),
        list(tr.KIND_COLUMNS.values()),
        list(review.report.lookback_with_data),
    ]


def _determined(view, breakdowns):
    """Withheld cells (None in `view`, keyed by (theme, column)) that a reader fixes exactly
    from every published breakdown of each theme's total, solved over the rationals."""
    from test_suppression import determined_cells

    unknowns = sorted(cell for cell, value in view.items() if value is None)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows = []
    for theme in {theme for theme, _ in view}:
        for parts in breakdowns:
            row = [0] * len(unknowns)
            for cell in [(theme, c) for c in parts] + [(theme, tr.ALL_FINDINGS)]:
                if cell in index:
                    row[index[cell]] += -1 if cell[1] == tr.ALL_FINDINGS else 1
            if any(row):
                rows.append(row)
    return determined_cells(unknowns, rows)


def test_each_breakdown_of_a_theme_adds_up_to_its_findings(review):
    counts = tr.findings_by_theme(review)
    for parts in _breakdowns(review):
        assert (counts[parts].sum(axis=1) == counts[tr.ALL_FINDINGS]).all(), parts


def test_no_withheld_theme_count_can_be_worked_out_from_the_outputs_together(strict_review):
    """Every output stating a theme's findings reads `by_theme`: the table, the chart by year,
    the heatmap's diagonal and the sentences. Taken together they fix no withheld cell;
    suppressing each output on its own (as the section once did) left some fixed, which is
    what this data is here to show."""
    review = strict_review
    counts = tr.findings_by_theme(review)
    by_theme = review.by_theme
    published = pd.DataFrame({c: by_theme.published(c) for c in counts.columns})
    threshold = review.report.threshold
    cells = [(t, c) for t in counts.index for c in counts.columns]
    assert any(pd.isna(published.at[cell]) for cell in cells)
    view = {cell: None if pd.isna(published.at[cell]) else published.at[cell] for cell in cells}
    assert _determined(view, _breakdowns(review)) == []
    alone = {cell: None if 0 < counts.at[cell] <= threshold else counts.at[cell] for cell in cells}
    assert _determined(alone, _breakdowns(review))

    table = tr.findings_table(review).cells.set_index("Theme")
    by_year = tr.by_year_table(review)
    diagonal = tr.cooccurrence_table(review)
    for theme in table.index:
        for column in table.columns:
            value = published.at[theme, column]
            assert table.at[theme, column] == ("c" if pd.isna(value) else f"{int(value):,}")
    for theme in list(by_year.columns):
        values = by_year.published(theme)
        for year in values.index:
            assert values[year] == published.at[theme, year] or (
                pd.isna(values[year]) and pd.isna(published.at[theme, year])
            )
    for theme in diagonal.frame["Theme"]:
        value = diagonal.published(theme)[theme]
        assert value == published.at[theme, tr.ALL_FINDINGS] or (
            pd.isna(value) and pd.isna(published.at[theme, tr.ALL_FINDINGS])
        )
    for theme in tr.leading_themes(review):
        if theme["findings"] is not None and theme["findings"] > threshold:
            assert theme["findings"] == published.at[theme["theme"], tr.ALL_FINDINGS]


def test_open_actions_are_stated_only_where_the_actions_table_shows_every_open_cell(strict_review):
    facts = tr.facts(strict_review)
    table = tr.actions_table(strict_review)
    open_columns = [label("status", p) for p in OPEN_POSITIONS]
    cells = table.cells[open_columns].to_numpy().ravel()
    if facts["open_actions"] is None:
        assert "c" in cells
    else:
        assert "c" not in cells


def test_open_actions_count_each_action_once_themed_or_not(review):
    """The number of open actions is of actions, not of (action, theme) pairs, and actions
    with no coded theme count: "no action remained open" beside open unthemed actions was
    not true."""
    facts = tr.facts(review)
    latest = narrative._latest_actions(review)
    positions = position_at_year_end(latest, review.report.year)
    assert facts["open_actions"] == int(positions.isin(OPEN_POSITIONS).sum())
    assert facts["actions"] == review.actions["action_id"].nunique()


def test_the_themes_named_for_open_actions_are_those_with_the_most(review):
    """ "Most often on X" must be true of every theme named: the themes with the largest number
    of open actions, ties included, and none when more than three tie."""
    facts = tr.facts(review)
    states = review.action_states
    themed = states[states["theme"].notna()]
    open_by_theme = themed[list(OPEN_POSITIONS)].sum(axis=1).groupby(themed["theme"]).sum()
    most = open_by_theme[(open_by_theme == open_by_theme.max()) & (open_by_theme > 0)]
    expected = [review.theme_label(t) for t in most.index] if len(most) <= 3 else []
    assert sorted(facts["open_themes"]) == sorted(expected)
