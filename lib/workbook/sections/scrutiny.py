"""Scrutiny and accountability: the independent scrutineer's assessment (an analyst block), the
recommendations made to the partnership tracked like actions, the dated log of changes to the
arrangements, the relevant agencies, and the publication record.
"""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.published import Count, PublishedTable
from workbook.facts.actions import position_at_year_end
from workbook.inputs.report import Report
from workbook.text.labels import as_recorded, label


def _day(value) -> str:
    return "" if pd.isna(value) else f"{pd.Timestamp(value):%-d %B %Y}"


def recommendations(report: Report) -> PublishedTable:
    """Each recommendation: who made it, what, the decision, the owner and where it stood."""
    rows = report.tables["scrutiny_recommendations"]
    frame = pd.DataFrame(
        {
            "Made by": rows["made_by"].map(lambda m: label("made_by", m)),
            "Recommendation": rows["recommendation"].astype(str),
            "What the partnership decided": rows["response"].fillna(""),
            "Owner": as_recorded(rows["owner"]),
            "Position at year end": position_at_year_end(rows, report.year).map(
                lambda s: label("status", s)
            ),
        }
    )
    return PublishedTable(
        frame,
        "Recommendations made to the partnership and what was done",
        report.policy,
        when_empty=f"No recommendation to the partnership from its "
        f"scrutineer, inspections or national reviews was "
        f"recorded for {report.year.label}.",
    )


def changes(report: Report) -> PublishedTable:
    """The log of changes to the arrangements, dated ones first in date order."""
    rows = report.tables["arrangements_changes"].sort_values(
        "change_date", na_position="last", kind="stable"
    )
    frame = pd.DataFrame(
        {
            "When": rows["change_date"].map(_day).replace("", "Not recorded"),
            "Change": rows["change"].astype(str),
            "Why": rows["reason"].fillna(""),
            "Agreed by": rows["agreed_by"].fillna(""),
        }
    )
    return PublishedTable(
        frame,
        f"Changes to the arrangements in {report.year.label}",
        report.policy,
        when_empty=f"No change to the arrangements was recorded for {report.year.label}.",
    )


ALL_SECTORS = "All sectors"


def agencies(report: Report) -> PublishedTable:
    """Relevant agencies by sector, education and early years settings first, with how many
    each sector has and their names."""
    rows = report.tables["relevant_agencies"]
    first = {"education": 0, "early_years": 1}
    order = sorted(
        dict.fromkeys(rows["sector"]),
        key=lambda s: (first.get(s, 2), s == "other", label("sector", s)),
    )
    frame = pd.DataFrame(
        {
            "Sector": [label("sector", s) for s in order],
            "Agencies": [int((rows["sector"] == s).sum()) for s in order],
            "Named in the arrangements": [
                "; ".join(rows.loc[rows["sector"] == s, "agency"].astype(str)) for s in order
            ],
        }
    )
    if len(frame):
        frame.loc[len(frame)] = [ALL_SECTORS, len(rows), ""]
    return PublishedTable(
        frame,
        "Relevant agencies named in the arrangements",
        report.policy,
        {"Agencies": Count("agencies")},
        total_row=ALL_SECTORS if len(frame) else None,
        when_empty="The relevant agencies were not listed for this year.",
    )


def publication_record(report: Report) -> PublishedTable:
    """What was published about the year, when, and when the report was sent on."""
    rows = report.tables["publication"]
    frame = pd.DataFrame(
        {
            "Document": rows["document"].astype(str),
            "Published": rows["published_date"].map(_day).replace("", "Not recorded"),
            # The pack links to nothing outside itself: an address is shown without its scheme.
            "Where": rows["url"].fillna("").map(lambda url: url.split("://", 1)[-1]),
            "Sent to the national panel": rows["sent_to_panel_date"]
            .map(_day)
            .replace("", "Not recorded"),
            "Sent to the What Works centre": rows["sent_to_what_works_date"]
            .map(_day)
            .replace("", "Not recorded"),
        }
    )
    return PublishedTable(
        frame,
        f"Publication of the report for {report.year.label}",
        report.policy,
        when_empty="The publication of this report is not yet recorded.",
    )


def facts(report: Report) -> dict:
    """What the scrutiny narrative states: counts of the partnership's work, as they are."""
    policy = report.policy
    rows = report.tables["scrutiny_recommendations"]
    where = position_at_year_end(rows, report.year)
    agencies_ = report.tables["relevant_agencies"]
    return {
        "recommendations": policy.count(len(rows), "recommendations"),
        "completed": policy.count(int((where == "completed").sum()), "recommendations"),
        "overdue": policy.count(int((where == "overdue").sum()), "recommendations"),
        "national": policy.count(
            int((rows["made_by"] == "national_review").sum()), "recommendations"
        ),
        "changes": policy.count(len(report.tables["arrangements_changes"]), "changes"),
        "agencies": policy.count(len(agencies_), "agencies"),
        "education_settings": policy.count(
            int(agencies_["sector"].isin(["education", "early_years"]).sum()), "agencies"
        ),
    }
