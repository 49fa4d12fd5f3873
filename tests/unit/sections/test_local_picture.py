"""The local picture section, built on the year's indicator facts: works on a partnership's own
figures, fuller with DfE's; every figure with the precision it was given, a count never called
a rate, no column of "x", captions said once, charts a reader can follow, and nothing shown for
a year with no figures."""

from __future__ import annotations

import json
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from conftest import TINY_TABLES, facts_of, tiny_folder, write_year
from workbook.core import paths
from workbook.disclosure.formatting import format_given, given_decimals, round_half_up
from workbook.disclosure.published import Figure, PublishedTable
from workbook.facts.measures import HEADLINE
from workbook.national import dfe
from workbook.national import indicators as ind
from workbook.national import store as national_store
from workbook.national.catalogue import catalogue
from workbook.render import charts
from workbook.sections import local_picture as lp
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

HEADER = "indicator,breakdown,area,period_end,value,unit,target,source,note\n"

PLACEMENTS = (
    HEADER
    + """\
cpp_count,,local,2020-03-31,85,count,,DfE,
cpp_rate,,local,2020-03-31,37.8,rate_per_10k,,DfE,
cpp_rate,,england,2020-03-31,43.7,rate_per_10k,,DfE,
child_deaths,,local,2020-03-31,4,count,,CDOP,
care_leavers_neet_pct,,local,2020-03-31,28.1,percent,30,LA,
cla_placements,Fostering,local,2020-03-31,56,count,,LA,
cla_placements,Residential,local,2020-03-31,30,count,,LA,
cla_placements,Other,local,2020-03-31,4,count,,LA,
"""
)


@pytest.fixture
def no_dfe(monkeypatch, tmp_path):
    """No DfE figures anywhere: no folder given, no imported store, no WORKBOOK_DFE_DIR."""
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    monkeypatch.setattr(paths, "national_store", lambda: tmp_path / "no-store")
    national_store.load_store.cache_clear()
    yield
    national_store.load_store.cache_clear()


def _facts(root, tables=None, dfe_dir=""):
    facts = facts_of(root, tables)
    facts.dfe_dir = dfe_dir
    return facts


def _html(facts) -> str:
    """Both of the section's narratives, as HTML (each sentence a claim)."""
    report = facts.report
    return "".join(
        render_narrative(
            template, report.threshold, partnership=report.partnership, year=report.year, s=s
        )
        for template, s in (
            ("performance.md.j2", lp.headline_sentences(facts)),
            ("local_targets.md.j2", lp.target_sentences(facts)),
        )
    )


def _text(facts) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", _html(facts)).split())


# ---- the partnership's figures, and DfE's -------------------------------------------------------


def test_without_dfe_the_partnership_figures_are_used(tmp_path, no_dfe):
    facts = _facts(tmp_path)
    measure = facts.indicators.headline["cpp_rate"]
    assert measure.source == "partnership"
    assert (int(measure.count), str(measure.value.get())) == (85, "37.8")
    assert [
        (relation, [(i["words"], str(i["fact"].get())) for i in items])
        for relation, items in lp.headline_sentences(facts)["h"]["cpp_rate"]["compared"]
    ] == [("lower than", [("England", "43.7")])]
    assert "not supplied" in " ".join(lp.methods(facts))


def test_narrative_reads_like_the_report_and_suppresses_small_counts(tmp_path, no_dfe):
    facts = _facts(tmp_path)
    text = _text(facts)
    assert (
        "At the end of March 2020, 85 children were subject to a child protection plan, "
        "a rate of 37.8 per 10,000 children. This is lower than England (43.7)."
    ) in text
    counts = lp.local_table(facts, "count").cells.set_index("Measure")["Number"]
    assert counts["Child deaths reviewed"] == "c"  # 4 child deaths
    assert not re.search(r"\b4\b", text)


def test_every_sentence_is_a_claim_naming_the_rows_it_rests_on(tmp_path, no_dfe):
    claims = claims_in(_html(_facts(tmp_path)))
    plan = next(c for c in claims if "child protection plan" in c["text"])
    assert set(plan["rows"]) == {"indicators/cpp_rate", "indicators/cpp_count"}
    assert plan["values"]["indicators.cpp_rate"] == "37.8"
    compared = next(c for c in claims if c["text"].startswith("This is lower than England"))
    assert set(compared["facts"]) == {"indicators.cpp_rate", "indicators.cpp_rate/england"}


