"""The thematic review section: code the lookback's findings and gather what the narrative says.

`workbook.coding.analysis` holds the analysis (prevalence, recurrence, co-occurrence, echoes,
actions, emerging terms); this module applies it to one partnership's lookback window and turns the
results into labelled tables and the facts the Jinja2 template narrates.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from workbook.coding.agreement import agreement
from workbook.coding.analysis import (
    ECHO_AUDITS_ONLY,
    ECHO_BOTH,
    ECHO_REVIEWS_ONLY,
    KIND_GROUPS,
    actions_by_theme,
    audit_echoes_review,
    cooccurrence,
    each_source,
    emerging_terms,
    prevalence_by_kind,
    prevalence_by_source,
    prevalence_by_year,
    recurring_themes,
    theme_order,
    theme_table,
)
from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import code_findings
from workbook.coding.context import sources_table
from workbook.core.years import ReportYear
from workbook.disclosure.published import Count, Figure, PublishedTable, Share
from workbook.inputs.report import Report
from workbook.sections.learning_actions import OPEN_POSITIONS, POSITIONS, position_at_year_end
from workbook.text.labels import as_recorded, label, labelled


@dataclass
class ThematicReview:
    """Everything the section shows, computed once."""

    report: Report
    codebook: Codebook
    findings: pd.DataFrame
    coded: pd.DataFrame
    table: pd.DataFrame
    actions: pd.DataFrame

    @property
    def labels(self) -> dict[str, str]:
        return self.codebook.labels()

    def theme_label(self, theme: str) -> str:
        return self.labels.get(theme, theme)

    @cached_property
    def action_states(self) -> pd.DataFrame:
        """Actions per theme by where they stood at the year end (`actions_by_theme`): the
        table of actions and the sentence on open actions both read it."""
        return actions_by_theme(self.actions, self.table, self.report.year.label)

    @cached_property
    def theme_order(self) -> list[str]:
        """The coded themes, most frequent first: asked for by most tables and sentences, and
        worked out over every finding of the window, so once."""
        return theme_order(self.table)

    @cached_property
    def by_theme(self) -> PublishedTable:
        """Each theme's findings broken down by source, by kind and by year, with the total.

        The section states a theme's findings in a table (by source and by kind), a chart (by
        year), the heatmap's diagonal and sentences: one table behind all of them, so that
        where the partnership withholds counts of findings (`withhold_counts_of`), one
        suppression covers every breakdown together and no output gives back what another
        withholds. Findings are the partnership's work: by default all are published.
        """
        counts = findings_by_theme(self)
        groups = [list(SOURCE_COLUMNS.values()), list(KIND_COLUMNS.values()),
                  list(self.report.lookback_with_data)]
        frame = counts.rename_axis("Theme").reset_index()
        return PublishedTable(frame, "Findings by theme", self.report.policy,
                              {c: Count("findings") for c in counts.columns},
                              row_total=ALL_FINDINGS, row_parts=groups)

    @property
    def scope(self) -> str:
        """The years the review covers, as a caption names them."""
        years = self.report.lookback_with_data
        return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


SOURCE_COLUMNS = {"review": "Review findings", "audit": "Audit findings"}
KIND_COLUMNS = {"strength": "Strengths", "for_development": "Asking for change",
                "neutral": "Found satisfactory"}
"""The kind groups of `workbook.coding.analysis.KIND_GROUPS`; together they add up to every
finding (the suppression relies on it). The findings table leaves out a group with no findings."""
ALL_FINDINGS = "All findings"
NO_THEME = "No theme"


def findings_by_theme(review: ThematicReview) -> pd.DataFrame:
    """Each theme's findings (rows: theme labels, most frequent first) broken down three ways,
    by source, by kind and by year of the lookback, each adding up to `All findings`."""
    years = review.report.lookback_with_data
    frames = [_wide(prevalence_by_source(review.table), "source_type", SOURCE_COLUMNS, review),
              _wide(prevalence_by_kind(review.table), "kind_group", KIND_COLUMNS, review),
              _wide(prevalence_by_year(review.table, years), "year", {y: y for y in years},
                    review)]
    wide = pd.concat(frames, axis=1)
    totals = review.table.dropna(subset=["theme"]).groupby("theme")["finding_id"].nunique()
    wide[ALL_FINDINGS] = [int(totals[t]) for t in review.theme_order]
    return wide


def _year_scoped(frame: pd.DataFrame) -> pd.Series:
    """Finding ids made unique across years: ids need only be unique within a year's data.
    Each id of a cell naming several ("F1;F2") is scoped ("2019-20/F1;2019-20/F2")."""
    return pd.Series([";".join(f"{year}/{part}" for part in str(ids).split(";"))
                      for year, ids in zip(frame["year"], frame["finding_id"], strict=True)],
                     index=frame.index, dtype=object)


def build(report: Report, codebook: Codebook | None = None,
          count_source_themes: bool = False) -> ThematicReview:
    """Code every finding of the lookback window (analyst themes win) and join it up. The
    themes a finding's review or audit suggests are kept "from the source", and count only with
    ``count_source_themes``."""
    codebook = codebook or load_codebook()
    findings = report.across_lookback("findings")
    findings = findings.assign(finding_id=_year_scoped(findings))
    actions = report.across_lookback("actions")
    linked = actions["finding_id"].notna()
    actions.loc[linked, "finding_id"] = _year_scoped(actions[linked])
    sources = sources_table(report.across_lookback("reviews"), report.across_lookback("audits"))
    coded = code_findings(findings, codebook, sources=sources,
                          count_source_themes=count_source_themes)
    return ThematicReview(report, codebook, findings, coded, theme_table(findings, coded), actions)


def _short(text: str, width: int = 160) -> str:
    return textwrap.shorten(str(text), width=width, placeholder=" …")


def leading_themes(review: ThematicReview, top: int = 5) -> list[dict]:
    """The most frequent themes with their counts (as the findings table publishes them),
    share and an example finding as evidence."""
    table, total = review.table, review.findings["finding_id"].nunique()
    published = review.by_theme
    out = []
    for theme in review.theme_order[:top]:
        ids = table.loc[table["theme"] == theme, "finding_id"].unique()
        example = review.findings.loc[review.findings["finding_id"] == ids[0], "text"].iloc[0]
        evidence = review.coded.loc[(review.coded["finding_id"].isin(ids))
                                    & (review.coded["theme"] == theme), "evidence"].dropna()
        label_ = review.theme_label(theme)
        findings = published.value(label_, ALL_FINDINGS)
        exact = findings is not None and not published.withheld_cell(label_, ALL_FINDINGS)
        out.append({
            "theme": label_,
            "findings": findings,
            "share": 100 * len(ids) / total if exact and total else None,
            "example": _short(example),
            "phrases": sorted({e.lower() for e in evidence if e})[:4],
        })
    return out


def _kind_shift(review: ThematicReview) -> tuple[list[str], list[str]]:
    """Themes that improved (fewer findings asking for change in the latest year than the average
    of earlier years, and at least one strength) and themes that grew."""
    years = review.report.lookback_with_data
    if len(years) < 2:
        return [], []
    asks = review.table[review.table["kind"].map(KIND_GROUPS) == "for_development"]
    asks = asks.dropna(subset=["theme"])
    per_year = asks.groupby(["theme", "year"])["finding_id"].nunique().unstack(fill_value=0)
    per_year = per_year.reindex(columns=years, fill_value=0)
    earlier, latest = per_year[years[:-1]].mean(axis=1), per_year[years[-1]]
    strengths = set(review.table.loc[review.table["kind"] == "strength", "theme"].dropna())
    improved = [t for t in per_year.index if latest[t] < earlier[t] * 0.5 and t in strengths]
    grew = [t for t in per_year.index if latest[t] > max(earlier[t] * 1.5, 2)]
    return improved, grew


def _named(themes, review: ThematicReview, limit: int = 5) -> list[str]:
    """Theme labels for a sentence, most frequent first: the first `limit`, then "N other
    themes", so a sentence never becomes a list of twenty names."""
    rank = {theme: i for i, theme in enumerate(review.theme_order)}
    ordered = sorted(themes, key=lambda t: rank.get(t, len(rank)))
    names = [review.theme_label(t) for t in ordered[:limit]]
    rest = len(ordered) - limit
    if rest > 0:
        names.append(f"{rest} other {'theme' if rest == 1 else 'themes'}")
    return names


