"""The thematic review and national themes on the year's facts (`workbook.facts.themes`): each
finding of the lookback once with all its sources and themes, one count of reviews featuring a
theme everywhere, sentences only where true, the analyst's working kept out of the board's text.

Small years are written with `conftest.facts_of`; the Northdale demo (four years) is read
independently with plain pandas where a count is checked against the data.
"""

from __future__ import annotations

import html
import re

import matplotlib
import pandas as pd
import pytest

from conftest import TINY_TABLES, determined_cells, facts_of, write_year
from workbook.core import paths
from workbook.core.years import scope_words, span_words
from workbook.disclosure.published import Policy
from workbook.facts import year_facts
from workbook.facts.actions import OPEN_POSITIONS
from workbook.facts.themes import board_themes
from workbook.inputs.report import open_report
from workbook.national.themes import CHILD_REVIEW_TYPES
from workbook.sections import checklist
from workbook.sections import national_themes as nt
from workbook.sections import thematic_review as tr
from workbook.sections.thematic_review import narrative
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

matplotlib.use("agg")

TINY_FINDINGS = TINY_TABLES["findings"]

YEARS = ["2019-20", "2020-21", "2021-22", "2022-23"]
REVIEW_HEADER = (
    "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,started_date,"
    "completed_date,published_date,status\n"
)
FINDING_HEADER = "finding_id,source_type,source_id,text,kind,agency,themes\n"
ACTION_HEADER = (
    "action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date,impact\n"
)
FOUR_REVIEWS = REVIEW_HEADER + "".join(
    f"R{i},cspr,Child {c},under_1,2019-05-01,,,,,in_progress\n" for i, c in enumerate("ABCD", 1)
)
SHARED = {
    "reviews": FOUR_REVIEWS,
    "findings": FINDING_HEADER
    + "F1,review,R1;R2;R3;R4,Neglect was not recognised early enough by universal services.,"
    "learning,multi-agency,neglect\n"
    + "F2,audit,A1,Chronologies were missing in most cases.,area_for_development,multi-agency,\n",
    "actions": ACTION_HEADER
    + "X1,F1,,Neglect toolkit relaunched,Partnership,2020-03-01,completed,2020-02-01,"
    "Used by 90 staff\n",
}
"""A learning point shared by four reviews (a joint summary), coded to neglect."""
LATER = {
    "reviews": REVIEW_HEADER
    + "R1,cspr,Child T,under_1,2019-05-01,2019-05-20,2019-06-01,2020-02-01,,completed\n"
    + "R3,rapid_review,,10_to_15,2020-09-01,2020-09-14,,,,decided_not_to_review\n",
    "audits": "audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,"
    "graded_good,graded_requires_improvement,graded_inadequate\n",
    "indicators": "indicator,breakdown,area,period_end,value,unit,target,source,note\n",
    "findings": FINDING_HEADER
    + "F1,review,R1,Information was not shared between the GP and the health visitor.,"
    "learning,multi-agency,communication_information_sharing\n",
    "actions": ACTION_HEADER,
}
"""2020-21 after Testshire's 2019-20: review R1 carried forward listing its finding F1 again,
and a new rapid review with no findings recorded."""


def _text(template: str, facts, **given) -> str:
    report = facts.report
    return render_narrative(
        template, report.threshold, partnership=report.partnership, year=report.year, **given
    )


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _board_text(facts) -> str:
    return _text("thematic.md.j2", facts, s=tr.sentences(facts, tr.themes_table(facts)))


@pytest.fixture(scope="module")
def northdale():
    return year_facts(open_report("northdale", "2022-23"))


@pytest.fixture(scope="module")
def strict():
    """Northdale as a partnership that withholds small counts of its findings, reviews,
    audits and actions too (`withhold_counts_of`): the suppression across outputs is in play."""
    report = open_report("northdale", "2022-23")
    report.policy = Policy(
        report.threshold, frozenset({"findings", "actions", "reviews", "audits"})
    )
    return year_facts(report)


