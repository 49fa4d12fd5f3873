"""The local picture section: works on a partnership's own figures, fuller with DfE's."""

from __future__ import annotations

import json
import re

import pytest
from test_dfe import tiny_folder

from conftest import write_year
from workbook.core import paths
from workbook.inputs.report import open_report
from workbook.national import dfe
from workbook.sections import local_picture
from workbook.text.narrative import render_template

PLACEMENTS = """\
indicator,breakdown,area,period_end,value,unit,target,source,note
cpp_count,,local,2020-03-31,85,count,,DfE,
cpp_rate,,local,2020-03-31,37.8,rate_per_10k,,DfE,
cpp_rate,,england,2020-03-31,43.7,rate_per_10k,,DfE,
child_deaths,,local,2020-03-31,4,count,,CDOP,
care_leavers_neet_pct,,local,2020-03-31,28.1,percent,30,LA,
cla_placements,Fostering,local,2020-03-31,56,count,,LA,
cla_placements,Residential,local,2020-03-31,30,count,,LA,
cla_placements,Other,local,2020-03-31,4,count,,LA,
"""


@pytest.fixture
def no_dfe(monkeypatch, tmp_path):
    """No DfE figures anywhere: no folder given, no imported store, no WORKBOOK_DFE_DIR."""
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    monkeypatch.setattr(paths, "national_store", lambda: tmp_path / "no-store")
    dfe.load_store.cache_clear()
    yield
    dfe.load_store.cache_clear()


def _report(root, tables=None):
    write_year(root, tables=tables)
    return open_report("testshire", "2019-20", root / "data", root / "params")


def _narrative(report, picture) -> str:
    return render_template(
        "performance.md.j2",
        report.threshold,
        partnership=report.partnership,
        year=report.year,
        headline=picture.headline_facts(),
        local=picture.local_facts(),
        targets=report.partnership.targets,
    )


def test_without_dfe_the_partnership_figures_are_used(tmp_path, no_dfe):
    report = _report(tmp_path)
    picture = local_picture.build(report, "")
    assert picture.national is None
    facts = picture.headline_facts()["cpp_rate"]
    assert (facts["count"], facts["rate"], facts["source"]) == (85, 37.8, "partnership")
    assert facts["comparisons"] == [("lower than", ["England (43.7)"])]
    assert "not supplied" in local_picture.notes(picture)


def test_narrative_reads_like_the_report_and_suppresses_small_counts(tmp_path, no_dfe):
    report = _report(tmp_path)
    text = _narrative(report, local_picture.build(report, ""))
    plain = text.replace("\\", "")
    assert (
        "At the end of March 2020, 85 children were subject to a child protection plan, "
        "a rate of 37.8 per 10,000. This is lower than England (43.7)."
    ) in plain
    assert "5 or fewer child deaths" in plain
    assert not re.search(r"\b4\b", plain)


def test_with_dfe_figures_the_revised_rate_and_comparators_are_used(tmp_path, no_dfe):
    report = _report(tmp_path)
    picture = local_picture.build(report, str(tiny_folder(tmp_path / "dfe")))
    facts = picture.headline_facts()["cpp_rate"]
    assert (facts["rate"], facts["source"]) == (40.0, "DfE")
    assert facts["comparisons"] == [
        ("lower than", ["the regional rate (80.0)", "England (50.0)"]),
        ("the same as", ["statistical neighbours (40.0)"]),
    ]
    assert (facts["change"], facts["judgement"]) == ("down", "")
    notes = local_picture.notes(picture)
    assert "(Testshire): the report gave 37.8, DfE now gives 40.0" in notes
    assert "(England): the report gave 43.7, DfE now gives 50.0" in notes
    plain = _narrative(report, picture).replace("\\", "")
    assert (
        "a rate of 40.0 per 10,000. This is lower than the regional rate (80.0) and "
        "England (50.0), and the same as statistical neighbours (40.0). It went down from "
        "the year before."
    ) in plain


def test_trend_and_neighbour_chart_data_from_dfe(tmp_path, no_dfe):
    report = _report(tmp_path)
    picture = local_picture.build(report, str(tiny_folder(tmp_path / "dfe")))
    trend = local_picture.trend(picture, "cpp_rate").frame
    assert list(trend["Year"]) == ["2018-19", "2019-20"]
    assert list(trend.columns) == [
        "Year",
        "Testshire",
        "England",
        "North East",
        "Statistical neighbours",
    ]
    bars = local_picture.neighbour_comparison(picture, "cpp_rate").published("Rate")
    assert bars.to_dict() == {
        "Redcar": 50.0,
        "England": 50.0,
        "Testshire": 40.0,
        "Hartlepool": 30.0,
    }  # Middlesbrough is suppressed (c)


