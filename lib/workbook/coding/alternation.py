"""Many codebook patterns as one regular expression, which still reports every pattern that matches.

Coding runs every pattern of the codebook over every finding. Run one by one, hundreds of
patterns over 100,000 findings would take minutes; merged into one alternation per kind of
pattern, they take one pass. Two things make the merged regex as good as the patterns alone:
phrases are merged into a tree on their common literal prefixes ("child(?:ren...|hood...)"), so
at a word start the regex engine rules most of them out on one character; and where several
patterns could start at the same place (an alternation reports only the first that matches),
small anchored "companion" regexes of the others are kept, so every sub-theme whose pattern
matches at a word is still reported (the tests check this against a pattern-by-pattern
reference).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from workbook.coding.patterns import PhraseRegex, pattern_to_regex

Entry = tuple[str, str, int]
"""What a pattern's hit is evidence of: (theme, sub-theme, rule), the rule an index into the
codebook's rules or a negative number (``workbook.coding.codebook`` says which)."""

KINDS = ("lower", "exact", "raw_word", "raw")
"""The kinds of pattern, each merged into its own regex: phrases in lower case (matched on the
lower-cased text), phrases in capitals (matched as written), and raw regexes, those starting at
a word (``\\bneglect...``, scanned word start by word start like phrases) and the rest (tried at
every character)."""


@dataclass(frozen=True)
class Alternative:
    """One distinct regex of the codebook, the sub-themes that list it, and its literal prefix."""

    source: str
    prefix: str
    entries: tuple[Entry, ...]


def compile_phrases(patterns: Sequence[str]) -> tuple[tuple[re.Pattern[str], bool], ...]:
    """Codebook patterns as regexes matching at word starts, one per kind of pattern, each with
    whether it runs on the lower-cased text. A match's ``lastgroup`` is ``g<index>`` of the
    pattern that matched; the longest phrase is tried first ("adult at risk" before "adult*")."""
    by_kind: dict[str, dict[str, Alternative]] = {}
    for index, pattern in enumerate(patterns):
        phrase = pattern_to_regex(pattern)
        kind = kind_of(phrase)
        prefix = "" if phrase.is_raw else literal_prefix(phrase.source)
        by_kind.setdefault(kind, {})[f"g{index}"] = Alternative(phrase.source, prefix, ())
    return tuple(
        (alternation(list(alternatives), alternatives, kind, scan=False), kind == "lower")
        for kind, alternatives in by_kind.items()
    )


def kind_of(phrase: PhraseRegex) -> str:
    """Which of ``KINDS`` a pattern is, so it joins the regex of its kind."""
    if phrase.is_raw:
        return "raw_word" if _starts_at_word(phrase.source) else "raw"
    return "exact" if phrase.case_sensitive else "lower"


def _starts_at_word(source: str) -> bool:
    """Whether every top-level branch of a raw regex starts with ``\\b`` and a word character
    ("\\bneglect\\w*", not "\\bneglect|self-neglect"), so it can only match at a word start."""
    branches, depth, start, in_class, index = [], 0, 0, False, 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            branches.append(source[start:index])
            start = index + 1
        index += 1
    branches.append(source[start:])
    return all(re.match(r"\\b\w", branch) for branch in branches)


