"""The partnership's reviews beside national analyses: how many featured each theme.

National analyses of serious case reviews (and the Panel's annual reports) give the share of
reviews in which a factor was present. The like-for-like local figure is the share of the
partnership's own children's reviews over the lookback that have at least one finding coded to the
theme: a share of reviews, not of findings (a review with ten neglect findings counts once). The
national figures, with their sources, are in specs/national_themes.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from workbook.core import paths
from workbook.core.errors import WorkbookError
from workbook.core.yamlfile import SPECS, load_file

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
    path = paths.SPECS_DIR / "national_themes.yaml"
    raw = load_file(path, SPECS)
    sources = raw["sources"]
    figures = []
    for number, entry in enumerate(raw["figures"], 1):
        if entry["source"] not in sources:
            raise WorkbookError(
                f"{path}: figure {number} names source {entry['source']!r}, "
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


def review_theme_shares(
    table: pd.DataFrame, reviews: pd.DataFrame, review_types: tuple[str, ...] = CHILD_REVIEW_TYPES
) -> pd.DataFrame:
    """Per theme, how many of the partnership's reviews featured it, out of how many.

    `table` is the thematic review's theme table (one row per finding and theme, with
    `source_type`, `source_id` and `theme`); `reviews` the reviews of the same years (with
    `review_id` and `review_type`). A review is counted once however many years it appears in
    (a review carried forward keeps its id) and however many of its findings carry the theme.
    Only reviews of `review_types` with at least one finding count: a review without findings
    cannot show a theme, and is left out of the denominator (see `reviews_without_findings`).

    Columns: theme, reviews (featuring the theme), of_reviews (the denominator), share (%),
    most frequent first (ties by theme id).
    """
    from_reviews = _findings_of_reviews(table, reviews, review_types)
    assessed = from_reviews["source_id"].nunique()
    coded = from_reviews.dropna(subset=["theme"])
    counts = coded.groupby("theme")["source_id"].nunique()
    frame = pd.DataFrame({"theme": counts.index, "reviews": counts.to_numpy(dtype=int)})
    frame["of_reviews"] = assessed
    frame["share"] = 100 * frame["reviews"] / assessed if assessed else float("nan")
    return frame.sort_values(["reviews", "theme"], ascending=[False, True], ignore_index=True)


def _findings_of_reviews(
    table: pd.DataFrame, reviews: pd.DataFrame, review_types: tuple[str, ...]
) -> pd.DataFrame:
    kinds = reviews.drop_duplicates("review_id", keep="last").set_index("review_id")["review_type"]
    return table[
        (table["source_type"] == "review") & table["source_id"].map(kinds).isin(review_types)
    ]


def assessed_reviews(
    table: pd.DataFrame, reviews: pd.DataFrame, review_types: tuple[str, ...] = CHILD_REVIEW_TYPES
) -> int:
    """How many reviews of `review_types` have at least one finding, themed or not: the
    denominator of every share (a review whose findings match no theme still counts)."""
    return int(_findings_of_reviews(table, reviews, review_types)["source_id"].nunique())


def reviews_without_findings(
    table: pd.DataFrame, reviews: pd.DataFrame, review_types: tuple[str, ...] = CHILD_REVIEW_TYPES
) -> list[str]:
    """Review ids of `review_types` in the years that have no finding at all (not assessed)."""
    of_type = reviews[reviews["review_type"].isin(review_types)]["review_id"].unique()
    with_findings = set(table.loc[table["source_type"] == "review", "source_id"])
    return sorted(r for r in of_type if r not in with_findings)


def beside_national(
    shares: pd.DataFrame, national: NationalThemes | None = None, assessed: int | None = None
) -> pd.DataFrame:
    """Each national figure with the partnership's share for its theme (0 reviews where none of
    the partnership's reviews featured it), out of `assessed` reviews (`assessed_reviews`; by
    default the denominator `shares` carries, 0 when it has no rows). Columns: theme, factor,
    national_percent, approximate, national_of, national_denominator, citation, note, reviews,
    of_reviews, share."""
    national = national or load_national_themes()
    by_theme = shares.set_index("theme")
    if assessed is None:
        assessed = int(shares["of_reviews"].iloc[0]) if len(shares) else 0
    rows = []
    for figure in national.figures:
        local = by_theme.loc[figure.theme] if figure.theme in by_theme.index else None
        reviews = int(local["reviews"]) if local is not None else 0
        rows.append(
            {
                "theme": figure.theme,
                "factor": figure.factor,
                "national_percent": figure.percent,
                "approximate": figure.approximate,
                "national_of": figure.of,
                "national_denominator": figure.denominator,
                "citation": figure.citation,
                "note": figure.note,
                "reviews": reviews,
                "of_reviews": assessed,
                "share": 100 * reviews / assessed if assessed else float("nan"),
            }
        )
    return pd.DataFrame(rows)
