"""Facts of the coded lookback: every finding of the thematic review's years once, with all its
sources, years and themes (who coded each theme, and the words that gave it), and what the
sections state of themes: findings on a theme this year and over the lookback, the reviews and
audits featuring it, the years it recurred in, and the themes of the year's actions.

One count everywhere. A learning point shared by four reviews (source "R1;R2;R3;R4") is one
finding of four sources: it counts once among a theme's findings, and once for each of the four
reviews among the reviews featuring the theme, in the thematic review, in the national
comparison and wherever else a theme is counted. A review carried into a later year keeps its id
and counts once; a finding recorded again in a later year (the same id and the same words) is
one finding of several years, counted under the latest year it was recorded in.

The themes shown to the board are chosen in one place, `board_themes`.

    themes = year_facts(report).themes
    themes.leading(3)                  # the three themes with most findings over the lookback
    themes.findings_on("neglect")      # a Fact: findings coded to neglect over the lookback
    themes.reviews_featuring("neglect", types=CHILD_REVIEW_TYPES)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from workbook.coding.analysis import KIND_GROUPS
from workbook.coding.codebook import Codebook
from workbook.core.fact import Fact, count, rows_of
from workbook.core.years import ReportYear, scope_words, span_words
from workbook.facts.actions import OPEN_POSITIONS

REVIEW = "review"
"""The source kind of a case review (an audits-table row's kind is its `audit_kind`)."""

FOR_CHANGE = tuple(kind for kind, group in KIND_GROUPS.items() if group == "for_development")
"""Kinds of finding that ask for change (areas for development, learning, recommendations)."""


def board_themes(coded: pd.DataFrame) -> pd.DataFrame:
    """The codes the board is shown: one row per (finding, theme), with who coded it (`coded_by`:
    analyst or automatic) and the words that gave it (`evidence`, blank for the analyst's).

    Today these are the coder's final codes: the analyst's themes wherever the analyst coded the
    finding, else the codebook's automatic ones. This is the one place that decides what the
    board sees: to show only analyst-confirmed or strong automatic codes, change this function."""
    final = coded[coded["final"] & coded["theme"].notna()]
    final = final.drop_duplicates(["finding_id", "theme"])  # a theme's first hit is its evidence
    return final[["finding_id", "theme", "source", "evidence"]].rename(
        columns={"source": "coded_by"}
    )


def coded_to(themes: pd.Series, theme: str) -> pd.Series:
    """Which rows' `themes` (tuples of theme ids) hold `theme`: a mask, empty or not."""
    return pd.Series([theme in ts for ts in themes], index=themes.index, dtype=bool)


MARKED_CHANGE = 3
"""A theme's findings asking for change in the year are said to differ from the years before
when they are at least double (or at most half) the earlier yearly average and differ from it
by at least this many findings: smaller differences are the noise of a few reviews."""


@dataclass(frozen=True)
class Change:
    """A theme's findings asking for change in the report year (`latest`) beside their yearly
    average over the earlier `years` of the lookback (`earlier`)."""

    theme: str
    latest: Fact
    earlier: Fact
    years: tuple[str, ...]


@dataclass(frozen=True)
class ThemeFacts:
    """The coded lookback and its facts.

    - `frame`: one row per finding of the lookback (`key` unique across years, its own
      `finding_id`, the latest `year` it was recorded in, all the `years`, `this_year`,
      `source_type`, `sources`, `kind`, `text`, `agency` and `themes`, most frequent first;
      `ref`, how a claim names its row);
    - `codes`: one row per (finding `key`, theme) shown to the board (`board_themes`);
    - `coded`: every code the coder gave, counted or not, by `finding_id` = key (for the
      analyst: agreement with the analyst's coding);
    - `actions`: the year's actions (`workbook.facts.actions`) with the `themes` of the
      findings each answers.
    """

    frame: pd.DataFrame
    codes: pd.DataFrame
    coded: pd.DataFrame
    actions: pd.DataFrame
    sources: pd.DataFrame
    """Every review and audits-table row of the lookback, once: source_type, source_id, kind
    ("review", or the audit's kind), review_type (reviews only), with_findings, and
    expects_findings (false while a review is in progress: see
    `workbook.facts.coded_lookback.NO_FINDINGS_YET`)."""
    codebook: Codebook
    year: ReportYear
    years: tuple[str, ...]
    """The years of the lookback with data, oldest first."""
    policy: object
    findings: Fact
    """Findings of the lookback, each once."""
    this_year: Fact
    """Findings recorded in the report year's data."""
    coverage: Fact
    """Years of the lookback with data (unknown: those without)."""
    analyst_coded: Fact
    """Findings the analyst coded to themes."""
    automatic_coded: Fact
    """Findings coded to themes from their words only (the analyst gave them no theme)."""
    uncoded: Fact
    """Findings coded to no theme."""
    reviews_with_findings: Fact
    """Case reviews of the lookback with findings recorded; unknown: those without."""
    audits_with_findings: Fact
    """Audits-table rows of the lookback (audits, self-assessments, inspections, peer reviews)
    with findings recorded; unknown: those without."""
    by_source: dict
    """Per source kind ("review", or an audit kind): the reviews (audits...) with findings over
    the lookback; unknown: those whose findings are not recorded (said once, by
    `reviews_with_findings` and `audits_with_findings`)."""

    # ---- words -----------------------------------------------------------------------------

    @property
    def labels(self) -> dict[str, str]:
        return self.codebook.labels()

    def label(self, theme: str) -> str:
        return self.labels.get(theme, theme)

    @property
    def span(self) -> str:
        """The lookback's years in a sentence ("over the 4 years 2019-20 to 2022-23")."""
        return span_words(self.years)

    @property
    def scope(self) -> str:
        """The lookback's years in a caption ("2019-20 to 2022-23")."""
        return scope_words(self.years)

    # ---- themes ----------------------------------------------------------------------------

    @cached_property
    def order(self) -> list[str]:
        """Every theme coded over the lookback, most findings first (ties: codebook order)."""
        return rank_themes(self.codes, self.codebook)

    def leading(self, n: int, this_year: bool = False) -> list[str]:
        """The `n` themes with most findings over the lookback (or, `this_year`, among the
        findings recorded in the report year), most first; ties in codebook order."""
        if not this_year:
            return self.order[:n]
        keys = self.frame.loc[self.frame["this_year"], "key"]
        return rank_themes(self.codes[self.codes["key"].isin(keys)], self.codebook)[:n]

    def of_findings(self, theme: str | None = None, this_year: bool = False) -> pd.DataFrame:
        """The findings (one row each, with all their themes), those coded to `theme` where
        given, those recorded in the report year with `this_year`."""
        frame = self.frame
        if theme is not None:
            frame = frame[frame["key"].isin(self._keys_on(theme))]
        if this_year:
            frame = frame[frame["this_year"]]
        return frame

    def findings_on(
        self, theme: str, this_year: bool = False, source_type: str | None = None
    ) -> Fact:
        """How many findings are coded to `theme` (over the lookback, or recorded this year),
        of reviews or of audits only with `source_type`."""
        frame = self.of_findings(theme, this_year)
        if source_type is not None:
            frame = frame[frame["source_type"] == source_type]
        scope = ".this_year" if this_year else ""
        of = f".{source_type}" if source_type else ""
        return self._count(f"themes.{theme}.findings{scope}{of}", frame)

    def reviews_featuring(self, theme: str, types: tuple[str, ...] | None = None) -> Fact:
        """How many case reviews of the lookback (of `types`, where given) have a finding coded
        to `theme`: distinct reviews, however many of their findings share the theme."""
        return self._featuring(theme, REVIEW, types)

    def audits_featuring(self, theme: str) -> Fact:
        """How many audits-table rows of the lookback (audits, self-assessments, inspections,
        peer reviews) have a finding coded to `theme`."""
        return self._featuring(theme, "audit", None)

    def reviews_assessed(self, types: tuple[str, ...] | None = None) -> Fact:
        """How many case reviews of the lookback (of `types`, where given) have findings
        recorded, themed or not: the reviews a share of reviews featuring a theme is out of.
        Reviews whose findings are not recorded are unknown; where none has findings, the fact
        is not recorded."""
        reviews = self.sources[self.sources["source_type"] == REVIEW]
        if types is not None:
            reviews = reviews[reviews["review_type"].isin(types)]
        name = "themes.reviews_assessed" + ("" if types is None else "." + "_".join(types))
        return with_findings(name, reviews, "reviews", self.policy)

    def open_actions_on(self, theme: str) -> Fact:
        """How many of the year's actions open at the year end answer a finding coded to
        `theme`."""
        actions = self.actions
        mine = actions[actions["position"].isin(OPEN_POSITIONS)]
        mine = mine[coded_to(mine["themes"], theme)]
        return count(
            f"themes.{theme}.open_actions",
            mine["action_id"].astype(str),
            "actions",
            self.policy,
            "actions",
        )

    @cached_property
    def per_year(self) -> pd.DataFrame:
        """Findings per theme (rows, in `order`) and year of the lookback (columns), each
        finding under the latest year it was recorded in, so the years add up to the lookback."""
        table = self.codes.merge(self.frame[["key", "year"]], on="key")
        counts = table.groupby(["theme", "year"])["key"].nunique().unstack("year")
        return counts.reindex(index=self.order, columns=list(self.years)).fillna(0).astype(int)

    @cached_property
    def per_theme(self) -> pd.DataFrame:
        """Per theme (rows, in `order`): its findings over the lookback (`findings`), the
        reviews and the audits-table rows with a finding coded to it (`reviews`, `audits`) and
        the year's open actions answering one (`open_actions`): the counts `findings_on`,
        `reviews_featuring`, `audits_featuring` and `open_actions_on` give one theme at a
        time, worked out for every theme at once for the tables."""
        table = self.codes[["key", "theme"]].merge(
            self.frame[["key", "source_type", "sources"]], on="key"
        )
        sources = table.explode("sources")
        featuring = (
            sources.groupby(["theme", "source_type"])["sources"].nunique().unstack("source_type")
        )
        open_ = self.actions[self.actions["position"].isin(OPEN_POSITIONS)]
        answering = open_[["action_id", "themes"]].explode("themes")
        out = pd.DataFrame(
            {
                "findings": table.groupby("theme")["key"].nunique(),
                "reviews": featuring.get(REVIEW),
                "audits": featuring.get("audit"),
                "open_actions": answering.groupby("themes")["action_id"].nunique(),
            },
            index=pd.Index(self.order, name="theme"),
        )
        return out.fillna(0).astype(int)

    @cached_property
    def for_change_per_year(self) -> pd.DataFrame:
        """As `per_year`, for the findings asking for change only."""
        keys = self.frame.loc[self.frame["kind"].isin(FOR_CHANGE), "key"]
        table = self.codes[self.codes["key"].isin(keys)].merge(
            self.frame[["key", "year"]], on="key"
        )
        counts = table.groupby(["theme", "year"])["key"].nunique().unstack("year")
        return counts.reindex(index=self.order, columns=list(self.years)).fillna(0).astype(int)

    @cached_property
    def recurring(self) -> list[str]:
        """Themes with findings in every year of the lookback that has data, most findings
        first; none where only one year has data."""
        if len(self.years) < 2:
            return []
        per_year = self.per_year
        return [t for t in self.order if (per_year.loc[t] > 0).all()]

    @cached_property
    def changes(self) -> list[Change]:
        """Themes whose findings asking for change in the report year differ markedly from
        the years before (`Change`), the largest differences first: what changed, stated as
        counts for the reader to judge. A count of findings alone says nothing of whether
        practice improved (fewer reviews, or other questions asked, change it as much)."""
        years = list(self.years)
        if len(years) < 2 or years[-1] != self.year.label:
            return []
        per_year = self.for_change_per_year
        keys = self.frame.loc[self.frame["kind"].isin(FOR_CHANGE)]
        out = []
        for theme in self.order:
            latest, earlier = per_year.loc[theme, years[-1]], per_year.loc[theme, years[:-1]]
            average = float(earlier.mean())
            rose = latest >= 2 * average and latest - average >= MARKED_CHANGE
            fell = 2 * latest <= average and average - latest >= MARKED_CHANGE
            if not (rose or fell):
                continue
            mine = keys[keys["key"].isin(self._keys_on(theme))]
            out.append(
                Change(
                    theme,
                    self._count(
                        f"themes.{theme}.for_change.{years[-1]}", mine[mine["year"] == years[-1]]
                    ),
                    Fact(
                        f"themes.{theme}.for_change.earlier_average",
                        average,
                        rows_of("findings", mine.loc[mine["year"] != years[-1], "ref"]),
                    ),
                    tuple(years[:-1]),
                )
            )
        return sorted(out, key=lambda c: -abs(c.latest.get() - c.earlier.get()))

    def both(self, first: str, second: str) -> Fact:
        """How many findings are coded to both of two themes."""
        findings = self.frame[self.frame["key"].isin(self._keys_on(first) & self._keys_on(second))]
        return self._count(f"themes.{first}.with.{second}", findings)

    def pairs(self, themes: list[str]) -> pd.DataFrame:
        """Findings coded to both of two themes (square, in the order given; the diagonal:
        each theme's findings)."""
        marks = self._marks.reindex(columns=themes, fill_value=0)
        matrix = marks.to_numpy().T @ marks.to_numpy()
        return pd.DataFrame(matrix, index=themes, columns=themes)

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per (finding, theme) shown to the board, a finding no theme matched kept once
        with no theme: `finding_id` (the finding's key, unique across years), `source_type`,
        `source_id`, `kind`, `year`, `theme` and `coded_by`. The shape the
        voice and training sections count themes from."""
        frame = self.frame.assign(source_id=self.frame["sources"].map(";".join))
        rows = frame[["key", "source_type", "source_id", "kind", "year"]].merge(
            self.codes[["key", "theme", "coded_by"]], on="key", how="left"
        )
        return rows.rename(columns={"key": "finding_id"})

    # ---- helpers ---------------------------------------------------------------------------

    def _keys_on(self, theme: str) -> set[str]:
        return self._keys_by_theme.get(theme, set())

    @cached_property
    def _marks(self) -> pd.DataFrame:
        """Findings (rows) by theme (columns): 1 where the finding is coded to the theme."""
        return pd.crosstab(self.codes["key"], self.codes["theme"])

    @cached_property
    def _keys_by_theme(self) -> dict[str, set[str]]:
        return {theme: set(keys) for theme, keys in self.codes.groupby("theme")["key"]}

    def _count(self, name: str, findings: pd.DataFrame) -> Fact:
        return count(name, findings["ref"], "findings", self.policy, "findings")

    def _featuring(self, theme: str, source_type: str, types) -> Fact:
        findings = self.of_findings(theme)
        findings = findings[findings["source_type"] == source_type]
        ids = list(dict.fromkeys(s for sources in findings["sources"] for s in sources))
        if types is not None:
            kinds = self.sources[self.sources["source_type"] == source_type]
            wanted = set(kinds.loc[kinds["review_type"].isin(types), "source_id"])
            ids = [i for i in ids if i in wanted]
        table = "reviews" if source_type == REVIEW else "audits"
        suffix = "" if types is None else "." + "_".join(types)
        return count(f"themes.{theme}.{table}{suffix}", ids, table, self.policy, table)


def rank_themes(codes: pd.DataFrame, codebook: Codebook) -> list[str]:
    """Themes of `codes` by number of findings, most first; ties in codebook order."""
    counts = codes.groupby("theme")["key"].nunique()
    place = {theme: i for i, theme in enumerate(codebook.theme_ids)}
    return sorted(counts.index, key=lambda t: (-counts[t], place.get(t, len(place)), t))


WITHOUT_FINDINGS = {
    "reviews": ("the findings of some case reviews", "reviews without findings"),
    "audits": (
        "the findings of some audits, inspections or self-assessments",
        "audits without findings",
    ),
}
"""What is missing where a review (or an audits-table row) has no findings recorded, and where
it would be recorded (the table the items are rows of first, as `YearFacts.gaps` reads it)."""


def with_findings(name: str, rows: pd.DataFrame, table: str, policy) -> Fact:
    """How many of these reviews (or audits-table rows) have findings recorded; those without
    are unknown, and where none has findings the fact is not recorded."""
    missing, without = WITHOUT_FINDINGS[table]
    return count(
        name,
        rows.loc[rows["with_findings"], "source_id"],
        table,
        policy,
        table,
        unknown=rows.loc[~rows["with_findings"] & rows["expects_findings"], "source_id"],
        missing=missing,
        where=f"{without} (findings: source_id)",
    )


OTHER_SOURCES = "other_source"
"""The kind of a finding's source that is neither a case review nor an audits-table row
(contract v3: an inspection, a sub-group report, a learning event, feedback...): counted, so
that a sentence saying where the findings came from names every source they came from."""
