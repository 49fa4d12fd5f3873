"""The thematic review's tables, each a `PublishedTable` laid out from the year's theme facts
(`workbook.facts.themes`): the one table of themes, the findings per year the chart draws, the
pairs of themes, and the analyst's working (findings no theme matched, agreement with the
analyst's coding, emerging terms)."""

from __future__ import annotations

import pandas as pd

from workbook.coding.agreement import agreement
from workbook.coding.analysis import emerging_terms
from workbook.disclosure.published import Count, Figure, PublishedTable, Share
from workbook.facts import YearFacts
from workbook.text.labels import as_recorded, labelled

ALL_FINDINGS = "All findings"
REVIEWS = "Reviews featuring it"
AUDITS = "Audits featuring it"
OPEN_ACTIONS = "Open actions"
NO_THEME = "No theme"
CHART_THEMES = 5
"""At most this many themes (lines) in the chart of findings per year: more cross and tangle."""


def by_theme(facts: YearFacts) -> PublishedTable:
    """Each theme's findings by year of the lookback and in all, the reviews and audits
    featuring it and the year's open actions on it: one table behind the table of themes, the
    chart by year and the pairs' diagonal, so that where a partnership withholds small counts
    of its work (`withhold_counts_of`) one suppression covers every output stating a theme's
    findings, and no output gives back what another withholds."""
    themes = facts.themes
    years = list(themes.years)
    per_year = themes.per_year
    frame = pd.DataFrame({"Theme": [themes.label(t) for t in themes.order]})
    for year in years:
        frame[year] = per_year[year].to_numpy()
    counts = themes.per_theme
    frame[ALL_FINDINGS] = counts["findings"].to_numpy()
    frame[REVIEWS] = counts["reviews"].to_numpy()
    frame[AUDITS] = counts["audits"].to_numpy()
    frame[OPEN_ACTIONS] = counts["open_actions"].to_numpy()
    return PublishedTable(
        frame,
        f"Findings by theme, {themes.scope}",
        facts.policy,
        {
            **{y: Count("findings") for y in years},
            ALL_FINDINGS: Count("findings"),
            REVIEWS: Count("reviews"),
            AUDITS: Count("audits"),
            OPEN_ACTIONS: Count("actions"),
        },
        row_total=ALL_FINDINGS,
        row_parts=[years],
        when_empty=None,
    )


def themes_table(facts: YearFacts) -> PublishedTable:
    """The one table of themes: per theme, its findings this year and over the lookback, the
    reviews and audits with a finding on it, and the year's actions still open on it. A column
    nothing recorded (no review with findings, no open action) is left out."""
    themes, source = facts.themes, by_theme(facts)
    year = themes.year.label
    columns = {year: f"Findings {year}"}
    if len(themes.years) > 1:
        columns[ALL_FINDINGS] = f"Findings {themes.scope}"
    for column in (REVIEWS, AUDITS, OPEN_ACTIONS):
        if source.frame[column].sum():
            columns[column] = column
    frame = source.frame[["Theme", *columns]].rename(columns=columns)
    withheld = source.mask[list(columns)].rename(columns=columns)
    notes = [
        "A finding coded to several themes counts under each; a review or audit counts once "
        "however many of its findings share a theme."
    ]
    if OPEN_ACTIONS in columns:
        notes.append(
            f"Open actions: the year's actions not completed at the end of "
            f"{themes.year.end_text} that answer a finding on the theme."
        )
    return PublishedTable(
        frame,
        f"Themes of the findings, {themes.scope}",
        facts.policy,
        {name: source.columns[column] for column, name in columns.items()},
        withheld=withheld,
        notes=" ".join(notes),
        when_empty=None,
    )


def by_year_table(facts: YearFacts, top: int = CHART_THEMES) -> PublishedTable:
    """Findings per year (rows) of the leading themes (columns), as `by_theme` publishes them:
    what the chart of findings per year draws. Empty where fewer than two years have data (a
    line needs two points)."""
    themes, source = facts.themes, by_theme(facts)
    years = list(themes.years) if len(themes.years) > 1 else []
    labels = source.frame["Theme"].head(top).tolist()
    values = source.frame.set_index("Theme").loc[labels, years].T
    hidden = source.mask.set_index(source.frame["Theme"]).loc[labels, years].T
    frame = values.rename_axis("Year").reset_index()
    frame.columns.name = None
    return PublishedTable(
        frame,
        f"Findings per year of the {len(labels)} themes with most findings, {themes.scope}",
        facts.policy,
        {t: Count("findings") for t in labels},
        withheld=hidden.reset_index(drop=True),
        when_empty=None,
    )


MIN_FINDINGS_FOR_CHART = 30
"""Below this many findings coded to a theme, the pairs are few and a chart of them mostly
empty squares: the leading pairs are said in a sentence instead."""
MIN_THEMES_IN_PAIRS = 4
"""A chart of pairs needs at least this many themes sharing findings with another."""
PAIR_THEMES = 8
"""At most this many themes in the chart of pairs, so its labels stay readable."""


