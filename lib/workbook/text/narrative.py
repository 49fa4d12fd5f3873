"""Narrative from templates: Jinja2 Markdown templates that analysts can edit, not code.

Templates live in lib/workbook/templates/narrative/; a file of the same name in
data/templates/narrative/ overrides the default for the whole project.

Two safety rules are built into the environment rather than left to each template:
- every whole number that reaches the text passes through `publishable_count`, so a count
  below the small-number threshold reads "5 or fewer" and never the number itself, unless it
  says it is not a count of people: a `WorkCount` (reviews, audits, findings, actions: see
  `workbook.disclosure.published`) is stated as it is, and a number that counts nothing
  (years in a window) says so with the `quantity` filter;
- every piece of text substituted into a template (a finding, an agency name) is escaped, so
  Markdown or HTML inside the data shows as text.
"""

from __future__ import annotations

import numbers
import re

import jinja2
import pandas as pd

from workbook.core import paths
from workbook.core.fact import Fact, NotRecordedError
from workbook.disclosure.formatting import format_figure
from workbook.disclosure.policy import WorkCount
from workbook.disclosure.suppression import publishable_count
from workbook.text.claims import ClaimError, claim, collecting, in_claim, mark_up, strip_markers
from workbook.text.safety import render_markdown

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~=])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown punctuation so substituted text cannot become markup.

    Line breaks become spaces: a substituted fact is part of a sentence, and a new line could
    otherwise start a heading ("===" underneath) or a list.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", strip_markers(text)))


def format_number(value, decimals: int = 1) -> str:
    """A rate or percentage in a sentence, written as the tables write it."""
    return format_figure(value, decimals)


class _Env(jinja2.Environment):
    """A Jinja2 environment bound to one partnership's small-number threshold."""

    def __init__(self, threshold: int):
        project_templates = paths.data_dir() / "templates" / "narrative"
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(project_templates)),
                jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "narrative")),
            ]
        )
        super().__init__(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=self._finalize,
        )
        self.threshold = threshold
        self.globals["claim"] = claim
        self.tests.update(
            recorded=lambda fact: isinstance(fact, Fact) and fact.recorded,
            stated_zero=lambda fact: isinstance(fact, Fact) and fact.is_zero,
            complete=lambda fact: isinstance(fact, Fact) and fact.complete,
        )
        self.filters.update(
            count=lambda n: publishable_count(n, threshold),
            number=format_number,
            pct=lambda v, d=1: f"{format_number(v, d)}%",
            money=lambda v: f"£{float(v):,.0f}",
            plural=self._plural,
            join_and=join_and,
            join_or=lambda items: join_and(items, "or"),
            quantity=lambda n: _Trusted(f"{int(n):,}"),
        )

    def _plural(self, n: int, one: str, many: str | None = None) -> str:
        """Singular only for a published 1: a suppressed count reads "5 or fewer children"."""
        n = n.get() if isinstance(n, Fact) else n
        published = isinstance(n, WorkCount) or n > self.threshold
        return one if n == 1 and published else (many or one + "s")

    def _finalize(self, value):
        if isinstance(value, Fact):
            if not value.recorded:
                raise NotRecordedError(value)
            if not in_claim():
                raise ClaimError(
                    f"the fact {value.name!r} is printed outside a claim: write the sentence "
                    "inside {% call claim(...) %}"
                )
            value = value.get()
        if isinstance(value, bool) or value is None:
            return "" if value is None else str(value)
        if isinstance(value, WorkCount):
            return f"{int(value):,}"
        if isinstance(value, numbers.Integral):
            return publishable_count(int(value), self.threshold)
        if isinstance(value, numbers.Real):
            if pd.isna(value):
                return ""
            # A whole number printed as it is may well be a count that became a float (a column
            # with blanks is read as floats): it is published as a count, so that a small one
            # is suppressed. Rates and percentages are printed with `number` or `pct`.
            if float(value).is_integer():
                return publishable_count(int(value), self.threshold)
            return format_number(value)
        if isinstance(value, _Trusted):
            return str(value)
        return escape_markdown(str(value))


class _Trusted(str):
    """Text produced by the template engine itself (already escaped) and safe to pass through."""


def listed(items, conjunction: str = "and") -> str:
    """ "a, b and c" (or "a, b or c"): how a report lists things, the items as they are."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def join_and(items, conjunction: str = "and") -> str:
    """`listed`, for a Markdown template: each item escaped."""
    return _Trusted(listed([escape_markdown(str(i)) for i in items], conjunction))


_RUN_ON = re.compile(r"(?<=[a-z0-9)%][.!?])(?=[A-Z][a-z])")
"""A sentence run into the next with no space ("the arrangements.The year's data")."""


def spaced_sentences(markdown: str) -> str:
    """`markdown` with a space after each sentence that runs into the next. A template's line
    that ends in a block tag loses its line break (`trim_blocks`), so a sentence written on the
    next line, outside a claim (a claim keeps its own), ran into the one before. A word that
    is an address (with "/", "@" or "www.") is left as it is."""

    def word(match: re.Match) -> str:
        text = match.group(0)
        if "/" in text or "@" in text or "www." in text.casefold():
            return text
        return _RUN_ON.sub(" ", text)

    return re.sub(r"\S+", word, markdown)


def render_template(name: str, threshold: int, **facts) -> str:
    """Render a narrative template to Markdown (numbers suppressed, text escaped)."""
    return spaced_sentences(_Env(threshold).get_template(name).render(**facts))


def render_narrative(name: str, threshold: int, **facts) -> str:
    """Render a narrative template straight to safe HTML, each claim marked with the facts
    and rows it rests on (`workbook.text.claims`)."""
    with collecting() as claims:
        markdown = render_template(name, threshold, **facts)
    return mark_up(render_markdown(markdown), claims, threshold)
