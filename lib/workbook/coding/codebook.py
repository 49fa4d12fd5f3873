"""The codebook: themes and sub-themes with the phrases an analyst codes findings on.

Analysts edit ``data/codebook/themes.yaml`` without touching code, so everything they can get wrong
(a typo in a key, a duplicated id, an empty pattern list, a regex that does not compile or matches
nothing at all) is caught here and reported as a ``CodebookError`` that names the file and the theme
or sub-theme, never as a stack trace.

The pattern language (documented at the top of the YAML file) is compiled once into four combined
regular expressions (lower-case phrases, capitals, and two kinds of raw regex), phrases merged into
a tree on their common prefixes, so that coding 100,000 findings takes seconds: one pass of each
regex over the whole batch, whatever the size of the codebook. Where patterns of several sub-themes
can start at the same word, small anchored "companion" regexes find the others, so every sub-theme
whose pattern matches at a word is reported, exactly as if each pattern had run on its own (the
tests check this against a pattern-by-pattern reference).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbook.core.errors import ExitCode, WorkbookError
from workbook.core.paths import codebook_path
from workbook.core.yamlfile import YAMLError, safe_load

REGEX_PREFIX = "re:"
_ID = r"^[a-z][a-z0-9_]*$"
_GAP = "..."
_WORD_GAP_RE = r"(?:[^\w\x00]+\w+){0,3}[^\w\x00]+"
_SEPARATOR_RE = r"[\s\-]+"


class CodebookError(WorkbookError):
    """The codebook file is missing, unreadable or breaks the codebook rules."""

    exit_code = ExitCode.CODEBOOK


# --------------------------------------------------------------------------------------------------
# The file's schema
# --------------------------------------------------------------------------------------------------

Identifier = Annotated[str, Field(pattern=_ID, description="lower case, digits and underscores")]


class SubTheme(BaseModel):
    """A sub-theme: the level patterns live at, so evidence says *why* a finding got its theme."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    label: str = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        """Reject blank patterns, broken regexes and regexes matching empty text (they code all)."""
        for pattern in patterns:
            pattern_to_regex(pattern)
        return patterns


class Theme(BaseModel):
    """A top-level theme as the annual report names it, with its definition for the reader."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    label: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    negatable: bool = False
    subthemes: list[SubTheme] = Field(min_length=1)


class CodebookFile(BaseModel):
    """The whole file: a version, so coded outputs can say which codebook coded them, and themes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1)
    description: str = ""
    themes: list[Theme] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        """YAML reads ``version: 1.2`` as a number; the codebook's version is a label."""
        return str(value) if isinstance(value, int | float) else value

    @model_validator(mode="after")
    def _ids_unique(self) -> CodebookFile:
        """Ids are the keys findings are coded with, so one id must mean one thing, once."""
        seen: dict[str, str] = {}
        for theme in self.themes:
            _claim(seen, theme.id, f"theme {theme.id!r}")
            for sub in theme.subthemes:
                _claim(seen, sub.id, f"sub-theme {sub.id!r} of theme {theme.id!r}")
        return self


def _claim(seen: dict[str, str], identifier: str, where: str) -> None:
    """Record an id, or fail naming both places that use it."""
    if identifier in seen:
        raise ValueError(f"duplicate id {identifier!r}: used by {seen[identifier]} and by {where}")
    seen[identifier] = where


# --------------------------------------------------------------------------------------------------
# The pattern language
# --------------------------------------------------------------------------------------------------

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
        if word == _GAP:
            if position in (0, len(words) - 1):
                raise ValueError(f"pattern {phrase!r}: '...' must sit between two words")
            parts.append(_WORD_GAP_RE)
            continue
        if parts and parts[-1] != _WORD_GAP_RE:
            parts.append(_SEPARATOR_RE)
        is_last = position == len(words) - 1
        parts.append(_word_regex(word if case_sensitive else word.lower(), is_last))
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
        return source + r"\w*"
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


