"""The codebook: themes and sub-themes with the phrases an analyst codes findings on, compiled.

``load_codebook`` reads ``data/codebook/themes.yaml``, checks it against its schema
(``codebook_schema``; every problem reported as a ``CodebookError`` naming the file, the theme
and the sub-theme, never a stack trace) and compiles every phrase, with the context phrases of
the sense and scope rules, into one ``Scanner``, so one scan of a batch finds the themes' phrases
and the phrases that qualify them together (``workbook.coding.rules`` then applies the rules).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from workbook.coding.alternation import Entry
from workbook.coding.codebook_schema import CodebookFile, PhraseRule, Theme
from workbook.coding.patterns import GAP
from workbook.coding.scanner import Scanner
from workbook.core.errors import CodebookError
from workbook.core.paths import codebook_path
from workbook.core.yamlfile import CODEBOOK, BudgetExceeded, YAMLError, load_file

# What a hit is of (``Entry``): a theme's phrase is (theme, sub-theme, rule), the rule an index
# into ``Codebook.rules`` or NO_RULE. Context phrases are entries too, under themes starting with
# ``~``: ``UNLESS`` (sub-theme: the rule's index) and ``PASSING``, so one scan finds them with the
# themes' own phrases.
UNLESS, PASSING = "~unless", "~passing"
PASSING_TO_CLAUSE = "clause"
"""The sub-theme of a passing phrase written with a final ``...``: it covers its clause's rest."""
NO_RULE = -1
CONTEXT_RULE = -2
"""The rule of every context entry, so context rows are told from theme rows by a number."""


@dataclass(frozen=True)
class Codebook:
    """A validated codebook with its patterns compiled; build it with ``load_codebook``."""

    version: str
    themes: tuple[Theme, ...]
    scanner: Scanner = field(repr=False)
    path: Path | None = None
    description: str = ""
    rules: tuple[PhraseRule, ...] = ()
    people: dict[str, list[str]] = field(default_factory=dict)
    source_types: dict[str, list[str]] = field(default_factory=dict)

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

    def scan_many(self, texts: Sequence[str]) -> pd.DataFrame:
        """Pattern hits in many texts: columns text (position in ``texts``), theme, subtheme, rule,
        start, end (offsets within that text), in no particular order; sense and scope rules not
        applied (that is ``workbook.coding.rules``)."""
        hits = self.scan_with_context(texts)
        return hits[hits["rule"].to_numpy() != CONTEXT_RULE].reset_index(drop=True)

    def scan_with_context(
        self, texts: Sequence[str], lowered_texts: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """``scan_many`` with the hits of context phrases (``UNLESS`` and ``PASSING`` rows) kept
        (``lowered_texts``: the texts in lower case, ``lower_same_length``, if the caller has
        them)."""
        return self.scanner.scan(texts, lowered_texts)


def build_codebook(spec: CodebookFile, path: Path | None = None) -> Codebook:
    """Compile a validated codebook: its phrases and their context phrases into one scanner."""
    rules = [
        rule
        for theme in spec.themes
        for sub in theme.subthemes
        for rule in sub.rules
        if rule.has_rules
    ]
    return Codebook(
        version=spec.version,
        themes=tuple(spec.themes),
        path=path,
        description=spec.description,
        rules=tuple(rules),
        people=dict(spec.people),
        source_types=dict(spec.source_types),
        scanner=Scanner.compile(_entries(spec)),
    )


def _entries(spec: CodebookFile) -> Iterator[tuple[str, Entry]]:
    """Every phrase of the codebook with what its hit is of: the themes' phrases (each after its
    rule's ``unless`` phrases), then the passing phrases. Rules are numbered in the order they
    come, as ``build_codebook`` lists them."""
    index = 0
    for theme in spec.themes:
        for sub in theme.subthemes:
            for rule in sub.rules:
                number = NO_RULE
                if rule.has_rules:
                    number, index = index, index + 1
                    for phrase in rule.unless:
                        yield phrase, (UNLESS, str(number), CONTEXT_RULE)
                yield rule.phrase, (theme.id, sub.id, number)
    for phrase in spec.passing:
        to_clause = phrase.rstrip().endswith(GAP)
        stem = phrase.rstrip().removesuffix(GAP).rstrip() if to_clause else phrase
        yield stem, (PASSING, PASSING_TO_CLAUSE if to_clause else "", CONTEXT_RULE)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read, validate and compile the codebook (default: ``data/codebook/themes.yaml``).

    Compiled once a process for one file's content: a run's sections, the coding commands and
    the tests ask for it many times, and compiling is most of its cost. The key is what the file
    holds, not its time stamp, so a codebook the analyst has just edited is read afresh."""
    file = Path(path) if path is not None else codebook_path()
    key = _content_key(file)
    return _compiled(file, key) if key else _load(file)


def _content_key(file: Path) -> str:
    """A digest of the file's bytes; empty where it cannot be read within a codebook's budget
    (loading it then says why, and nothing is kept)."""
    try:
        if file.stat().st_size > CODEBOOK.size:
            return ""
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""


@lru_cache(maxsize=4)
def _compiled(file: Path, key: str) -> Codebook:
    """``_load``, kept for a file and a digest of its content (``key``, which only keys it)."""
    return _load(file)


def _load(file: Path) -> Codebook:
    raw = _read_yaml(file)
    try:
        spec = CodebookFile.model_validate(raw)
    except ValidationError as exc:
        raise CodebookError(_describe_errors(file, raw, exc)) from None
    return build_codebook(spec, path=file)


def _read_yaml(file: Path) -> Any:
    """The file's YAML, or a ``CodebookError`` saying why it cannot be read."""
    try:
        data = load_file(file, CODEBOOK)  # a file beyond a codebook's budget is refused at once
    except FileNotFoundError:
        raise CodebookError(f"codebook {file} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"codebook {file} cannot be read: {exc}") from None
    except BudgetExceeded as exc:
        raise CodebookError(f"codebook {exc}") from None
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