def _raw(table: str) -> pd.DataFrame:
    folder = paths.data_dir() / "northdale"
    return pd.concat(
        [pd.read_csv(folder / year / f"{table}.csv").assign(year=year) for year in YEARS],
        ignore_index=True,
    )


# ---- one count everywhere ------------------------------------------------------------------------


def test_a_learning_point_shared_by_four_reviews_is_one_finding_of_four_reviews_everywhere(
    tmp_path,
):
    """It was printed four times and counted as four reviews raising neglect in one section,
    one in another, and 0% in the national comparison."""
    facts = facts_of(tmp_path, SHARED)
    themes = facts.themes
    assert themes.findings_on("neglect") == 1
    assert themes.reviews_featuring("neglect") == 4
    assert themes.reviews_featuring("neglect", types=CHILD_REVIEW_TYPES) == 4
    assert themes.reviews_assessed(CHILD_REVIEW_TYPES) == 4
    table = tr.themes_table(facts).frame.set_index("Theme")
    assert table.loc["Neglect", "Findings 2019-20"] == 1
    assert table.loc["Neglect", tr.REVIEWS] == 4
    comparison = nt.comparison_table(facts).frame.set_index("National factor (our theme)")
    assert comparison.loc["Neglect", nt.LOCAL] == 4
    assert comparison.loc["Neglect", nt.SHARE] == 100
    listing = tr.findings_listing(facts).frame
    assert listing["Id"].tolist().count("F1") == 1
    assert listing.set_index("Id").loc["F1", "From"] == "Review R1, R2, R3, R4"
    leads = tr.theme_leads(facts)
    shown = [f["id"] for lead in leads for f in lead["findings"]]
    assert shown.count("F1") == 1


def test_the_year_findings_are_the_findings_every_section_counts(northdale):
    raw = _raw("findings")
    themes = northdale.themes
    assert themes.findings == len(raw)
    assert themes.this_year == len(raw[raw["year"] == "2022-23"]) == northdale.findings.total
    assert themes.frame["key"].is_unique
    assert set(themes.table["finding_id"]) == set(themes.frame["key"])  # uncoded kept too
    sources = raw.assign(source_id=raw["source_id"].str.split(";")).explode("source_id")
    reviews = sources.loc[sources["source_type"] == "review", "source_id"].nunique()
    audits = sources.loc[sources["source_type"] == "audit", "source_id"].nunique()
    others = sources.loc[sources["source_type"] != "review", ["source_type", "source_id"]]
    assert themes.by_source["review"] == reviews
    assert audits < len(others.drop_duplicates())  # v3: inspections and other sources too
    assert sum(f.get() for kind, f in themes.by_source.items() if kind != "review") == len(
        others.drop_duplicates()
    )
    keys = set(themes.frame["key"])
    assert all(k in keys for ks in themes.actions["finding_keys"] for k in ks)
    linked = northdale.actions.frame["finding_id"].dropna()
    assert themes.actions["finding_keys"].map(len).sum() == linked.str.split(";").map(len).sum()


@pytest.mark.parametrize("partnership, year", [("northdale", "2022-23"), ("westmarch", "2023-24")])
def test_the_sources_of_the_findings_are_each_counted_in_the_sentence_that_names_them(
    partnership, year
):
    """ "13 findings, from 2 case reviews" was said of findings from 2 reviews, an inspection
    and six other sources."""
    facts = year_facts(open_report(partnership, year))
    text = _plain(_board_text(facts))
    named = re.search(r"brings together (\d+) findings? [^,]*, from (.*?)\.", text)
    assert named, text
    counted = sum(int(n) for n in re.findall(r"(\d+) [a-z]", named[2]))
    frame = facts.themes.frame
    pairs = {
        (kind, s)
        for kind, ids in zip(frame["source_type"], frame["sources"], strict=True)
        for s in ids
    }
    assert counted == len(pairs)