def literal_prefix(source: str) -> str:
    """The characters every match of ``source`` starts with (up to its first regex syntax).

    Two alternatives can match at the same place only if one's literal prefix begins the other's:
    "famil(?:y|ies)" and "families" share "famil", though the words "family" and "families" do
    not begin one another.
    """
    literal = re.match(r"\w*", source).group()
    if source[len(literal) : len(literal) + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    return literal


class SharedStarts:
    """Which alternatives may start where another does, found through their literal prefixes
    kept sorted: only those whose prefix begins the other's, or is begun by it, are tried
    (``_may_share_start``), not every pair of the codebook's thousands of phrases."""

    def __init__(self, alternatives: dict[str, Alternative]) -> None:
        self.alternatives = alternatives
        self._order = {name: index for index, name in enumerate(alternatives)}
        self._by_prefix: dict[str, list[str]] = {}
        for name, alternative in alternatives.items():
            self._by_prefix.setdefault(alternative.prefix, []).append(name)
        self._prefixes = sorted(self._by_prefix)

    def of(self, name: str) -> list[str]:
        """The other alternatives whose prefix begins or is begun by ``name``'s, in their order."""
        prefix = self.alternatives[name].prefix
        found = [n for k in range(len(prefix)) for n in self._by_prefix.get(prefix[:k], ())]
        for other in self._prefixes[bisect_left(self._prefixes, prefix) :]:
            if not other.startswith(prefix):
                break  # sorted: the prefixes beginning with this one are all together
            found += self._by_prefix[other]
        return sorted((n for n in found if n != name), key=self._order.__getitem__)


def companion_regexes(
    name: str,
    starts: SharedStarts,
    kind: str,
    cache: dict[tuple[str, ...], re.Pattern[str]],
) -> tuple[tuple[re.Pattern[str], Entry], ...]:
    """Per other sub-theme, an anchored regex of its patterns that may start where ``name`` does.

    Only alternatives with a compatible literal prefix are checked again ("father" and
    "father* ... baby"), so the extra cost stays small; raw regexes have no literal prefix and are
    all checked against each other, which is cheap because there are few.
    """
    companions = []
    for entry, names in _companion_entries(name, starts).items():
        signature = tuple(names)
        if signature not in cache:
            cache[signature] = alternation(names, starts.alternatives, kind, scan=False)
        companions.append((cache[signature], entry))
    return tuple(companions)


def _companion_entries(name: str, starts: SharedStarts) -> dict[Entry, list[str]]:
    """The other entries whose alternatives may start where ``name`` does, with those names."""
    own = starts.alternatives[name]
    by_entry: dict[Entry, list[str]] = {}
    for other in starts.of(name):
        alternative = starts.alternatives[other]
        if not _may_share_start(own, alternative):
            continue
        for entry in alternative.entries:
            if entry not in own.entries:
                by_entry.setdefault(entry, []).append(other)
    return by_entry


class LazyRegex:
    """A regex compiled the first time it is matched. A codebook has a companion probe for
    most of its thousands of phrases, but a year's text meets few of them: compiling them all
    up front was most of the time a codebook took to load."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def match(self, text: str, position: int = 0) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled.match(text, position)


def companion_probe(name: str, starts: SharedStarts) -> tuple[LazyRegex | None, tuple[Entry, ...]]:
    """All of a phrase alternative's companions in one regex: an optional lookahead per entry,
    whose group, if it took part, ends where that entry's phrase ends. One match at a word start
    then answers for every entry (``Match.regs``), instead of one regex call per entry."""
    by_entry = _companion_entries(name, starts)
    if not by_entry:
        return None, ()
    parts = []
    for names in by_entry.values():
        body = "|".join(f"(?:{starts.alternatives[other].source})" for other in names)
        parts.append(f"(?:(?=({body}))|)")
    return LazyRegex("".join(parts)), tuple(by_entry)


def _may_share_start(first: Alternative, second: Alternative) -> bool:
    """Whether two alternatives could match at the same place: one's literal prefix begins the
    other's, and where one is a whole word ("men", a plural at most, then a word boundary), the
    other's prefix goes on with a letter that word allows ("mental" cannot match where "men"
    did: after "men" only "s", "es" or the end of the word may come)."""
    if not (first.prefix.startswith(second.prefix) or second.prefix.startswith(first.prefix)):
        return False
    shorter, longer = sorted((first, second), key=lambda alternative: len(alternative.prefix))
    if len(longer.prefix) == len(shorter.prefix):
        return True
    allowed = _WORD_ENDINGS.get(shorter.source[len(shorter.prefix) :])
    return allowed is None or longer.prefix[len(shorter.prefix)] in allowed


_WORD_ENDINGS = {"(?:s|es)?\\b": "se", "(?:y|ies)\\b": "yi", "s?\\b": "s", "\\b": ""}
"""What a whole-word phrase allows after its literal prefix (its plural), by the regex after it."""


def alternation(
    names: list[str], alternatives: dict[str, Alternative], kind: str, scan: bool
) -> re.Pattern[str]:
    """One regex for many alternatives; ``scan`` for the batch scan, else anchored at a word start.

    Every alternative ends in an empty named group, so ``match.lastgroup`` says which one matched
    and ``match.start(name)`` where it ended. Phrase alternatives are merged on their literal
    prefixes into a tree ("child(?:ren...|hood...)"), so at a word start the regex engine rules
    out most of them on one character. The scanning form for phrases consumes the non-word
    character before a word and looks ahead from there, so the engine's fast search for that
    character skips the insides of words; a match reports the word start as ``match.end()``.
    Raw regexes own their boundaries: those starting ``\\b`` and a word character are scanned
    after a non-word character in the same way (a hyphen included, as ``\\b`` allows), the
    others tried at every character.
    """
    if kind.startswith("raw"):
        body = "|".join(f"(?:{alternatives[name].source})(?P<{name}>)" for name in names)
        lead = r"[^\w]" if kind == "raw_word" else ""
        return re.compile(f"{lead}(?=(?:{body}))" if scan else body, re.IGNORECASE)
    body = _prefix_tree([_tree_item(alternatives[name], name) for name in names])
    return re.compile(rf"[^\w\-](?={body})" if scan else rf"(?<![\w\-]){body}")


def _tree_item(alternative: Alternative, name: str) -> tuple[str, str, int]:
    """An alternative as its literal prefix, the regex after it closed by its named group, and
    the length of its source."""
    rest = alternative.source[len(alternative.prefix) :]
    return alternative.prefix, f"{rest}(?P<{name}>)", len(alternative.source)


def _prefix_tree(items: list[tuple[str, str, int]]) -> str:
    """Alternatives given as (literal prefix still to match, regex after it, source length).

    Branches under different next characters cannot match at the same place, so their order is
    free; they are ordered longest source first so the fullest phrase tends to be the evidence.
    """
    branches = [(length, rest) for literal, rest, length in items if not literal]
    children: dict[str, list[tuple[str, str, int]]] = {}
    for literal, rest, length in items:
        if literal:
            children.setdefault(literal[0], []).append((literal[1:], rest, length))
    for char, group in children.items():
        longest = max(length for _, _, length in group)
        branches.append((longest, re.escape(char) + _prefix_tree(group)))
    branches.sort(key=lambda branch: -branch[0])
    if len(branches) == 1:
        return branches[0][1]
    return "(?:" + "|".join(regex for _, regex in branches) + ")"