def test_with_dfe_figures_the_revised_rate_and_comparators_are_used(tmp_path, no_dfe):
    facts = _facts(tmp_path, dfe_dir=str(tiny_folder(tmp_path / "dfe")))
    measure = facts.indicators.headline["cpp_rate"]
    assert (measure.source, str(measure.value.get())) == ("DfE", "40")
    said = lp.headline_sentences(facts)["h"]["cpp_rate"]
    assert [
        (relation, [(i["words"], str(i["fact"].get())) for i in items])
        for relation, items in said["compared"]
    ] == [
        ("lower than", [("the regional rate", "80"), ("England", "50")]),
        ("the same as", [("statistical neighbours", "40")]),
    ]
    assert (said["change"], said["judgement"]) == ("down", "")
    notes = lp.headline_table(facts).notes
    assert "(Testshire): the report gave 37.8, DfE now gives 40" in notes
    assert "(England): the report gave 43.7, DfE now gives 50" in notes
    assert (
        "a rate of 40 per 10,000 children. This is lower than the regional rate (80) and "
        "England (50), and the same as statistical neighbours (40). It went down from "
        "the year before."
    ) in _text(facts)


def test_three_comparisons_read_as_one_list_with_one_and(tmp_path, no_dfe):
    """ "higher than the region (20.7%), and lower than statistical neighbours (22.9%), and the
    same as England (22.1%)": a list of three relations takes "and" once, before the last."""
    from workbook.core.fact import Fact
    from workbook.text.narrative import render_narrative

    facts = _facts(tmp_path)
    rate = Fact("rate", "22.1%")
    compared = [
        (relation, [{"words": words, "fact": Fact(words, figure)}])
        for relation, words, figure in (
            ("higher than", "the region", "20.7%"),
            ("lower than", "statistical neighbours", "22.9%"),
            ("the same as", "England", "22.1%"),
        )
    ]
    said = {"rate": rate, "count": None, "compared": compared, "change": "", "target": None}
    html = render_narrative(
        "performance.md.j2",
        facts.report.threshold,
        year=facts.year,
        s={"h": {"cpp_repeat_pct": said | {"ends_paragraph": True}}, "area": "Testshire"},
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "This is higher than the region (20.7%), lower than statistical neighbours (22.9%), "
        "and the same as England (22.1%)."
    ) in text


def test_trend_and_neighbour_chart_data_from_dfe(tmp_path, no_dfe):
    facts = _facts(tmp_path, dfe_dir=str(tiny_folder(tmp_path / "dfe")))
    trend = lp.trend(facts, "cpp_rate").frame
    assert list(trend["Year"]) == ["2018-19", "2019-20"]
    assert list(trend.columns) == [
        "Year",
        "Testshire",
        "England",
        "North East",
        "Statistical neighbours",
    ]
    bars = lp.neighbour_comparison(facts).published("Rate")
    assert bars.to_dict() == {
        "Redcar": 50.0,
        "England": 50.0,
        "Testshire": 40.0,
        "Hartlepool": 30.0,
    }  # Middlesbrough is suppressed (c)


def test_trend_without_dfe_comes_from_the_partnership_years(tmp_path, no_dfe):
    trend = lp.trend(_facts(tmp_path), "cpp_rate").frame
    assert trend.to_dict("list") == {"Year": ["2019-20"], "Testshire": [37.8], "England": [43.7]}


def test_councils_not_in_dfe_files_fall_back_to_the_partnership(tmp_path, no_dfe):
    from workbook.facts import YearFacts
    from workbook.inputs.report import open_report

    write_year(tmp_path)
    params = tmp_path / "params" / "testshire.yaml"
    params.write_text(
        params.read_text(encoding="utf-8").replace('"841"', '"E06000999"'), encoding="utf-8"
    )
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    facts = YearFacts(report, str(tiny_folder(tmp_path / "dfe")))
    assert facts.indicators.headline["cpp_rate"].source == "partnership"
    assert "not in DfE's published statistics" in " ".join(lp.methods(facts))
    assert "not in DfE's published statistics" in lp.neighbour_gap(facts)