def test_a_finding_recorded_again_in_a_later_year_is_one_finding_of_the_later_year(tmp_path):
    """A review carried forward may list its findings again: the same id and words are one
    finding, counted under the latest year."""
    write_year(tmp_path, year="2019-20")
    facts = facts_of(tmp_path, LATER, year="2020-21")
    themes = facts.themes
    assert themes.findings == 3  # F1 once, F2 and F3 of 2019-20
    assert themes.this_year == 1 == facts.findings.total
    one = themes.frame.set_index("finding_id").loc["F1"]
    assert one["years"] == ["2019-20", "2020-21"] and one["year"] == "2020-21"
    assert themes.per_year.to_numpy().sum() == len(themes.codes)


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
def test_reviews_carried_forward_count_once_and_without_findings_are_unknown(tmp_path):
    write_year(tmp_path, year="2019-20")
    facts = facts_of(tmp_path, LATER, year="2020-21")
    assessed = facts.themes.reviews_assessed(CHILD_REVIEW_TYPES)
    # R1 (a CSPR in both years) has findings; the rapid reviews R2 and R3 have none recorded.
    assert assessed == 1 and assessed.unknown == 2
    assert assessed.missing and assessed.where.endswith("(findings: source_id)")
    gaps = {gap.missing: gap for gap in facts.gaps()}  # said once, at the end of the pack
    assert gaps["the findings of some case reviews"].items == "2 case reviews"
    none = facts_of(tmp_path / "none", {"findings": FINDING_HEADER, "actions": ACTION_HEADER})
    nothing = none.themes.reviews_assessed(CHILD_REVIEW_TYPES)
    assert not nothing.recorded and nothing.missing and nothing.where


def test_a_review_not_yet_at_its_findings_is_not_a_gap(tmp_path):
    """ "The findings of some case reviews (for 3 case reviews)" was said of a review in
    progress, a review not yet started and one whose rapid review found learning."""
    tables = dict(LATER)
    tables["reviews"] = (
        LATER["reviews"]
        + "R4,cspr,Child V,under_1,2020-10-01,2020-10-20,,,,in_progress\n"
        + "R5,cspr,Child U,under_1,2021-01-05,,,,,notified\n"
    )
    write_year(tmp_path, year="2019-20")
    facts = facts_of(tmp_path, tables, year="2020-21")
    assessed = facts.themes.reviews_assessed(CHILD_REVIEW_TYPES)
    # R1 has findings; R2 (2019-20) and R3 ended without any recorded: unknown; R4 and R5 are
    # still on their way to findings
    assert assessed == 1 and assessed.unknown == 2
    gaps = {gap.missing: gap for gap in facts.gaps()}
    assert gaps["the findings of some case reviews"].items == "2 case reviews"


# ---- sentences only where true -------------------------------------------------------------------


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
def test_every_sentence_of_the_thematic_review_is_a_claim_and_none_is_fixed(northdale, tmp_path):
    """ "The continuous identification of learning ... is a priority of the partnership" was
    printed for every partnership."""
    for facts in (northdale, facts_of(tmp_path, SHARED)):
        html = _board_text(facts)
        assert "priority of the partnership" not in html
        outside = _plain(re.sub(r'<span class="claim".*?</span>', "", html, flags=re.S))
        assert outside.strip(" .") == "", outside
        for claim in claims_in(html):
            assert claim["rows"] or claim["facts"], claim


def test_agreement_and_findings_matching_no_theme_are_said_only_where_true(tmp_path):
    """ "Agreement with the analyst's coding is reported" where no analyst coded, and "5
    findings matched no theme and are listed" with no list."""
    unthemed = FINDING_HEADER + (
        "F1,review,R1,Information was not shared between the GP and the health visitor.,"
        "learning,multi-agency,\n"
        "F2,audit,A1,The meeting was held on a Tuesday.,strength,multi-agency,\n"
    )
    facts = facts_of(tmp_path, {"findings": unthemed, "actions": ACTION_HEADER})
    text = _plain(_text("thematic_coding.md.j2", facts, t=facts.themes))
    assert "analyst" not in text and "agreement" not in text
    assert tr.agreement_table(facts).empty
    assert "1 matched no theme and is listed below" in text
    assert tr.uncoded_table(facts).frame["Id"].tolist() == ["F2"]
    coded = facts_of(tmp_path / "coded", SHARED)
    text = _plain(_text("thematic_coding.md.j2", coded, t=coded.themes))
    assert "the analyst coded 1 to themes" in text and "agreement" in text
    assert "matched no theme" not in text and tr.uncoded_table(coded).empty
    assert not tr.agreement_table(coded).empty