def pairs_table(facts: YearFacts) -> PublishedTable:
    """How many findings each pair of the leading themes shares (the diagonal: each theme's
    findings, withheld wherever `by_theme` withholds the theme's total), where enough findings
    make a chart of them readable (`MIN_FINDINGS_FOR_CHART`, `MIN_THEMES_IN_PAIRS`); empty
    otherwise (then `leading_pairs` gives the pairs for a sentence)."""
    themes, source = facts.themes, by_theme(facts)
    leading = themes.order[:PAIR_THEMES]
    matrix = themes.pairs(leading)
    shared = [t for t in leading if (matrix.loc[t].drop(t) > 0).any()]
    coded = int((themes.frame["themes"].map(len) > 0).sum())
    if coded < MIN_FINDINGS_FOR_CHART or len(shared) < MIN_THEMES_IN_PAIRS:
        shared = []
    matrix = matrix.loc[shared, shared].astype(float)
    labels = [themes.label(t) for t in shared]
    matrix.index, matrix.columns = labels, labels
    hidden = pd.DataFrame(False, index=labels, columns=labels)
    for label in labels:
        hidden.loc[label, label] = source.withheld_cell(label, ALL_FINDINGS)
    return PublishedTable(
        matrix.rename_axis("Theme").reset_index(),
        "Findings coded to both of two themes",
        facts.policy,
        {t: Count("findings") for t in labels},
        withheld=hidden.reset_index(drop=True),
        when_empty=None,
    )


def leading_pairs(facts: YearFacts, top: int = 3) -> list[dict]:
    """The pairs of themes most often given to one finding (at most `top`, each shared by at
    least two findings), for a sentence where no chart of pairs is drawn; none where the
    partnership withholds small counts of findings (a pair's count is then not stated)."""
    themes = facts.themes
    if facts.policy.withholds("findings"):
        return []
    matrix = themes.pairs(themes.order)
    pairs = [
        (matrix.loc[a, b], i, j, a, b)
        for i, a in enumerate(themes.order)
        for j, b in enumerate(themes.order)
        if i < j and matrix.loc[a, b] >= 2
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return [
        {"first": themes.label(a), "second": themes.label(b), "findings": themes.both(a, b)}
        for _, _, _, a, b in pairs[:top]
    ]


def findings_listing(facts: YearFacts) -> PublishedTable:
    """Every finding of the year with its id, sources, kind, agency and all its themes, for the
    appendix: a board member finds any finding of the pack by its id."""
    themes = facts.themes
    findings = themes.of_findings(this_year=True)
    words = {"review": "Review", "audit": "Audit"}
    frame = pd.DataFrame(
        {
            "Id": findings["finding_id"],
            "From": [
                f"{words.get(kind, kind)} {', '.join(sources)}"
                for kind, sources in zip(findings["source_type"], findings["sources"], strict=True)
            ],
            "Kind": labelled(findings["kind"], "kind"),
            "Agency": as_recorded(findings["agency"]),
            "Themes": [
                "; ".join(themes.label(t) for t in ts) if ts else NO_THEME
                for ts in findings["themes"]
            ],
            "Finding": findings["text"],
        }
    )
    if len(frame) and frame["Agency"].eq("Not recorded").all():
        frame = frame.drop(columns="Agency")
    return PublishedTable(
        frame,
        f"Every finding of {themes.year} and its themes",
        facts.policy,
        when_empty=f"No finding was recorded for {themes.year}.",
    )


# ---- the analyst's working (shown in the analyst's companion, not the board pack) ------------


def uncoded_table(facts: YearFacts) -> PublishedTable:
    """The findings of the lookback no theme matched, for the analyst to code or to suggest
    phrases for (`workbook codebook suggest`)."""
    themes = facts.themes
    findings = themes.frame[themes.frame["themes"].map(len) == 0]
    return PublishedTable(
        pd.DataFrame(
            {"Id": findings["finding_id"], "Year": findings["year"], "Finding": findings["text"]}
        ),
        f"Findings no theme matched, {themes.scope}",
        facts.policy,
        when_empty=None,
    )


def agreement_table(facts: YearFacts) -> PublishedTable:
    """How far the automatic coding agrees with the analyst's, over the findings the analyst
    coded; empty where the analyst coded none."""
    coded = facts.themes.coded
    table = agreement(coded)
    table = table[(table["theme"] == "overall") | (table["both"] + table["analyst_only"] > 0)]
    if not coded["source"].eq("analyst").any():
        table = table.iloc[:0]
    frame = pd.DataFrame(
        {
            "Theme": table["theme"].map(
                lambda t: "All themes" if t == "overall" else facts.themes.label(t)
            ),
            "Precision": table["precision"],
            "Recall": table["recall"],
            "Cohen's kappa": table["kappa"],
        }
    )
    return PublishedTable(
        frame,
        "Agreement of the automatic coding with the analyst's coding",
        facts.policy,
        {c: Figure(2) for c in frame.columns[1:]},
        notes="Precision: share of automatic codes the analyst also gave. Recall: share of the "
        "analyst's codes found automatically. Kappa: agreement beyond chance (1 is perfect).",
        when_empty=None,
    )


def emerging_table(facts: YearFacts) -> PublishedTable:
    """Terms rising in the year that no theme covers: candidates for the codebook, for the
    analyst to decide on. Empty where only one year has data (nothing to rise from)."""
    themes = facts.themes
    caption = f"Terms rising in {themes.year} that no theme covers"
    if len(themes.years) < 2:
        terms = pd.DataFrame(
            columns=["term", "findings_latest", "share_latest", "findings_earlier"]
        ).assign(share_earlier=[])
    else:
        terms = emerging_terms(themes.frame, themes.codebook, latest_year=themes.year.label)
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
        facts.policy,
        {
            "Findings this year": Count("findings"),
            "Share this year (%)": Share("Findings this year", decimals=0),
            "Findings in earlier years": Count("findings"),
            "Share in earlier years (%)": Figure(0),
        },
        notes="Candidates for the codebook: an analyst decides whether to add them.",
        when_empty=None,
    )
