"""Generated sentences as claims over facts.

A narrative template writes each sentence that states something about the partnership inside a
claim block:

    {% call claim(actions.overdue) %}{{ actions.overdue }} actions were overdue.{% endcall %}

`claim` refuses a fact that is not recorded, notes every fact the sentence uses (those it names
and those it reads), and marks the sentence so that, once the Markdown is HTML, it becomes
`<span class="claim" data-facts="..." data-rows="...">`: invisible to the board, there for the
analyst (and the tests) to see which facts and which rows each sentence rests on. A fact printed
outside a claim is refused too, so no number reaches the text without saying where it comes from.
"""

from __future__ import annotations

import contextvars
import html
import re
from dataclasses import dataclass

from workbook.core.fact import _USES, Fact, NotRecordedError
from workbook.disclosure.policy import WorkCount

_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"
"""Private-use characters marking a claim in the Markdown until it is HTML. No report writes
them; text from the data has them removed before it reaches a template (`strip_markers`), so
data can never forge or break a claim."""

_MARKED = re.compile(f"{_OPEN}(\\d+){_MID}(.*?){_CLOSE}", re.DOTALL)
_STRAY = re.compile(f"[{_OPEN}{_MID}{_CLOSE}]")

_WRITTEN: contextvars.ContextVar[list | None] = contextvars.ContextVar("claims", default=None)


@dataclass(frozen=True)
class Claim:
    """One generated sentence and the facts it rests on."""

    text: str
    facts: tuple[Fact, ...]

    @property
    def rows(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row for fact in self.facts for row in fact.rows))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fact.name for fact in self.facts))


class ClaimError(ValueError):
    """A claim written wrongly by a template (a defect of the template, not of the data)."""


def claim(*facts: Fact, caller) -> str:
    """The Jinja2 `claim` block: the sentence `caller()` writes, marked with the facts it uses.

    Every fact named must be recorded (a sentence about something not recorded is never
    written); a claim holds one sentence or a few, never a paragraph break."""
    for fact in facts:
        if not isinstance(fact, Fact):
            raise ClaimError(f"claim() takes facts, not {fact!r}")
        if not fact.recorded:
            raise NotRecordedError(fact)
    uses: list[Fact] = []
    token = _USES.set(uses)
    try:
        text = str(caller())
    finally:
        _USES.reset(token)
    if not text.strip():
        return ""
    if re.search(r"\n\s*\n", text.strip()):
        raise ClaimError(f"a claim spans paragraphs: {text.strip()[:80]!r}")
    written = _WRITTEN.get()
    if written is None:  # rendered outside `collecting`: nothing to mark
        return text
    written.append(Claim(text.strip(), tuple(dict.fromkeys([*facts, *uses]))))
    leading = text[: len(text) - len(text.lstrip())]
    # A claim ends its line: the template's line break after `endcall` is trimmed away, and
    # the next sentence must not run into this one.
    trailing = text[len(text.rstrip()) :] or "\n"
    return f"{leading}{_OPEN}{len(written) - 1}{_MID}{text.strip()}{_CLOSE}{trailing}"


def in_claim() -> bool:
    """Whether a claim is being written now (a fact may be printed only inside one)."""
    return _USES.get() is not None


class collecting:
    """Collect the claims written while rendering (a context manager giving their list)."""

    def __enter__(self) -> list[Claim]:
        self._claims: list[Claim] = []
        self._token = _WRITTEN.set(self._claims)
        return self._claims

    def __exit__(self, *exc) -> None:
        _WRITTEN.reset(self._token)


def strip_markers(text: str) -> str:
    """Text from the data with any claim marker removed (they are private-use characters no
    report uses; removed so that data can never forge or break a claim)."""
    return _STRAY.sub("", text)


def mark_up(rendered: str, claims: list[Claim], threshold: int) -> str:
    """HTML with each claim's markers replaced by its span (facts, their values and rows). A
    count of people at or under the small-number `threshold` is given as `c` there too."""

    def span(match: re.Match) -> str:
        found = claims[int(match.group(1))]
        values = " ".join(
            f"{fact.name}={_plain(fact.value, threshold)}" for fact in found.facts if fact.recorded
        )
        return (
            f'<span class="claim" data-facts="{html.escape(" ".join(found.names))}" '
            f'data-values="{html.escape(values)}" '
            f'data-rows="{html.escape(" ".join(found.rows))}">{match.group(2)}</span>'
        )

    marked = _MARKED.sub(span, rendered)
    if _STRAY.search(marked):
        raise ClaimError("a claim crosses a paragraph or list item: keep each claim in one")
    return marked


def _plain(value, threshold: int) -> str:
    """A fact's value in a data attribute: a count of work as it is, a count of people as the
    text publishes it (`c` when small), a list by its length."""
    if isinstance(value, list | tuple):
        return str(len(value))
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and not isinstance(value, WorkCount) and 0 < value <= threshold:
        return "c"
    return str(value).replace(" ", "_")


_SPAN = re.compile(
    r'<span class="claim" data-facts="([^"]*)" data-values="([^"]*)" data-rows="([^"]*)">'
)


def claims_in(page: str) -> list[dict]:
    """The claims of a rendered page (HTML): each with its facts, values and rows, and its
    sentence as the reader sees it (for the analyst's companion and the tests)."""
    found = []
    for match in _SPAN.finditer(page):
        depth, position = 1, match.end()
        for tag in re.finditer(r"<(/?)span\b[^>]*>", page[position:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                inner = page[position : position + tag.start()]
                break
        else:
            inner = page[position:]
        text = html.unescape(re.sub(r"<[^>]+>", "", inner))
        found.append(
            {
                "facts": html.unescape(match.group(1)).split(),
                "values": dict(
                    pair.split("=", 1) for pair in html.unescape(match.group(2)).split() if pair
                ),
                "rows": html.unescape(match.group(3)).split(),
                "text": " ".join(text.split()),
            }
        )
    return found
