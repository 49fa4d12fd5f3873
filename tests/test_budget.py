"""The budget: contributions largest first with shares and a total, and the sentence on them."""

from __future__ import annotations

import pandas as pd

from workbook.core.years import ReportYear
from workbook.disclosure.published import Policy
from workbook.sections.introduction import budget_facts, budget_table
from workbook.text.narrative import render_narrative

BUDGET = pd.DataFrame(
    {
        "contributor": ["Police", "Council", "Health", "Training fees"],
        "amount_gbp": [30_000.0, 120_000.0, 45_000.0, 5_000.0],
    }
)


def test_budget_table_lists_the_largest_first_with_shares_and_the_total():
    table = budget_table(BUDGET, "2022-23", Policy(5))
    assert table.caption == "Contributions to the partnership's budget, 2022-23"
    assert table.cells.to_dict("list") == {
        "Contributor": ["Council", "Health", "Police", "Training fees", "Total"],
        "Amount": ["£120,000", "£45,000", "£30,000", "£5,000", "£200,000"],
        "Share (%)": ["60.0", "22.5", "15.0", "2.5", "100.0"],
    }


def test_budget_sentence_states_pounds_never_a_small_count():
    """£5,000 of training fees is money: the sentence must not read it as "5 or fewer"."""
    facts = budget_facts(BUDGET)
    text = render_narrative("budget.md.j2", 5, budget=facts, year=ReportYear.parse("2022-23"))
    assert "budget for 2022-23 was £200,000, from 4 partners and income lines" in text
    assert "Council (60%), Health (23%) and Police (15%)." in text
    small = budget_facts(pd.DataFrame({"contributor": ["Council"], "amount_gbp": [4.0]}))
    text = render_narrative("budget.md.j2", 5, budget=small, year=ReportYear.parse("2022-23"))
    assert "was £4, from 1 contributor." in text and "or fewer" not in text


def test_no_budget_is_said_in_a_sentence_not_a_header_only_table():
    table = budget_table(BUDGET.iloc[:0], "2022-23", Policy(5))
    assert table.empty
    assert table.when_empty == "No budget contributions were recorded for 2022-23."