def _sources_without_findings(review: ThematicReview, kind: str, table: str) -> int:
    """Reviews (or audits) in the window's data whose findings are not recorded."""
    sources = review.report.across_lookback(table)
    key = "review_id" if kind == "review" else "audit_id"
    with_findings = _source_keys(review.findings, kind)
    keys = set(zip(sources["year"], sources[key].astype(str), strict=True))
    return len(keys - with_findings)


def _source_keys(findings: pd.DataFrame, kind: str) -> set[tuple[str, str]]:
    """(year, source id) of every review or audit the findings come from (each source of a
    finding from several)."""
    mine = each_source(findings[findings["source_type"] == kind])
    return set(zip(mine["year"], mine["source_id"].astype(str), strict=True))


def facts(review: ThematicReview) -> dict:
    """What the thematic review narrative states, from the data."""
    report = review.report
    policy = report.policy
    findings = review.findings
    echo = audit_echoes_review(review.table)
    recurring = recurring_themes(review.table, report.lookback_with_data)
    improved, grew = _kind_shift(review)
    missing_years = [y for y in report.lookback if y not in report.lookback_with_data]
    analyst_coded = int((review.coded["source"] == "analyst").groupby(
        review.coded["finding_id"]).any().sum())
    kappa = None
    if analyst_coded:
        overall = agreement(review.coded).set_index("theme").loc["overall"]
        kappa = None if pd.isna(overall["kappa"]) else float(overall["kappa"])
    return {
        "findings": policy.count(len(findings), "findings"),
        "reviews": policy.count(len(_source_keys(findings, "review")), "reviews"),
        "audits": policy.count(len(_source_keys(findings, "audit")), "audits"),
        "reviews_without_findings": policy.count(
            _sources_without_findings(review, "review", "reviews"), "reviews"),
        "audits_without_findings": policy.count(
            _sources_without_findings(review, "audit", "audits"), "audits"),
        "first_year": report.lookback_with_data[0],
        "last_year": report.lookback_with_data[-1],
        "years_with_data": len(report.lookback_with_data),
        "window": len(report.lookback),
        "missing_years": missing_years,
        "uncoded": policy.count(
            review.table.loc[review.table["theme"].isna(), "finding_id"].nunique(), "findings"),
        "leading": leading_themes(review),
        "recurring": _named(recurring["theme"], review)
        if len(report.lookback_with_data) > 1 else [],
        "echoed": _named(echo.loc[echo["echo"] == ECHO_BOTH, "theme"], review),
        "reviews_only": _named(echo.loc[echo["echo"] == ECHO_REVIEWS_ONLY, "theme"], review),
        "audits_only": _named(echo.loc[echo["echo"] == ECHO_AUDITS_ONLY, "theme"], review),
        "improved": _named(improved, review),
        "grew": _named(grew, review),
        **_open_actions(review),
        "analyst_coded": policy.count(analyst_coded, "findings"),
        "kappa": kappa,
    }