# ---- disclosure ---------------------------------------------------------------------------------


def test_breakdown_counts_are_suppressed_with_their_total(tmp_path, no_dfe):
    """Other (4) is small; with the total published, Residential (30) goes too."""
    facts = _facts(tmp_path, {"indicators": PLACEMENTS})
    table = lp.breakdown_table(facts, "cla_placements").cells
    assert dict(zip(table["Placement type"], table["Children"], strict=True)) == {
        "Fostering": "56",
        "Residential": "c",
        "Other": "c",
        "Total": "90",
    }


def test_local_tables_split_counts_and_percentages_with_their_targets(tmp_path, no_dfe):
    facts = _facts(tmp_path, {"indicators": PLACEMENTS})
    percent = lp.local_table(facts, "figure")
    assert percent.cells.to_dict("records") == [
        {
            "Measure": "Care leavers not in education, employment or training (%)",
            "Figure": "28.1",
            "Target": "30%",
            "Rating": "Green",
        }
    ]
    assert percent.notes == "Source: LA."
    counts = lp.local_table(facts, "count")
    assert list(counts.cells["Measure"]) == ["Child deaths reviewed"]
    assert list(counts.cells.columns) == ["Measure", "Number"]
    assert counts.notes == "Source: CDOP."


SHARES = (
    HEADER
    + """\
cpp_count,,local,2020-03-31,151,count,,LA,
cpp_rate,,local,2020-03-31,39.5,rate_per_10k,,LA,
cpp_category_pct,Neglect,local,2020-03-31,51,percent,,LA,
cpp_category_pct,Emotional abuse,local,2020-03-31,39,percent,,LA,
cpp_category_pct,Physical abuse,local,2020-03-31,7,percent,,LA,
cpp_category_pct,Multiple,local,2020-03-31,3,percent,,LA,
missing_children,,local,2020-03-31,40,count,,Police,
missing_children_in_care_pct,,local,2020-03-31,97.5,percent,,Police,
early_help_assessments,,local,2020-03-31,893,count,,LA,
early_help_external_pct,,local,2020-03-31,42,percent,,LA,
ehe_children,,local,2020-03-31,150,count,,LA,
ehe_grt_children,,local,2020-03-31,148,count,,LA,
"""
)


def test_a_share_of_a_published_count_that_stands_for_few_children_is_withheld(tmp_path, no_dfe):
    """3% of 151 plans is 4 or 5 children, so it goes, and Physical abuse (7%, 10 or 11
    children) with it, or 100% less the others gives it back. 97.5% of 40 missing children
    leaves 1 out; 148 of 150 home-educated children leaves 2. 42% of 893 is safe."""
    facts = _facts(tmp_path, {"indicators": SHARES})
    categories = lp.breakdown_table(facts, "cpp_category_pct").cells
    assert dict(zip(categories["Category of abuse"], categories["Per cent"], strict=True)) == {
        "Neglect": "51",
        "Emotional abuse": "39",
        "Physical abuse": "c",
        "Multiple": "c",
    }
    assert facts.indicators.withheld == {"missing_children_in_care_pct", "ehe_grt_children"}
    percent = lp.local_table(facts, "figure").cells.set_index("Measure")["Figure"]
    assert percent["Children reported missing who were looked after (%)"] == "c"
    assert percent["Early help assessments completed by partner agencies (%)"] == "42"
    counts = lp.local_table(facts, "count").cells.set_index("Measure")["Number"]
    assert counts["Gypsy, Roma and Traveller children electively home educated"] == "c"
    assert counts["Children electively home educated"] == "150"
    text = _text(facts)
    assert "97.5" not in text and "148" not in text


def test_a_withheld_percentage_takes_its_rating_against_the_target_with_it(tmp_path, no_dfe):
    """99.8% of 893 assessments leaves 2 out; "Green against 90%" beside a `c` would still
    say which side of the target it fell, so neither the table nor a sentence says it."""
    shares = SHARES.replace(
        "early_help_external_pct,,local,2020-03-31,42,percent,,LA,",
        "early_help_external_pct,,local,2020-03-31,99.8,percent,90,LA,",
    ).replace(
        "missing_children_in_care_pct,,local,2020-03-31,97.5,percent,,Police,",
        "missing_children_in_care_pct,,local,2020-03-31,97.5,percent,50,Police,",
    )
    facts = _facts(tmp_path, {"indicators": shares})
    row = (
        lp.local_table(facts, "figure")
        .cells.set_index("Measure")
        .loc["Early help assessments completed by partner agencies (%)"]
    )
    assert (row["Figure"], row["Target"], row["Rating"]) == ("c", "90%", "")
    assert "target" not in _text(facts)


