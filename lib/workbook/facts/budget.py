"""Facts of the partnership's budget: the total, how many partners contributed, its other income
(course fees, grants, reserves: the budget table's `kind`), and each line with its share of the
total. Shares are rounded so that they add up to exactly 100 (the largest
remainders rounded up), so the table's column of shares and its total agree; a sentence states
a share exactly as the table prints it.

Amounts are money, not counts of people: published as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from iteround import saferound

from workbook.core.fact import Fact, count, not_recorded, rows_of
from workbook.inputs.raw_tables import FIRST_DATA_ROW

SHARE_DECIMALS = 1
"""Shares to one decimal place: the smallest contributions (0.2% of a budget) still show."""


@dataclass(frozen=True)
class BudgetFacts:
    """The year's contributions and their facts. `frame`: contributor, amount and share (per
    cent, rounded to add up to 100), largest first (ties in the file's order)."""

    frame: pd.DataFrame
    total: Fact
    """The total in pounds."""
    contributors: Fact
    """The lines that are partners' contributions (a blank `kind` is one, as the contract
    says): course fees or a grant is income, not a contributor."""
    other_income: Fact
    """The income other than contributions, in pounds (0 where every line is a contribution)."""


def budget_facts(budget: pd.DataFrame, policy) -> BudgetFacts:
    """The facts of the year's budget table."""
    frame = pd.DataFrame(
        {
            "contributor": budget["contributor"].astype(str),
            "amount": pd.to_numeric(budget["amount_gbp"]).astype(float),
            "kind": budget["kind"],
        }
    ).sort_values("amount", ascending=False, kind="stable")
    # A contributor is named by its row in the file (names hold spaces, row references do not).
    rows = [int(i) + FIRST_DATA_ROW for i in frame.index]
    frame = frame.reset_index(drop=True)
    total = float(frame["amount"].sum())
    if frame.empty or total <= 0:
        frame["share"] = float("nan")
    else:
        frame["share"] = saferound(
            list(100 * frame["amount"] / total), SHARE_DECIMALS, strategy="difference"
        )
    if frame.empty:
        missing = not_recorded("budget.total", "the partnership's budget", "budget table")
        return BudgetFacts(frame, missing, missing, missing)
    income = (frame["kind"] == "other_income").to_list()
    other = [row for row, other in zip(rows, income, strict=True) if other]
    return BudgetFacts(
        frame=frame,
        total=Fact("budget.total", total, rows_of("budget", rows)),
        contributors=count(
            "budget.contributors",
            [row for row, other in zip(rows, income, strict=True) if not other],
            "budget",
            policy,
            "contributors",
        ),
        other_income=Fact(
            "budget.other_income",
            float(frame.loc[income, "amount"].sum()),
            rows_of("budget", other),
        ),
    )
