"""When the yearly report is due, and whether it reached the national bodies in time.

Safeguarding partners must publish a report at least once in every 12 months and send it to the
Child Safeguarding Practice Review Panel and the What Works centre within seven days of publishing
it (Working Together to Safeguard Children). `workbook validate` prints these reminders from the
year's `publication` table, so the business manager sees a deadline before it passes.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from workbook.core.years import ReportYear

SEND_WITHIN_DAYS = 7
"""Days after publication by which the report goes to the Panel and the What Works centre."""

REMIND_DAYS_BEFORE = 30
"""How long before the report is due the reminder starts."""

RECIPIENTS = {
    "sent_to_panel_date": "the Child Safeguarding Practice Review Panel",
    "sent_to_what_works_date": "the What Works centre",
}


def default_due_date(year: ReportYear) -> date:
    """Twelve months after the year end, when the partnership's arrangements set no earlier date."""
    return date(year.end.year + 1, year.end.month, year.end.day)


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _when(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def publication_warnings(
    tables: dict[str, pd.DataFrame], year: ReportYear, today: date
) -> list[str]:
    """Reminders about the year's report: due soon or overdue, or not sent within seven days."""
    publication = tables.get("publication")
    reports = (
        publication[publication["kind"] == "annual_report"]
        if publication is not None and len(publication)
        else pd.DataFrame()
    )
    if reports.empty:
        due = default_due_date(year)
        if today >= due - timedelta(days=REMIND_DAYS_BEFORE):
            verb = "was" if today > due else "is"
            return [
                f"the yearly report for {year} {verb} due by {_when(due)}, and the "
                "publication table records no yearly report (kind annual_report): add a row "
                "with its publication date"
            ]
        return []
    warnings = []
    for row in reports.itertuples(index=False):
        name = f"'{row.document}'"
        published = _day(row.published_date)
        if published is None:
            due = _day(row.due_date) or default_due_date(year)
            if today > due:
                warnings.append(
                    f"{name} was due by {_when(due)} and has no publication date: "
                    "publish it, or record the date it was published"
                )
            elif today >= due - timedelta(days=REMIND_DAYS_BEFORE):
                warnings.append(f"{name} is due by {_when(due)}, in {(due - today).days} days")
            continue
        deadline = published + timedelta(days=SEND_WITHIN_DAYS)
        for column, recipient in RECIPIENTS.items():
            sent = _day(getattr(row, column))
            if sent is None and today > deadline:
                warnings.append(
                    f"{name} was published on {_when(published)} but is not recorded "
                    f"as sent to {recipient}; the seven days after publication ended "
                    f"on {_when(deadline)} (record the date in {column})"
                )
            elif sent is None:
                warnings.append(f"{name} must be sent to {recipient} by {_when(deadline)}")
            elif sent > deadline:
                warnings.append(
                    f"{name} was sent to {recipient} on {_when(sent)}, "
                    f"{(sent - published).days} days after publication (the "
                    f"guidance asks for {SEND_WITHIN_DAYS})"
                )
    return warnings
