"""Facts of the year's feedback ("you said, we did"): how many times views were sought, whose,
how many took part where known, and where a change as a result was recorded.

A change is said only where one is recorded (`changed`): a blank is not read as "nothing
changed" in a sentence, and "what they said changed something in N cases" counts recorded
changes only. How many took part is a count of people, withheld when small; activities are the
partnership's work, published as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded
from workbook.text.labels import label

PEOPLE_UNITS = {
    "children": "children",
    "young_people": "young_people",
    "parents_carers": "people",
    "families": "people",
    "adults": "adults",
    "mixed": "people",
}
"""What a count of participants counts (units of specs/disclosure.yaml): people, always."""


@dataclass(frozen=True)
class FeedbackFacts:
    """The year's feedback activities and their facts. `frame`: the activities as supplied."""

    frame: pd.DataFrame
    activities: Fact
    whose: Fact
    """Whose views were sought, in words, each once in the order first met."""
    changed: Fact
    """Activities with a change as a result recorded: for the plain summary and the checklist,
    whether feedback recorded a change (a stated zero where activities recorded none; a blank
    `changed` is not a recorded "nothing changed")."""
    with_participants: Fact
    """Activities that say how many took part."""


def feedback_facts(feedback: pd.DataFrame, policy) -> FeedbackFacts:
    """The facts of the year's feedback table."""
    ids = feedback["feedback_id"].astype(str)

    def counted(name: str, mask: pd.Series) -> Fact:
        return count(f"feedback.{name}", ids[mask], "feedback", policy, "activities")

    if feedback.empty:
        missing = not_recorded(
            "feedback.activities",
            "how children, young people and families were asked for their views",
            "feedback table",
        )
        return FeedbackFacts(feedback, missing, missing, missing, missing)
    changed = feedback["changed"].notna()
    with_participants = feedback["participants"].notna()
    return FeedbackFacts(
        frame=feedback,
        activities=counted("activities", pd.Series(True, index=feedback.index)),
        whose=Fact(
            "feedback.whose",
            [label("from_whom", w) for w in dict.fromkeys(feedback["from_whom"])],
            tuple(f"feedback/{i}" for i in ids),
        ),
        changed=counted("changed", changed),
        with_participants=counted("with_participants", with_participants)
        if with_participants.any()
        else not_recorded(
            "feedback.participants", "how many took part in seeking views", "feedback: participants"
        ),
    )
