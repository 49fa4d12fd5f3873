"""One fact of a partnership-year: a value the data record, a stated zero, or not recorded.

Every sentence, table and checklist line of the pack states facts; a fact is worked out once
(`workbook.facts.year`) and read everywhere. The three states are kept apart on purpose: "not
recorded" must never read as "none" or "0". So a `Fact` whose value is not recorded refuses to
be used as a value at all: truth-testing it, comparing it, adding to it or printing it raises
`NotRecordedError`. A template or a section must ask first (`fact.recorded`, or the template
test `is recorded`), so an untrue sentence fails loudly in the tests instead of quietly in the
pack.

Each fact keeps the rows it rests on ("actions/A-12"), so a claim made from it can say why it
was written (`workbook.facts.claims`).
"""

from __future__ import annotations

import contextvars
import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field


class NotRecordedError(TypeError):
    """A fact the data do not record was used as if it had a value: a defect of the template
    or section that used it (it should have asked `recorded` first), not of the data."""

    def __init__(self, fact: Fact):
        super().__init__(
            f"the fact {fact.name!r} is not recorded ({fact.missing or 'no data'}); "
            "ask `is recorded` before stating it"
        )
        self.fact = fact


_USES: contextvars.ContextVar[list | None] = contextvars.ContextVar("fact_uses", default=None)
"""The facts used while a claim is being written (see `workbook.facts.claims`)."""


NAMES_UNKNOWN = "names_unknown"
"""A key of a fact's `detail`: True where its `missing` words name each item it is unknown for
("data for 2020-21 to 2022-23"), so what says the gap does not count them again."""


@dataclass(frozen=True, eq=False)
class Fact:
    """A named fact: its value (None: not recorded), the rows it rests on, and, when it is not
    recorded or only partly, what would record it.

    - `missing`: what is not recorded, in a board member's words ("due dates of actions");
    - `where`: the table and column that would record it, for the analyst ("actions: due_date");
    - `unknown`: how many items the value could not be said of (open actions with no due date:
      the count of overdue actions is then a count of those whose due date is known).
    """

    name: str
    value: object = None
    rows: tuple[str, ...] = ()
    missing: str = ""
    where: str = ""
    unknown: int = 0
    detail: dict = field(default_factory=dict)
    """Anything a sentence may add about the value (e.g. the ids behind a list)."""

    @property
    def recorded(self) -> bool:
        return self.value is not None

    @property
    def is_zero(self) -> bool:
        """A stated zero: recorded, and nothing of it (no item left unknown)."""
        return self.recorded and self.value == 0 and not self.unknown

    @property
    def complete(self) -> bool:
        """Recorded for every item it is about."""
        return self.recorded and not self.unknown

    def get(self):
        """The value, for code that has checked `recorded` (raises where it is not)."""
        if self.value is None:
            raise NotRecordedError(self)
        uses = _USES.get()
        if uses is not None:
            uses.append(self)
        return self.value

    # A fact used as a value: refused when not recorded, noted by the claim being written.
    def __bool__(self) -> bool:
        return bool(self.get())

    def __int__(self) -> int:
        return int(self.get())

    def __index__(self) -> int:
        return int(self.get())

    def __float__(self) -> float:
        return float(self.get())

    def __len__(self) -> int:
        return len(self.get())

    def __iter__(self):
        return iter(self.get())

    def __eq__(self, other):
        return self.get() == _value(other)

    def __ne__(self, other):
        return self.get() != _value(other)

    def __lt__(self, other):
        return self.get() < _value(other)

    def __le__(self, other):
        return self.get() <= _value(other)

    def __gt__(self, other):
        return self.get() > _value(other)

    def __ge__(self, other):
        return self.get() >= _value(other)

    def __add__(self, other):
        return self.get() + _value(other)

    __radd__ = __add__

    def __sub__(self, other):
        return self.get() - _value(other)

    def __rsub__(self, other):
        return _value(other) - self.get()

    __hash__ = object.__hash__

    def __str__(self) -> str:
        return str(self.get())

    def __repr__(self) -> str:
        state = repr(self.value) if self.recorded else "not recorded"
        unknown = f", {self.unknown} unknown" if self.unknown else ""
        return f"<Fact {self.name}: {state}{unknown}>"


def _value(other):
    return other.get() if isinstance(other, Fact) else other


def rows_of(table: str, ids: Iterable) -> tuple[str, ...]:
    """Row references "table/id", in the order given, each once."""
    return tuple(dict.fromkeys(f"{table}/{i}" for i in ids))


def count(
    name: str,
    ids: Iterable,
    table: str,
    policy,
    unit: str,
    *,
    unknown: Iterable = (),
    missing: str = "",
    where: str = "",
) -> Fact:
    """A count of rows as a fact: how many `ids` there are, stated as the policy states a count
    of `unit` (a count of the partnership's work as it is; a count of people withheld when
    small). Items in `unknown` are those the count could not be said of; when every item is
    unknown and none is counted, the fact is not recorded."""
    ids, unknown = list(ids), list(unknown)
    if unknown and not ids and missing:
        return Fact(name, None, rows_of(table, unknown), missing, where, len(unknown))
    return Fact(
        name,
        policy.count(len(ids), unit),
        rows_of(table, ids),
        missing if unknown else "",
        where if unknown else "",
        len(unknown),
    )


def total(name: str, ids, table: str, policy, unit: str, missing: str) -> Fact:
    """How many rows a table holds, as a fact: not recorded where it holds none (an empty table
    is a year not yet filled in, not a statement that there were none; a stated zero comes
    from the data saying so)."""
    ids = list(ids)
    if not ids:
        return Fact(name, None, (), missing, f"{table} table")
    return count(name, ids, table, policy, unit)


def not_recorded(name: str, missing: str, where: str = "") -> Fact:
    """A fact the year's data do not hold."""
    return Fact(name, None, (), missing, where)


def is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)