# --------------------------------------------------------------------------------------------------
# The compiled codebook
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternHit:
    """One place a pattern matched: which sub-theme, and where in the text."""

    theme: str
    subtheme: str
    start: int
    end: int


@dataclass(frozen=True)
class _Alternative:
    """One distinct regex of the codebook, the sub-themes that list it, and its literal prefix."""

    source: str
    prefix: str
    entries: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Matcher:
    """One combined regex for one kind of pattern (lower case, capitals, raw regex).

    ``regex`` reports, at every word start, the first (longest) alternative matching there; the
    ``companions`` of that alternative are small anchored regexes, one per other sub-theme with a
    pattern that could start at the same place, so one scan still finds every sub-theme there.
    """

    regex: re.Pattern[str]
    on_lowered: bool
    raw: bool
    alternatives: dict[str, _Alternative]
    companions: dict[str, tuple[tuple[re.Pattern[str], tuple[str, str]], ...]]


@dataclass(frozen=True)
class Codebook:
    """A validated codebook with its patterns compiled; build it with ``load_codebook``."""

    version: str
    themes: tuple[Theme, ...]
    path: Path | None = None
    description: str = ""
    _matchers: tuple[_Matcher, ...] = field(default=(), repr=False)

    @property
    def theme_ids(self) -> list[str]:
        return [theme.id for theme in self.themes]

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id (``KeyError`` if there is none)."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def labels(self) -> dict[str, str]:
        """Theme id to label, for charts and narrative."""
        return {theme.id: theme.label for theme in self.themes}

    def is_negatable(self, theme_id: str) -> bool:
        return self.theme(theme_id).negatable

    def scan(self, text: str) -> list[PatternHit]:
        """Every pattern hit in one text (negation is the coder's business, not the codebook's)."""
        hits = self.scan_many([text])
        return [
            PatternHit(theme, sub, begin, finish)
            for theme, sub, begin, finish in zip(
                hits["theme"].tolist(),
                hits["subtheme"].tolist(),
                hits["start"].tolist(),
                hits["end"].tolist(),
                strict=True,
            )
        ]

    def scan_many(self, texts: Sequence[str]) -> pd.DataFrame:
        """Pattern hits in many texts: columns text (position in ``texts``), theme, subtheme, start,
        end (offsets within that text), in no particular order.

        The texts are joined with a separator and each combined regex runs once over the whole
        batch: per-text regex calls would cost more than the matching itself. The batch starts
        with the separator, so every text's first word follows a non-word character, which the
        scanning regexes look for, and ends with it, so every text has one after it. Phrases cannot
        cross a separator; an analyst's raw regex can ("neglect[^.]*missed"), so its matches are
        confined to their own text by ending the string at the next separator.
        """
        if not texts:
            return _hits_frame([], [], [], [], [])
        original = _SEPARATOR + _SEPARATOR.join(texts) + _SEPARATOR
        lowered = _SEPARATOR.join(["", *(lower_same_length(text) for text in texts), ""])
        begins: list[int] = []
        ends: list[int] = []
        entries: list[tuple[tuple[str, str], ...]] = []
        for matcher in self._matchers:
            target = lowered if matcher.on_lowered else original
            alternatives, companions = matcher.alternatives, matcher.companions
            limit = len(target)
            for match in matcher.regex.finditer(target):
                start, name = match.end(), match.lastgroup
                if matcher.raw:
                    limit = target.find(_SEPARATOR, start)
                    if match.start(name) > limit:
                        match = matcher.regex.match(target, match.start(), limit)
                        if match is None:
                            continue
                        name = match.lastgroup
                begins.append(start)
                ends.append(match.start(name))
                entries.append(alternatives[name].entries)
                for companion, entry in companions[name]:
                    found = companion.match(target, start, limit)
                    if found:
                        begins.append(start)
                        ends.append(found.start(found.lastgroup))
                        entries.append((entry,))
        return _localise(texts, begins, ends, entries)

    def covers(self, term: str) -> bool:
        """Whether any pattern matches inside ``term`` (emerging terms must be ones it does not)."""
        return bool(len(self.scan_many([term])))