# ---- words as precise as the data ---------------------------------------------------------------

AS_GIVEN = (
    HEADER
    + """\
cin_rate,,local,2020-03-31,357,rate_per_10k,,Report,
cin_rate,,england,2020-03-31,334,rate_per_10k,,Report,
early_help_assessments,,local,2020-03-31,893,count,,Report,
early_help_external_pct,,local,2020-03-31,42,percent,,Report,
rhi_within_72h_pct,,local,2020-03-31,85.5,percent,,Report,
cpp_category_pct,Neglect,local,2020-03-31,38,percent,,Report,
cpp_category_pct,Emotional abuse,local,2020-03-31,45,percent,,Report,
"""
)


@pytest.mark.parametrize(
    ("value", "decimals"), [(42.0, 0), (28.1, 1), (357, 0), (0.0, 0), (416.8727, 1), (17.13, 1)]
)
def test_the_fewest_decimals_that_give_a_figure_back(value, decimals):
    assert given_decimals(value, 1) == decimals


def test_a_figure_is_printed_with_the_precision_it_was_given(tmp_path, no_dfe):
    """The report's "357" children in need (a rate) is not "357.0 per 10,000", nor its 42%
    "42.0%", in a sentence, a table or a revision note."""
    facts = _facts(tmp_path, {"indicators": AS_GIVEN})
    text = _text(facts)
    assert "the rate of children in need in Testshire was 357 per 10,000 children" in text
    assert "This is higher than England (334)." in text
    assert not re.search(r"\d\.0\b", text)
    cells = [
        lp.headline_table(facts).cells,
        lp.local_table(facts, "figure").cells,
        lp.breakdown_table(facts, "cpp_category_pct").cells,
    ]
    shown = {str(v) for table in cells for v in table.to_numpy().ravel()}
    assert {"357", "334", "42", "85.5", "38", "45"} <= shown
    assert not any(re.fullmatch(r"[\d,]+\.0", v) for v in shown)


def test_revision_notes_give_the_reports_figure_as_it_gave_it():
    local = pd.DataFrame(
        {
            "indicator": ["cin_rate"],
            "breakdown": [None],
            "area": ["local"],
            "period_end": [pd.Timestamp("2020-03-31")],
            "value": [357.0],
        }
    )
    table = pd.DataFrame([{"indicator": "cin_rate", "value": 416.87, "england": float("nan")}])
    area = ind.Area("Darlington", ("841",), "North East")
    notes = ind.revision_notes(local, table, area, "2019-20", threshold=5)
    assert notes == [
        "Rate of children in need per 10,000 children (Darlington): the report gave 357, "
        "DfE now gives 416.9"
    ]


@pytest.mark.slow  # 10 s or more on a busy 2-core machine: make test only
def test_figures_from_the_real_dfe_files_keep_their_value_and_add_no_false_decimal(dfe_dir):
    """Every council's headline figure of 2019-20, as the workbook computes it from the real
    files, printed as given: the same number as at the catalogue's one decimal, and a whole
    number without ".0" only where it is whole (a rate of 0: no plan lasted two years)."""
    national = dfe.read_folder(dfe_dir)
    seen = 0
    for indicator_id in HEADLINE:
        indicator = catalogue()[indicator_id]
        values = ind.la_values(national, indicator, 2020)["value"].dropna()
        for value in values:
            shown = format_given(value, indicator.decimals)
            assert float(shown.replace(",", "")) == round_half_up(value, indicator.decimals)
            assert ("." not in shown) == (abs(value - round(value)) < 1e-9)
            seen += 1
    assert seen > 500


