"""The words of findings that say something: lemmas, without stop words and report vocabulary.

Emerging terms and codebook suggestions both look for words a theme might be missing. Neither
should offer the words every review and audit is written in ("practitioners", "auditors",
"supported", "seek", "person's"), nor two forms of one word ("auditor" and "auditors"): words are
reduced to their lemma (``simplemma``, English) after possessives are cut, and lemmas of the two
lists below are never offered.
"""

from __future__ import annotations

import re
from functools import cache

import simplemma

_TOKEN = re.compile(r"[a-z][a-z'’]*(?:-[a-z'’]+)*")

STOPWORD_TEXT = """
    a about above across after again against all also although am among an and any are as at be
    because been before being below between both but by can could did do does doing done down
    during each either few for from further had has have having he her here hers him his how i if
    in into is it its itself just least less many may might more most much must my no nor not now
    of off on once one only or other others our out over own per rather same she should since so
    some such than that the their theirs them then there these they this those through to too two
    under until up upon us very via was we were what when where whether which while who whom whose
    why will with within without would yet you your three four five six first second last next
    every each whole
"""
REPORT_VOCABULARY_TEXT = """
    child children young people person family families parent parents carer carers
    practitioner professional agency service partner partnership safeguard safeguarding review
    audit auditor case finding work worker need ensure include identify evidence practice support
    good poor better clear clearly make see find note give take use able appropriate
    appropriately effective effectively consistent consistently improve improvement area strength
    development team staff group level number early late seek say tell show put keep reveal pose
    report highlight consider know think feel help time year month week day way example issue
    concern risk learning lesson response respond action process system arrangement
    opportunity well also often always sometimes never must should would could share record
    complete meeting assurance attend offer provide follow agree contact visit discuss check
    police health hospital council local authority social
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())


@cache
def lemma(word: str) -> str:
    """The word's lemma, lower case, possessive cut ("practitioners'" -> "practitioner")."""
    word = word.lower().replace("’", "'")
    word = re.sub(r"'s$|'$", "", word)
    return simplemma.lemmatize(word, lang="en").lower()


REPORT_VOCABULARY = frozenset(
    form for word in REPORT_VOCABULARY_TEXT.split() for form in (word, lemma(word))
)


def is_content(lemma_: str, word: str = "") -> bool:
    """Whether a lemma (of ``word``) is worth offering: three letters or more, neither it nor the
    word's own form (lemmatisers differ: "meeting" -> "meet", "meetings" -> "meeting") a stop
    word or report word."""
    forms = {lemma_, word, lemma(word)} - {""} if word else {lemma_}
    return len(lemma_) > 2 and not forms & (STOPWORDS | REPORT_VOCABULARY)


def lemmas(text: str) -> list[tuple[str, str] | None]:
    """The text's words as (lemma, word as written, lower case), in order, ``None`` where a word
    is not content (so that no two-word phrase is made across a stop word)."""
    out: list[tuple[str, str] | None] = []
    for token in _TOKEN.findall(text.lower()):
        found = lemma(token)
        plain = re.sub(r"['’]s?$", "", token)
        out.append((found, token.replace("’", "'")) if is_content(found, plain) else None)
    return out


def terms(text: str) -> dict[str, str]:
    """A text's content lemmas and pairs of adjacent content lemmas, each with the form it is
    written in here ("delays" for the lemma "delay"), so a term can be shown as people write it."""
    words = lemmas(text)
    found = {word[0]: word[1] for word in words if word}
    for first, second in zip(words, words[1:], strict=False):
        if first and second and first[0] != second[0]:
            found[f"{first[0]} {second[0]}"] = f"{first[1]} {second[1]}"
    return found
