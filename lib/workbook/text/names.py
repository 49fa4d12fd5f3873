"""Finding people's names in free text, for the personal-identifier screen.

A finding names someone in several ways, and each has its own rule:
- a given name and a surname ("Aleksandra Nowak", "Chantelle Robinson");
- a name beside a relation or a role ("Kerry, the mother", "the stepfather, Marek", "Siobhan,
  the aunt", "Kayleigh Dixon, aged 17");
- an initial and a surname ("J. Thompson", "K Patel");
- a given name alone ("Nobody asked Tyler");
- (titles, "Mr Bates", "Dr Farah Qureshi", are a regular expression in specs/identifiers.yaml).

The lists of given names and surnames are broad (specs/names/, about 23,000 and 20,000, built by
scripts/build_name_lists.py from public lists of many countries), because the families in a
review come from everywhere. A name that is also an ordinary English word (Will, Grace, Mark,
Young, Green) counts only beside a known surname or a relation; words that are never a person in
a safeguarding report (months, compass points, nationalities, "Child" in "Child J") are listed
in specs/identifiers.yaml under `not_names`. What the rules find and miss, measured on 154
sentences, is in docs/name-screen.md (benchmarks/name_screen.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from workbook.core import paths
from workbook.core.yamlfile import load_spec

NAMES_DIR = paths.SPECS_DIR / "names"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class _Lists:
    given: frozenset[str]
    given_words: frozenset[str]
    surnames: frozenset[str]
    surname_words: frozenset[str]
    not_names: frozenset[str]
    institutions: frozenset[str]
    before_place: frozenset[str]
    not_initial_of: frozenset[str]
    titles: frozenset[str]
    relation_after: re.Pattern
    relation_before: re.Pattern


def _read(name: str) -> frozenset[str]:
    lines = (NAMES_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def lists() -> _Lists:
    spec = load_spec("identifiers")["names"]
    relations = "|".join(sorted(spec["relations"], key=len, reverse=True))
    return _Lists(
        given=_read("given_names.txt"),
        given_words=_read("given_names_also_words.txt"),
        surnames=_read("surnames.txt"),
        surname_words=_read("surnames_also_words.txt"),
        not_names=frozenset(spec["not_names"]),
        institutions=frozenset(spec["institutions"]),
        before_place=frozenset(spec["before_place"]),
        not_initial_of=frozenset(spec["not_initial_of"]),
        titles=frozenset(spec["titles"]),
        relation_after=re.compile(
            rf"^(?:\s*,\s*|\s+)(?:(?:the|his|her|their|our|a|\w+['’]s)\s+)?"
            rf"(?:(?:maternal|paternal|former|then|older|younger|eldest|youngest|allocated|"
            rf"new|independent)\s+)*(?:{relations})\b|^\s*,?\s*\(?aged\s+\d",
            re.IGNORECASE,
        ),
        # Lower case only: "the mother, Kerry", never "Child Protection Plans".
        relation_before=re.compile(
            rf"(?:\b(?:{relations})|\bnamed|\bcalled|\bknown as)['’]?s?,?\s*$"
        ),
    )


@dataclass(frozen=True)
class _Token:
    word: str
    start: int
    end: int
    sentence_start: bool

    @property
    def bare(self) -> str:
        """The word without a possessive ending (Kerry's -> Kerry)."""
        return _POSSESSIVE.sub("", self.word) if self.word[-2:] in {"'s", "’s"} else self.word

    @property
    def capitalised(self) -> bool:
        """A capitalised word of two letters or more (not an initial, not an acronym)."""
        word = self.bare
        return word[0].isupper() and any(c.islower() for c in word[1:])

    @property
    def possessive(self) -> bool:
        return self.word != self.bare

    @property
    def initial(self) -> bool:
        return len(self.word) == 1 and self.word.isupper()


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(text):
        before = text[: match.start()].rstrip(" \t\"'‘“(")
        sentence_start = not before or before[-1] in ".!?:;\n*-•"
        tokens.append(_Token(match.group(), match.start(), match.end(), sentence_start))
    return tokens


def _joined(text: str, first: _Token, second: _Token) -> bool:
    """Whether two words stand side by side as parts of one name (a space, or an initial's
    full stop and a space, between them)."""
    gap = text[first.end : second.start]
    return gap in {" ", "\u00a0"} or (first.initial and gap in {". ", "."})


class _Finder:
    """The name rules over one piece of text."""

    def __init__(self, text: str):
        self.text, self.lists, self.tokens = text, lists(), _tokens(text)

    def name_word(self, token: _Token) -> bool:
        """A capitalised word that could be part of a name (not a body, not a never-name)."""
        word = token.bare
        return (
            token.capitalised
            and word not in self.lists.not_names
            and word not in self.lists.institutions
            and word not in self.lists.titles
        )

    def run_from(self, i: int) -> int:
        """The index after the run of name words starting at `i` (at most three)."""
        j = i + 1
        while (
            j < len(self.tokens)
            and j - i < 3
            and self.name_word(self.tokens[j])
            and not self.tokens[j - 1].possessive
            and _joined(self.text, self.tokens[j - 1], self.tokens[j])
        ):
            j += 1  # a possessive ends a name: Clare's Law, Kerry's mother
        return j

    def followed_by_institution(self, j: int) -> bool:
        """Whether the words after a run make it a place or a body (James Cook University
        Hospital, Victoria Road, Stanley Park Children's Centre)."""
        return (
            j < len(self.tokens)
            and self.tokens[j].bare in self.lists.institutions
            and _joined(self.text, self.tokens[j - 1], self.tokens[j])
        )

    def after_place_word(self, i: int) -> bool:
        """Whether the word before makes this one a place (St John, Port Talbot), or is a title
        (Mr Bates: the `titled_name` pattern's, not found twice)."""
        if i == 0:
            return False
        before = self.tokens[i - 1]
        gap = self.text[before.end : self.tokens[i].start]
        return (
            before.word in self.lists.before_place or before.word in self.lists.titles
        ) and gap in {" ", ". ", "\u00a0"}

    def given(self, word: str, strong: bool) -> bool:
        """Whether `word` is a known given name (`strong`: and not an ordinary word too); a
        hyphenated one counts when each part is (Ellie-Mae, Demi-Leigh)."""
        if word in self.lists.not_names:
            return False
        if word in self.lists.given or (not strong and word in self.lists.given_words):
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(self.given(part, strong=False) for part in parts)

    def surname(self, word: str, strong: bool) -> bool:
        if word in self.lists.not_names:
            return False
        return word in self.lists.surnames or (not strong and word in self.lists.surname_words)

    def beside_relation(self, first: _Token, last: _Token) -> bool:
        return bool(
            self.lists.relation_after.match(self.text[last.end : last.end + 60])
            or self.lists.relation_before.search(self.text[max(0, first.start - 40) : first.start])
        )

    def find(self) -> list[tuple[str, str]]:
        found, tokens, i = [], self.tokens, 0
        while i < len(tokens):
            token = tokens[i]
            if token.initial and i + 1 < len(tokens) and self.initial_and_surname(i):
                found.append(("initial_and_surname", self.text[token.start : tokens[i + 1].end]))
                i += 2
                continue
            if not self.name_word(token) or self.after_place_word(i):
                i += 1
                continue
            j = self.run_from(i)
            kind = None if self.followed_by_institution(j) else self.kind(i, j)
            if kind:
                found.append((kind, self.text[token.start : tokens[j - 1].end]))
                i = j
            else:
                i += 1
        return found

    def initial_and_surname(self, i: int) -> bool:
        initial, surname = self.tokens[i], self.tokens[i + 1]
        gap = self.text[initial.end : surname.start]
        if gap not in {" ", ". ", "."} or not surname.capitalised:
            return False
        if initial.word in {"A", "I"} and gap == " ":
            return False  # an article or a pronoun, not an initial
        if i > 0 and self.tokens[i - 1].bare in self.lists.not_initial_of:
            return False  # Child J, Table B
        return self.surname(surname.bare, strong=False)

    def kind(self, i: int, j: int) -> str | None:
        """What makes the run tokens[i:j] a name, or None."""
        first, last = self.tokens[i], self.tokens[j - 1]
        words = [t.bare for t in self.tokens[i:j]]
        if self.beside_relation(first, last) and (
            j - i > 1
            or not first.sentence_start
            or self.given(words[0], strong=False)
            or self.surname(words[0], strong=False)
        ):
            return "name_beside_relation"
        if j - i == 1 and self.after_pseudonym_word(i) and self.given(words[0], strong=False):
            return "name_beside_relation"  # Baby Harvey (but Baby D is a pseudonym)
        if j - i > 1:
            given, surname = words[0], words[-1]
            if self.given(given, strong=True) or (
                self.given(given, strong=False) and self.surname(surname, strong=False)
            ):
                return "full_name"
            if (
                self.surname(surname, strong=True)
                and not self.given(given, strong=False)
                and given not in self.lists.surname_words
            ):
                return "full_name"  # Oluwaseun Adeyemi: a given name the lists lack
            return None
        if self.given(words[0], strong=True) and not self.joined_to_capital(i):
            return "given_name"
        return None

    def after_pseudonym_word(self, i: int) -> bool:
        """Whether the word before is one pseudonyms are made with (Child, Baby, Sibling)."""
        return (
            i > 0
            and self.tokens[i - 1].word in self.lists.not_initial_of
            and _joined(self.text, self.tokens[i - 1], self.tokens[i])
        )

    def joined_to_capital(self, i: int) -> bool:
        """Whether the word stands in a longer capitalised phrase (a title, a body's name)."""
        before = (
            i > 0
            and self.tokens[i - 1].word[0].isupper()
            and _joined(self.text, self.tokens[i - 1], self.tokens[i])
            and not self.tokens[i].sentence_start
        )
        after = (
            i + 1 < len(self.tokens)
            and self.tokens[i + 1].word[0].isupper()
            and _joined(self.text, self.tokens[i], self.tokens[i + 1])
        )
        return before or after


def find_names(text: str) -> list[tuple[str, str]]:
    """(kind, words) for every likely person's name in `text`."""
    return _Finder(text).find() if text else []
