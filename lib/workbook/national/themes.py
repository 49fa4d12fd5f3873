"""National analyses' figures of themes in children's case reviews (specs/national_themes.yaml).

National analyses of serious case reviews (and the Panel's annual reports) give the share of
reviews in which a factor was present. The like-for-like local figure is the share of the
partnership's own children's reviews over the lookback that have at least one finding coded to the
theme: a share of reviews, not of findings (a review with ten neglect findings counts once). It is
counted with the year's theme facts (`workbook.facts.themes`), as every section counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from workbook.core.errors import WorkbookError
from workbook.core.yamlfile import load_spec

CHILD_REVIEW_TYPES = ("rapid_review", "cspr", "scr", "local_learning_review")
"""Review types comparable with national analyses of children's reviews (not SARs or DHRs)."""


@dataclass(frozen=True)
class NationalFigure:
    """One national share, what it is a share of, and where it comes from."""

    theme: str
    factor: str
    percent: float
    of: str
    denominator: int | None
    source: dict
    approximate: bool = False
    note: str = ""
    checked: str = ""

    @property
    def citation(self) -> str:
        """Title, publisher, year and address, as a reference list gives them."""
        s = self.source
        address = s["url"].split("://", 1)[-1]  # the pack links to nothing outside itself
        return f"{s['title']} ({s['publisher']}, {s['year']}), {address}"


@dataclass(frozen=True)
class NationalThemes:
    version: str
    figures: tuple[NationalFigure, ...]
    not_verified: tuple[dict, ...]


@cache
def load_national_themes() -> NationalThemes:
    """The national figures of specs/national_themes.yaml, each with its source."""
    raw = load_spec("national_themes")
    sources = raw["sources"]
    figures = []
    for number, entry in enumerate(raw["figures"], 1):
        if entry["source"] not in sources:
            raise WorkbookError(
                f"specs/national_themes.yaml: figure {number} names source {entry['source']!r}, "
                f"which is not under sources ({', '.join(sources)})"
            )
        figures.append(
            NationalFigure(
                theme=entry["theme"],
                factor=entry["factor"],
                percent=float(entry["percent"]),
                of=entry["of"],
                denominator=entry.get("denominator"),
                source=sources[entry["source"]],
                approximate=bool(entry.get("approximate")),
                note=" ".join(str(entry.get("note", "")).split()),
                checked=" ".join(str(entry.get("checked", "")).split()),
            )
        )
    return NationalThemes(str(raw["version"]), tuple(figures), tuple(raw.get("not_verified", ())))
