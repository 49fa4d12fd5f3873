"""Facts of what was published about the year and when: for each document, the dates and the
address recorded. A document with nothing recorded but its name says nothing to a reader; a date
not recorded is not recorded, never "not yet sent".

These facts carry no `missing` words: the pack is made before the report is published, so its
publication is not something "this report could not show"; the checklist's publication element
says which dates are still to supply."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, not_recorded
from workbook.inputs.raw_tables import FIRST_DATA_ROW

RECORDS = ("published_date", "url", "sent_to_panel_date", "sent_to_what_works_date")
"""What the publication table records of each document beyond its name."""


@dataclass(frozen=True)
class PublicationFacts:
    """The publication record (`frame`, as supplied) and its facts."""

    frame: pd.DataFrame
    with_record: Fact
    """The documents with something recorded beyond their name (a date or an address)."""
    annual_report: dict[str, Fact]
    """For the yearly report (kind `annual_report`), each of `RECORDS`: recorded (a value:
    the date or address as given) or not recorded."""


def publication_facts(publication: pd.DataFrame) -> PublicationFacts:
    """The facts of the year's publication record."""
    documents = publication["document"].astype(str)
    # A document is named by its row in the file (names hold spaces, row references do not).
    rows = pd.Series(
        [f"publication/{int(i) + FIRST_DATA_ROW}" for i in publication.index],
        index=publication.index,
        dtype=object,
    )
    recorded = publication[list(RECORDS)].notna().any(axis=1)
    report = publication[publication["kind"] == "annual_report"]
    annual = {}
    for column in RECORDS:
        given = report[column].dropna()
        annual[column] = (
            Fact(
                f"publication.{column}",
                given.iloc[0],
                tuple(rows[given.index]),
            )
            if len(given)
            else not_recorded(f"publication.{column}", "", f"publication: {column}")
        )
    return PublicationFacts(
        frame=publication,
        with_record=Fact(
            "publication.with_record",
            documents[recorded].tolist(),
            tuple(rows[recorded]),
        )
        if recorded.any()
        else not_recorded("publication.with_record", "", "publication table"),
        annual_report=annual,
    )
