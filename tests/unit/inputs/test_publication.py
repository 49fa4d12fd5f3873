"""`workbook validate` reminds the business manager when the yearly report is due, and when the
seven days to send it to the Panel and the What Works centre have passed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pandas as pd

from conftest import STATUTORY_TABLES, folders, write_year
from workbook.core.years import ReportYear
from workbook.inputs.publication import publication_warnings
from workbook.inputs.validation import load_valid_tables

YEAR = ReportYear.parse("2019-20")


def _tables(**row) -> dict[str, pd.DataFrame]:
    base = {
        "document": "Annual report 2019-20",
        "kind": "annual_report",
        "due_date": pd.NaT,
        "published_date": pd.NaT,
        "sent_to_panel_date": pd.NaT,
        "sent_to_what_works_date": pd.NaT,
    }
    frame = pd.DataFrame([{**base, **{k: pd.Timestamp(v) for k, v in row.items()}}])
    return {"publication": frame}


def test_nothing_to_say_long_before_the_report_is_due():
    assert publication_warnings(_tables(), YEAR, date(2020, 6, 1)) == []
    assert (
        publication_warnings(
            {"publication": pd.DataFrame(columns=["kind"])}, YEAR, date(2020, 6, 1)
        )
        == []
    )


def test_due_within_a_month_then_overdue():
    assert publication_warnings(_tables(), YEAR, date(2021, 3, 10)) == [
        "'Annual report 2019-20' is due by 31 March 2021, in 21 days"
    ]
    assert publication_warnings(_tables(), YEAR, date(2021, 4, 1)) == [
        "'Annual report 2019-20' was due by 31 March 2021 and has no publication date: publish "
        "it, or record the date it was published"
    ]


def test_the_partnerships_own_due_date_wins():
    warnings = publication_warnings(_tables(due_date="2020-09-30"), YEAR, date(2020, 10, 1))
    assert warnings and "was due by 30 September 2020" in warnings[0]


def test_no_report_recorded_at_all_once_it_is_due():
    empty = {"publication": pd.DataFrame(columns=["document", "kind"])}
    assert publication_warnings(empty, YEAR, date(2021, 4, 1)) == [
        "the yearly report for 2019-20 was due by 31 March 2021, and the publication table "
        "records no yearly report (kind annual_report): add a row with its publication date"
    ]


def test_seven_days_to_send_it_on():
    published = _tables(published_date="2020-09-30", sent_to_panel_date="2020-10-02")
    within = publication_warnings(published, YEAR, date(2020, 10, 5))
    assert within == [
        "'Annual report 2019-20' must be sent to the What Works centre by 7 October 2020"
    ]
    after = publication_warnings(published, YEAR, date(2020, 10, 8))
    assert after == [
        "'Annual report 2019-20' was published on 30 September 2020 but is not "
        "recorded as sent to the What Works centre; the seven days after "
        "publication ended on 7 October 2020 (record the date in "
        "sent_to_what_works_date)"
    ]


def test_sent_late_and_sent_in_time():
    late = _tables(
        published_date="2020-09-30",
        sent_to_panel_date="2020-10-09",
        sent_to_what_works_date="2020-10-07",
    )
    assert publication_warnings(late, YEAR, date(2021, 1, 1)) == [
        "'Annual report 2019-20' was sent to the Child Safeguarding Practice Review Panel on "
        "9 October 2020, 9 days after publication (the guidance asks for 7)"
    ]


def test_validate_prints_the_reminders_and_still_succeeds(tmp_path):
    write_year(tmp_path, tables=STATUTORY_TABLES)
    tables = load_valid_tables("testshire", "2019-20", tmp_path / "data")
    assert tables["publication"]["sent_to_what_works_date"].isna().all()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbook.run.cli",
            "validate",
            "testshire",
            "2019-20",
            *folders(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "data valid" in done.stdout
    assert (
        "warning: 'Annual report 2019-20' was published on 30 September 2020 but is not "
        "recorded as sent to the What Works centre"
    ) in done.stderr
