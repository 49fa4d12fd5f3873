"""The codebook: themes and sub-themes with the phrases an analyst codes findings on.

Analysts edit ``data/codebook/themes.yaml`` without touching code, so everything they can get wrong
(a typo in a key, a duplicated id, an empty pattern list, a regex that does not compile or matches
nothing at all) is caught here and reported as a ``CodebookError`` that names the file and the theme
or sub-theme, never as a stack trace.

The pattern language (documented at the top of the YAML file) is compiled once into a handful of
combined regular expressions, grouped by first letter, so that coding 100,000 findings takes
seconds: one pass of each regex over the whole batch, whatever the size of the codebook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbook.errors import WorkbookError
from workbook.paths import codebook_path

REGEX_PREFIX = "re:"
_ID = r"^[a-z][a-z0-9_]*$"
_GAP = "..."
_WORD_GAP_RE = r"(?:[^\w\x00]+\w+){0,3}[^\w\x00]+"
_SEPARATOR_RE = r"[\s\-]+"


class CodebookError(WorkbookError):
    """The codebook file is missing, unreadable or breaks the codebook rules."""

    exit_code = 4


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
class _Matcher:
    """One combined regex and the sub-theme behind each of its named groups."""

    regex: re.Pattern[str]
    on_lowered: bool
    groups: dict[str, tuple[str, str]]


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
        return [hit for _, hit in self.scan_many([text])]

    def scan_many(self, texts: Sequence[str]) -> list[tuple[int, PatternHit]]:
        """Pattern hits in many texts as (position of the text, hit), offsets local to each text.

        The texts are joined with a separator no pattern can cross and each combined regex runs once
        over the whole batch: per-text regex calls would cost more than the matching itself.
        """
        if not texts:
            return []
        original = _SEPARATOR.join(texts)
        lowered = _SEPARATOR.join(_lower_same_length(text) for text in texts)
        lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate(([0], np.cumsum(lengths + len(_SEPARATOR))[:-1]))
        hits: list[tuple[int, int, str, str]] = []
        for matcher in self._matchers:
            target = lowered if matcher.on_lowered else original
            groups = matcher.groups
            hits += [
                (match.start(), match.end(), *groups[match.lastgroup])
                for match in matcher.regex.finditer(target)
                if match.end() > match.start()
            ]
        return _localise(hits, starts, lengths)

    def covers(self, term: str) -> bool:
        """Whether any pattern matches inside ``term`` (emerging terms must be ones it does not)."""
        return bool(self.scan(term))


_SEPARATOR = "\n\x00\n"


def _lower_same_length(text: str) -> str:
    """Lower case keeping offsets: characters whose lower case is longer stay as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _localise(
    hits: list[tuple[int, int, str, str]], starts: np.ndarray, lengths: np.ndarray
) -> list[tuple[int, PatternHit]]:
    """Map batch offsets back to (text position, local hit), dropping boundary-crossers."""
    if not hits:
        return []
    begin = np.fromiter((hit[0] for hit in hits), dtype=np.int64, count=len(hits))
    positions = np.searchsorted(starts, begin, side="right") - 1
    offsets, sizes = starts.tolist(), lengths.tolist()
    result = []
    for (start, end, theme, subtheme), position in zip(hits, positions.tolist(), strict=True):
        offset = offsets[position]
        if end - offset <= sizes[position]:
            result.append((position, PatternHit(theme, subtheme, start - offset, end - offset)))
    return result


def build_codebook(spec: CodebookFile, path: Path | None = None) -> Codebook:
    """Compile a validated codebook's patterns: per theme, one combined regex per kind of pattern.

    One regex per theme (not one for the whole codebook) lets a phrase count for two themes at once
    ("MARAC" is domestic abuse and multi-agency working) and keeps each scan's alternatives few.
    """
    matchers: list[_Matcher] = []
    for theme in spec.themes:
        buckets: dict[str, list[tuple[PhraseRegex, str, str]]] = {
            "lower": [],
            "exact": [],
            "raw": [],
        }
        for sub in theme.subthemes:
            for pattern in sub.patterns:
                phrase = pattern_to_regex(pattern)
                kind = "raw" if phrase.is_raw else "exact" if phrase.case_sensitive else "lower"
                buckets[kind].append((phrase, theme.id, sub.id))
        matchers += [_combine(entries, kind) for kind, entries in buckets.items() if entries]
    return Codebook(
        version=spec.version,
        themes=tuple(spec.themes),
        path=path,
        description=spec.description,
        _matchers=tuple(matchers),
    )


def _combine(entries: list[tuple[PhraseRegex, str, str]], kind: str) -> _Matcher:
    """One regex for many patterns, branches grouped by first character for a cheap scan.

    Every alternative ends in an empty named group, so ``match.lastgroup`` says which pattern (and
    so which sub-theme) matched while each branch still starts with a literal the regex engine can
    skip cheaply. Longer patterns come first within a group so the fullest phrase is the evidence.
    """
    groups: dict[str, tuple[str, str]] = {}
    by_first: dict[str, list[str]] = {}
    ordered = sorted(enumerate(entries), key=lambda item: -len(item[1][0].source))
    for index, (phrase, theme_id, sub_id) in ordered:
        name = f"p{index}"
        groups[name] = (theme_id, sub_id)
        first = phrase.source[0] if not phrase.is_raw and phrase.source[0].isalnum() else ""
        rest = phrase.source[1:] if first else f"(?:{phrase.source})"
        by_first.setdefault(first, []).append(f"{rest}(?P<{name}>)")
    branches = [
        f"{re.escape(first)}(?:{'|'.join(alts)})" for first, alts in sorted(by_first.items())
    ]
    flags = re.IGNORECASE if kind == "raw" else 0
    prefix = "" if kind == "raw" else r"(?<![\w\-])"
    regex = re.compile(f"{prefix}(?:{'|'.join(branches)})", flags)
    return _Matcher(regex=regex, on_lowered=kind == "lower", groups=groups)


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
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
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