def test_changes_are_stated_as_counts_with_no_judgement_of_improvement(northdale):
    """ "Fewer findings ... than in earlier years ... a sign that practice has improved" while
    the pack rated that priority Red."""
    text = _plain(_board_text(northdale))
    assert not re.search(r"improv|better|worse|sign that|progress", text, flags=re.I)
    coded = northdale.themes.codes.merge(northdale.themes.frame[["key", "year", "kind"]], on="key")
    asks = coded[coded["kind"].isin(["area_for_development", "learning", "recommendation"])]
    for change in narrative._changes(northdale):
        label = change["theme"]
        theme = next(t for t, name in northdale.themes.labels.items() if name == label)
        mine = asks[asks["theme"] == theme]
        latest = int((mine["year"] == "2022-23").sum())
        earlier = int((mine["year"] != "2022-23").sum()) / 3
        assert f"{label}: {latest}, against an average of {narrative._average(earlier)}" in text
    changes = narrative._changes(northdale)  # the demo's four years have changes to state
    assert (
        f"In 2022-23, findings asking for change on {len(changes)} themes were at least double "
        "or at most half their yearly average in 2019-20 to 2021-22:"
    ) in text


def test_the_lookback_is_named_by_one_function():
    assert span_words(["2019-20"]) == "in 2019-20"
    assert span_words(YEARS) == "over the 4 years 2019-20 to 2022-23"
    assert span_words(["2019-20", "2021-22", "2022-23"]) == "in 2019-20, 2021-22 and 2022-23"
    assert scope_words(YEARS) == "2019-20 to 2022-23"
    assert scope_words(["2019-20", "2021-22"]) == "2019-20 and 2021-22"


def test_a_year_without_data_is_not_counted_and_is_said_once_as_not_recorded(tmp_path):
    facts = facts_of(tmp_path, SHARED)  # Testshire looks back two years; 2018-19 has no data
    coverage = facts.themes.coverage
    assert coverage == 1 and coverage.unknown == 1
    assert "2018-19" in coverage.missing and "2018-19" in coverage.where
    gap = next(g for g in facts.gaps() if "2018-19" in g.missing)  # said once, at the end
    assert gap.items == "1 year" and gap.facts == ("themes.years",)
    assert "2018-19" not in _board_text(facts)


def test_a_gap_line_that_names_its_years_does_not_count_them_again(tmp_path):
    """The board's line names the missing years; "(for 1 year)" after it would say it twice.
    The analyst's table keeps the count in its own column."""
    facts = facts_of(tmp_path, SHARED)
    gap = next(g for g in facts.gaps() if "2018-19" in g.missing)
    assert gap.named and gap.said_items == "" and gap.items == "1 year"
    lines = [g for g in checklist.grouped_gaps(facts.gaps()) if "2018-19" in g["missing"]]
    assert lines == [{"missing": gap.missing, "count": ""}]
    assert "(for 1 year)" not in "; ".join(g["missing"] for g in checklist.grouped_gaps([gap] * 3))
    # A gap that does not name its items still says how many.
    unnamed = [g for g in facts.gaps() if g.unknown and not g.named]
    assert all(g.said_items == g.items != "" for g in unnamed)


