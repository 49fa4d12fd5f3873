"""A year of Northdale's figures: its indicators (indicators.yaml, drawn in the file's order)
and the contributions to its budget (budget.yaml)."""

from __future__ import annotations

import random

from demo.common import PARTNERSHIP, facts, year_bounds


class Figures:
    """Draws each year's indicators and budget from the generator it is given."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def indicators(self, label: str, index: int) -> list[dict]:
        """The year's figures (indicators.yaml), drawn in the file's order."""
        rng, data = self.rng, facts(PARTNERSHIP, "indicators")
        _, end = year_bounds(label)
        sources = data["sources"]
        rows: list[dict] = []

        def add(
            indicator, value, unit, area="local", breakdown="", target="", source=None, extra=""
        ):
            rows.append(
                {
                    "indicator": indicator,
                    "breakdown": breakdown,
                    "area": area,
                    "period_end": end.isoformat(),
                    "value": value,
                    "unit": unit,
                    "target": target,
                    "source": source or sources["csc"],
                    "note": (data["note"] + " " + extra).strip(),
                }
            )

        population = data["children"][index]
        for item in data["rated"]:
            name = item["id"]
            count = self._count(item["count"][index])
            add(f"{name}_count", count, "count", extra=f"At 31 March {end.year}.")
            add(
                f"{name}_rate",
                round(count / population * 10000, 1),
                "rate_per_10k",
                extra=f"Per 10,000 children aged 0-17 (population {population:,}).",
            )
            for area, value in item["comparators"].items():
                add(
                    f"{name}_rate",
                    round(value * rng.uniform(0.97, 1.03), 1),
                    "rate_per_10k",
                    area=area,
                    source="Illustrative",
                    extra=data["comparator_note"],
                )
            if categories := item.get("categories"):
                values = {
                    k: max(1, v + rng.randint(-3, 3)) for k, v in categories["shares"].items()
                }
                values[next(iter(values))] += 100 - sum(values.values())
                for category, value in values.items():
                    add(
                        categories["indicator"],
                        value,
                        "percent",
                        breakdown=category,
                        extra=categories["note"],
                    )
            if placements := item.get("placements"):
                placed = {
                    k: round(count * v * rng.uniform(0.9, 1.1))
                    for k, v in placements["shares"].items()
                }
                for kind, bounds in placements["small"].items():
                    placed[kind] = rng.randint(*bounds)
                placed[next(iter(placed))] += count - sum(placed.values())
                for placement, value in placed.items():
                    add(
                        placements["indicator"],
                        value,
                        "count",
                        breakdown=placement,
                        extra=f"Placement types sum to the {count} looked-after children.",
                    )
        drawn: dict[str, float] = {}
        for item in data["figures"]:
            drawn[item["id"]] = value = self._figure(item, index, drawn)
            note = item.get("note", "")
            add(
                item["id"],
                value,
                item["unit"],
                target=item.get("target", ""),
                source=sources[item["source"]] if "source" in item else None,
                extra=note.get(label, "") if isinstance(note, dict) else note,
            )
        return rows

    def _figure(self, item: dict, index: int, drawn: dict[str, float]) -> float:
        """One figure of indicators.yaml's `figures` for the year `index`."""

        def this_year(value):
            return value[index] if isinstance(value, list) else value

        if "count" in item:
            return self._count(this_year(item["count"]), item.get("spread", 0.03))
        if "between" in item:
            bounds = item["between"]
            return self._pct(*(bounds[index] if isinstance(bounds[0], list) else bounds))
        if "times" in item:
            times = item["times"]
            return round(drawn[times["of"]] * self.rng.uniform(*times["between"]))
        return this_year(item["value"])

    def _count(self, base: float, spread: float = 0.03) -> int:
        return max(0, round(base * (1 + self.rng.uniform(-spread, spread))))

    def _pct(self, low: float, high: float) -> float:
        return round(self.rng.uniform(low, high), 1)

    def budget(self, label: str, index: int) -> list[dict]:
        """Each contribution, grown by the year and drawn within 2%."""
        data = facts(PARTNERSHIP, "budget")
        base = dict(data["contributors"])
        renamed = data["renamed"]
        if label < renamed["before"]:
            base[renamed["as"]] = base.pop(renamed["contributor"])
        rows = []
        for name in sorted(base):
            growth = 1 + data["growth"] * index
            amount = round(base[name] * growth * self.rng.uniform(0.98, 1.02))
            rows.append({"contributor": name, "amount_gbp": amount})
        return rows
