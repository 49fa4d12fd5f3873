"""Finding every codebook pattern in a batch of texts in one pass per kind of pattern.

Per-text regex calls would cost more than the matching itself when 100,000 findings are coded, so
the texts are joined with a separator and each kind's combined regex (``alternation``) runs once
over the whole batch; the hits are then mapped back to their texts with array arithmetic. The
batch starts with the separator, so every text's first word follows a non-word character, which
the scanning regexes look for, and ends with it, so every text has one after it. Phrases cannot
cross a separator; an analyst's raw regex can ("neglect[^.]*missed"), so its matches are confined
to their own text by ending the string at the next separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.coding.alternation import (
    KINDS,
    Alternative,
    Entry,
    LazyRegex,
    SharedStarts,
    alternation,
    companion_probe,
    companion_regexes,
    kind_of,
    literal_prefix,
)
from workbook.coding.patterns import pattern_to_regex

SEPARATOR = "\n\x00\n"
"""Between two texts of a batch: no phrase can match across it (``\\x00`` is no word or space)."""


_WORD_DASH = re.compile(r"(?<=\w)[\u2010\u2011\u2012\u2013](?=\w)")
"""A typographic dash joining two words ("self\u2013neglect"), which copied or typeset text often
holds: read as the hyphen the patterns are written with, or "neglect" would match inside
"self\u2013neglect". A dash with spaces around it separates clauses and stays as it is."""


def lower_same_length(text: str) -> str:
    """Lower case keeping offsets: characters whose lower case is longer stay as they are, and a
    dash joining two words becomes a hyphen (one character for one)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _WORD_DASH.sub("-", lowered)


@dataclass
class _Matcher:
    """One combined regex for one kind of pattern (lower case, capitals, raw regex).

    ``regex`` reports, at every word start, the first (longest) alternative matching there; the
    companions of that alternative find the other entries whose patterns match at the same place,
    so one scan still finds every sub-theme there. Entries are given by their number in the
    scanner's ``_EntryTable``.
    """

    regex: re.Pattern[str]
    on_lowered: bool
    raw: bool
    by_index: list[tuple[int, LazyRegex | None, tuple[int, ...]]] = field(default_factory=list)
    """Phrases. Per group number of ``regex``: the number of its alternative's entries, its
    companions' probe (``companion_probe``) and the number of each entry the probe answers for."""
    by_name: dict[str, tuple[int, tuple[tuple[re.Pattern[str], int], ...]]] = field(
        default_factory=dict
    )
    """Raw regexes. Per group name of ``regex``: the number of its alternative's entries, and its
    companion regexes (``companion_regexes``), each with the number of its entry."""


@dataclass(frozen=True)
class _EntryTable:
    """Every set of entries a scan reports, numbered, flattened into arrays, so a batch's hits
    turn into rows with array indexing rather than a Python loop over each hit."""

    themes: np.ndarray
    subthemes: np.ndarray
    rules: np.ndarray
    first: np.ndarray
    count: np.ndarray


class _Numbering:
    """Numbers for sets of entries, given in the order they are first asked for."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[Entry, ...], int] = {}

    def __call__(self, entries: tuple[Entry, ...]) -> int:
        return self.numbers.setdefault(entries, len(self.numbers))

    def table(self) -> _EntryTable:
        groups = sorted(self.numbers, key=self.numbers.__getitem__)
        flat = [entry for group in groups for entry in group]
        count = np.array([len(group) for group in groups], dtype=np.int64)
        return _EntryTable(
            themes=np.array([theme for theme, _, _ in flat], dtype=object),
            subthemes=np.array([sub for _, sub, _ in flat], dtype=object),
            rules=np.array([rule for _, _, rule in flat], dtype=np.int64),
            first=np.cumsum(count) - count,
            count=count,
        )


def _alternatives(entries: list[tuple[str, Entry]], raw: bool) -> dict[str, Alternative]:
    """The distinct regexes of one kind, longest first (so the fullest phrase is the evidence),
    named ``p<n>``; a pattern listed under several sub-themes ("MARAC") is one alternative with
    several entries."""
    merged: dict[str, list[Entry]] = {}
    for source, entry in entries:
        merged.setdefault(source, []).append(entry)
    ordered = sorted(merged.items(), key=lambda item: (-len(item[0]), item[0]))
    return {
        f"p{index}": Alternative(
            source, "" if raw else literal_prefix(source), tuple(dict.fromkeys(found))
        )
        for index, (source, found) in enumerate(ordered)
    }


def _matcher(entries: list[tuple[str, Entry]], kind: str, number: _Numbering) -> _Matcher:
    """The scanning regex of one kind of pattern, with each alternative's companions numbered."""
    raw = kind.startswith("raw")
    alternatives = _alternatives(entries, raw)
    regex = alternation(list(alternatives), alternatives, kind, scan=True)
    matcher = _Matcher(regex, kind == "lower", raw)
    starts = SharedStarts(alternatives)
    if raw:
        cache: dict[tuple[str, ...], re.Pattern[str]] = {}
        for name, alternative in alternatives.items():
            companions = companion_regexes(name, starts, kind, cache)
            matcher.by_name[name] = (
                number(alternative.entries),
                tuple((companion, number((entry,))) for companion, entry in companions),
            )
        return matcher
    own = {name: number(alternative.entries) for name, alternative in alternatives.items()}
    matcher.by_index = [(-1, None, ())] * (regex.groups + 1)
    for name, index in regex.groupindex.items():
        probe, others = companion_probe(name, starts)
        matcher.by_index[index] = (own[name], probe, tuple(number((entry,)) for entry in others))
    return matcher


