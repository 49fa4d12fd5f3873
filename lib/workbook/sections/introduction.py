"""The partnership's budget: who contributed what, as the annual report sets it out.

Amounts are money, not counts of people, so they are published as they are (no suppression).
They are formatted here, as text, so the narrative never reads a whole number of pounds as a
count of children.
"""

from __future__ import annotations

import pandas as pd

ALL_CONTRIBUTIONS = "Total"


def _pounds(amount: float) -> str:
    return f"£{amount:,.0f}"


def _by_size(budget: pd.DataFrame) -> pd.DataFrame:
    """Contributions largest first (ties in the file's order), amounts as floats."""
    frame = pd.DataFrame({"contributor": budget["contributor"].astype(str),
                          "amount": pd.to_numeric(budget["amount_gbp"]).astype(float)})
    return frame.sort_values("amount", ascending=False, kind="stable")


def budget_table(budget: pd.DataFrame) -> pd.DataFrame:
    """Each contribution with its share of the total, largest first, and the total."""
    frame = _by_size(budget)
    total = frame["amount"].sum()
    table = pd.DataFrame({
        "Contributor": [*frame["contributor"], ALL_CONTRIBUTIONS],
        "Amount": [_pounds(a) for a in [*frame["amount"], total]],
        "Share (%)": [f"{100 * a / total:.1f}" if total else "" for a in [*frame["amount"], total]],
    })
    table.attrs["numeric"] = ["Amount", "Share (%)"]
    return table


def budget_facts(budget: pd.DataFrame, largest: int = 3) -> dict:
    """What the budget sentence states: the total, how many contributed, the largest shares."""
    frame = _by_size(budget)
    total = frame["amount"].sum()
    return {
        "total": _pounds(total),
        "contributors": len(frame),
        "largest": [{"contributor": row.contributor,
                     "share": 100 * row.amount / total if total else None}
                    for row in frame.head(largest).itertuples(index=False)],
    }
