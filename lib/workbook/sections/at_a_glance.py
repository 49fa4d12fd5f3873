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
from workbook.facts.chain import CHANGE_SEEN, MEASURE_MOVED, PERSISTS
from workbook.facts.impact import judgement_claims

LEVEL_WORDS = {
    CHANGE_SEEN: "good practice found",  # a strength found later, not a change shown
    PERSISTS: "more to change found",  # on the same theme, not the action's own problem
    MEASURE_MOVED: "an outcome measure moved",
}
"""What later evidence said of the actions, in the answer's few words."""

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
        # The chain where the pack has it, else the actions' own notes of what they changed.
        see=see("impact", "training")
        if "impact" in titles
        else see("learning_actions", "training"),
    )
    impact = facts.impact
    shown = [level for level in (CHANGE_SEEN, PERSISTS, MEASURE_MOVED) if level in impact.by_level]
    if (
        _above_zero(actions.with_impact)
        or _above_zero(facts.training.with_impact_evidence)
        or impact.change_seen.get()
    ):
        difference.given = {
            "impact": actions.with_impact,
            "total": actions.total,
            "training": facts.training.with_impact_evidence,
            "levels": [(LEVEL_WORDS[level], impact.by_level[level]) for level in shown],
        }
    else:
        difference.cannot = (
            "what difference the actions made (later audit findings on the same themes, outcome "
            "measures) and what training changed in practice"
        )

    embedded = Answer(
        "embedded",
        "What is not yet embedded?",
        see=see("learning_actions", "thematic_review"),
    )
    every_year = themes.recurring
    recurring = every_year[:LEADING]
    if _above_zero(actions.open) or recurring:
        embedded.given = {
            "open": actions.open,
            "overdue": actions.overdue,
            "recurring": [(themes.label(t), themes.findings_on(t)) for t in recurring],
            # How many themes recur, where the answer names only the leading ones: a list
            # cut short must not read as every one (Northdale 2020-21 named 3 of 17).
            "recurring_all": Fact(
                "themes.recurring",
                facts.policy.count(len(every_year), "themes"),
                tuple(f"themes/{t}" for t in every_year),
            ),
            "years": themes.scope,
        }
    else:
        embedded.cannot = "actions still open at the year end, and themes that recur year on year"

    coming = facts.priorities.coming
    written = facts.report.block("looking_ahead") or facts.report.block("priorities")
    next_year = Answer(
        "next",
        "What are next year's priorities?",
        see=see("priorities") if coming.recorded else see("learning_actions"),
    )
    if coming.recorded:
        next_year.given = {"coming": coming}
    elif written:
        next_year.given = {"written": True}
    else:
        next_year.cannot = "the partnership's priorities for the coming year"

    effective = Answer(
        "effective",
        "How effective are the arrangements?",
        # The judgements beside their evidence (ratings included) where the pack has them.
        see=see("impact", "scrutiny") if "impact" in titles else see("priorities", "scrutiny"),
    )
    priorities = facts.priorities
    scrutiny = facts.report.block("scrutiny") is not None
    # A recorded judgement of the scrutineer's says more than that an assessment exists.
    scrutiny = scrutiny and "independent_scrutineer" not in set(
        impact.judgements.get("judged_by", ())
    )
    if _above_zero(priorities.rated) or scrutiny or impact.judged.recorded:
        effective.given = {
            "priorities": priorities,
            "scrutiny": scrutiny,
            "judgements": _judged_alike(judgement_claims(impact)),
        }
    if not impact.judged.recorded:
        effective.cannot = (
            "a judgement of how effective the arrangements were, by the partners or the "
            "independent scrutineer"
        )
    return [learned, did, difference, embedded, next_year, effective]


def _judged_alike(judgements: list[dict]) -> list[dict]:
    """Judgements of the same words given once, naming every judge ("The safeguarding
    partners and the independent scrutineer judged ... partly effective")."""
    alike: dict[str, dict] = {}
    for j in judgements:
        if j["judgement"] in alike:
            first = alike[j["judgement"]]
            first["by"] = f"{first['by']} and {j['by'][:1].lower()}{j['by'][1:]}"
            first["facts"].append(j["fact"])
        else:
            alike[j["judgement"]] = {**j, "facts": [j["fact"]]}
    return list(alike.values())
