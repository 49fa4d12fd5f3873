"""What a column of a published table holds (a count and what it counts, a share or rate built
on a count, a figure, money), and how one of its figures reads. `PublishedTable`
(`workbook.disclosure.published`) decides what is withheld; this says what a cell is and how it
is written, so the rules a column declares and the way it is shown are read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook.disclosure.formatting import (
    NOT_AVAILABLE,
    format_count,
    format_figure,
    format_given,
    format_money,
    missing,
)


@dataclass(frozen=True)
class Count:
    """A column of counts and what they count: one unit of specs/disclosure.yaml for the
    column, or one per row (a table of different measures)."""

    unit: str | tuple[str, ...]


@dataclass(frozen=True)
class Share:
    """A percentage or rate built on a count column of the same table: withheld with it."""

    of: str
    decimals: int = 1
    as_given: bool = False
    """Each figure with the precision it was given, up to `decimals` (`format_given`)."""


@dataclass(frozen=True)
class Figure:
    """A rate, percentage or score that stands for no count of this table."""

    decimals: int = 1
    as_given: bool = False
    """Each figure with the precision it was given, up to `decimals` (`format_given`)."""
    one_per_row: bool = False
    """Where a row is one measure (its figure in each year): the row's figures shown in the
    columns so marked at one precision (`shared_decimals`: "89.0" beside "85.9", not "89")."""


@dataclass(frozen=True)
class Money:
    """Pounds (a budget): money identifies nobody."""


Column = Count | Share | Figure | Money


def format_cell(kind: Column, value, decimals: int | None = None) -> str:
    """A figure as the reader sees it (`decimals`: the precision its row shares, if any)."""
    if isinstance(kind, Count):
        return format_count(value)
    if isinstance(kind, Money):
        return format_money(value)
    if missing(value):
        return NOT_AVAILABLE
    if decimals is not None:
        return format_figure(value, min(decimals, kind.decimals))
    if kind.as_given:
        return format_given(value, kind.decimals)
    return format_figure(value, kind.decimals)