def test_trend_without_dfe_comes_from_the_partnership_years(tmp_path, no_dfe):
    report = _report(tmp_path)
    trend = local_picture.trend(local_picture.build(report, ""), "cpp_rate").frame
    assert trend.to_dict("list") == {"Year": ["2019-20"], "Testshire": [37.8], "England": [43.7]}


def test_councils_not_in_dfe_files_fall_back_to_the_partnership(tmp_path, no_dfe):
    report = _report(tmp_path)
    params = tmp_path / "params" / "testshire.yaml"
    params.write_text(
        params.read_text(encoding="utf-8").replace('"841"', '"E06000999"'), encoding="utf-8"
    )
    report = open_report("testshire", "2019-20", tmp_path / "data", tmp_path / "params")
    picture = local_picture.build(report, str(tiny_folder(tmp_path / "dfe")))
    assert picture.national is None
    assert "not in DfE's published statistics" in local_picture.notes(picture)
    assert picture.headline_facts()["cpp_rate"]["rate"] == 37.8


def test_breakdown_counts_are_suppressed_with_their_total(tmp_path, no_dfe):
    """Other (4) is small; with the total published, Residential (30) goes too."""
    report = _report(tmp_path, {"indicators": PLACEMENTS})
    picture = local_picture.build(report, "")
    table = local_picture.breakdown_table(picture, "cla_placements").cells
    assert dict(zip(table["Placement type"], table["Children"], strict=True)) == {
        "Fostering": "56",
        "Residential": "c",
        "Other": "c",
        "Total": "90",
    }


def test_local_tables_split_counts_and_percentages_with_rag(tmp_path, no_dfe):
    report = _report(tmp_path, {"indicators": PLACEMENTS})
    picture = local_picture.build(report, "")
    percent = local_picture.local_table(picture, "figure").cells
    assert percent.to_dict("records") == [
        {
            "Measure": "Care leavers not in education, employment or training (%)",
            "Figure": "28.1",
            "Target": "30.0",
            "Status": "GREEN",
            "Source": "LA",
        }
    ]
    counts = local_picture.local_table(picture, "count").cells
    assert list(counts["Measure"]) == ["Child deaths reviewed"]
    assert list(counts.columns) == ["Measure", "Number", "Source"]


def _execute(tmp_path, partnership: str, year: str, dfe_dir: str) -> str:
    papermill = pytest.importorskip("papermill")
    out = tmp_path / f"{partnership}.ipynb"
    papermill.execute_notebook(
        str(paths.notebooks_dir() / "02_local_picture.ipynb"),
        str(out),
        parameters={"partnership": partnership, "year": year, "dfe_dir": dfe_dir},
        cwd=str(paths.notebooks_dir()),
        progress_bar=False,
    )
    executed = json.loads(out.read_text())
    return "".join(
        o.get("data", {}).get("text/html", "")
        if isinstance(o.get("data", {}).get("text/html", ""), str)
        else "".join(o["data"]["text/html"])
        for c in executed["cells"]
        for o in c.get("outputs", [])
    )


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize(
    ("partnership", "year"), [("darlington", "2019-20"), ("northdale", "2022-23")]
)
def test_section_renders_on_demo_data_alone(tmp_path, monkeypatch, partnership, year):
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    if (paths.national_store() / "figures.csv").exists():
        pytest.skip("an imported DfE store exists in this checkout; demo-only run not possible")
    html = _execute(tmp_path, partnership, year, "")
    assert "child protection plan" in html
    assert "not supplied" in html or "not in DfE" in html


@pytest.mark.render
@pytest.mark.slow
def test_darlington_renders_with_dfe_files(tmp_path, dfe_dir):
    html = _execute(tmp_path, "darlington", "2019-20", str(dfe_dir))
    assert "a rate of 38.2 per 10,000" in html.replace("\\", "")
    assert "the report gave 37.8, DfE now gives 38.2" in html
    assert html.count("<img") >= 3  # two trends and the neighbour comparison


