"""The disclosure rules in force for a partnership-year (`Policy`), and a count of the
partnership's own work that a sentence states as it is (`WorkCount`). Tables apply the policy
through `workbook.disclosure.published.PublishedTable`; sentences through `Policy.count`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.disclosure.formatting import whole_number
from workbook.disclosure.units import check_unit, people_units, work_units


class WorkCount(int):
    """A count of the partnership's own work (reviews, findings...): a sentence states it as it
    is, where a plain int reaching a narrative template is taken as a count of people and reads
    "5 or fewer" when small. Arithmetic on it gives a plain int, the safe default."""

    unit: str = ""

    def __new__(cls, value: int, unit: str = ""):
        count = super().__new__(cls, value)
        count.unit = unit
        return count


@dataclass(frozen=True)
class Policy:
    """The disclosure rules in force for a partnership-year."""

    threshold: int = 5
    stricter: frozenset[str] = frozenset()
    """Units of the partnership's work it asked to withhold like counts of people."""

    def withholds(self, unit: str) -> bool:
        """Whether small counts of `unit` are withheld."""
        check_unit(unit)
        return unit in people_units() or unit in self.stricter

    def count(self, value, unit: str) -> int | None:
        """A count for a sentence: a `WorkCount` (stated as it is) unless small counts of `unit`
        are withheld, then a plain int (stated "5 or fewer" when small); None when missing."""
        if value is None or pd.isna(value):
            return None
        number = whole_number(value)
        if number is None:
            raise ValueError(
                f"a count of {unit} must be a whole number of 0 or more, not {value!r}"
            )
        return number if self.withholds(unit) else WorkCount(number, unit)

    def describe(self) -> str:
        """The policy in a sentence a board member understands (for the data notes)."""
        extra = sorted(work_units()[unit] for unit in self.stricter)
        also = (
            (
                f" At the partnership's request, counts of {', '.join(extra)} are withheld in "
                "the same way."
            )
            if extra
            else ""
        )
        return (
            f"Counts of people (children, young people, adults and families, and of what "
            f"happened to them, such as referrals or plans) from 1 to {self.threshold} are "
            f'not published: tables show c and text says "{self.threshold} or fewer", so '
            "that nobody can be identified. Where a total is published, a further figure is "
            "withheld so the first cannot be worked out by subtraction, and a percentage "
            "that would give such a count away is withheld with it. Counts of the "
            "partnership's own work (case reviews, audits, the cases an audit looked at, "
            "findings, actions and training) identify nobody and are published in full, as "
            "annual reports publish them." + also
        )
