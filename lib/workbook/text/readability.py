"""Whether a text is plain enough for children, young people and families to read.

The summary for them is checked in two ways: its reading age (the Flesch-Kincaid grade level from
textstat, a US school grade; the reading age is the grade plus five years) and its words (no
abbreviations, none of the jargon listed in specs/plain_words.yaml). The generated summary is held
to this in the tests, and `workbook validate` warns when an analyst's own summary misses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from workbook.core.yamlfile import load_spec

MAX_READING_AGE = 11
"""The summary should be readable by most 11-year-olds (the end of primary school)."""

_ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9&]*[A-Z](?:s\b|\b)")
"""An abbreviation a child may not know ("LADO", "CSPRs")."""
_MARKUP = re.compile(r"<[^>]+>|[*_`#>|\[\]()]")
"""HTML tags and Markdown's punctuation, taken out before the text is scored."""


@dataclass(frozen=True)
class ReadingLevel:
    """How hard a text is: its grade level, Flesch reading ease (higher is easier) and age."""

    grade: float
    reading_ease: float

    @property
    def reading_age(self) -> float:
        return self.grade + 5


@cache
def jargon_words() -> dict[str, str]:
    """Words to avoid, each with plainer words to use instead."""
    raw = load_spec("plain_words")
    return dict(raw["jargon"])


def plain_text(markup: str) -> str:
    """Text without Markdown or HTML marks, so that they are not read as words."""
    return " ".join(_MARKUP.sub(" ", markup).split())


def reading_level(text: str) -> ReadingLevel:
    """The reading level of a text (Markdown or HTML marks ignored)."""
    # textstat (and its pronunciation dictionary) loads only where a summary is scored
    import textstat

    words = plain_text(text)
    return ReadingLevel(
        float(textstat.flesch_kincaid_grade(words)), float(textstat.flesch_reading_ease(words))
    )


def jargon_in(text: str) -> list[str]:
    """Abbreviations and listed jargon the text uses, in the order they first appear."""
    words = plain_text(text)
    found = {m.start(): m.group(0) for m in _ABBREVIATION.finditer(words)}
    for term in jargon_words():
        pattern = rf"\b{re.escape(term)}\b" if term.isupper() else rf"(?i)\b{re.escape(term)}\b"
        for match in re.finditer(pattern, words):
            found.setdefault(match.start(), match.group(0))
    return list(dict.fromkeys(found[start] for start in sorted(found)))


def plain_language_problems(text: str, max_reading_age: float = MAX_READING_AGE) -> list[str]:
    """What keeps a text from being plain enough, each as a sentence saying what to change
    (an empty list when it is plain enough)."""
    problems = []
    level = reading_level(text)
    if level.reading_age > max_reading_age:
        problems.append(
            f"its reading age is {level.reading_age:.0f} (the aim is "
            f"{max_reading_age} or under): use shorter sentences and shorter words"
        )
    plain = jargon_words()
    for word in jargon_in(text):
        instead = next((v for k, v in plain.items() if k.lower() == word.lower()), None)
        problems.append(
            f"it uses {word!r}: write {instead!r} instead"
            if instead
            else f"it uses the abbreviation {word!r}: write the words out in full"
        )
    return problems
