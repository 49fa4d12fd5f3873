"""Sense, scope and attribution: which pattern hits an analyst would actually code.

A phrase is evidence of a theme only in one sense ("plan" as a child's plan, not an action plan),
only where the sentence is about the theme (not a passing mention such as "abuse and neglect" or
a list of agencies), and some only when they are about the right person (a carer's mental
health is parental mental health; a child's is not). The codebook states these rules next to the
phrases (``unless``, ``requires``, ``excludes``, ``who``, and the file's ``passing`` and
``people`` lists); this module applies them to the hits of ``Codebook.scan_with_context``.

``unless`` and ``passing`` phrases are found by the codebook's one scan, so those rules cost a
join of hit positions; ``requires``, ``excludes`` and ``who`` look at the sentence of each hit that
has them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from workbook.coding.alternation import compile_phrases
from workbook.coding.codebook import CONTEXT_RULE, PASSING, PASSING_TO_CLAUSE, UNLESS, Codebook
from workbook.coding.codebook_schema import NOBODY, UNNAMED, PhraseRule
from workbook.coding.scanner import lower_same_length

_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)|\n")


@dataclass(frozen=True)
class _Finder:
    """Several codebook phrases as regexes (``compile_phrases``), each with whether it runs on
    the lower-cased text or on the text as written."""

    regexes: tuple[tuple[re.Pattern[str], bool], ...]

    def finditer(self, text: str, lowered: str, start: int, end: int):
        for regex, on_lowered in self.regexes:
            yield from regex.finditer(lowered if on_lowered else text, start, end)


def _finder(patterns: Sequence[str]) -> _Finder:
    return _Finder(compile_phrases(patterns))


@dataclass
class RuleBook:
    """The codebook's rules compiled for checking hits (built once per codebook)."""

    codebook: Codebook
    _owners: dict = field(default_factory=dict)

    @cached_property
    def requires(self) -> list[_Finder | None]:
        return [_finder(rule.requires) if rule.requires else None for rule in self.codebook.rules]

    @cached_property
    def excludes(self) -> list[_Finder | None]:
        return [_finder(rule.excludes) if rule.excludes else None for rule in self.codebook.rules]

    @cached_property
    def people(self) -> tuple[_Finder, list[str]]:
        pairs = [(group, p) for group, words in self.codebook.people.items() for p in words]
        return _finder([p for _, p in pairs]), [group for group, _ in pairs]

    def owner(self, text: str, lowered: str, sentence: tuple[int, int], start: int) -> str | None:
        """The group of the person a mention at ``start`` is about: the nearest person named
        before it in its sentence, else the nearest after it; None if the sentence names no one.
        Phrases of the ``nobody`` group ("child protection", "children's services") name a
        service, not a person: they are skipped, and so is the person's word inside them.
        (Remembered during one ``apply_rules``: a mention several rules ask about is looked at
        once.)"""
        key = (id(text), sentence, start)
        if key in self._owners:
            return self._owners[key]
        self._owners[key] = found = self._find_owner(text, lowered, sentence, start)
        return found

    def _find_owner(
        self, text: str, lowered: str, sentence: tuple[int, int], start: int
    ) -> str | None:
        finder, groups = self.people
        before, after = None, None
        for match in finder.finditer(text, lowered, *sentence):
            group = groups[int(match.lastgroup[1:])]
            if group == NOBODY:
                continue
            if match.start() <= start:
                if before is None or match.start() > before[0]:
                    before = (match.start(), group)
            elif after is None or match.start() < after[0]:
                after = (match.start(), group)
        found = before or after
        return found[1] if found else None

    def keeps(self, rule: PhraseRule, index: int, text: str, lowered: str, span, ends) -> bool:
        """Whether a hit of ``rule`` at ``span`` meets its ``requires``, ``excludes`` and ``who``
        (``ends``: the text's sentence ends, from ``sentence_ends``)."""
        sentence = sentence_bounds(ends, len(text), *span)
        finder = self.requires[index]
        if finder is not None and next(finder.finditer(text, lowered, *sentence), None) is None:
            return False
        finder = self.excludes[index]
        if finder is not None and next(finder.finditer(text, lowered, *sentence), None):
            return False
        owner = self.owner(text, lowered, sentence, span[0]) if rule.who else None
        return not rule.who or (owner or UNNAMED) in rule.who


_RULEBOOKS: dict[int, RuleBook] = {}


