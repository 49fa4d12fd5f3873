"""One draw of Northdale: a year's learning and figures from one random generator, in a fixed
order (the learning, then the indicators, then the budget), and the year's narrative."""

from __future__ import annotations

import random

from demo.common import PARTNERSHIP, facts
from demo.figures import Figures
from demo.learning import Learning


class Northdale:
    """Northdale's reviews, audits, findings, actions, indicators, budget and narrative, drawn
    from one random generator in a fixed order."""

    def __init__(self, seed: int):
        rng = random.Random(seed)
        self.learning = Learning(rng)
        self.figures = Figures(rng)

    def year(self, label: str, index: int) -> dict[str, list[dict]]:
        """The year's tables, as rows."""
        return {
            **self.learning.year(label, index),
            "indicators": self.figures.indicators(label, index),
            "budget": self.figures.budget(label, index),
        }

    def narrative(self, label: str, index: int, tables: dict[str, list[dict]]) -> dict[str, str]:
        """The year's narrative blocks (narrative.yaml), with the counts of its tables."""
        data = facts(PARTNERSHIP, "narrative")
        banner = data["banner"] + "\n\n"
        year = data["years"][label]
        counts = {
            "reviews": len({r["review_id"] for r in tables["reviews"]}),
            "audits": len(tables["audits"]),
            "findings": sum(f["source_type"] in ("review", "audit") for f in tables["findings"]),
        }
        children = facts(PARTNERSHIP, "indicators")["children"][index]
        listed = "".join(f"{n}. {p}\n" for n, p in enumerate(year["priorities"], 1))
        return {
            "foreword": banner + data["foreword"].format(label=label, **year) + "\n",
            "local_picture": banner + data["local_picture"].format(children=children) + "\n",
            "priorities": banner + "Priorities for the year:\n\n" + listed,
            "reviews_audits": banner + data["reviews_audits"].format(label=label, **counts) + "\n",
            "looking_ahead": banner + year["looking_ahead"] + "\n",
        }
