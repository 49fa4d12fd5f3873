"""Scrutiny and accountability: the independent scrutineer's assessment (an analyst block), the
recommendations made to the partnership tracked like actions, the log of changes to the
arrangements, the relevant agencies, and the publication record.

Every builder takes the year's facts (`workbook.facts.year_facts`: `recommendations`,
`arrangements`, `agencies`, `publication`). Overdue is said only where due dates say so, dates
are shown at the precision given, and a column, row or table with nothing recorded is left out.
"""

from __future__ import annotations

import pandas as pd

from workbook.core.dates import column_labels
from workbook.disclosure.published import PublishedTable
from workbook.facts import YearFacts
from workbook.facts.actions import POSITIONS
from workbook.facts.agencies import EDUCATION_SECTORS
from workbook.facts.publication import RECORDS
from workbook.text.labels import as_recorded, label

STATED_POSITIONS = {
    "completed": "complete",
    "in_progress": "in progress",
    "not_started": "not started",
    "overdue": "overdue",
    "cancelled": "cancelled",
}
"""Where a recommendation stood at the year end, in a sentence."""


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    """A date column as the report gave it ("May 2019"), blank where not recorded."""
    return column_labels(frame, column).replace("Not recorded", "")


def _without_blank_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The frame less those of `columns` that no row filled."""
    return frame.drop(columns=[c for c in columns if len(frame) and frame[c].eq("").all()])


def recommendations(facts: YearFacts) -> PublishedTable:
    """Each recommendation: who made it, what, the decision, the owner and where it stood at
    the year end (overdue only where its due date had passed)."""
    rows = facts.recommendations.frame
    frame = pd.DataFrame(
        {
            "Made by": rows["made_by"].map(lambda m: label("made_by", m)),
            "Recommendation": rows["recommendation"].astype(str),
            "What the partnership decided": rows["response"].fillna(""),
            "Owner": as_recorded(rows["owner"]).replace("Not recorded", ""),
            "Due": _dates(rows, "due_date"),
            "Position at year end": rows["position"].map(lambda s: label("status", s)),
        }
    )
    return PublishedTable(
        _without_blank_columns(frame, ["What the partnership decided", "Owner", "Due"]),
        "Recommendations made to the partnership and what was done",
        facts.policy,
        when_empty=None,
    )


def changes(facts: YearFacts) -> PublishedTable:
    """The log of changes to the arrangements, dated ones first in date order (dates at the
    precision given)."""
    rows = facts.arrangements.frame.sort_values("change_date", na_position="last", kind="stable")
    frame = pd.DataFrame(
        {
            # The change heads its row: a row header is never blank (a change's date may be).
            "Change": rows["change"].astype(str),
            "When": _dates(rows, "change_date"),
            "Why": rows["reason"].fillna(""),
            "Agreed by": rows["agreed_by"].fillna(""),
        }
    )
    return PublishedTable(
        _without_blank_columns(frame, ["When", "Why", "Agreed by"]),
        f"Changes to the arrangements recorded for {facts.year.label}",
        facts.policy,
        when_empty=None,
    )


def agencies(facts: YearFacts) -> PublishedTable:
    """Relevant agencies by sector, education and early years settings first, each sector with
    the agencies it names. No column of how many each sector lists, nor a total row: the names
    are the count, and the narrative states the total and the number of sectors."""
    rows = facts.agencies.frame
    first = {"education": 0, "early_years": 1}
    order = sorted(
        dict.fromkeys(rows["sector"]),
        key=lambda s: (first.get(s, 2), s == "other", label("sector", s)),
    )
    frame = pd.DataFrame(
        {
            "Sector": [label("sector", s) for s in order],
            "Named in the arrangements": [
                "; ".join(rows.loc[rows["sector"] == s, "agency"].astype(str)) for s in order
            ],
        }
    )
    return PublishedTable(
        frame,
        "Relevant agencies and groups of agencies named in the arrangements",
        facts.policy,
        when_empty=None,
    )


def publication_record(facts: YearFacts) -> PublishedTable:
    """What was published about the year, when, and when the report was sent on: only the
    documents with a date recorded (an address alone does not say what was published when),
    and only the columns some row filled."""
    rows = facts.publication.frame
    rows = rows[rows[[c for c in RECORDS if c.endswith("_date")]].notna().any(axis=1)]
    frame = pd.DataFrame(
        {
            "Document": rows["document"].astype(str),
            "Published": _dates(rows, "published_date"),
            # The pack links to nothing outside itself: an address is shown without its scheme.
            "Where": rows["url"].fillna("").map(lambda url: url.split("://", 1)[-1]),
            "Sent to the national panel": _dates(rows, "sent_to_panel_date"),
            "Sent to the What Works centre": _dates(rows, "sent_to_what_works_date"),
        }
    )
    return PublishedTable(
        _without_blank_columns(frame, list(frame.columns[1:])),
        f"Documents published about {facts.year.label}",
        facts.policy,
        when_empty=None,
    )


SENT_TO = {
    "Sent to the national panel": "sent to the national panel",
    "Sent to the What Works centre": "sent to the What Works centre",
}


def publication_lines(facts: YearFacts) -> list[str]:
    """The publication record as a line per document ("X: published on 28 September 2023 at
    example.org/report; sent to the national panel on 3 October 2023."): a document's two or
    three dates read as a sentence, where a table's narrow columns broke each date over three
    lines. Only what `publication_record` shows: dated documents, dates recorded."""
    lines = []
    for row in publication_record(facts).frame.to_dict("records"):
        said = []
        if row.get("Published"):
            where = f" at {row['Where']}" if row.get("Where") else ""
            said.append(f"published {_on(row['Published'])}{where}")
        said += [f"{words} {_on(row[c])}" for c, words in SENT_TO.items() if row.get(c)]
        lines.append(f"{row['Document']}: {'; '.join(said)}.")
    return lines


def _on(when: str) -> str:
    """A date at the precision given, in a sentence: "on 3 October 2023", "in May 2019"."""
    return f"on {when}" if when[:1].isdigit() and len(when.split()) == 3 else f"in {when}"


def scrutiny_sentences(facts: YearFacts) -> dict:
    """What the scrutiny narrative states: the facts of the recommendations, the changes to the
    arrangements and the agencies, with where the recommendations stood at the year end in
    the order tables show positions (overdue only where due dates say so)."""
    recs = facts.recommendations
    stood = []
    if recs.total.recorded:
        for position in POSITIONS:
            fact = recs.overdue if position == "overdue" else recs.positions[position]
            if fact.recorded and fact.get():
                stood.append({"count": fact, "words": STATED_POSITIONS[position]})
    return {
        "r": recs,
        "national": recs.by_maker.get("national_review"),
        "stood": stood,
        "changes": facts.arrangements,
        "agencies": facts.agencies,
        "education": [
            label("sector", sector).lower()
            for sector in EDUCATION_SECTORS
            if facts.agencies.sectors.recorded and sector in facts.agencies.sectors.value
        ],
    }