def rulebook(codebook: Codebook) -> RuleBook:
    """The compiled rules of a codebook, cached for as long as the codebook lives."""
    key = id(codebook)
    book = _RULEBOOKS.get(key)
    if book is None or book.codebook is not codebook:
        if len(_RULEBOOKS) > 16:
            _RULEBOOKS.clear()
        book = _RULEBOOKS[key] = RuleBook(codebook)
    return book


def sentence_ends(text: str) -> list[int]:
    """Where the text's sentences end: full stops, question and exclamation marks, semicolons and
    colons followed by a space, and line breaks."""
    return [match.end() for match in _SENTENCE_END.finditer(text)]


def sentence_bounds(ends: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)`` of a text of ``length`` with sentence ``ends``."""
    first = bisect.bisect_right(ends, start)
    begin = ends[first - 1] if first else 0
    after = bisect.bisect_left(ends, end)
    return begin, ends[after] if after < len(ends) else length


def apply_rules(
    codebook: Codebook,
    texts: Sequence[str],
    hits: pd.DataFrame,
    lowered_texts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The theme hits of ``hits`` (from ``scan_with_context``) an analyst would code.

    Drops hits inside a passing mention, hits inside one of their rule's ``unless`` phrases, and
    hits whose sentence lacks their ``requires``, has one of their ``excludes``, or whose owner
    is not in their ``who``. Returns
    the theme rows only (columns text, theme, subtheme, rule, start, end).
    """
    context_rows = hits["rule"].to_numpy() == CONTEXT_RULE
    context, themes = hits[context_rows], hits[~context_rows]
    passing = _to_clause_end(texts, context[(context["theme"] == PASSING).to_numpy(dtype=bool)])
    keep = ~_covered(themes, passing, by=["text"])
    unless = context[(context["theme"] == UNLESS).to_numpy(dtype=bool)]
    unless = unless.assign(rule=unless["subtheme"].astype(int))
    keep &= ~_covered(themes, unless, by=["text", "rule"])
    themes = themes[keep]
    checked = themes["rule"].to_numpy() >= 0
    if checked.any():
        book = rulebook(codebook)
        book._owners.clear()  # keyed by the texts' ids, which are only unique within one call
        candidates = themes[checked]
        prepared: dict[int, tuple[str, list[int]]] = {}
        verdicts = []
        for position, index, start, end in zip(
            candidates["text"].tolist(),
            candidates["rule"].tolist(),
            candidates["start"].tolist(),
            candidates["end"].tolist(),
            strict=True,
        ):
            rule = codebook.rules[index]
            if not (rule.requires or rule.excludes or rule.who):
                verdicts.append(True)
                continue
            text = texts[position]
            if position not in prepared:
                lowered = (
                    lowered_texts[position]
                    if lowered_texts is not None
                    else lower_same_length(text)
                )
                prepared[position] = (lowered, sentence_ends(text))
            lowered, ends = prepared[position]
            verdicts.append(book.keeps(rule, index, text, lowered, (start, end), ends))
        keep = np.ones(len(themes), dtype=bool)
        keep[np.flatnonzero(checked)] = verdicts
        themes = themes[keep]
    return themes


_CLAUSE_END = re.compile(r"[.;:)!?\n]")


def _to_clause_end(texts: Sequence[str], passing: pd.DataFrame) -> pd.DataFrame:
    """Passing phrases written with a final ``...`` ("agencies such as ...") cover the rest of
    their clause: the list of agencies that follows."""
    extend = (passing["subtheme"] == PASSING_TO_CLAUSE).to_numpy(dtype=bool)
    if not extend.any():
        return passing
    ends = passing["end"].to_numpy().copy()
    for row in np.flatnonzero(extend):
        text = texts[int(passing["text"].iat[row])]
        found = _CLAUSE_END.search(text, int(ends[row]))
        ends[row] = found.start() if found else len(text)
    return passing.assign(end=ends)


def _covered(hits: pd.DataFrame, spans: pd.DataFrame, by: list[str]) -> np.ndarray:
    """For each hit, whether a span of ``spans`` with the same ``by`` values contains it."""
    covered = np.zeros(len(hits), dtype=bool)
    if hits.empty or spans.empty:
        return covered
    rows = np.flatnonzero(np.isin(hits["text"].to_numpy(), spans["text"].to_numpy()))
    left = hits.iloc[rows][[*by, "start", "end"]].assign(_row=rows)
    right = spans[[*by, "start", "end"]].rename(columns={"start": "_start", "end": "_end"})
    pairs = left.merge(right, on=by)
    inside = (pairs["_start"] <= pairs["start"]) & (pairs["_end"] >= pairs["end"])
    covered[pairs.loc[inside, "_row"].to_numpy()] = True
    return covered