def test_darlington_with_the_real_dfe_files(dfe_dir):
    from workbook.facts import YearFacts
    from workbook.inputs.report import open_report

    facts = YearFacts(open_report("darlington", "2019-20"), str(dfe_dir))
    text = _text(facts)
    assert "927 children in Darlington were identified as children in need, a rate of 416.9" in text
    assert "No plan open at the year end had lasted two years or more." in text
    notes = lp.headline_table(facts).notes
    assert "the report gave 357, DfE now gives 416.9" in notes
    assert facts.indicators.rates_recomputed.get() is True
    assert any("ONS mid-year population" in s for s in lp.methods(facts))


# ---- a count never called a rate --------------------------------------------------------------

COUNTS_ONLY = (
    HEADER
    + """\
cin_count,,local,2020-03-31,2104,count,,Report,
cpp_count,,local,2020-03-31,3,count,,Report,
cpp_rate,,england,2020-03-31,43.7,rate_per_10k,,Report,
cla_count,,local,2020-03-31,754,count,,Report,
training_attendance,,local,2019-12-31,4,count,,Report,Dated December
"""
)


def test_a_partnership_that_gives_counts_only_sees_counts_never_rates(tmp_path, no_dfe):
    """A stated "754 children looked after" appears, as a count: no rate column of "x", no
    England rate set beside a count, no sentence calling it a rate; a figure dated before 31
    March is still the year's; small counts of children are withheld, of attendances not."""
    facts = _facts(tmp_path, {"indicators": COUNTS_ONLY})
    headline = lp.headline_table(facts)
    assert list(headline.cells.columns) == ["Measure", "Number"]
    cells = headline.cells.set_index("Measure")["Number"]
    assert cells["Children looked after"] == "754"
    assert cells["Children on a child protection plan"] == "c"
    text = _text(facts)
    assert (
        "At the end of March 2020, 754 children were looked after by the local authority." in text
    )
    assert (
        "At the end of March 2020, 5 or fewer children were subject to a child protection plan."
        in text
    )
    assert "2,104 children in Testshire were identified as children in need." in text
    assert "rate" not in text and "England" not in text and "per 10,000" not in text
    assert not facts.indicators.headline["cla_rate"].value.recorded
    counts = lp.local_table(facts, "count").cells.set_index("Measure")["Number"]
    assert counts["Multi-agency training attendance"] == "4"
    charts_, too_short = lp.trend_charts(facts, headline=True)
    assert not charts_ and all("gives the count, not the rate" in s for s in too_short)


RATES_ONLY = (
    HEADER
    + """\
referrals_rate,,local,2020-03-31,446.6,rate_per_10k,,Report,
rereferral_pct,,local,2020-03-31,17,percent,,Report,
"""
)


def test_a_partnership_that_gives_rates_only_sees_rates_never_counts(tmp_path, no_dfe):
    facts = _facts(tmp_path, {"indicators": RATES_ONLY})
    text = _text(facts)
    assert (
        "During 2019-20 the rate of referrals to children's social care was 446.6 per 10,000 "
        "children." in text
    )
    assert "received" not in text  # a rate is not a number of referrals received
    assert "17% of referrals were re-referrals" in text
    assert list(lp.headline_table(facts).cells.columns) == ["Measure", "Figure"]


# ---- tables and captions ----------------------------------------------------------------------


def test_breakdown_captions_never_say_the_breakdown_twice():
    for indicator_id in lp.BREAKDOWNS:
        caption = lp.breakdown_caption(catalogue()[indicator_id].name, indicator_id)
        words = caption.lower().split()
        assert not re.search(r"\b((?:\w+ ){1,3}\w+)\b.*\b\1\b", caption.lower()), caption
        assert words.count("by") == 1
    assert lp.breakdown_caption("Plans", "cpp_category_pct") == "Plans by category of abuse"


MOSTLY_EMPTY = (
    HEADER
    + """\
cin_rate,,local,2020-03-31,357,rate_per_10k,,Report,
cin_rate,,england,2020-03-31,334,rate_per_10k,,Report,
cpp_count,,local,2020-03-31,85,count,,Report,
cpp_rate,,local,2020-03-31,37.8,rate_per_10k,,Report,
cpp_rate,,region,2020-03-31,63.1,rate_per_10k,,Report,
cpp_rate,,statistical_neighbours,2020-03-31,50.4,rate_per_10k,,Report,
cpp_rate,,england,2020-03-31,43.7,rate_per_10k,,Report,
cla_count,,local,2020-03-31,270,count,,Report,
cla_rate,,local,2020-03-31,120.1,rate_per_10k,,Report,
early_help_external_pct,,local,2020-03-31,42,percent,,Report,
rhi_offered_pct,,local,2020-03-31,100,percent,,Report,
care_leavers_neet_pct,,local,2020-03-31,28.1,percent,30,Report,
"""
)


