"""Themes beside national analyses: how many of the partnership's children's reviews over the
lookback featured each theme, beside the national figures of specs/national_themes.yaml with
what they are shares of and their sources.

It counts reviews, not findings: a review features a theme when at least one of its findings is
coded to it, and a finding shared by several reviews features the theme in each of them. The
count is the year's theme facts' (`facts.themes.reviews_featuring`), the same count the thematic
review states. Where no children's review has findings, or none features a theme the national
analyses report on, no table is shown: national figures beside nothing, or beside noughts, tell
the board nothing about the partnership.
"""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.formatting import format_figure
from workbook.disclosure.published import Count, PublishedTable, Share
from workbook.facts import YearFacts
from workbook.national.themes import CHILD_REVIEW_TYPES, NationalFigure, load_national_themes
from workbook.text.labels import label

TOO_FEW_TO_COMPARE = 3
"""Below this many local children's reviews with findings, the board is not shown shares beside
national figures (one review would move a share by 50 points or more: a table of 100% and 0%);
the analyst's companion still holds the comparison."""
SMALL_NUMBER_OF_REVIEWS = 20
"""Below this many local reviews, a share moves a lot with one review: the comparison is only
indicative (the national analyses cover hundreds)."""

LOCAL = "Our reviews featuring it"
SHARE = "Share of our reviews (%)"


def _factor(factor: str, theme: str) -> str:
    """The national factor, with the partnership's theme where its words differ."""
    same = factor.casefold().startswith(theme.casefold())
    return factor if same else f"{factor} ({theme.lower()})"


def _national_figure(figure: NationalFigure, number: int) -> str:
    """ "about 75% of 235 serious case reviews [1]": the figure as its source states it."""
    percent = format_figure(figure.percent, 1).removesuffix(".0")
    base = f"{figure.denominator:,} {figure.of}" if figure.denominator else figure.of
    return f"{'about ' if figure.approximate else ''}{percent}% of {base} [{number}]"


def _featuring(facts: YearFacts) -> list[tuple[NationalFigure, object]]:
    """Each national figure with the partnership's children's reviews featuring its theme."""
    themes = facts.themes
    return [
        (figure, themes.reviews_featuring(figure.theme, types=CHILD_REVIEW_TYPES))
        for figure in load_national_themes().figures
    ]


def comparison_table(facts: YearFacts, minimum: int = TOO_FEW_TO_COMPARE) -> PublishedTable:
    """Each national figure (its factor, our theme, what it is a share of and its source's
    number in the list below) beside how many of the partnership's children's reviews with
    findings featured the theme, and their share. Empty (nothing shown) where fewer than
    `minimum` children's reviews have findings or none features any of the themes."""
    assessed = facts.themes.reviews_assessed(CHILD_REVIEW_TYPES)
    reviews = int(assessed.get()) if assessed.recorded else 0
    rows = _featuring(facts)
    shown = reviews >= max(minimum, 1) and any(local.get() for _, local in rows)
    numbers = {citation: i for i, citation in enumerate(sources(facts), 1)}
    labels = facts.themes.labels
    frame = pd.DataFrame(
        {
            "National factor (our theme)": [
                _factor(f.factor, labels.get(f.theme, f.theme)) for f, _ in rows
            ],
            "National figure": [_national_figure(f, numbers[f.citation]) for f, _ in rows],
            LOCAL: [int(local.get()) for _, local in rows],
            SHARE: [100 * int(local.get()) / reviews if reviews else None for _, local in rows],
        }
    )
    return PublishedTable(
        frame if shown else frame.iloc[:0],
        f"Children's reviews featuring each theme, {facts.themes.scope}, beside national analyses",
        facts.policy,
        {LOCAL: Count("reviews"), SHARE: Share(of=LOCAL, decimals=0)},
        notes=f"Sources (national figures, version {load_national_themes().version}): "
        + " ".join(f"[{n}] {source}." for n, source in enumerate(sources(facts), 1)),
        when_empty=None,
    )


def sentences(facts: YearFacts, table: PublishedTable) -> dict:
    """What the narrative states: the reviews the shares are of (by type), whether any
    featured a national theme, and how far one review moves a share."""
    themes = facts.themes
    assessed = themes.reviews_assessed(CHILD_REVIEW_TYPES)
    reviews = int(assessed.get()) if assessed.recorded else 0
    by_type = [
        (
            themes.reviews_assessed((kind,)),
            label("review_type_one", kind),
            label("review_type_plural", kind),
        )
        for kind in CHILD_REVIEW_TYPES
    ]
    national = list(dict.fromkeys(themes.label(f.theme) for f in load_national_themes().figures))
    return {
        "t": themes,
        "assessed": assessed,
        "by_type": [(n, one, many) for n, one, many in by_type if n.recorded and n.get()],
        "shown": not table.empty,
        "too_few": 0 < reviews < TOO_FEW_TO_COMPARE,
        "none_featured": reviews >= TOO_FEW_TO_COMPARE and table.empty,
        "national_themes": national,
        "step": format_figure(100 / int(assessed.get()), 0)
        if assessed.recorded and assessed.get()
        else None,
        "indicative": assessed.recorded and int(assessed.get()) < SMALL_NUMBER_OF_REVIEWS,
    }


def for_the_board(said: dict) -> bool:
    """Whether the board reads the comparison (`sentences`): not where too few reviews have
    findings to set beside national analyses. Then, as with none at all, the pack has no such
    section (a section of one sentence saying it cannot compare); the sentence and the
    comparison behind it are the analyst's, in the companion."""
    return not said["too_few"]


def sources(facts: YearFacts) -> list[str]:
    """Each publication the national figures come from, once, as a reference list gives it,
    in the order the table numbers them."""
    return list(dict.fromkeys(f.citation for f in load_national_themes().figures))