_SEPARATOR = "\n\x00\n"


def lower_same_length(text: str) -> str:
    """Lower case keeping offsets: characters whose lower case is longer stay as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _localise(
    texts: Sequence[str],
    begins: list[int],
    ends: list[int],
    entries: list[tuple[tuple[str, str], ...]],
) -> pd.DataFrame:
    """Batch offsets to (text position, local offsets), one row per sub-theme of each hit."""
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    offsets = np.cumsum(lengths + len(_SEPARATOR)) - lengths
    counts = np.fromiter((len(found) for found in entries), dtype=np.int64, count=len(entries))
    begin = np.repeat(np.asarray(begins, dtype=np.int64), counts)
    end = np.repeat(np.asarray(ends, dtype=np.int64), counts)
    pairs = [pair for found in entries for pair in found]
    position = np.searchsorted(offsets, begin, side="right") - 1
    inside = end - offsets[position] <= lengths[position]
    themes = np.array([theme for theme, _ in pairs], dtype=object)
    subs = np.array([sub for _, sub in pairs], dtype=object)
    return _hits_frame(
        position[inside],
        themes[inside] if len(pairs) else [],
        subs[inside] if len(pairs) else [],
        (begin - offsets[position])[inside],
        (end - offsets[position])[inside],
    )


def _hits_frame(position, themes, subs, begin, end) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": np.asarray(position, dtype=np.int64),
            "theme": pd.array(themes, dtype="string"),
            "subtheme": pd.array(subs, dtype="string"),
            "start": np.asarray(begin, dtype=np.int64),
            "end": np.asarray(end, dtype=np.int64),
        }
    )


def build_codebook(spec: CodebookFile, path: Path | None = None) -> Codebook:
    """Compile a validated codebook's patterns into one scanning regex per kind of pattern.

    Kinds: phrases in lower case (matched on lower-cased text), phrases in capitals, and raw
    regexes, split into those starting at a word (``\\bneglect...``), which can be scanned word
    start by word start like phrases, and the rest, tried at every character.
    """
    buckets: dict[str, list[tuple[PhraseRegex, str, str]]] = {
        "lower": [],
        "exact": [],
        "raw_word": [],
        "raw": [],
    }
    for theme in spec.themes:
        for sub in theme.subthemes:
            for pattern in sub.patterns:
                phrase = pattern_to_regex(pattern)
                buckets[_kind(phrase)].append((phrase, theme.id, sub.id))
    matchers = tuple(_matcher(entries, kind) for kind, entries in buckets.items() if entries)
    return Codebook(
        version=spec.version,
        themes=tuple(spec.themes),
        path=path,
        description=spec.description,
        _matchers=matchers,
    )


def _kind(phrase: PhraseRegex) -> str:
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


def _matcher(entries: list[tuple[PhraseRegex, str, str]], kind: str) -> _Matcher:
    """The scanning regex of one kind of pattern, with each alternative's companions.

    A pattern listed under several sub-themes ("MARAC") is one alternative with several entries.
    Alternatives are ordered longest first, so the fullest phrase is the evidence.
    """
    raw = kind.startswith("raw")
    merged: dict[str, list[tuple[str, str]]] = {}
    for phrase, theme_id, sub_id in entries:
        merged.setdefault(phrase.source, []).append((theme_id, sub_id))
    ordered = sorted(merged.items(), key=lambda item: (-len(item[0]), item[0]))
    alternatives = {
        f"p{index}": _Alternative(
            source, "" if raw else _literal_prefix(source), tuple(dict.fromkeys(found))
        )
        for index, (source, found) in enumerate(ordered)
    }
    cache: dict[tuple[str, ...], re.Pattern[str]] = {}
    companions = {name: _companions(name, alternatives, kind, cache) for name in alternatives}
    regex = _alternation(list(alternatives), alternatives, kind, scan=True)
    return _Matcher(regex, kind == "lower", raw, alternatives, companions)


def _literal_prefix(source: str) -> str:
    """The characters every match of ``source`` starts with (up to its first regex syntax).

    Two alternatives can match at the same place only if one's literal prefix begins the other's:
    "famil(?:y|ies)" and "families" share "famil", though the words "family" and "families" do
    not begin one another.
    """
    literal = re.match(r"\w*", source).group()
    if source[len(literal) : len(literal) + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    return literal


def _companions(
    name: str,
    alternatives: dict[str, _Alternative],
    kind: str,
    cache: dict[tuple[str, ...], re.Pattern[str]],
) -> tuple[tuple[re.Pattern[str], tuple[str, str]], ...]:
    """Per other sub-theme, an anchored regex of its patterns that may start where ``name`` does.

    Only alternatives with a compatible literal prefix are checked again ("father" and
    "father* ... baby"), so the extra cost stays small; raw regexes have no literal prefix and are
    all checked against each other, which is cheap because there are few.
    """
    own = alternatives[name]
    by_entry: dict[tuple[str, str], list[str]] = {}
    for other, alternative in alternatives.items():
        if other == name or not _may_share_start(own.prefix, alternative.prefix):
            continue
        for entry in alternative.entries:
            if entry not in own.entries:
                by_entry.setdefault(entry, []).append(other)
    companions = []
    for entry, names in by_entry.items():
        signature = tuple(names)
        if signature not in cache:
            cache[signature] = _alternation(names, alternatives, kind, scan=False)
        companions.append((cache[signature], entry))
    return tuple(companions)


def _may_share_start(first: str, second: str) -> bool:
    return first.startswith(second) or second.startswith(first)


def _alternation(
    names: list[str], alternatives: dict[str, _Alternative], kind: str, scan: bool
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


def _tree_item(alternative: _Alternative, name: str) -> tuple[str, str, int]:
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


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read, validate and compile the codebook (default: ``data/codebook/themes.yaml``)."""
    file = Path(path) if path is not None else codebook_path()
    raw = _read_yaml(file)
    try:
        spec = CodebookFile.model_validate(raw)
    except ValidationError as exc:
        raise CodebookError(_describe_errors(file, raw, exc)) from None
    return build_codebook(spec, path=file)


