"""Scrutiny and accountability: the independent scrutineer's assessment (an analyst block), the
recommendations made to the partnership tracked like actions, the dated log of changes to the
arrangements, the relevant agencies, and the publication record.
"""

from __future__ import annotations

import pandas as pd

from workbook.inputs.report import Report
from workbook.sections.learning_actions import position_at_year_end
from workbook.text.labels import label


def _day(value) -> str:
    return "" if pd.isna(value) else f"{pd.Timestamp(value):%-d %B %Y}"


def recommendations(report: Report) -> pd.DataFrame:
    """Each recommendation: who made it, what, the response, the owner and where it stood."""
    rows = report.tables["scrutiny_recommendations"]
    return pd.DataFrame({
        "Made by": rows["made_by"].map(lambda m: label("made_by", m)),
        "Recommendation": rows["recommendation"].astype(str),
        "What the partnership decided": rows["response"].fillna(""),
        "Owner": rows["owner"].fillna(""),
        "Position at year end": position_at_year_end(rows, report.year).map(
            lambda s: label("status", s)),
    }).reset_index(drop=True)


def changes(report: Report) -> pd.DataFrame:
    """The log of changes to the arrangements, dated ones first in date order."""
    rows = report.tables["arrangements_changes"].sort_values("change_date", na_position="last",
                                                             kind="stable")
    return pd.DataFrame({"When": rows["change_date"].map(_day).replace("", "Date not recorded"),
                         "Change": rows["change"].astype(str),
                         "Why": rows["reason"].fillna(""),
                         "Agreed by": rows["agreed_by"].fillna("")}).reset_index(drop=True)


def agencies(report: Report) -> pd.DataFrame:
    """Relevant agencies grouped by sector, education and early years settings first."""
    rows = report.tables["relevant_agencies"]
    first = {"education": 0, "early_years": 1}
    order = rows["sector"].map(lambda s: first.get(s, 2))
    rows = rows.assign(_order=order).sort_values(["_order", "sector"], kind="stable")
    return pd.DataFrame({"Sector": rows["sector"].map(lambda s: label("sector", s)),
                         "Agency": rows["agency"].astype(str)}).reset_index(drop=True)


def publication_record(report: Report) -> pd.DataFrame:
    """What was published about the year, when, and when the report was sent on."""
    rows = report.tables["publication"]
    return pd.DataFrame({
        "Document": rows["document"].astype(str),
        "Published": rows["published_date"].map(_day).replace("", "Not recorded"),
        "Where": rows["url"].fillna(""),
        "Sent to the national panel": rows["sent_to_panel_date"].map(_day),
        "Sent to the What Works centre": rows["sent_to_what_works_date"].map(_day),
    }).reset_index(drop=True)


def facts(report: Report) -> dict:
    rows = report.tables["scrutiny_recommendations"]
    where = position_at_year_end(rows, report.year)
    return {"recommendations": len(rows),
            "completed": int((where == "completed").sum()),
            "overdue": int((where == "overdue").sum()),
            "national": int((rows["made_by"] == "national_review").sum()),
            "changes": len(report.tables["arrangements_changes"]),
            "agencies": len(report.tables["relevant_agencies"]),
            "education_settings": int(report.tables["relevant_agencies"]["sector"]
                                      .isin(["education", "early_years"]).sum())}
