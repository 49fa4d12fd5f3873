"""The voice of children, young people and families: how their views were sought, what they
said, what changed ("you said, we did"), and what they said coded into the codebook's themes, so
their words sit beside what reviews and audits found on the same themes.
"""

from __future__ import annotations

import pandas as pd

from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import code_findings, final_themes
from workbook.disclosure.published import Count, PublishedTable
from workbook.inputs.report import Report
from workbook.text.labels import label

WHOSE_VIEWS = {
    "children": "Children",
    "young_people": "Young people",
    "parents_carers": "Parents and carers",
    "families": "Families",
    "adults": "Adults at risk",
    "mixed": "Children, families and adults",
}
UNITS = {
    "children": "children",
    "young_people": "young_people",
    "parents_carers": "people",
    "families": "people",
    "adults": "adults",
    "mixed": "people",
}
"""What a count of participants counts (units of specs/disclosure.yaml): people, always."""


def feedback(report: Report) -> pd.DataFrame:
    return report.tables["feedback"].reset_index(drop=True)


def you_said_we_did(report: Report) -> PublishedTable:
    """One row per activity: whose views were sought and how, what they said, what changed."""
    rows = feedback(report)
    frame = pd.DataFrame(
        {
            "Whose views": rows["from_whom"].map(WHOSE_VIEWS),
            "How we asked": rows["activity"].astype(str),
            "You said": rows["said"].astype(str),
            "We did": rows["changed"].fillna("Nothing has changed yet as a result."),
        }
    )
    return PublishedTable(
        frame,
        f"You said, we did: views sought in {report.year.label}",
        report.policy,
        when_empty=None,
    )


def participants(report: Report) -> PublishedTable:
    """How many took part in each activity that recorded it: counts of people, withheld when
    small like any count of children or families."""
    rows = feedback(report).dropna(subset=["participants"])
    frame = pd.DataFrame(
        {
            "Activity": rows["activity"].astype(str),
            "How": rows["method"].map(lambda m: label("method", m)),
            "Whose views": rows["from_whom"].map(WHOSE_VIEWS),
            "Took part": rows["participants"].astype(int),
        }
    )
    units = tuple(rows["from_whom"].map(UNITS))
    return PublishedTable(
        frame,
        "How many took part",
        report.policy,
        {"Took part": Count(units)},
        when_empty="How many took part was not recorded for any activity.",
    )


def coded_feedback(report: Report, codebook: Codebook | None = None) -> pd.DataFrame:
    """What was said, coded into themes (the analyst's `themes` win): feedback_id and theme,
    one row per pair; feedback no theme matched is left out."""
    rows = feedback(report)
    if rows.empty:
        return pd.DataFrame(columns=["feedback_id", "theme"])
    frame = pd.DataFrame(
        {
            "finding_id": rows["feedback_id"].astype(str),
            "text": rows["said"].astype(str),
            "themes": rows["themes"],
        }
    )
    final = final_themes(
        code_findings(frame, codebook or load_codebook(), source_name="the feedback table")
    )
    final = final.dropna(subset=["theme"])
    return final.rename(columns={"finding_id": "feedback_id"})[["feedback_id", "theme"]]


def beside_reviews_and_audits(
    report: Report, coded: pd.DataFrame, theme_table: pd.DataFrame, labels: dict[str, str]
) -> PublishedTable:
    """For each theme children or families raised: in how many of the year's activities, and
    how many findings of reviews and of audits over the lookback carry the same theme.

    `theme_table` is the thematic review's table (finding_id, source_type, theme, year); its
    finding ids are already unique across years. Most-raised themes first."""
    themes = coded.groupby("theme")["feedback_id"].nunique()
    found = theme_table.dropna(subset=["theme"])
    by_source = found.groupby(["theme", "source_type"])["finding_id"].nunique()
    rows = [
        {
            "Theme": labels.get(theme, theme),
            "Activities": int(n),
            "Review findings": int(by_source.get((theme, "review"), 0)),
            "Audit findings": int(by_source.get((theme, "audit"), 0)),
        }
        for theme, n in themes.items()
    ]
    frame = pd.DataFrame(rows, columns=["Theme", "Activities", "Review findings", "Audit findings"])
    frame = frame.sort_values(["Activities", "Theme"], ascending=[False, True], ignore_index=True)
    years = report.lookback_with_data
    scope = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return PublishedTable(
        frame,
        f"Themes in what children and families said in {report.year.label}, beside "
        f"the findings of reviews and audits on the same theme, {scope}",
        report.policy,
        {
            "Activities": Count("activities"),
            "Review findings": Count("findings"),
            "Audit findings": Count("findings"),
        },
        when_empty="What children and families said matched none of the codebook's themes.",
    )


def facts(report: Report) -> dict:
    """What the voice narrative states. Activities are the partnership's work: their counts
    are stated as they are (how many people took part is in the table, withheld when small)."""
    rows = feedback(report)
    policy = report.policy
    return {
        "activities": policy.count(len(rows), "activities"),
        "whose": [WHOSE_VIEWS[w] for w in dict.fromkeys(rows["from_whom"])],
        "changed": policy.count(int(rows["changed"].notna().sum()), "activities"),
        "unchanged": policy.count(int(rows["changed"].isna().sum()), "activities"),
    }