def _read_yaml(file: Path) -> Any:
    """The file's YAML, or a ``CodebookError`` saying why it cannot be read."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"codebook {file} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"codebook {file} cannot be read: {exc}") from None
    try:
        data = safe_load(text)
    except YAMLError as exc:
        raise CodebookError(f"codebook {file} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CodebookError(f"codebook {file} must be a mapping with 'version' and 'themes' keys")
    return data


def _describe_errors(file: Path, raw: Any, exc: ValidationError) -> str:
    """One line per problem, each naming the theme and sub-theme by id rather than by list index."""
    lines = [f"codebook {file} has {exc.error_count()} problem(s):"]
    for error in exc.errors():
        where = _location(raw, error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling)"
        lines.append(f"  {where}: {message}" if where else f"  {message}")
    return "\n".join(lines)


def _location(raw: Any, loc: tuple[Any, ...]) -> str:
    """Readable path for a pydantic error location: "theme 'neglect' > sub-theme 'x' > patterns"."""
    parts: list[str] = []
    node = raw
    index = 0
    while index < len(loc):
        key = loc[index]
        node = node.get(key) if isinstance(node, dict) and isinstance(key, str) else node
        following = loc[index + 1] if index + 1 < len(loc) else None
        if isinstance(key, str) and isinstance(following, int) and isinstance(node, list):
            item = node[following] if following < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            label = {"themes": "theme", "subthemes": "sub-theme"}.get(key, key)
            parts.append(f"{label} {ident!r}" if ident else f"{label} item {following + 1}")
            node = item
            index += 2
            continue
        parts.append(str(key))
        index += 1
    return " > ".join(parts)
