"""Facts of the recommendations made to the partnership (by its independent scrutineer, an
inspection or a national review), tracked like actions: where each stood at the year end, and
overdue only where due dates say so (`workbook.facts.actions`: the same rule, the same words).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded
from workbook.core.years import ReportYear
from workbook.facts.actions import OPEN_POSITIONS, POSITIONS, position_at_year_end


@dataclass(frozen=True)
class RecommendationFacts:
    """The recommendations and their facts. `frame`: the recommendations with `position` (at
    the year end) beside their columns."""

    frame: pd.DataFrame
    total: Fact
    by_maker: dict[str, Fact]
    """Recommendations by who made them (`made_by` codes), those given only."""
    positions: dict[str, Fact]
    """Recommendations by status at the year end (overdue apart: see `overdue`)."""
    overdue: Fact
    """Open recommendations past their due date at the year end; open ones with no due date
    are unknown, and where every open one is, overdue is not recorded."""


def recommendation_facts(
    recommendations: pd.DataFrame, year: ReportYear, policy
) -> RecommendationFacts:
    """The facts of the year's tracked recommendations."""
    position = position_at_year_end(recommendations, year)
    frame = recommendations.assign(position=position)
    ids = frame["recommendation_id"].astype(str)

    def counted(name: str, mask: pd.Series, **kwargs) -> Fact:
        return count(
            f"recommendations.{name}",
            ids[mask],
            "scrutiny_recommendations",
            policy,
            "recommendations",
            **kwargs,
        )

    if frame.empty:
        missing = not_recorded(
            "recommendations.total",
            "the recommendations made to the partnership and what was done",
            "scrutiny_recommendations table",
        )
        return RecommendationFacts(frame, missing, {}, {}, missing)
    open_ = position.isin(OPEN_POSITIONS)
    return RecommendationFacts(
        frame=frame,
        total=counted("total", pd.Series(True, index=frame.index)),
        by_maker={
            str(m): counted(f"made_by.{m}", frame["made_by"] == m)
            for m in dict.fromkeys(frame["made_by"])
        },
        positions={p: counted(p, position == p) for p in POSITIONS if p != "overdue"},
        overdue=counted(
            "overdue",
            position == "overdue",
            unknown=ids[open_ & frame["due_date"].isna()],
            missing="the due dates of open recommendations",
            where="scrutiny_recommendations: due_date",
        ),
    )
