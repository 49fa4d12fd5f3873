"""Our year in plain words: a one-page summary for children, young people and families.

Its facts are simple on purpose (how many cases were looked at, what came up most, what was
changed because of what families said, what is still to do), read from the year's facts like
every other section, and it says only what they record: no promise the partnership did not make,
nothing said of what the data do not hold (that is said once, at the end of the pack). Its words
come from the template and from specs/plain_words.yaml, never from the data's own text, which is
written for professionals. Its reading age is checked by `workbook.text.readability` in the tests.
"""

from __future__ import annotations

from functools import cache

from workbook.core.yamlfile import load_spec
from workbook.facts import YearFacts
from workbook.facts.kinds import ADULTS, CHILDREN, COMMUNITY_SAFETY, remit_words
from workbook.text.labels import label


@cache
def theme_words() -> dict[str, str]:
    """Each codebook theme in words a child can read."""
    raw = load_spec("plain_words")
    return dict(raw["themes"])


def leading_themes(year: YearFacts, top: int = 3) -> list[str]:
    """The year's most frequent themes of findings, as the thematic review ranks them (theme
    ids; themes without plain words are skipped rather than named in professional terms)."""
    words = theme_words()
    ranked = year.themes.leading(len(year.themes.order), this_year=True)
    return [t for t in ranked if t in words][:top]


def whose_cases(year: YearFacts) -> list[tuple]:
    """The cases the year's reviews looked at, by whose they were: (count, remit, plain words)
    for each remit recorded, then (count, None, None) for cases whose remit no review records.
    A count of cases "when someone is badly hurt" on a page for children must not read as
    children's cases where adults' reviews are among them; empty where there were none."""
    by_remit = year.reviews.cases_by_remit
    known = [
        (by_remit[r], r, remit_words(r, plain=True))
        for r in (CHILDREN, ADULTS, COMMUNITY_SAFETY)
        if r in by_remit and by_remit[r].get() > 0
    ]
    unknown = (
        [(by_remit[None], None, None)] if None in by_remit and by_remit[None].get() > 0 else []
    )
    return known + unknown


def facts(year: YearFacts) -> dict:
    """What the summary says, from the year's facts: each fact as recorded or not (the
    template says nothing of what is not), with the words it needs."""
    partnership = year.report.partnership
    feedback = year.feedback
    actions = year.actions
    return {
        "place": partnership.short_name,
        "councils": len(partnership.councils),
        "start": f"{year.year.start:%B %Y}",
        "end": f"{year.year.end:%B %Y}",
        "covers": year.covers,
        "reviews": year.reviews.cases,
        "whose_cases": whose_cases(year),
        "checks": year.audits.own,
        "themes": [theme_words()[t] for t in leading_themes(year)],
        "theme_counts": [year.themes.findings_on(t, this_year=True) for t in leading_themes(year)],
        "asked": feedback.activities,
        "whose": [label("from_whom_plain", w) for w in dict.fromkeys(feedback.frame["from_whom"])],
        "changed": feedback.changed,
        "actions": actions.total,
        "for_children": actions.for_children,
        "done": actions.completed,
        "trained": year.training.courses,
        "behind": [
            fact
            for fact in (year.priorities.little_progress, actions.overdue)
            if fact.recorded and fact.get() > 0
        ],
        "children": CHILDREN,
        "website": year.publication.annual_report["url"],
    }