def _open_actions(review: ThematicReview) -> dict:
    """Actions still open at the year end (each counted once, themed or not) and the themes
    most of them are on. Where the actions table withholds an open cell (a partnership that
    withholds counts of actions), the number is not stated: with the table's other cells it
    would give the withheld one back."""
    table = actions_table(review)
    states = review.action_states
    open_ids = _open_action_ids(review)
    open_columns = [label("status", p) for p in OPEN_POSITIONS]
    hidden = not table.empty and bool(table.mask[open_columns].to_numpy().any())
    themed = states[states["theme"].notna()]
    themed = themed.assign(open=themed[list(OPEN_POSITIONS)].sum(axis=1))
    themed = themed[themed["open"] > 0].sort_values("open", ascending=False, kind="stable")
    return {
        "actions": review.report.policy.count(review.actions["action_id"].nunique(), "actions"),
        "open_actions": None if hidden else review.report.policy.count(len(open_ids), "actions"),
        "open_themes": _most_open(themed, review),
        "open_without_theme": not themed["open"].sum() and bool(open_ids),
    }


def _most_open(themed: pd.DataFrame, review: ThematicReview) -> list[str]:
    """The themes with the most open actions (all of them when they tie, none when more than
    three tie), so "most often on" is true of every theme named."""
    if themed.empty:
        return []
    leading = themed.loc[themed["open"] == themed["open"].max(), "theme"]
    return [review.theme_label(t) for t in leading] if len(leading) <= 3 else []


