"""Negation: "no concerns about neglect" is not a finding of neglect.

For themes the codebook marks ``negatable`` (harms), a mention denied in its own clause does not
code the finding: "there was no evidence of domestic abuse", "neglect was not a feature",
"substance misuse was ruled out". Only the mention's own clause counts ("no concerns about
neglect, but domestic abuse was known" codes domestic abuse), and a mention that professionals
missed something ("neglect was not recognised") is not negated, because that is exactly the
learning to code. Practice themes are never negatable: the absence of good practice is a finding.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

# Every cue below contains one of these words, so a mention with none of them within _WINDOW
# characters is not negated; most mentions stop at that test.
# Matched on lower-cased text, each word preceded by a non-word character (the regex engine skips
# quickly to those), the word itself in group 1.
_NEGATION_WORD = re.compile(
    r"[^\w](?=(n(?:o|ot|ever|or|either)|didn['\u2019]t|without|absence|ruled|unfounded"
    r"|unsubstantiated|denied)\b)"
)
_WINDOW = 120
# ... a cue before the mention in the same clause ...
# The clause and denial patterns run on lower-cased text (no IGNORECASE: several times faster).
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|\b(?:but|however|although|though|whereas|while|yet)\b")
_CUE_BEFORE = re.compile(
    r"\b(?:"
    r"(?:no|not\s+any|without(?:\s+any)?|nor\s+any|never\s+any|absence\s+of)\s+"
    r"(?:(?:known|obvious|apparent|significant|further|current|previous|other|recorded|reported)\s+)?"
    r"(?:concerns?|evidence|history|indications?|suggestions?|signs?|reports?|mention|issues?|"
    r"worries|allegations?|disclosures?)"
    r")\b"
)
_WORDS_BETWEEN = r"[^\w]+(?:[\w']+[^\w]+){0,4}$"
_NEGATED_BEFORE = re.compile(_CUE_BEFORE.pattern + _WORDS_BETWEEN)
_NEGATED_BARE = re.compile(r"\b(?:no|nor|neither)\s+(?:[\w']+\s+)?$")
# ... or a denial straight after it ("neglect was not a feature", "... was ruled out").
_NEGATED_AFTER = re.compile(
    r"^[^\w]*(?:[\w']+[^\w]+){0,3}?(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+"
    r"(?:(?:not|never)\s+(?:(?:considered|thought|felt|found|judged|assessed|believed|seen)\s+)?"
    r"(?:to\s+be\s+)?(?:an?\s+)?(?:feature|factor|concern|issue|present|evident|relevant|substantiated)"
    r"|ruled\s+out|unfounded|unsubstantiated)",
)
_NEGATED_DID_NOT_FEATURE = re.compile(r"^[^\w]*(?:did\s+not|didn['\u2019]t)\s+feature")


def drop_negated(
    hits: pd.DataFrame, lowered: Sequence[str], themes: Collection[str]
) -> pd.DataFrame:
    """``hits`` (columns position, theme, start, end) without the mentions of ``themes`` denied
    in their own clause (``lowered``: the texts in lower case, same lengths, by position)."""
    rows = hits[hits["theme"].isin(list(themes)).to_numpy()]
    rows = rows[_near_negation_word(lowered, rows)]
    negated = [
        _denied_in_clause(lowered[position], start, end)
        for position, start, end in zip(
            rows["position"].tolist(), rows["start"].tolist(), rows["end"].tolist(), strict=True
        )
    ]
    return hits.drop(index=rows.index[np.asarray(negated, dtype=bool)])


def _near_negation_word(lowered: list[str], hits: pd.DataFrame) -> np.ndarray:
    """For each hit (position, start, end), whether a negation word lies wholly within
    ``_WINDOW`` characters of it in its own text (``lowered``: the texts in lower case, same
    lengths): one regex pass over all texts, then a binary search per hit, rather than a regex
    search per hit."""
    lengths = np.fromiter((len(text) for text in lowered), dtype=np.int64, count=len(lowered))
    offsets = np.cumsum(lengths + 1) - lengths  # each text follows a newline in ``joined``
    joined = "\n" + "\n".join(lowered)
    found = [(match.start(1), match.end(1)) for match in _NEGATION_WORD.finditer(joined)]
    words = np.array(found, dtype=np.int64).reshape(-1, 2)
    position = hits["position"].to_numpy(dtype=np.int64)
    text_start, text_end = offsets[position], offsets[position] + lengths[position]
    low = np.maximum(text_start + hits["start"].to_numpy(dtype=np.int64) - _WINDOW, text_start)
    high = np.minimum(text_start + hits["end"].to_numpy(dtype=np.int64) + _WINDOW, text_end)
    first = np.searchsorted(words[:, 0], low)
    ends = np.append(words[:, 1], np.iinfo(np.int64).max)
    return ends[first] <= high


def _denied_in_clause(text: str, start: int, end: int) -> bool:
    """Whether the mention ``text[start:end]``, already known to have a negation word nearby, is
    denied in its own clause: by a cue before it ("no evidence of", "no") or a denial straight
    after it ("was not a feature", "was ruled out"); ``text``: the finding in lower case,
    ``lower_same_length``."""
    before = text[max(0, start - _WINDOW) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause_before = before[breaks[-1].end() :] if breaks else before
    if _NEGATED_BEFORE.search(clause_before) or _NEGATED_BARE.search(clause_before):
        return True
    after = text[end : end + _WINDOW]
    cut = _CLAUSE_BREAK.search(after)
    clause_after = after[: cut.start()] if cut else after
    return bool(
        _NEGATED_AFTER.search(clause_after) or _NEGATED_DID_NOT_FEATURE.search(clause_after)
    )