def test_a_mostly_empty_comparison_is_said_in_a_sentence_not_a_column_of_x(tmp_path, no_dfe):
    """Darlington's report gives the region and statistical neighbours for one measure of
    three, and a target for one figure of three: those columns go, their figures are said."""
    facts = _facts(tmp_path, {"indicators": MOSTLY_EMPTY})
    table = lp.headline_table(facts)
    headline = table.cells
    assert list(headline.columns) == ["Measure", "Number", "Figure", "England"]
    # the caption names the comparators the table shows, no more
    assert table.caption == "Children's social care: the partnership and England"
    for column in headline.columns[1:]:
        assert (headline[column] == "x").sum() * 2 < len(headline), column
    figures = lp.local_table(facts, "figure").cells
    assert list(figures.columns) == ["Measure", "Figure"]
    text = _text(facts)
    assert "lower than the regional rate (63.1), statistical neighbours (50.4) and England" in text
    assert (
        "Care leavers not in education, employment or training: 28.1%, against the "
        "partnership's target of 30% or lower (rated green)." in text
    )


def test_sources_are_said_once_under_a_table():
    assert lp.sources_note(["A report, section 5, Early Help", "A report, section 5, Care"]) == (
        "Sources: A report, section 5 (Early Help; Care)."
    )
    assert lp.sources_note(["Police", "Police", ""]) == "Source: Police."
    assert lp.sources_note(["Police", "Council"]) == "Sources: Police; Council."
    assert lp.sources_note(["", ""]) is None


# ---- charts -------------------------------------------------------------------------------------


def _lines(n: int, years: int = 3) -> PublishedTable:
    frame = pd.DataFrame(
        {
            "Year": [f"20{i}" for i in range(years)],
            **{f"S{k}": range(k, k + years) for k in range(n)},
        }
    )
    return PublishedTable(frame, "t", facts_policy(), dict.fromkeys(frame.columns[1:], Figure(1)))


def facts_policy():
    from workbook.disclosure.policy import Policy

    return Policy()


def test_a_line_chart_draws_at_most_five_series_and_names_the_rest():
    fig, alt = charts.trend_lines(_lines(8), "Eight", "Findings")
    assert len(fig.axes[0].get_lines()) == charts.MAX_SERIES
    assert "not drawn (more than 5 series): S5, S6, S7" in alt
    plt.close(fig)


def test_a_legend_only_where_two_series_need_telling_apart():
    one, _ = charts.trend_lines(_lines(1), "One", "Rate")
    two, _ = charts.trend_lines(_lines(2), "Two", "Rate")
    assert one.axes[0].get_legend() is None
    assert two.axes[0].get_legend() is not None
    plt.close(one)
    plt.close(two)


def test_a_target_the_text_names_is_drawn_on_its_chart(tmp_path, no_dfe):
    write_year(
        tmp_path,
        year="2018-19",
        tables={
            **{name: text.splitlines()[0] + "\n" for name, text in TINY_TABLES.items()},
            "indicators": HEADER + "care_leavers_neet_pct,,local,2019-03-31,41.2,percent,35,LA,\n",
        },
    )
    facts = _facts(tmp_path, {"indicators": PLACEMENTS})
    drawn, too_short = lp.trend_charts(facts, headline=False)
    assert not too_short
    (chart,) = drawn
    assert chart.target == 30.0
    assert "target" in chart.caption
    fig, alt = charts.trend_lines(chart.table, chart.title, chart.axis, chart.target)
    lines = fig.axes[0].get_lines()
    assert any(set(line.get_ydata()) == {30.0} for line in lines)
    assert "Target 30" in [t.get_text() for t in fig.axes[0].texts]
    assert "target: 30" in alt
    assert fig.axes[0].get_legend() is None  # one series, and its target
    plt.close(fig)
    # the target the chart draws is the one the table gives
    assert lp.local_table(facts, "figure").cells["Target"].tolist() == ["30%"]