SHARES = """\
indicator,breakdown,area,period_end,value,unit,target,source,note
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


def test_a_share_of_a_published_count_that_stands_for_few_children_is_withheld(tmp_path, no_dfe):
    """3% of 151 plans is 4 or 5 children, so it goes, and Physical abuse (7%, 10 or 11
    children) with it, or 100% less the others gives it back. 97.5% of 40 missing children
    leaves 1 out; 148 of 150 home-educated children leaves 2. 42% of 893 is safe."""
    report = _report(tmp_path, {"indicators": SHARES})
    picture = local_picture.build(report, "")
    categories = local_picture.breakdown_table(picture, "cpp_category_pct").cells
    assert dict(zip(categories["Category of abuse"], categories["Per cent"], strict=True)) == {
        "Neglect": "51.0",
        "Emotional abuse": "39.0",
        "Physical abuse": "c",
        "Multiple": "c",
    }
    assert picture.withheld == {"missing_children_in_care_pct", "ehe_grt_children"}
    percent = local_picture.local_table(picture, "figure").cells.set_index("Measure")["Figure"]
    assert percent["Children reported missing who were looked after (%)"] == "c"
    assert percent["Early help assessments completed by partner agencies (%)"] == "42.0"
    counts = local_picture.local_table(picture, "count").cells.set_index("Measure")["Number"]
    assert counts["Gypsy, Roma and Traveller children electively home educated"] == "c"
    assert counts["Children electively home educated"] == "150"
    text = _narrative(report, picture)
    assert "40 children went missing from home or care during the year." in text
    assert "97.5" not in text and "148" not in text
    assert "150 children were electively home educated." in text
    assert r"893 early help assessments completed, 42\.0% of them by agencies" in text


def test_a_withheld_percentage_takes_its_status_against_the_target_with_it(tmp_path, no_dfe):
    """99.8% of 893 assessments leaves 2 out; "GREEN against 90" beside a `c` would still
    say which side of the target it fell."""
    shares = SHARES.replace(
        "early_help_external_pct,,local,2020-03-31,42,percent,,LA,",
        "early_help_external_pct,,local,2020-03-31,99.8,percent,90,LA,",
    )
    report = _report(tmp_path, {"indicators": shares})
    picture = local_picture.build(report, "")
    row = (
        local_picture.local_table(picture, "figure")
        .cells.set_index("Measure")
        .loc["Early help assessments completed by partner agencies (%)"]
    )
    assert (row["Figure"], row["Target"], row["Status"]) == ("c", "90.0", "")


def test_headline_table_without_dfe_has_no_empty_rank_or_direction_columns(tmp_path, no_dfe):
    table = local_picture.build(_report(tmp_path), "").headline_table
    assert list(table.cells.columns) == [
        "Measure",
        "Number",
        "Figure",
        "England",
        "Region",
        "Statistical neighbours",
    ]
    assert table.numeric_columns == [
        "Number",
        "Figure",
        "England",
        "Region",
        "Statistical neighbours",
    ]
    assert table.cells["Measure"].tolist() == [
        "Rate of child protection plans per 10,000 children (report)"
    ]


COUNTS_ONLY = """\
indicator,breakdown,area,period_end,value,unit,target,source,note
cin_count,,local,2020-03-31,2104,count,,Report,
cpp_count,,local,2020-03-31,3,count,,Report,
cla_count,,local,2020-03-31,754,count,,Report,
training_attendance,,local,2019-12-31,4,count,,Report,Dated December
"""


def test_a_partnership_that_gives_counts_only_sees_them_published(tmp_path, no_dfe):
    """A stated "754 children looked after" must appear, not vanish into a data note; a
    figure dated before 31 March is still the year's; small counts of children are withheld,
    small counts of training attendances are not."""
    report = _report(tmp_path, {"indicators": COUNTS_ONLY})
    picture = local_picture.build(report, "")
    headline = picture.headline_table.cells.set_index("Measure")
    assert headline.loc["Children looked after at 31 March (report)", "Number"] == "754"
    assert headline.loc["Children looked after at 31 March (report)", "Figure"] == "x"
    assert (
        headline.loc["Children subject to a child protection plan at 31 March (report)", "Number"]
        == "c"
    )
    text = _narrative(report, picture)
    assert "children looked after by the local authority at the end of March 2020 was 754." in text
    assert "5 or fewer children were subject to a child protection plan." in text
    assert "2,104 children in Testshire were identified as children in need." in text
    counts = local_picture.local_table(picture, "count").cells.set_index("Measure")["Number"]
    assert counts["Multi-agency training attendance"] == "4"


def test_a_partnership_with_no_indicators_says_so(tmp_path, no_dfe):
    report = _report(tmp_path, {"indicators": COUNTS_ONLY.splitlines()[0] + "\n"})
    picture = local_picture.build(report, "")
    assert picture.headline_table.empty
    assert "DfE's published statistics were not available" in picture.headline_table.when_empty
    assert local_picture.local_table(picture, "count").empty
    assert not local_picture.breakdown_tables(picture)
    assert _narrative(report, picture).strip() == ""