def _open_action_ids(review: ThematicReview) -> set:
    latest = _latest_actions(review)
    positions = position_at_year_end(latest, review.report.year)
    return set(latest.loc[positions.isin(OPEN_POSITIONS), "action_id"])


def _latest_actions(review: ThematicReview) -> pd.DataFrame:
    """Each action's latest record up to the report year."""
    frame = review.actions.copy()
    order = frame["year"].map({y: ReportYear.parse(y).start_year for y in frame["year"].unique()})
    frame = frame.assign(_order=order).sort_values("_order", kind="stable")
    frame = frame.drop_duplicates("action_id", keep="last").drop(columns="_order")
    frame["due_date"] = pd.to_datetime(frame["due_date"], errors="coerce")
    return frame.reset_index(drop=True)


def _wide(prevalence: pd.DataFrame, by: str, columns: dict[str, str],
          review: ThematicReview) -> pd.DataFrame:
    """Findings per theme (rows: labels, every coded theme, most frequent first) by `by`."""
    wide = prevalence.pivot_table(index="theme", columns=by, values="findings", aggfunc="sum",
                                  fill_value=0, sort=False)
    wide = wide.reindex(index=review.theme_order, columns=list(columns), fill_value=0)
    wide.index = [review.theme_label(t) for t in wide.index]
    return wide.rename(columns=columns).rename_axis("Theme")


def trend_sentence(review: ThematicReview) -> str:
    """Said instead of the chart by year where it cannot be drawn."""
    if review.findings.empty:
        return "No findings were recorded, so no trend is shown."
    if len(review.report.lookback_with_data) < 2:
        return "Only one year of findings is available, so no trend is shown."
    return "No finding was coded to a theme, so no trend is shown."


def findings_table(review: ThematicReview) -> PublishedTable:
    """Findings per theme by source and by kind, with the theme's total."""
    neutral = review.by_theme.frame[KIND_COLUMNS["neutral"]]
    kinds = [c for c in KIND_COLUMNS.values()
             if c != KIND_COLUMNS["neutral"] or (neutral > 0).any()]
    columns = [*SOURCE_COLUMNS.values(), *kinds, ALL_FINDINGS]
    return review.by_theme.view(
        columns, f"Findings by theme, {review.scope}: from reviews and audits, strengths and "
                 "findings asking for change" + (", and practice found satisfactory"
                                                 if len(kinds) == 3 else ""),
        when_empty="No finding of these years was coded to a theme.")


def by_year_table(review: ThematicReview, top: int = 8) -> PublishedTable:
    """Findings per year (rows) for the leading themes (columns), as `by_theme` publishes
    them: what the chart by year draws."""
    years = review.report.lookback_with_data
    source = review.by_theme
    themes = source.frame["Theme"].head(top).tolist()
    values = source.frame.set_index("Theme").loc[themes, years].T
    hidden = source.mask.set_index(source.frame["Theme"]).loc[themes, years].T
    frame = values.rename_axis("Year").reset_index()
    frame.columns.name = None
    return PublishedTable(frame, "Findings per year, leading themes", review.report.policy,
                          {t: Count("findings") for t in themes},
                          withheld=hidden.reset_index(drop=True))


def cooccurrence_table(review: ThematicReview, top: int = 10) -> PublishedTable:
    """Leading themes' co-occurrence (findings coded to both); the diagonal is a theme's
    findings, withheld wherever `by_theme` withholds the theme's total."""
    themes = review.theme_order[:top]
    matrix = cooccurrence(review.table, themes).astype(float)
    labels = [review.theme_label(t) for t in themes]
    matrix.index, matrix.columns = labels, labels
    source = review.by_theme
    hidden = pd.DataFrame(False, index=labels, columns=labels)
    for theme in labels:
        hidden.loc[theme, theme] = source.withheld_cell(theme, ALL_FINDINGS)
    frame = matrix.rename_axis("Theme").reset_index()
    return PublishedTable(frame, "Findings sharing two themes", review.report.policy,
                          {t: Count("findings") for t in labels},
                          withheld=hidden.reset_index(drop=True))