def test_a_target_for_a_headline_rate_is_said_and_drawn(tmp_path, no_dfe):
    root = tmp_path / "project"
    write_year(root, params="targets:\n  cpp_rate: 40")
    from workbook.facts import YearFacts
    from workbook.inputs.report import open_report

    report = open_report("testshire", "2019-20", root / "data", root / "params")
    facts = YearFacts(report, str(tiny_folder(tmp_path / "dfe")))
    assert "The partnership's target was 40 per 10,000 children." in _text(facts)
    drawn, _ = lp.trend_charts(facts, headline=True)
    assert [chart.target for chart in drawn] == [40.0]


def test_a_chart_with_too_few_years_says_why_to_the_analyst(tmp_path, no_dfe):
    facts = _facts(tmp_path)
    drawn, too_short = lp.trend_charts(facts, headline=True)
    assert not drawn
    assert too_short == [
        "No trend chart for child protection plans per 10,000 children: figures for 2019-20 "
        "only; a trend needs two years or more."
    ]
    assert lp.neighbour_gap(facts).startswith("No chart of statistical neighbours")


# ---- what the methods say ---------------------------------------------------------------------


def test_rates_recomputed_from_population_only_where_some_were(tmp_path, no_dfe):
    facts = _facts(tmp_path)
    assert facts.indicators.rates_recomputed.get() is False
    assert not any("population" in s for s in lp.methods(facts))
    with_dfe = _facts(tmp_path / "b", dfe_dir=str(tiny_folder(tmp_path / "dfe")))
    assert with_dfe.indicators.rates_recomputed.get() is True
    assert with_dfe.indicators.rates_recomputed.rows == ("dfe/cpp_rate",)
    assert any("ONS mid-year population" in s for s in lp.methods(with_dfe))


# ---- training figures belong to the training table ---------------------------------------------

TRAINING = """\
course_id,title,delivery,themes,sessions,attendances,evaluations,score_before,score_after,score_out_of,followup_pct,followup_measure,note
T1,Neglect,face_to_face,neglect,4,283,,,,,,,
T2,Safeguarding essentials,elearning,,,950,,,,,,,
"""
TRAINING_FIGURES = (
    HEADER
    + """\
training_attendance,,local,2020-03-31,2309,count,,Report,
training_attendance,Neglect,local,2020-03-31,248,count,,Report,
elearning_completions,,local,2020-03-31,955,count,,Report,
"""
)


def test_training_figures_are_left_to_the_training_table_where_it_records_them(tmp_path, no_dfe):
    """ "2,309 attendances" here beside "283" in the training section is one thing counted two
    ways: where the training table records attendances at taught courses, and completions of
    e-learning, the local picture says nothing of them."""
    facts = _facts(tmp_path, {"indicators": TRAINING_FIGURES, "training": TRAINING})
    assert lp.left_to_training_section(facts) == {"training_attendance", "elearning_completions"}
    assert lp.local_table(facts, "count").empty
    assert not lp.breakdown_tables(facts)
    assert "2,309" not in _text(facts) and "955" not in _text(facts)
    shown = lambda f: set(lp.local_table(f, "count").cells["Measure"])  # noqa: E731
    taught_only = _facts(
        tmp_path / "b",
        {"indicators": TRAINING_FIGURES, "training": TRAINING.rsplit("T2", 1)[0]},
    )
    assert lp.left_to_training_section(taught_only) == {"training_attendance"}
    assert shown(taught_only) == {"E-learning completions"}
    without = _facts(tmp_path / "c", {"indicators": TRAINING_FIGURES})
    assert not lp.left_to_training_section(without)
    assert shown(without) == {"Multi-agency training attendance", "E-learning completions"}
    assert [t.caption for t in lp.breakdown_tables(without)] == [
        "Multi-agency training attendance: breakdown given by the partnership"
    ]


# ---- no indicators at all -----------------------------------------------------------------------


