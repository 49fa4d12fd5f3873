"""What a count counts, and so whether disclosure control withholds it when small.

Read from specs/disclosure.yaml: counts of people (and of what happened to them) are withheld
from 1 to the threshold; counts of the partnership's own work (reviews, audits, findings,
actions, training) are published as they are. A partnership may withhold more units
(`withhold_counts_of` in its parameters): see `workbook.disclosure.published.Policy`.
"""

from __future__ import annotations

from functools import cache

from workbook.core.errors import WorkbookError
from workbook.core.yamlfile import load_spec


@cache
def _spec() -> dict[str, dict[str, str]]:
    return load_spec("disclosure")


def people_units() -> dict[str, str]:
    """Units that count people, with the words a reader sees ("children")."""
    return dict(_spec()["people"])


def work_units() -> dict[str, str]:
    """Units that count the partnership's own work ("case reviews", "findings")."""
    return dict(_spec()["not_people"])


def all_units() -> dict[str, str]:
    return {**people_units(), **work_units()}


def check_unit(unit: str, where: str = "") -> str:
    """`unit` if it is a unit of specs/disclosure.yaml, else an error saying which are."""
    if unit not in all_units():
        place = f"{where}: " if where else ""
        raise WorkbookError(
            f"{place}{unit!r} is not a unit a count can have; use one of "
            f"{', '.join(sorted(all_units()))}"
        )
    return unit
