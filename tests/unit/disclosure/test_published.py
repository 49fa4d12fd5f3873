"""PublishedTable: what a table, a chart and a sentence may state, decided once per table.

The attack on suppression itself (random tables, exact solves) is in test_suppression.py; here:
which counts are withheld (people, not the partnership's work), what sentences and charts read,
and the raw view for analysts that never reaches a published run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.core import paths
from workbook.disclosure.policy import WorkCount
from workbook.disclosure.published import (
    Count,
    Figure,
    Money,
    Policy,
    PublishedTable,
    Share,
)
from workbook.text.narrative import format_number


def _audits(policy: Policy | None = None) -> PublishedTable:
    policy = policy or Policy(5)
    frame = pd.DataFrame(
        {
            "Audit": ["Neglect", "Voice", "All audits"],
            "Cases audited": [3, 12, 15],
            "Good": [1, 8, 9],
        }
    )
    return PublishedTable(
        frame,
        "Audits",
        policy,
        {"Cases audited": Count("cases_audited"), "Good": Count("cases_audited")},
        total_row="All audits",
    )


def test_counts_of_the_partnerships_work_are_published_as_they_are():
    table = _audits()
    assert table.cells["Cases audited"].tolist() == ["3", "12", "15"]
    assert table.cells["Good"].tolist() == ["1", "8", "9"]
    assert not table.any_withheld
    assert isinstance(table.value("Neglect", "Cases audited"), WorkCount)
    # A sentence states it as it is: no "5 or fewer" for a count of audits' cases.
    text = render_template_string("{{ n }} cases", table.value("Neglect", "Cases audited"))
    assert text == "3 cases"


def test_a_partnership_may_withhold_more_than_people():
    table = _audits(Policy(5, frozenset({"cases_audited"})))
    assert table.cells["Cases audited"].tolist()[0] == "c"
    assert table.cells["Good"].tolist()[0] == "c"
    # The small one reads "5 or fewer"; one withheld only to protect it is not stated at all.
    assert render_template_string("{{ n }}", table.value("Neglect", "Good")) == "5 or fewer"
    hidden_to_protect = [c for c in ("Voice",) if table.withheld_cell(c, "Good")]
    for row in hidden_to_protect:
        assert table.value(row, "Good") is None
    assert "cases audited" in Policy(5, frozenset({"cases_audited"})).describe()


def test_a_table_of_several_measures_withholds_only_its_counts_of_people():
    frame = pd.DataFrame(
        {"Measure": ["Child deaths", "Training attendances", "Reviews"], "Number": [4, 3, 2]}
    )
    table = PublishedTable(
        frame, "Figures", Policy(5), {"Number": Count(("deaths", "attendances", "reviews"))}
    )
    assert table.cells["Number"].tolist() == ["c", "3", "2"]
    assert table.published("Number").isna().tolist() == [True, False, False]


def test_shares_go_with_their_counts_and_builders_can_withhold_more():
    frame = pd.DataFrame(
        {
            "Area": ["A", "B", "C"],
            "Children": [4, 40, 50],
            "Rate": [1.25, 20.0, 30.0],
            "Score": [0.5, 0.25, np.nan],
        }
    )
    forced = pd.DataFrame({"Rate": [False, False, True]})
    table = PublishedTable(
        frame,
        "Rates",
        Policy(5),
        {"Children": Count("children"), "Rate": Share("Children"), "Score": Figure(2)},
        withheld=forced,
    )
    assert table.cells["Rate"].tolist() == ["c", "20.0", "c"]
    assert table.cells["Score"].tolist() == ["0.50", "0.25", "x"]
    assert table.value("C", "Rate") is None
    assert table.value("B", "Rate") == 20.0


def test_halves_round_up_in_tables_as_in_sentences():
    frame = pd.DataFrame({"Measure": ["a", "b"], "Rate": [22.25, 0.15]})
    table = PublishedTable(frame, "Rates", Policy(5), {"Rate": Figure(1)})
    assert table.cells["Rate"].tolist() == ["22.3", "0.2"]
    # a sentence's `number` filter rounds as the table does
    assert [format_number(v) for v in (22.25, 0.15)] == ["22.3", "0.2"]


def test_money_is_never_withheld():
    frame = pd.DataFrame({"Contributor": ["Police", "Total"], "Amount": [3.0, 3.0]})
    table = PublishedTable(frame, "Budget", Policy(5), {"Amount": Money()})
    assert table.cells["Amount"].tolist() == ["£3", "£3"]


def test_mistakes_in_a_builder_are_caught_early():
    frame = pd.DataFrame({"Measure": ["a"], "n": [2.5]})
    with pytest.raises(ValueError, match="counts"):
        PublishedTable(frame, "t", Policy(5), {"n": Count("children")}).cells  # noqa: B018
    with pytest.raises(Exception, match="not a unit"):
        PublishedTable(frame, "t", Policy(5), {"n": Count("kittens")})
    with pytest.raises(KeyError, match="no column"):
        PublishedTable(frame, "t", Policy(5), {"m": Count("children")})


def test_the_raw_figures_show_in_jupyterlab_and_never_in_a_run(monkeypatch):
    table = _audits()
    monkeypatch.delenv(paths.HANDOVER_VARIABLE, raising=False)
    assert "NOT FOR PUBLICATION" in table.behind()._repr_html_()
    monkeypatch.setenv(paths.HANDOVER_VARIABLE, "/tmp/some-run")
    assert table.behind()._repr_html_() == ""
    assert repr(table.behind()) == ""


def test_an_empty_table_says_so():
    frame = pd.DataFrame({"Action": [], "Owner": []})
    table = PublishedTable(frame, "Actions", Policy(5), when_empty="No actions were recorded.")
    assert table.empty
    assert "No actions were recorded." in table._repr_html_()
    assert "<table" not in table._repr_html_()


def render_template_string(source: str, n) -> str:
    from workbook.text.narrative import _Env

    return _Env(5).from_string(source).render(n=n)


def test_ids_and_short_values_stay_on_one_line_and_long_text_wraps():
    from workbook.disclosure.table_html import table_html

    frame = pd.DataFrame(
        {
            "Review": ["BCSSP-CSPR-1", "Child W"],
            "Type": ["Child Safeguarding Practice Review", "Safeguarding Adult Review"],
            "Completed": ["2023-24", "2024-25"],
        }
    )
    out = table_html(PublishedTable(frame, "Reviews", Policy(5)))
    assert '<th scope="row" class="nowrap">BCSSP-CSPR-1</th>' in out  # an id is not split
    assert '<th scope="row">Child W</th>' in out  # two words may wrap
    assert '<td class="nowrap">Child Safeguarding' not in out  # words wrap
    assert '<td class="nowrap">2024-25</td>' in out  # short enough for any column
    long_words = pd.DataFrame({"Note": ["x" * 30, "y"]})
    out = table_html(PublishedTable(long_words, "Notes", Policy(5)))
    assert f"<td>{'x' * 30}</td>" in out  # a word too long for a column may break


def test_a_measures_figures_in_a_row_share_one_precision():
    """ "89" beside "85.9" read as two precisions of one measure: a measure recorded to one
    decimal shows each year to one decimal, one recorded whole stays whole (no false decimal),
    and columns not so marked keep each figure as given."""
    years = {"2021-22": Figure(1, as_given=True, one_per_row=True)}
    years |= {"2022-23": Figure(1, as_given=True, one_per_row=True)}
    frame = pd.DataFrame(
        {
            "Measure": ["Return interviews (%)", "Children missing", "Not given"],
            "2021-22": [85.9, 245.0, np.nan],
            "2022-23": [89.0, 281.0, 12.0],
            "Target": [90.0, 300.0, 10.0],
        }
    )
    table = PublishedTable(frame, "Measures", Policy(5), years | {"Target": Figure(1, True)})
    assert table.cells.values.tolist() == [
        ["Return interviews (%)", "85.9", "89.0", "90"],
        ["Children missing", "245", "281", "300"],
        ["Not given", "x", "12", "10"],
    ]
    # A withheld figure has no say in the precision of those shown.
    hidden = pd.DataFrame({"2021-22": [True, False, False], "2022-23": [False] * 3})
    withheld = PublishedTable(frame, "Measures", Policy(5), years, withheld=hidden)
    assert withheld.cells.iloc[0].tolist()[1:3] == ["c", "89"]
