"""The partnership section: the analyst's foreword and arrangements, and the budget.

Every builder takes the year's facts (`workbook.facts.year_facts`; `facts.budget`). Amounts
are money, not counts of people, so they are published as they are (no suppression). Shares
are rounded so that they add up to 100, and the sentence states each share as the table
prints it.
"""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.published import Figure, Money, PublishedTable
from workbook.facts import YearFacts
from workbook.facts.budget import SHARE_DECIMALS

ALL_CONTRIBUTIONS = "Total"


def budget_table(facts: YearFacts) -> PublishedTable:
    """Each contribution with its share of the total, largest first, and the total (no rows
    where no budget is recorded)."""
    budget = facts.budget.frame
    rows = len(budget)
    total = budget["amount"].sum()
    table = pd.DataFrame(
        {
            "Contributor": [*budget["contributor"], ALL_CONTRIBUTIONS] if rows else [],
            "Amount": [*budget["amount"], total] if rows else [],
            "Share (%)": [*budget["share"], 100.0] if rows else [],
        }
    )
    return PublishedTable(
        table,
        f"Contributions to the partnership's budget, {facts.year.label}"
        if not (budget["kind"] == "other_income").any()
        else f"The partnership's budget, {facts.year.label}: contributions and other income",
        facts.policy,
        {"Amount": Money(), "Share (%)": Figure(SHARE_DECIMALS)},
        when_empty=None,
    )


def budget_sentences(facts: YearFacts, largest: int = 3) -> dict:
    """What the budget sentence states: the budget facts (its other income only where there is
    some) and the largest contributions with their shares as the table prints them."""
    budget = facts.budget
    with_income = budget.other_income.recorded and bool(budget.other_income.value)
    said = [budget.total, budget.contributors] + ([budget.other_income] if with_income else [])
    contributions = budget.frame[budget.frame["kind"] != "other_income"]
    return {
        "b": budget,
        "facts": said,
        "with_income": with_income,
        "decimals": SHARE_DECIMALS,
        "largest": [
            {"contributor": row.contributor, "share": row.share}
            for row in contributions.head(largest).itertuples(index=False)
            if pd.notna(row.share)
        ],
    }
