"""The actions answering a finding: their words (actions.yaml), who owns them (agencies.yaml),
when they are due and where they stood at the year end."""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.common import PARTNERSHIP, facts


def _category(action: str) -> str:
    lowered = action.lower()
    for category, words in facts(PARTNERSHIP, "actions")["category_words"].items():
        if any(word in lowered for word in words):
            return category
    return "other"


def _owner(action: str, finding_agency: str, own_share: float) -> str:
    """Who owns an action. `own_share` (a random draw) decides whether the agency the finding is
    about takes a partnership-type action (training, briefing, audit) on itself."""
    owners = facts(PARTNERSHIP, "agencies")["owners"]
    for override in facts(PARTNERSHIP, "actions")["owner_overrides"]:
        if override["words"] in action:
            return owners[override["agency"] or finding_agency]
    category = _category(action)
    if finding_agency != "multi-agency" and (category == "other" or own_share < 0.5):
        return owners[finding_agency]
    return facts(PARTNERSHIP, "actions")["category_owners"].get(category, owners["multi-agency"])


class Actions:
    """Draws the actions answering each finding, from the generator it is given (shared with
    the findings, so that the draws keep their order)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.actions_words = facts(PARTNERSHIP, "actions")
        self.agencies = facts(PARTNERSHIP, "agencies")

    def answering(self, finding, theme, bank, source_date: date, year_end: date) -> list[dict]:
        """One or two actions answering `finding` (on `theme`), due after its source's date."""
        rng = self.rng
        words = self.actions_words
        n = 2 if rng.random() < 0.25 else 1
        rows = []
        for _ in range(n):
            if finding["kind"] == "strength":
                text = rng.choice(words["for_strengths"])
            elif rng.random() < 0.7:
                text = rng.choice(bank[theme]["act"])
            else:
                text = rng.choice(words["generic"])
            agency = finding["agency"]
            if agency == "multi-agency" and text.startswith("Single-agency"):
                agency = rng.choice(self.agencies["by_theme"].get(theme, self.agencies["agencies"]))
            owner = _owner(text, agency, rng.random())
            due = source_date + timedelta(days=rng.randint(30, 300))
            roll = rng.random()
            if due <= year_end:
                status = (
                    "completed"
                    if roll < 0.62
                    else "in_progress"
                    if roll < 0.80
                    else "not_started"
                    if roll < 0.93
                    else "cancelled"
                )
            else:
                status = (
                    "completed" if roll < 0.25 else "in_progress" if roll < 0.75 else "not_started"
                )
            completed = impact = ""
            if status == "completed":
                latest = min(due + timedelta(days=45), year_end)
                span = max(1, (latest - source_date).days)
                completed = (source_date + timedelta(days=rng.randint(1, span))).isoformat()
                if rng.random() < 0.8:
                    b = rng.randint(6, 15)
                    impact = rng.choice(words["impacts"][_category(text)]).format(
                        a=rng.randint(b // 2, b), b=b, n=rng.randint(25, 480)
                    )
            elif status == "in_progress" and rng.random() < 0.4:
                impact = rng.choice(words["in_progress_impacts"])
            elif status == "cancelled":
                impact = "Superseded by a wider partnership action"
            rows.append(
                {
                    "action_id": f"{finding['finding_id'].replace('-F', '-X', 1)}-{len(rows) + 1}",
                    "finding_id": finding["finding_id"],
                    "action": text,
                    "owner_agency": owner,
                    "due_date": due.isoformat(),
                    "status": status,
                    "completed_date": completed,
                    "impact": impact,
                }
            )
        return rows
