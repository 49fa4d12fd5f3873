"""The year at a glance: the questions a board and an inspector ask of a yearly report, answered
up front from the year's facts, each answer pointing to the section that shows it.

The questions are fixed (what did we learn, what did we do, did it make a difference and how do
we know, what is not yet embedded, what are next year's priorities, how effective are the
arrangements); the answers are not. Each is written only from recorded facts; where the year's
data cannot answer a question, the answer says so plainly and names what would answer it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbook.core.fact import Fact
from workbook.facts import YearFacts
from workbook.facts.impact import BEYOND_DONE
from workbook.sections.impact import effectiveness

LEADING = 3
"""How many of the year's themes the first answer names."""


@dataclass
class Answer:
    """One question's answer: the facts it states (`given` to the template by name), the
    sections that show them (id, title), and, where nothing answers it, what would."""

    key: str
    question: str
    given: dict = field(default_factory=dict)
    see: list[tuple[str, str]] = field(default_factory=list)
    cannot: str = ""


def _above_zero(fact: Fact) -> bool:
    return fact.recorded and fact.get() > 0


def answers(facts: YearFacts, titles: dict[str, str]) -> list[Answer]:
    """Each question's answer, from the year's facts. `titles`: the sections of this pack by id
    (an answer points only to a section the pack has)."""

    def see(*ids: str) -> list[tuple[str, str]]:
        return [(i, titles[i]) for i in ids if i in titles]

    reviews, audits, actions = facts.reviews, facts.audits, facts.actions
    themes = facts.themes
    leading = themes.leading(LEADING, this_year=True)
    learned = Answer("learned", "What did we learn?", see=see("reviews_audits", "thematic_review"))
    if _above_zero(reviews.total) or _above_zero(audits.own) or leading:
        learned.given = {
            "reviews": reviews.total,
            "audits": audits.own,
            "themes": [(themes.label(t), themes.findings_on(t, this_year=True)) for t in leading],
        }
    else:
        learned.cannot = "the year's case reviews and audits, and their findings"

    did = Answer("did", "What did we do?", see=see("learning_actions", "training"))
    if _above_zero(actions.total) or _above_zero(facts.training.courses):
        did.given = {"actions": actions, "courses": facts.training.courses}
    else:
        did.cannot = "the improvement actions taken and the training delivered"

    difference = Answer(
        "difference",
        "Did it make a difference, and how do we know?",
        see=see("impact", "learning_actions", "training"),
    )
    impact = facts.impact
    shown = [impact.by_level[level] for level in BEYOND_DONE if level in impact.by_level]
    if (
        _above_zero(actions.with_impact)
        or _above_zero(facts.training.with_impact_evidence)
        or impact.change_seen.get()
    ):
        difference.given = {
            "impact": actions.with_impact,
            "total": actions.total,
            "training": facts.training.with_impact_evidence,
            "levels": dict(zip([f.name.rsplit(".", 1)[1] for f in shown], shown, strict=True)),
        }
    else:
        difference.cannot = (
            "what difference the actions made (later audit findings on the same themes, outcome "
            "measures) and what training changed in practice"
        )

    embedded = Answer(
        "embedded",
        "What is not yet embedded?",
        see=see("impact", "learning_actions", "thematic_review"),
    )
    recurring = themes.recurring[:LEADING]
    if _above_zero(actions.open) or recurring:
        embedded.given = {
            "open": actions.open,
            "overdue": actions.overdue,
            "recurring": [(themes.label(t), themes.findings_on(t)) for t in recurring],
            "years": themes.scope,
            "found_again": [r.fact for r in impact.not_embedded],
        }
    else:
        embedded.cannot = "actions still open at the year end, and themes that recur year on year"

    next_year = Answer("next", "What are next year's priorities?", see=see("learning_actions"))
    if facts.report.block("looking_ahead") or facts.report.block("priorities"):
        next_year.given = {"written": True}
    else:
        next_year.cannot = "the partnership's priorities for the coming year"

    effective = Answer(
        "effective",
        "How effective are the arrangements?",
        see=see("impact", "priorities", "scrutiny"),
    )
    priorities = facts.priorities
    scrutiny = facts.report.block("scrutiny") is not None
    if _above_zero(priorities.rated) or scrutiny or impact.judged.recorded:
        effective.given = {
            "priorities": priorities,
            "scrutiny": scrutiny,
            "judgements": effectiveness(facts)["judgements"],
        }
    if not impact.judged.recorded:
        effective.cannot = (
            "a judgement of how effective the arrangements were, by the partners or the "
            "independent scrutineer"
        )
    return [learned, did, difference, embedded, next_year, effective]