@dataclass(frozen=True)
class Scanner:
    """A codebook's patterns compiled for ``scan``; build it with ``Scanner.compile``."""

    matchers: tuple[_Matcher, ...]
    entries: _EntryTable

    @classmethod
    def compile(cls, patterns: Iterable[tuple[str, Entry]]) -> Scanner:
        """Compile (pattern, entry) pairs: one combined regex per kind of pattern (``KINDS``)."""
        buckets: dict[str, list[tuple[str, Entry]]] = {kind: [] for kind in KINDS}
        for pattern, entry in patterns:
            phrase = pattern_to_regex(pattern)
            buckets[kind_of(phrase)].append((phrase.source, entry))
        number = _Numbering()
        matchers = tuple(
            _matcher(entries, kind, number) for kind, entries in buckets.items() if entries
        )
        return cls(matchers, number.table())

    def scan(
        self, texts: Sequence[str], lowered_texts: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Every entry's hits in ``texts`` (``lowered_texts``: the same in lower case, from
        ``lower_same_length``, if the caller has them): columns text (position in ``texts``),
        theme, subtheme, rule, start, end (offsets within that text), in no particular order."""
        if not texts:
            return _hits_frame([], [], [], [], [], [])
        original = SEPARATOR + SEPARATOR.join(texts) + SEPARATOR
        if lowered_texts is None:
            lowered_texts = [lower_same_length(text) for text in texts]
        lowered = SEPARATOR.join(["", *lowered_texts, ""])
        begins: list[int] = []
        ends: list[int] = []
        numbers: list[int] = []
        for matcher in self.matchers:
            target = lowered if matcher.on_lowered else original
            scan = _scan_raw if matcher.raw else _scan_phrases
            scan(matcher, target, begins, ends, numbers)
        return _localise(texts, begins, ends, numbers, self.entries)


def _scan_phrases(matcher: _Matcher, target: str, begins, ends, numbers) -> None:
    """Phrases: the group that closed last is the alternative that matched (its index looked up
    in a list: cheaper, per match, than its name in a dict); its probe, one anchored match,
    answers for every other entry that may start there."""
    by_index = matcher.by_index
    for match in matcher.regex.finditer(target):
        start, index = match.end(), match.lastindex
        number, probe, singles = by_index[index]
        begins.append(start)
        ends.append(match.start(index))
        numbers.append(number)
        if probe is None:
            continue
        spans = probe.match(target, start).regs
        for (_, end), single in zip(spans[1:], singles, strict=True):
            if end >= 0:
                begins.append(start)
                ends.append(end)
                numbers.append(single)


def _scan_raw(matcher: _Matcher, target: str, begins, ends, numbers) -> None:
    """Raw regexes may run past the end of their text, so each match is confined to its own
    text by matching again up to the next separator."""
    for match in matcher.regex.finditer(target):
        start, name = match.end(), match.lastgroup
        limit = target.find(SEPARATOR, start)
        if match.start(name) > limit:
            match = matcher.regex.match(target, match.start(), limit)
            if match is None:
                continue
            name = match.lastgroup
        number, companions = matcher.by_name[name]
        begins.append(start)
        ends.append(match.start(name))
        numbers.append(number)
        for companion, single in companions:
            found = companion.match(target, start, limit)
            if found:
                begins.append(start)
                ends.append(found.start(found.lastgroup))
                numbers.append(single)


def _localise(
    texts: Sequence[str],
    begins: list[int],
    ends: list[int],
    numbers: list[int],
    table: _EntryTable,
) -> pd.DataFrame:
    """Batch offsets to (text position, local offsets), one row per entry of each hit."""
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    offsets = np.cumsum(lengths + len(SEPARATOR)) - lengths
    number = np.asarray(numbers, dtype=np.int64)
    counts = table.count[number]
    begin = np.repeat(np.asarray(begins, dtype=np.int64), counts)
    end = np.repeat(np.asarray(ends, dtype=np.int64), counts)
    flat = np.repeat(table.first[number] - (np.cumsum(counts) - counts), counts)
    flat += np.arange(len(flat), dtype=np.int64)
    position = np.searchsorted(offsets, begin, side="right") - 1
    inside = end - offsets[position] <= lengths[position]
    kept = flat[inside]
    return _hits_frame(
        position[inside],
        table.themes[kept],
        table.subthemes[kept],
        table.rules[kept],
        (begin - offsets[position])[inside],
        (end - offsets[position])[inside],
    )


def _hits_frame(position, themes, subs, rules, begin, end) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": np.asarray(position, dtype=np.int64),
            "theme": pd.array(themes, dtype="string"),
            "subtheme": pd.array(subs, dtype="string"),
            "rule": np.asarray(rules, dtype=np.int64),
            "start": np.asarray(begin, dtype=np.int64),
            "end": np.asarray(end, dtype=np.int64),
        }
    )