def test_a_partnership_with_no_indicators_shows_nothing(tmp_path, no_dfe):
    facts = _facts(tmp_path, {"indicators": HEADER})
    assert not facts.indicators.recorded
    assert lp.headline_table(facts).empty and lp.headline_table(facts).when_empty is None
    assert lp.local_table(facts, "count").empty and lp.local_table(facts, "figure").empty
    assert not lp.breakdown_tables(facts)
    assert _text(facts) == ""
    assert lp.trend_charts(facts, headline=True) == ([], [])
    assert lp.neighbour_gap(facts) is None and lp.methods(facts) == []
    (gap,) = [g for g in facts.gaps() if g.where.startswith("indicators")]
    assert gap.missing == (
        "figures for children in need, referrals, child protection plans and children looked after"
    )
    assert gap.facts == ("indicators.headline",)


def test_what_the_figures_could_not_show_is_listed_once_with_where_it_would_be(tmp_path, no_dfe):
    """For the list of what the report could not show: a measure given as a count has its
    rate missing; a measure not given at all is missing whole; a given one is not listed."""
    facts = _facts(tmp_path, {"indicators": COUNTS_ONLY})
    gaps = {g.facts[0]: g for g in facts.gaps() if g.where.startswith("indicators")}
    assert (
        gaps["indicators.cla_rate"].missing == "rate of children looked after per 10,000 children"
    )
    assert gaps["indicators.cla_rate"].where == "indicators: cla_rate"
    assert gaps["indicators.referrals_rate"].where == "indicators: referrals_rate or referrals"
    assert set(gaps) == {f"indicators.{i}" for i in HEADLINE}  # no rate given for any
    assert not [g for g in _facts(tmp_path / "b").gaps() if g.facts[0] == "indicators.cpp_rate"]


def _execute(tmp_path, parameters: dict) -> list[dict]:
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "executed.ipynb"
    papermill.execute_notebook(
        str(paths.notebooks_dir() / "02_local_picture.ipynb"),
        str(out),
        parameters=parameters,
        cwd=str(paths.notebooks_dir()),
        progress_bar=False,
    )
    return [o for c in json.loads(out.read_text())["cells"] for o in c.get("outputs", [])]


def _board_html(outputs: list[dict]) -> str:
    """What the board reads: the HTML of every output made for the board (JupyterLab's
    stylesheet and note, shown outside a publishing run, are for no one's pack)."""
    return "".join(
        "".join(o["data"]["text/html"])
        for o in outputs
        if "text/html" in o.get("data", {})
        and o.get("metadata", {}).get("workbook", {}).get("audience") == "board"
    )


@pytest.mark.render
def test_the_section_shows_nothing_for_a_year_with_no_figures(tmp_path, no_dfe):
    write_year(tmp_path, tables={"indicators": HEADER})
    outputs = _execute(
        tmp_path,
        {
            "partnership": "testshire",
            "year": "2019-20",
            "data_dir": str(tmp_path / "data"),
            "params_dir": str(tmp_path / "params"),
        },
    )
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert re.sub(r"<[^>]+>|\s", "", _board_html(outputs)) == ""


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize(
    ("partnership", "year"), [("darlington", "2019-20"), ("northdale", "2022-23")]
)
def test_section_renders_on_demo_data_alone(tmp_path, monkeypatch, partnership, year):
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    if (paths.national_store() / "figures.csv").exists():
        pytest.skip("an imported DfE store exists in this checkout; demo-only run not possible")
    outputs = _execute(tmp_path, {"partnership": partnership, "year": year, "dfe_dir": ""})
    board = _board_html(outputs)
    assert "child protection plan" in board
    assert not re.search(r"(?<![\d.,])\d{1,3}\.0(?:%| per)", re.sub(r"<[^>]+>", " ", board))
    analyst = "".join(
        "".join(o["data"]["text/html"])
        for o in outputs
        if o.get("metadata", {}).get("workbook", {}).get("audience") == "analyst"
    )
    assert "not supplied" in analyst or "not in DfE" in analyst


@pytest.mark.render
@pytest.mark.slow
def test_darlington_renders_with_dfe_files(tmp_path, dfe_dir):
    outputs = _execute(
        tmp_path, {"partnership": "darlington", "year": "2019-20", "dfe_dir": str(dfe_dir)}
    )
    board = _board_html(outputs).replace("\\", "")
    assert "a rate of 38.2 per 10,000" in board
    assert "the report gave 37.8, DfE now gives 38.2" in board
    assert board.count("<img") >= 3  # two trends and the neighbour comparison
