"""The codebook file's schema: what ``data/codebook/themes.yaml`` may say, checked on loading.

Analysts edit the file without touching code, so everything they can get wrong (a typo in a key,
a duplicated id, an empty pattern list, a pattern that does not compile, a ``who`` group that is
not among the file's ``people``) is rejected here with a message naming what is wrong; loading
(``workbook.coding.codebook``) turns it into an error naming the file, the theme and the
sub-theme, never a stack trace.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workbook.coding.patterns import GAP, pattern_to_regex

UNNAMED = "unnamed"
"""The ``who`` group of a mention in a sentence that names no one."""
NOBODY = "nobody"
"""The ``people`` group of phrases that contain a person's word but name a service or a process
("child protection", "children's services"): never the person a mention is about."""
STRONG, WEAK = "strong", "weak"
"""How much a phrase's match says: strong evidence is shown in the board pack, weak evidence
(a word with other senses, a phrase the theme shares with others) only suggests the theme to the
analyst."""

Identifier = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_]*$", description="lower case, digits and underscores")
]


class PhraseRule(BaseModel):
    """A pattern with its sense and scope rules, written as a mapping instead of a plain line.

    ``unless``: phrases that, matching around the mention, show it is another sense ("action
    plan" for "plan", "risk management" for "management"); ``requires``: phrases of which one
    must be in the same sentence ("plan" only with child, care, protection, safety or pathway);
    ``who``: groups of the codebook's ``people`` the mention must be about (its owner is the
    nearest person named before it in the sentence, else after it); ``evidence``: ``weak`` when
    the phrase alone only suggests the theme (it is then offered to the analyst, not published).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    phrase: str
    unless: list[str] = []
    requires: list[str] = []
    excludes: list[str] = []
    who: list[Identifier] = []
    evidence: Literal["strong", "weak"] = STRONG

    @field_validator("phrase")
    @classmethod
    def _phrase_compiles(cls, phrase: str) -> str:
        pattern_to_regex(phrase)
        return phrase

    @field_validator("unless", "requires", "excludes")
    @classmethod
    def _context_compiles(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            pattern_to_regex(phrase)
        return phrases

    @property
    def has_rules(self) -> bool:
        """Whether hits of this pattern need to know their rule (to check it, or because its
        evidence is weak): only those patterns are numbered in ``Codebook.rules``."""
        return bool(
            self.unless or self.requires or self.excludes or self.who or self.evidence == WEAK
        )

    @property
    def weak(self) -> bool:
        return self.evidence == WEAK


class SubTheme(BaseModel):
    """A sub-theme: the level patterns live at, so evidence says *why* a finding got its theme."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    label: str = Field(min_length=1)
    patterns: list[str | PhraseRule] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str | PhraseRule]) -> list[str | PhraseRule]:
        """Reject blank patterns, broken regexes and regexes matching empty text (they code all)."""
        for pattern in patterns:
            if isinstance(pattern, str):
                pattern_to_regex(pattern)
        return patterns

    @property
    def rules(self) -> list[PhraseRule]:
        """Every pattern as a ``PhraseRule`` (a plain line is a rule with no conditions)."""
        return [p if isinstance(p, PhraseRule) else PhraseRule(phrase=p) for p in self.patterns]


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
    people: dict[Identifier, list[str]] = {}
    passing: list[str] = []
    source_types: dict[Identifier, list[Identifier]] = {}
    themes: list[Theme] = Field(min_length=1)

    @field_validator("passing")
    @classmethod
    def _passing_compiles(cls, phrases: list[str]) -> list[str]:
        """Passing phrases may end with ``...`` (the rest of the clause is passing too)."""
        for phrase in phrases:
            pattern_to_regex(phrase.rstrip().removesuffix(GAP))
        return phrases

    @field_validator("people")
    @classmethod
    def _people_compile(cls, people: dict[str, list[str]]) -> dict[str, list[str]]:
        for group, phrases in people.items():
            if not phrases:
                raise ValueError(f"people group {group!r} lists no words")
            for phrase in phrases:
                pattern_to_regex(phrase)
        return people

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
                for rule in sub.rules:
                    persons = set(self.people) - {NOBODY} | {UNNAMED}
                    unknown = [g for g in rule.who if g not in persons]
                    if unknown:
                        raise ValueError(
                            f"sub-theme {sub.id!r}, pattern {rule.phrase!r}: who {unknown} is "
                            f"not a group of 'people' (groups: {', '.join(self.people) or 'none'})"
                        )
        themes = {theme.id for theme in self.themes}
        for kind, listed in self.source_types.items():
            unknown = [theme for theme in listed if theme not in themes]
            if unknown:
                raise ValueError(f"source_types {kind!r} names unknown theme(s) {unknown}")
        return self


def _claim(seen: dict[str, str], identifier: str, where: str) -> None:
    """Record an id, or fail naming both places that use it."""
    if identifier in seen:
        raise ValueError(f"duplicate id {identifier!r}: used by {seen[identifier]} and by {where}")
    seen[identifier] = where
