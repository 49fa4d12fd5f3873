"""Dates as reports give them: kept at their precision, shown as given, placed against a year."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from workbook.core.dates import DateError, parse_span, precision, relation, span_label
from workbook.core.years import ReportYear


@pytest.mark.parametrize(
    ("text", "start", "end", "shown"),
    [
        ("12/05/2019", date(2019, 5, 12), date(2019, 5, 12), "12 May 2019"),
        ("2019-05-12", date(2019, 5, 12), date(2019, 5, 12), "12 May 2019"),
        ("2019-05-12T00:00:00", date(2019, 5, 12), date(2019, 5, 12), "12 May 2019"),
        ("12 May 2019", date(2019, 5, 12), date(2019, 5, 12), "12 May 2019"),
        ("1st March 2020", date(2020, 3, 1), date(2020, 3, 1), "1 March 2020"),
        ("May 2019", date(2019, 5, 1), date(2019, 5, 31), "May 2019"),
        ("november 2013", date(2013, 11, 1), date(2013, 11, 30), "November 2013"),
        ("Sept 2019", date(2019, 9, 1), date(2019, 9, 30), "September 2019"),
        ("Feb 2020", date(2020, 2, 1), date(2020, 2, 29), "February 2020"),
        ("2019-05", date(2019, 5, 1), date(2019, 5, 31), "May 2019"),
        ("05/2019", date(2019, 5, 1), date(2019, 5, 31), "May 2019"),
        ("2019", date(2019, 1, 1), date(2019, 12, 31), "2019"),
        ("in 2015", date(2015, 1, 1), date(2015, 12, 31), "2015"),
        ("During 2015", date(2015, 1, 1), date(2015, 12, 31), "2015"),
        ("2019-20", date(2019, 4, 1), date(2020, 3, 31), "2019-20"),
        ("2019/20", date(2019, 4, 1), date(2020, 3, 31), "2019-20"),
        ("2019-2020", date(2019, 4, 1), date(2020, 3, 31), "2019-20"),
        ("2011/12", date(2011, 4, 1), date(2012, 3, 31), "2011-12"),
    ],
)
def test_every_form_a_report_uses_is_kept_at_its_precision(text, start, end, shown):
    span = parse_span(text)
    assert (span.start, span.end) == (start, end)
    assert span_label(pd.Timestamp(span.start), pd.Timestamp(span.end)) == shown


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2011-12", "could be December 2011 or the reporting year 2011-12"),
        ("31/02/2019", "is not a real date"),
        ("Spring 2019", "is not a date: write a day (12/05/2019"),
        ("2019-13", "is not a date"),
        ("2019-21", "is not a date"),
        ("soon", "a reporting year (2019-20)"),
    ],
)
def test_what_is_not_a_date_says_what_to_write(text, words):
    with pytest.raises(DateError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_span(text)


def test_blank_dates_read_not_recorded_and_have_no_precision():
    assert span_label(pd.NaT, pd.NaT) == "Not recorded"
    assert precision(None, None) is None
    assert relation(pd.NaT, pd.NaT, "2019-20") is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("12/05/2019", "within"),
        ("2019-20", "within"),
        ("March 2020", "within"),
        ("March 2019", "before"),
        ("2018", "before"),
        ("2018-19", "before"),
        ("April 2020", "after"),
        ("2020-21", "after"),
        ("2019", "overlaps"),
        ("2020", "overlaps"),
    ],
)
def test_a_span_is_before_within_after_or_overlapping_the_year(text, where):
    span = parse_span(text)
    assert relation(pd.Timestamp(span.start), pd.Timestamp(span.end), "2019-20") == where


OCTOBER = ReportYear(2022).with_period(date(2022, 10, 1), date(2023, 9, 30))
FIRST_REPORT = ReportYear(2022).with_period(date(2021, 10, 1), date(2023, 9, 30))


@pytest.mark.parametrize(
    ("text", "year", "start", "end"),
    [
        ("by March 2024", None, date(2024, 3, 1), date(2024, 3, 31)),
        ("By the end of March 2024", None, date(2024, 3, 1), date(2024, 3, 31)),
        ("by 2023", None, date(2023, 1, 1), date(2023, 12, 31)),
        ("no later than 12/05/2023", None, date(2023, 5, 12), date(2023, 5, 12)),
        ("by March", ReportYear(2022), date(2023, 3, 1), date(2023, 3, 31)),
        ("by September", ReportYear(2022), date(2022, 9, 1), date(2022, 9, 30)),
        ("by September", OCTOBER, date(2023, 9, 1), date(2023, 9, 30)),
        ("by the end of the year", ReportYear(2022), date(2022, 4, 1), date(2023, 3, 31)),
        ("By end of year", OCTOBER, date(2022, 10, 1), date(2023, 9, 30)),
        ("year end", OCTOBER, date(2022, 10, 1), date(2023, 9, 30)),
        ("1 October 2022 to 30 September 2023", None, date(2022, 10, 1), date(2023, 9, 30)),
    ],
)
def test_due_dates_in_an_action_plans_words_are_spans_at_their_precision(text, year, start, end):
    span = parse_span(text, year)
    assert (span.start, span.end) == (start, end)


def test_a_due_date_of_the_year_is_shown_as_it_reads_back():
    span = parse_span("by the end of the year", OCTOBER)
    shown = span_label(pd.Timestamp(span.start), pd.Timestamp(span.end))
    assert shown == "1 October 2022 to 30 September 2023"
    assert parse_span(shown) == span


@pytest.mark.parametrize(
    ("text", "year", "words"),
    [
        ("by March", None, "'by March' needs its year: write March and the year"),
        ("by the end of the year", None, "needs its year: write the date itself"),
        ("by March", FIRST_REPORT, "holds more than one March: write March 2022 or March 2023"),
        ("May 2019 to 2018", None, "ends before it starts"),
    ],
)
def test_words_that_need_a_year_or_name_two_say_what_to_write(text, year, words):
    with pytest.raises(DateError, match=words):
        parse_span(text, year)