def test_leading_themes_are_named_only_where_more_often_coded_than_the_rest(northdale, tmp_path):
    leading = narrative._leading(northdale, tr.themes_table(northdale))
    counts = [int(item["fact"].get()) for item in leading]
    assert counts == sorted(counts, reverse=True) and len(leading) >= 3
    rest = [
        int(northdale.themes.findings_on(t).get())
        for t in northdale.themes.order
        if northdale.themes.label(t) not in {item["theme"] for item in leading}
    ]
    assert min(counts) > max(rest)
    # Every theme of the shared year has one finding: none is "most often" coded.
    shared = facts_of(tmp_path, SHARED)
    assert narrative._leading(shared, tr.themes_table(shared)) == []


def test_theme_lists_in_sentences_are_capped_with_the_rest_counted(northdale):
    themes = northdale.themes.order
    assert len(themes) > 6
    named = narrative._named(themes, northdale)
    assert len(named) == narrative.NAMED + 1
    assert named[-1] == f"{len(themes) - narrative.NAMED} other themes"


def test_the_themes_named_for_open_actions_are_those_with_the_most(northdale):
    actions = year_facts(northdale.report).actions.frame
    open_ = actions[actions["position"].isin(OPEN_POSITIONS)]
    themes = northdale.themes
    per_theme = {t: themes.open_actions_on(t).get() for t in themes.order}
    for theme, n in per_theme.items():  # each action once under each theme it answers
        keys = set(themes.codes.loc[themes.codes["theme"] == theme, "key"])
        hand = sum(
            any(f"2022-23/{f}" in keys for f in str(ids).split(";"))
            for ids in open_["finding_id"].dropna()
        )
        assert n == hand, theme
    most = max(per_theme.values())
    expected = [themes.label(t) for t, n in per_theme.items() if n == most]
    said = narrative._most_open(northdale, tr.themes_table(northdale))
    assert said["themes"] == expected and said["count"] == most


# ---- each thing once -----------------------------------------------------------------------------


def test_the_leading_themes_print_each_finding_and_action_once_with_all_its_themes(northdale):
    """Northdale's listings printed one finding or action under up to five themes."""
    leads = tr.theme_leads(northdale)
    assert 0 < len(leads) <= tr.LEADING_THEMES
    findings = [f["id"] for lead in leads for f in lead["findings"]]
    actions = [a["id"] for lead in leads for a in lead["actions"]]
    assert len(findings) == len(set(findings)) and len(actions) == len(set(actions))
    frame = northdale.themes.of_findings(this_year=True).set_index("finding_id")
    for lead in leads:
        assert len(lead["findings"]) <= tr.KEY_ITEMS and len(lead["actions"]) <= tr.KEY_ITEMS
        for item in lead["findings"]:
            every = {northdale.themes.label(t) for t in frame.loc[item["id"], "themes"]}
            assert every == {lead["theme"], *item["themes"]}
    later = [lead for lead in leads[1:] if lead["above_findings"] or lead["above_actions"]]
    assert later  # some of a later theme's findings were listed under an earlier one


def test_one_table_of_themes_with_this_year_the_lookback_sources_and_open_actions(northdale):
    table = tr.themes_table(northdale)
    assert list(table.frame.columns) == [
        "Theme",
        "Findings 2022-23",
        "Findings 2019-20 to 2022-23",
        tr.REVIEWS,
        tr.AUDITS,
        tr.OPEN_ACTIONS,
    ]
    assert table.frame["Theme"].is_unique and not table.any_withheld
    per_year = northdale.themes.per_year
    assert (table.frame["Findings 2022-23"].to_numpy() == per_year["2022-23"].to_numpy()).all()
    source = tr.by_theme(northdale).frame.set_index("Theme")
    assert (source[YEARS].sum(axis=1) == source[tr.ALL_FINDINGS]).all()  # the years add up
    coded = northdale.themes.codes.merge(northdale.themes.frame[["key", "year"]], on="key")
    hand = coded.groupby("theme")["key"].nunique()
    for theme, n in hand.items():
        assert source.loc[northdale.themes.label(theme), tr.ALL_FINDINGS] == n
    themes = northdale.themes
    for theme, row in themes.per_theme.iterrows():  # the table's counts are the facts' counts
        assert row.tolist() == [
            themes.findings_on(theme).get(),
            themes.reviews_featuring(theme).get(),
            themes.audits_featuring(theme).get(),
            themes.open_actions_on(theme).get(),
        ]


