"""What the thematic review's sentences state: the year's theme facts (`workbook.facts.themes`),
each number as the table of themes publishes it."""

from __future__ import annotations

from workbook.core.years import scope_words
from workbook.disclosure.formatting import format_figure
from workbook.disclosure.published import PublishedTable
from workbook.facts import YearFacts
from workbook.facts.kinds import audit_kinds
from workbook.facts.themes import OTHER_SOURCES, REVIEW
from workbook.sections.thematic_review.tables import OPEN_ACTIONS

NAMED = 5
"""At most this many themes are named in one sentence; the rest are counted ("and 11 other
themes"), so a sentence never becomes a list of twenty names."""
LEADING = 3
"""The sentence on the leading themes names the three with most findings (and any tied with
the third, up to `NAMED`)."""


def sentences(facts: YearFacts, table: PublishedTable) -> dict:
    """What the board's sentences state. `table`: the table of themes (`themes_table`), whose
    published figures the sentences repeat."""
    themes = facts.themes
    kinds = audit_kinds()
    words = {
        REVIEW: ("case review", "case reviews"),
        OTHER_SOURCES: ("other source", "other sources"),
        **{kind: _words(entry) for kind, entry in kinds.items()},
    }
    sources = [
        (fact, *words[kind])
        for kind, fact in themes.by_source.items()
        if fact.recorded and fact.get()
    ]
    recurring = themes.recurring
    changes = [] if facts.policy.withholds("findings") else _changes(facts)
    return {
        "t": themes,
        "sources": sources,
        "source_facts": [fact for fact, _, _ in sources],
        "leading": _leading(facts, table),
        "recurring": _named(recurring, facts),
        "recurring_facts": [themes.findings_on(t) for t in recurring[:NAMED]],
        "changes": changes,
        "change_facts": [f for c in changes for f in (c["latest"], c["earlier"])],
        "open": _most_open(facts, table),
    }


def _words(kind: dict) -> tuple[str, str]:
    return kind["words"], kind["plural"]


def _published(table: PublishedTable, theme: str, column: str):
    """A theme's figure as the table publishes it (None where the table does not show it)."""
    if table.empty or column not in table.frame.columns:
        return None
    return table.value(theme, column)


def _leading(facts: YearFacts, table: PublishedTable) -> list[dict]:
    """The themes with most findings over the lookback, each with its findings as the table
    publishes them: the first `LEADING` (and those tied with the last of them where all fit
    in `NAMED`, else none of the tied ones), each with at least two findings, so that every
    theme named was coded more often than every theme not named."""
    themes = facts.themes
    column = f"Findings {themes.scope}"  # the lookback's findings (the year's, for one year)
    counts = [(t, themes.findings_on(t)) for t in themes.order]
    if len(counts) > LEADING:
        last = counts[LEADING - 1][1].get()
        tied = [t for t, f in counts if f.get() == last]
        above = [(t, f) for t, f in counts if f.get() > last]
        counts = (
            above + [(t, f) for t, f in counts if t in tied]
            if len(above) + len(tied) <= NAMED
            else above
        )
    return [
        {
            "theme": themes.label(t),
            "fact": fact,
            "count": _published(table, themes.label(t), column),
        }
        for t, fact in counts
        if fact.get() >= 2
    ]


def _named(theme_ids: list[str], facts: YearFacts) -> list[str]:
    """Theme labels for a sentence, in the order given: the first `NAMED`, then "N other
    themes"."""
    names = [facts.themes.label(t) for t in theme_ids[:NAMED]]
    rest = len(theme_ids) - NAMED
    if rest > 0:
        names.append(f"{rest} other {'theme' if rest == 1 else 'themes'}")
    return names


def _changes(facts: YearFacts) -> list[dict]:
    """The themes whose findings asking for change differ most in the year from the years
    before (at most three rises and three falls), with the earlier yearly average in words."""
    themes = facts.themes
    rises = [c for c in themes.changes if c.latest.get() > c.earlier.get()][:3]
    falls = [c for c in themes.changes if c.latest.get() < c.earlier.get()][:3]
    return [
        {
            "theme": themes.label(change.theme),
            "latest": change.latest,
            "earlier": change.earlier,
            "average": _average(change.earlier.get()),
            "years": len(change.years),
            "earlier_scope": scope_words(change.years),
        }
        for change in [*rises, *falls]
    ]


def _average(value: float) -> str:
    """An average of findings a year: whole where it is whole ("3", not "3.0")."""
    return format_figure(value, 1).removesuffix(".0")


def _most_open(facts: YearFacts, table: PublishedTable) -> dict | None:
    """The themes the year's open actions most often answer findings on (ties all named, none
    when more than three tie), with the number as the table publishes it."""
    themes = facts.themes
    if OPEN_ACTIONS not in table.frame.columns:
        return None
    counts = {t: themes.open_actions_on(t) for t in themes.order}
    most = max(int(f.get()) for f in counts.values())
    leading = [t for t, f in counts.items() if f.get() == most]
    if not most or len(leading) > 3:
        return None
    shown = [_published(table, themes.label(t), OPEN_ACTIONS) for t in leading]
    return {
        "themes": [themes.label(t) for t in leading],
        "facts": [counts[t] for t in leading],
        "count": shown[0] if all(s is not None for s in shown) else None,
    }
