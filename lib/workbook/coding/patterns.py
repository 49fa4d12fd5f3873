"""The codebook's pattern language: one line an analyst writes, turned into a regular expression.

Analysts write phrases, not regexes ("child protection plan", "self-neglect", "voice ... child*"),
so the rules a phrase follows live here, in one place: whole words, spaces or hyphens between
them, a plural on the last word, UK spellings that also match US ones, ``*`` for any ending,
``...`` for up to three words between, capitals for abbreviations that match only in capitals
("MASH", not "smash"), and ``re:`` for an analyst's own regular expression. Everything an
analyst can get wrong in a pattern is a ``ValueError`` saying what, which the codebook's schema
turns into an error naming the theme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGEX_PREFIX = "re:"
GAP = "..."
"""A pattern's word for "up to three words here"; at the end of a passing phrase, "the rest of
the clause"."""
_SEPARATOR_RE = r"[\s\-]+"
# A run of letters, or of the characters between words, is followed in every match by a character
# it cannot take, so its quantifier is possessive ("++", "*+"): the same matches, without the regex
# engine trying every shorter run first (at every "children", for "child* ... voice"). The gap's
# last run is possessive only where the next word starts with a letter or digit.
_WORD_GAP_RE = r"(?:[^\w\x00]++\w++){0,3}[^\w\x00]+"
_WORD_GAP_BEFORE_WORD_RE = _WORD_GAP_RE + "+"

# UK spellings written by analysts also match US forms (behaviour/behavior, organise/organize).
_SPELLING_VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=[a-z]{3})our"), "ou?r"),
    (re.compile(r"(?<=[a-z]{3})is(?=(?:e|ed|es|ing|ation|ations)$)"), "i[sz]"),
    (re.compile(r"ogramme"), "ogram(?:me)?"),
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "a?e"),
    (re.compile(r"judgement"), "judge?ment"),
    (re.compile(r"(?<=[a-z]{2}t)re$"), "(?:re|er)"),
    (re.compile(r"(?<=fen)ce$"), "[cs]e"),
)


@dataclass(frozen=True)
class PhraseRegex:
    """A pattern compiled to regex source, with how it must be matched."""

    source: str
    case_sensitive: bool
    is_raw: bool


def pattern_to_regex(pattern: str) -> PhraseRegex:
    """Turn one codebook pattern into a regex; raise ``ValueError`` saying what is wrong with it."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError("a pattern is empty")
    text = pattern.strip()
    if text.startswith(REGEX_PREFIX):
        return _raw_regex(pattern, text[len(REGEX_PREFIX) :].strip())
    return _phrase_regex(text)


def _raw_regex(pattern: str, source: str) -> PhraseRegex:
    """An analyst's own regex: must compile and must not match empty text."""
    if not source:
        raise ValueError(f"pattern {pattern!r} has nothing after {REGEX_PREFIX!r}")
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
    if compiled.groupindex or re.search(r"\\\d", source):
        raise ValueError(f"pattern {pattern!r}: named groups and back-references are not allowed")
    if compiled.search(""):
        raise ValueError(f"pattern {pattern!r} matches empty text, so it would code every finding")
    return PhraseRegex(source=source, case_sensitive=False, is_raw=True)


def _phrase_regex(phrase: str) -> PhraseRegex:
    """A plain phrase: whole words, spaces or hyphens, plural, US spellings, ``*`` and ``...``."""
    case_sensitive = _is_abbreviation(phrase)
    words = phrase.split()
    parts: list[str] = []
    for position, word in enumerate(words):
        if word == GAP:
            if position in (0, len(words) - 1):
                raise ValueError(f"pattern {phrase!r}: '...' must sit between two words")
            parts.append(_WORD_GAP_RE)
            continue
        is_last = position == len(words) - 1
        source = _word_regex(word if case_sensitive else word.lower(), is_last)
        if parts and parts[-1] == _WORD_GAP_RE:
            if re.match(r"\w", source):
                parts[-1] = _WORD_GAP_BEFORE_WORD_RE
        elif parts:
            parts.append(_SEPARATOR_RE)
        parts.append(source)
    source = "".join(parts)
    if not re.search(r"\w", phrase.replace("*", "")):
        raise ValueError(f"pattern {phrase!r} has no letters or digits")
    if source[-1:].isalnum() or source.endswith(("?", ")")):
        source += r"\b"
    return PhraseRegex(source=source, case_sensitive=case_sensitive, is_raw=False)


def _is_abbreviation(phrase: str) -> bool:
    """All-capital phrases (MASH, SEND, DASH) match only in capitals: 'send' and 'dash' do not."""
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _word_regex(word: str, is_last: bool) -> str:
    """One word: hyphenated parts, trailing ``*``, spelling variants, plural on the last word."""
    wildcard = word.endswith("*")
    core = word.rstrip("*")
    pieces = [_spelling_variants(re.escape(piece)) for piece in core.split("-")]
    source = _SEPARATOR_RE.join(pieces)
    if wildcard:
        return source + r"\w*+"
    if is_last and core[-1:].isalpha():
        return _with_plural(source, core)
    return source


def _spelling_variants(escaped: str) -> str:
    """Apply the UK-to-US variant rules to one escaped word; straight and curly apostrophes."""
    for rule, replacement in _SPELLING_VARIANTS:
        escaped = rule.sub(replacement, escaped)
    return escaped.replace("'", "['\u2019]")


def _with_plural(source: str, word: str) -> str:
    """Plural of the last word: 'family' matches 'families', 'MARAC' matches 'MARACs'."""
    if word[-1] == "y" and len(word) > 2 and word[-2] not in "aeiou":
        return source[:-1] + "(?:y|ies)"
    if word.isupper():
        return source + "s?"
    return source + "(?:s|es)?"