def test_a_column_nothing_recorded_is_left_out_of_the_table_of_themes(tmp_path):
    audits_only = FINDING_HEADER + (
        "F2,audit,A1,The voice of the child was clearly recorded.,strength,multi-agency,\n"
    )
    facts = facts_of(tmp_path, {"findings": audits_only, "actions": ACTION_HEADER})
    columns = tr.themes_table(facts).frame.columns
    assert tr.REVIEWS not in columns and tr.OPEN_ACTIONS not in columns
    assert "Findings 2019-20" in columns and tr.AUDITS in columns


# ---- pairs: a chart only where readable ----------------------------------------------------------


def test_pairs_are_a_chart_only_where_enough_findings_make_it_readable(northdale):
    table = tr.pairs_table(northdale)
    assert len(table.frame) >= tr.MIN_THEMES_IN_PAIRS
    darlington = year_facts(open_report("darlington", "2019-20"))
    assert tr.pairs_table(darlington).empty  # 8 findings: said in a sentence instead
    pairs = tr.leading_pairs(northdale)
    assert pairs and all(p["findings"] >= 2 for p in pairs)
    counts = [int(p["findings"].get()) for p in pairs]
    assert counts == sorted(counts, reverse=True)


def test_the_chart_of_pairs_is_drawn_once_in_whole_findings_with_no_grid_through_numbers(
    northdale,
):
    from workbook.render import charts

    fig, alt = charts.heatmap(tr.pairs_table(northdale), "Findings coded to both themes")
    ax, bar = fig.axes
    n = len(tr.pairs_table(northdale).frame)
    assert len(ax.texts) == n * (n + 1) // 2  # below the diagonal and the diagonal only
    assert not any(line.get_visible() for line in ax.get_xgridlines())  # major: the numbers
    ticks = [t for t in bar.get_yticks() if bar.get_ylim()[0] <= t <= bar.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert "Most frequent pairs" in alt


def test_one_line_needs_no_legend():
    from workbook.disclosure.published import Count, PublishedTable
    from workbook.render import charts

    one = PublishedTable(
        pd.DataFrame({"Year": ["2019-20", "2020-21"], "Neglect": [3, 5]}),
        "Findings",
        Policy(5),
        {"Neglect": Count("findings")},
    )
    fig, _ = charts.trend_lines(one, "Findings per year: neglect", "Findings")
    assert fig.axes[0].get_legend() is None
    two = PublishedTable(
        one.frame.assign(Housing=[1, 2]),
        "Findings",
        Policy(5),
        {"Neglect": Count("findings"), "Housing": Count("findings")},
    )
    fig, _ = charts.trend_lines(two, "Findings per year", "Findings")
    assert fig.axes[0].get_legend() is not None


# ---- the national comparison ---------------------------------------------------------------------


EMPTY = {
    "reviews": REVIEW_HEADER,
    "audits": "audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,"
    "graded_good,graded_requires_improvement,graded_inadequate\n",
    "findings": FINDING_HEADER,
    "actions": ACTION_HEADER,
}


def test_a_year_with_nothing_recorded_shows_nothing(tmp_path):
    """No review, audit or finding: no sentence, no table, no listing, no chart."""
    facts = facts_of(tmp_path, EMPTY)
    assert facts.themes.findings.is_zero
    assert _plain(_board_text(facts)) == ""
    assert _plain(_text("thematic_coding.md.j2", facts, t=facts.themes)) == ""
    for table in (tr.themes_table(facts), tr.by_year_table(facts), tr.pairs_table(facts)):
        assert table.empty and table.when_empty is None, table.caption
    assert tr.theme_leads(facts) == [] and tr.leading_pairs(facts) == []
    comparison = nt.comparison_table(facts)
    assert comparison.empty
    assert _plain(_text("national_themes.md.j2", facts, n=nt.sentences(facts, comparison))) == ""


def test_national_figures_beside_nothing_or_noughts_are_not_shown(tmp_path):
    """A page of national theme figures beside local values that were all 0."""
    none = facts_of(tmp_path, {"findings": FINDING_HEADER, "actions": ACTION_HEADER})
    table = nt.comparison_table(none)
    assert table.empty
    assert _plain(_text("national_themes.md.j2", none, n=nt.sentences(none, table))) == ""
    # Testshire's one children's review with findings (R1) is on information sharing only.
    noughts = facts_of(tmp_path / "noughts")
    table = nt.comparison_table(noughts)
    assert table.empty
    text = _plain(_text("national_themes.md.j2", noughts, n=nt.sentences(noughts, table)))
    # one review is too few to set beside national analyses (none featuring a theme among
    # enough reviews: tests/test_national_themes.py)
    assert text.startswith("The partnership had 1 children's review with recorded findings")
    assert "too few" in text and "0%" not in text


def test_the_national_comparison_counts_reviews_as_the_thematic_review_does(northdale):
    table = nt.comparison_table(northdale)
    themes = northdale.themes
    assessed = themes.reviews_assessed(CHILD_REVIEW_TYPES)
    for row, figure in zip(
        table.frame.itertuples(), nt.load_national_themes().figures, strict=True
    ):
        local = themes.reviews_featuring(figure.theme, types=CHILD_REVIEW_TYPES)
        assert row[3] == local.get()
        assert row[4] == pytest.approx(100 * local.get() / assessed.get())
    cells = table.cells.set_index("National factor (our theme)")
    assert cells.loc["Neglect", "National figure"] == "about 75% of 235 serious case reviews [1]"
    text = _plain(_text("national_themes.md.j2", northdale, n=nt.sentences(northdale, table)))
    assert f"Of the partnership's {assessed.get()} children's reviews" in text
    assert "one review moves a share by 11 percentage points" in text


# ---- one suppression for every output that states a theme's findings -----------------------------


def _determined(view, years):
    """Withheld cells (None in `view`, keyed by (theme, column)) that a reader fixes exactly
    from the years of each theme adding up to its total, solved over the rationals."""

    unknowns = sorted(cell for cell, value in view.items() if value is None)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows = []
    for theme in {theme for theme, _ in view}:
        row = [0] * len(unknowns)
        for cell in [(theme, c) for c in years] + [(theme, tr.ALL_FINDINGS)]:
            if cell in index:
                row[index[cell]] += -1 if cell[1] == tr.ALL_FINDINGS else 1
        if any(row):
            rows.append(row)
    return determined_cells(unknowns, rows)


def test_counts_of_findings_and_actions_are_published_by_default(northdale):
    for table in (tr.themes_table(northdale), tr.by_year_table(northdale)):
        assert not table.any_withheld, table.caption


def test_no_withheld_theme_count_can_be_worked_out_from_the_outputs_together(strict):
    """The table of themes, the chart by year, the pairs' diagonal and the sentences all read
    `by_theme`: taken together they fix no withheld cell."""
    source = tr.by_theme(strict)
    years = list(strict.themes.years)
    columns = [*years, tr.ALL_FINDINGS]
    published = pd.DataFrame({c: source.published(c) for c in columns})
    cells = [(t, c) for t in published.index for c in columns]
    assert any(pd.isna(published.at[cell]) for cell in cells)
    view = {cell: None if pd.isna(published.at[cell]) else published.at[cell] for cell in cells}
    assert _determined(view, years) == []

    def same(a, b) -> bool:
        return a == b or (pd.isna(a) and pd.isna(b))

    table = tr.themes_table(strict)
    for theme in table.frame["Theme"]:
        assert same(table.published("Findings 2022-23")[theme], published.at[theme, "2022-23"])
        assert same(
            table.published("Findings 2019-20 to 2022-23")[theme],
            published.at[theme, tr.ALL_FINDINGS],
        )
    by_year = tr.by_year_table(strict)
    for theme in list(by_year.columns):
        for year, value in by_year.published(theme).items():
            assert same(value, published.at[theme, year])
    diagonal = tr.pairs_table(strict)
    for theme in diagonal.frame["Theme"]:
        assert same(diagonal.published(theme)[theme], published.at[theme, tr.ALL_FINDINGS])
    for item in narrative._leading(strict, table):
        if item["count"] is not None:
            assert item["count"] == published.at[item["theme"], tr.ALL_FINDINGS]
    assert tr.sentences(strict, table)["changes"] == [] and tr.leading_pairs(strict) == []


def test_open_actions_are_stated_only_as_the_table_of_themes_publishes_them(strict):
    table = tr.themes_table(strict)
    said = narrative._most_open(strict, table)
    if said is not None and said["count"] is not None:
        for theme in said["themes"]:
            assert not table.withheld_cell(theme, tr.OPEN_ACTIONS)
            assert table.value(theme, tr.OPEN_ACTIONS) == said["count"]


# ---- the board's themes are chosen in one place --------------------------------------------------


def test_the_board_sees_the_analyst_codes_where_given_else_the_automatic_ones():
    coded = pd.DataFrame(
        {
            "finding_id": ["F1", "F1", "F2", "F2", "F3"],
            "theme": ["neglect", "housing", "neglect", "neglect", None],
            "subtheme": [None, None, "a", "b", None],
            "evidence": [None, "flat", "neglected", "neglect", None],
            "source": ["analyst", "automatic", "automatic", "automatic", "uncoded"],
            "final": [True, False, True, True, True],
        }
    )
    shown = board_themes(coded)
    shown = shown.fillna({"evidence": ""})
    assert shown[["finding_id", "theme", "coded_by", "evidence"]].values.tolist() == [
        ["F1", "neglect", "analyst", ""],
        ["F2", "neglect", "automatic", "neglected"],
    ]


def test_the_voice_and_training_sections_read_the_same_coded_lookback(tmp_path):
    facts = facts_of(tmp_path, SHARED)
    for notebook in ("06_voice", "07_training"):
        source = (paths.notebooks_dir() / f"{notebook}.ipynb").read_text(encoding="utf-8")
        assert "facts.themes" in source and "code_findings" not in source
    themes = facts.themes
    assert {"finding_id", "source_type", "theme", "year", "kind"} <= set(themes.table.columns)
    assert themes.labels["neglect"] == "Neglect"


# ---- the analyst's working goes to the companion -------------------------------------------------


@pytest.mark.render
def test_the_analysts_working_goes_to_the_companion_not_the_board_pack(tmp_path):
    """Coder agreement in precision, recall and kappa, and the findings no theme matched, were
    printed in the board pack."""
    from workbook.run.execution import KernelSession
    from workbook.sections import registry

    odd = TINY_FINDINGS + "F4,audit,A1,The meeting was held on a Tuesday.,strength,multi-agency,\n"
    write_year(tmp_path, tables={"findings": odd})
    section = next(s for s in registry() if s.id == "thematic_review")
    parameters = {
        "partnership": "testshire",
        "year": "2019-20",
        "data_dir": str(tmp_path / "data"),
        "params_dir": str(tmp_path / "params"),
    }
    with KernelSession(cell_timeout=120) as kernel:
        executed = kernel.execute(section.notebook, parameters)
    shown = {"board": [], "analyst": []}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            # outputs without an audience (JupyterLab's stylesheet and notes) are never published
            audience = output.get("metadata", {}).get("workbook", {}).get("audience")
            if output.output_type == "display_data" and "text/html" in output.data and audience:
                shown[audience].append(html.unescape(_plain(output.data["text/html"])))
    board, analyst = " ".join(shown["board"]), " ".join(shown["analyst"])
    assert "Cohen's kappa" in analyst and "The meeting was held on a Tuesday." in analyst
    assert "How the findings were coded" in analyst and "matched no theme" in analyst
    assert not re.search(r"kappa|precision|matched no theme|analyst|codebook", board, re.I)
    assert "Themes of the findings, 2019-20" in board
