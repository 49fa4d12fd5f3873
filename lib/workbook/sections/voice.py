"""The voice of children, young people and families: how their views were sought, what they
said, what changed ("you said, we did"), and what they said coded into the codebook's themes, so
their words sit beside what reviews and audits found on the same themes.
"""

from __future__ import annotations

import pandas as pd

from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import code_findings, final_themes
from workbook.inputs.report import Report
from workbook.text.labels import label

WHOSE_VIEWS = {"children": "Children", "young_people": "Young people",
               "parents_carers": "Parents and carers", "families": "Families",
               "adults": "Adults at risk", "mixed": "Children, families and adults"}
UNITS = {"children": "children", "young_people": "young_people", "parents_carers": "people",
         "families": "people", "adults": "adults", "mixed": "people"}
"""What a count of participants counts (units of specs/disclosure.yaml): people, always."""


def feedback(report: Report) -> pd.DataFrame:
    return report.tables["feedback"].reset_index(drop=True)


def you_said_we_did(report: Report) -> pd.DataFrame:
    """One row per activity: how views were sought, whose, what they said and what changed."""
    rows = feedback(report)
    return pd.DataFrame({
        "How we asked": rows["activity"].astype(str),
        "Whose views": rows["from_whom"].map(WHOSE_VIEWS),
        "You said": rows["said"].astype(str),
        "We did": rows["changed"].fillna("Nothing has changed yet as a result."),
    })


def participants(report: Report) -> pd.DataFrame:
    """Who took part in each activity, with the unit each count counts (for suppression)."""
    rows = feedback(report)
    return pd.DataFrame({"activity": rows["activity"].astype(str),
                         "method": rows["method"].map(lambda m: label("method", m)),
                         "whose": rows["from_whom"].map(WHOSE_VIEWS),
                         "participants": rows["participants"].astype("Float64"),
                         "unit": rows["from_whom"].map(UNITS)})


def coded_feedback(report: Report, codebook: Codebook | None = None) -> pd.DataFrame:
    """What was said, coded into themes (the analyst's `themes` win): feedback_id and theme,
    one row per pair; feedback no theme matched is left out."""
    rows = feedback(report)
    if rows.empty:
        return pd.DataFrame(columns=["feedback_id", "theme"])
    frame = pd.DataFrame({"finding_id": rows["feedback_id"].astype(str),
                          "text": rows["said"].astype(str),
                          "themes": rows["themes"]})
    final = final_themes(code_findings(frame, codebook or load_codebook(),
                                       source_name="the feedback table"))
    final = final.dropna(subset=["theme"])
    return final.rename(columns={"finding_id": "feedback_id"})[["feedback_id", "theme"]]


def beside_reviews_and_audits(coded: pd.DataFrame, theme_table: pd.DataFrame,
                              labels: dict[str, str]) -> pd.DataFrame:
    """For each theme children or families raised: how many of their comments, and how many
    findings of reviews and of audits over the lookback carry the same theme.

    `theme_table` is the thematic review's table (finding_id, source_type, theme, year).
    Columns: theme (label), feedback, review_findings, audit_findings; most comments first."""
    themes = coded.groupby("theme")["feedback_id"].nunique()
    found = theme_table.dropna(subset=["theme"])
    scoped = found.assign(key=found["year"].astype(str) + "/" + found["finding_id"].astype(str))
    by_source = scoped.groupby(["theme", "source_type"])["key"].nunique()
    rows = [{"theme": labels.get(theme, theme), "feedback": int(n),
             "review_findings": int(by_source.get((theme, "review"), 0)),
             "audit_findings": int(by_source.get((theme, "audit"), 0))}
            for theme, n in themes.items()]
    frame = pd.DataFrame(rows, columns=["theme", "feedback", "review_findings", "audit_findings"])
    return frame.sort_values(["feedback", "theme"], ascending=[False, True], ignore_index=True)


def facts(report: Report) -> dict:
    """What the voice narrative states."""
    rows = feedback(report)
    return {"activities": len(rows),
            "whose": [WHOSE_VIEWS[w] for w in dict.fromkeys(rows["from_whom"])],
            "changed": int(rows["changed"].notna().sum()),
            "unchanged": int(rows["changed"].isna().sum())}