def echo_table(review: ThematicReview) -> PublishedTable:
    """Per theme: reviews and audits raising it, and whether audits echo reviews."""
    echo = audit_echoes_review(review.table)
    words = {ECHO_BOTH: "Reviews and audits", ECHO_REVIEWS_ONLY: "Reviews only",
             ECHO_AUDITS_ONLY: "Audits only"}
    frame = pd.DataFrame({
        "Theme": echo["theme"].map(review.theme_label),
        "Reviews raising it": echo["reviews"],
        "Audits raising it": echo["audits"],
        "Found in": echo["echo"].map(words),
    })
    return PublishedTable(frame, f"Themes raised by reviews and by audits, {review.scope}",
                          review.report.policy,
                          {"Reviews raising it": Count("reviews"),
                           "Audits raising it": Count("audits")},
                          when_empty="No finding of these years was coded to a theme.")


def actions_table(review: ThematicReview) -> PublishedTable:
    """Actions on the window's findings by theme and by where each stood at the year end (its
    latest record): an action counts under each theme of the findings it answers, and under
    "No theme" where it answers none that is coded."""
    year = review.report.year
    by_theme = review.action_states
    frame = pd.DataFrame({"Theme": [NO_THEME if pd.isna(t) else review.theme_label(t)
                                    for t in by_theme["theme"]]})
    for position in POSITIONS:
        frame[label("status", position)] = by_theme[position].to_numpy()
    frame["All actions"] = by_theme["total"].to_numpy()
    return PublishedTable(
        frame, f"Actions on the findings of {review.scope} by theme, and where each stood at "
               f"the end of {year.end_text}", review.report.policy,
        {c: Count("actions") for c in frame.columns[1:]}, row_total="All actions",
        notes="An action answering findings of several themes is counted under each theme, so "
              "the rows add up to more than the number of actions.",
        when_empty=f"No actions were recorded on the findings of {review.scope}.")


def emerging_table(review: ThematicReview) -> PublishedTable:
    """Terms rising in the latest year that no theme covers: candidates for the analyst."""
    years = review.report.lookback_with_data
    caption = "Terms rising in the latest year that no theme covers"
    if len(years) < 2:
        return PublishedTable(pd.DataFrame({"Term": []}), caption, review.report.policy,
                              when_empty="Only one year of findings is available, so no term "
                                         "can be seen rising.")
    terms = emerging_terms(review.findings, review.codebook, latest_year=years[-1])
    frame = pd.DataFrame({
        "Term": terms["term"],
        "Findings this year": terms["findings_latest"],
        "Share this year (%)": 100 * terms["share_latest"],
        "Findings in earlier years": terms["findings_earlier"],
        "Share in earlier years (%)": 100 * terms["share_earlier"],
    })
    return PublishedTable(
        frame, caption, review.report.policy,
        {"Findings this year": Count("findings"),
         "Share this year (%)": Share("Findings this year"),
         "Findings in earlier years": Count("findings"),
         "Share in earlier years (%)": Figure(1)},
        notes="Candidates for the codebook: an analyst decides whether to add them.",
        when_empty="No term rose in the latest year outside the themes of the codebook.")


def agreement_table(review: ThematicReview) -> PublishedTable:
    """How far the automatic coding agrees with the analyst's, where the analyst coded."""
    table = agreement(review.coded)
    table = table[(table["theme"] == "overall") | (table["both"] + table["analyst_only"] > 0)]
    if not review.coded["source"].eq("analyst").any():
        table = table.iloc[:0]
    frame = pd.DataFrame({
        "Theme": table["theme"].map(lambda t: "All themes" if t == "overall"
                                    else review.theme_label(t)),
        "Precision": table["precision"],
        "Recall": table["recall"],
        "Cohen's kappa": table["kappa"],
    })
    return PublishedTable(
        frame, "Agreement of the automatic coding with the analyst's coding",
        review.report.policy, {c: Figure(2) for c in frame.columns[1:]},
        notes="Precision: share of automatic codes the analyst also gave. Recall: share of the "
              "analyst's codes found automatically. Kappa: agreement beyond chance (1 is "
              "perfect).",
        when_empty="No finding carries analyst-assigned themes, so all coding is automatic.")


