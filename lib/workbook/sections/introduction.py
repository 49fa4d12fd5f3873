"""The partnership section: the analyst's foreword and arrangements, and the budget.

Amounts are money, not counts of people, so they are published as they are (no suppression);
the sentence gets them as text, so the narrative never reads a whole number of pounds as a
count of children.
"""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.formatting import format_money
from workbook.disclosure.published import Figure, Money, Policy, PublishedTable

ALL_CONTRIBUTIONS = "Total"


def _by_size(budget: pd.DataFrame) -> pd.DataFrame:
    """Contributions largest first (ties in the file's order), amounts as floats."""
    frame = pd.DataFrame(
        {
            "contributor": budget["contributor"].astype(str),
            "amount": pd.to_numeric(budget["amount_gbp"]).astype(float),
        }
    )
    return frame.sort_values("amount", ascending=False, kind="stable")


def budget_table(budget: pd.DataFrame, year: str, policy: Policy) -> PublishedTable:
    """Each contribution with its share of the total, largest first, and the total."""
    frame = _by_size(budget)
    total = frame["amount"].sum()
    amounts = [*frame["amount"], total] if len(frame) else []
    table = pd.DataFrame(
        {
            "Contributor": [*frame["contributor"], ALL_CONTRIBUTIONS] if len(frame) else [],
            "Amount": amounts,
            "Share (%)": [100 * a / total if total else float("nan") for a in amounts],
        }
    )
    return PublishedTable(
        table,
        f"Contributions to the partnership's budget, {year}",
        policy,
        {"Amount": Money(), "Share (%)": Figure(1)},
        when_empty=f"No budget contributions were recorded for {year}.",
    )


def budget_facts(budget: pd.DataFrame, largest: int = 3) -> dict:
    """What the budget sentence states: the total, how many contributed, the largest shares."""
    frame = _by_size(budget)
    total = frame["amount"].sum()
    return {
        "total": format_money(total),
        "contributors": len(frame),
        "largest": [
            {"contributor": row.contributor, "share": 100 * row.amount / total if total else None}
            for row in frame.head(largest).itertuples(index=False)
        ],
    }
