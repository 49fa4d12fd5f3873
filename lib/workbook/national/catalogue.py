"""The indicator catalogue: what each indicator is (specs/indicators.yaml), and a year's own
local indicators beside it (`with_local`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from workbook.national.dfe import POPULATION, load_spec


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry (see specs/indicators.yaml)."""

    id: str
    name: str
    definition: str
    unit: str
    denominator: str | None
    higher_is_better: bool | None
    source: str
    national: bool = False
    dfe: dict = field(default_factory=dict)
    part_of: str | None = None
    counts: str | None = None
    """For a count, what it counts (a unit of specs/disclosure.yaml)."""
    period: str | None = None
    """For a local indicator: "snapshot" (on the day the period ends) or "year" (during it)."""
    remit: str = "children"
    """The part of a partnership's remit it reports on: children, adults or community_safety."""

    @property
    def parts(self) -> tuple[str, str | None]:
        """The count indicators it is built from: (numerator, denominator or None)."""
        if "rate_of" in self.dfe:
            return self.dfe["rate_of"], POPULATION
        if "numerator" in self.dfe:
            return self.dfe["numerator"], self.dfe["denominator"]
        return self.id, None

    @property
    def decimals(self) -> int:
        """How the workbook writes it: counts whole, rates and percentages to one decimal."""
        return 0 if self.unit == "count" else 1


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    """Every indicator of specs/indicators.yaml by id, in catalogue order."""
    fields = Indicator.__dataclass_fields__
    return {
        item["id"]: Indicator(**{k: v for k, v in item.items() if k in fields})
        for item in load_spec()["indicators"]
    }


def with_local(local: pd.DataFrame | None) -> dict[str, Indicator]:
    """The catalogue and a year's own indicators (its validated `local_indicators` table) as
    one: a partnership publishes any figure it states beside the catalogue's."""
    merged = dict(catalogue())
    if local is None:
        return merged

    def given(value):
        return None if pd.isna(value) else str(value)

    for row in local.itertuples(index=False):
        merged[row.id] = Indicator(
            id=row.id,
            name=row.label,
            definition=row.definition,
            unit=row.unit,
            denominator=None,
            higher_is_better={"yes": True, "no": False}.get(given(row.higher_is_better)),
            source="the partnership",
            part_of=given(row.part_of),
            counts=given(row.counts),
            period=given(row.period),
        )
    return merged


def national_indicators() -> list[Indicator]:
    return [i for i in catalogue().values() if i.national]
