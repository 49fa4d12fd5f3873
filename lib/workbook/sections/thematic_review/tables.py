"""The thematic review's tables, each a `PublishedTable` (and the sentence said where the chart
by year cannot be drawn)."""

from __future__ import annotations

import pandas as pd

from workbook.coding.agreement import agreement
from workbook.coding.analysis import (
    ECHO_AUDITS_ONLY,
    ECHO_BOTH,
    ECHO_REVIEWS_ONLY,
    audit_echoes_review,
    cooccurrence,
    emerging_terms,
)
from workbook.disclosure.published import Count, Figure, PublishedTable, Share
from workbook.facts.actions import POSITIONS
from workbook.sections.thematic_review.review import (
    ALL_FINDINGS,
    KIND_COLUMNS,
    NO_THEME,
    SOURCE_COLUMNS,
    ThematicReview,
)
from workbook.text.labels import label


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
    kinds = [
        c for c in KIND_COLUMNS.values() if c != KIND_COLUMNS["neutral"] or (neutral > 0).any()
    ]
    columns = [*SOURCE_COLUMNS.values(), *kinds, ALL_FINDINGS]
    return review.by_theme.view(
        columns,
        f"Findings by theme, {review.scope}: from reviews and audits, strengths and "
        "findings asking for change"
        + (", and practice found satisfactory" if len(kinds) == 3 else ""),
        when_empty="No finding of these years was coded to a theme.",
    )


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
    return PublishedTable(
        frame,
        "Findings per year, leading themes",
        review.report.policy,
        {t: Count("findings") for t in themes},
        withheld=hidden.reset_index(drop=True),
    )


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
    return PublishedTable(
        frame,
        "Findings sharing two themes",
        review.report.policy,
        {t: Count("findings") for t in labels},
        withheld=hidden.reset_index(drop=True),
    )


def echo_table(review: ThematicReview) -> PublishedTable:
    """Per theme: reviews and audits raising it, and whether audits echo reviews."""
    echo = audit_echoes_review(review.table)
    words = {
        ECHO_BOTH: "Reviews and audits",
        ECHO_REVIEWS_ONLY: "Reviews only",
        ECHO_AUDITS_ONLY: "Audits only",
    }
    frame = pd.DataFrame(
        {
            "Theme": echo["theme"].map(review.theme_label),
            "Reviews raising it": echo["reviews"],
            "Audits raising it": echo["audits"],
            "Found in": echo["echo"].map(words),
        }
    )
    return PublishedTable(
        frame,
        f"Themes raised by reviews and by audits, {review.scope}",
        review.report.policy,
        {"Reviews raising it": Count("reviews"), "Audits raising it": Count("audits")},
        when_empty="No finding of these years was coded to a theme.",
    )


def actions_table(review: ThematicReview) -> PublishedTable:
    """Actions on the window's findings by theme and by where each stood at the year end (its
    latest record): an action counts under each theme of the findings it answers, and under
    "No theme" where it answers none that is coded."""
    year = review.report.year
    by_theme = review.action_states
    frame = pd.DataFrame(
        {"Theme": [NO_THEME if pd.isna(t) else review.theme_label(t) for t in by_theme["theme"]]}
    )
    for position in POSITIONS:
        frame[label("status", position)] = by_theme[position].to_numpy()
    frame["All actions"] = by_theme["total"].to_numpy()
    return PublishedTable(
        frame,
        f"Actions on the findings of {review.scope} by theme, and where each stood at "
        f"the end of {year.end_text}",
        review.report.policy,
        {c: Count("actions") for c in frame.columns[1:]},
        row_total="All actions",
        notes="An action answering findings of several themes is counted under each theme, so "
        "the rows add up to more than the number of actions.",
        when_empty=f"No actions were recorded on the findings of {review.scope}.",
    )


def emerging_table(review: ThematicReview) -> PublishedTable:
    """Terms rising in the latest year that no theme covers: candidates for the analyst."""
    years = review.report.lookback_with_data
    caption = "Terms rising in the latest year that no theme covers"
    if len(years) < 2:
        return PublishedTable(
            pd.DataFrame({"Term": []}),
            caption,
            review.report.policy,
            when_empty="Only one year of findings is available, so no term can be seen rising.",
        )
    terms = emerging_terms(review.findings, review.codebook, latest_year=years[-1])
    frame = pd.DataFrame(
        {
            "Term": terms["term"],
            "Findings this year": terms["findings_latest"],
            "Share this year (%)": 100 * terms["share_latest"],
            "Findings in earlier years": terms["findings_earlier"],
            "Share in earlier years (%)": 100 * terms["share_earlier"],
        }
    )
    return PublishedTable(
        frame,
        caption,
        review.report.policy,
        {
            "Findings this year": Count("findings"),
            "Share this year (%)": Share("Findings this year"),
            "Findings in earlier years": Count("findings"),
            "Share in earlier years (%)": Figure(1),
        },
        notes="Candidates for the codebook: an analyst decides whether to add them.",
        when_empty="No term rose in the latest year outside the themes of the codebook.",
    )


def agreement_table(review: ThematicReview) -> PublishedTable:
    """How far the automatic coding agrees with the analyst's, where the analyst coded."""
    table = agreement(review.coded)
    table = table[(table["theme"] == "overall") | (table["both"] + table["analyst_only"] > 0)]
    if not review.coded["source"].eq("analyst").any():
        table = table.iloc[:0]
    frame = pd.DataFrame(
        {
            "Theme": table["theme"].map(
                lambda t: "All themes" if t == "overall" else review.theme_label(t)
            ),
            "Precision": table["precision"],
            "Recall": table["recall"],
            "Cohen's kappa": table["kappa"],
        }
    )
    return PublishedTable(
        frame,
        "Agreement of the automatic coding with the analyst's coding",
        review.report.policy,
        {c: Figure(2) for c in frame.columns[1:]},
        notes="Precision: share of automatic codes the analyst also gave. Recall: share of the "
        "analyst's codes found automatically. Kappa: agreement beyond chance (1 is "
        "perfect).",
        when_empty="No finding carries analyst-assigned themes, so all coding is automatic.",
    )