def _of_report_year(review: ThematicReview, frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["year"] == review.report.year.label]


def _themes_of(review: ThematicReview) -> pd.Series:
    """Each (year-scoped) finding id of the report year: its theme labels, most frequent
    theme first."""
    coded = _of_report_year(review, review.table).dropna(subset=["theme"])
    rank = {theme: i for i, theme in enumerate(review.theme_order)}
    coded = coded.drop_duplicates(["finding_id", "theme"]).assign(
        rank=coded["theme"].map(rank), label=coded["theme"].map(review.theme_label))
    return coded.sort_values("rank", kind="stable").groupby(
        "finding_id", sort=False)["label"].agg("; ".join)


def findings_listing(review: ThematicReview) -> PublishedTable:
    """Every finding of the report year with its id, source, kind, agency and themes (as
    coded here), for the appendix: a board member finds any finding by its id."""
    findings = _of_report_year(review, review.findings)
    themes = _themes_of(review)
    frame = pd.DataFrame({
        "Id": _own_id(findings["finding_id"]),
        "From": findings["source_type"].map(SOURCE_WORDS) + " " + findings["source_id"],
        "Kind": labelled(findings["kind"], "kind"),
        "Agency": as_recorded(findings["agency"]),
        "Themes": findings["finding_id"].map(themes).fillna(NO_THEME),
        "Finding": findings["text"],
    })
    return PublishedTable(frame, f"Every finding of {review.report.year} and its themes",
                          review.report.policy,
                          when_empty=f"No finding was recorded for {review.report.year}.")


SOURCE_WORDS = {"review": "Review", "audit": "Audit"}

KIND_RANK = {"area_for_development": 0, "learning": 0, "recommendation": 1, "strength": 2}
"""Which findings of a theme lead: those asking for change, then recommendations, then
strengths."""

POSITION_RANK = {"overdue": 0, "not_started": 1, "in_progress": 2, "completed": 3,
                 "cancelled": 4}
"""Which actions of a theme lead: overdue first, done last."""


def _own_id(scoped: pd.Series) -> pd.Series:
    """The partnership's own id of a year-scoped one ("2022-23/ND-A-01-F02" -> "ND-A-01-F02")."""
    return scoped.astype(str).str.split("/", n=1).str[1]


def theme_leads(review: ThematicReview, limit: int) -> list[dict]:
    """Per theme with findings in the report year (most frequent first): its leading findings
    (asking for change before strengths, reviews before audits) and its leading actions (open
    before done, the earliest due first), at most `limit` of each, with how many more."""
    findings = _of_report_year(review, review.findings)
    findings = findings.assign(
        rank_kind=findings["kind"].map(KIND_RANK).fillna(1),
        rank_source=(findings["source_type"] != "review").astype(int),
    ).sort_values(["rank_kind", "rank_source"], kind="stable")
    actions = _of_report_year(review, review.actions)
    actions = actions.assign(position=position_at_year_end(actions, review.report.year))
    actions = actions.assign(rank=actions["position"].map(POSITION_RANK)).sort_values(
        ["rank", "due_date"], kind="stable", na_position="last")
    coded = _of_report_year(review, review.table).dropna(subset=["theme"])
    present = set(coded["theme"])
    out = []
    for theme in (t for t in review.theme_order if t in present):
        ids = set(coded.loc[coded["theme"] == theme, "finding_id"])
        mine = findings[findings["finding_id"].isin(ids)]
        answering = actions[actions["finding_id"].isin(ids)]
        shown = answering.head(limit)
        owners = as_recorded(shown["owner_agency"])
        out.append({
            "theme": review.theme_label(theme),
            "findings": [{"text": text, "id": own} for text, own in
                         zip(mine["text"].head(limit), _own_id(mine["finding_id"].head(limit)),
                             strict=True)],
            "more_findings": max(0, len(mine) - limit),
            "actions": [{"text": f"{action} ({owner}; {label('status', position)})",
                         "id": str(action_id)} for action, owner, position, action_id in
                        zip(shown["action"], owners, shown["position"], shown["action_id"],
                            strict=True)],
            "more_actions": max(0, len(answering) - limit),
        })
    return out
