import re
from datetime import date

import pytest

from workbook.core.errors import WorkbookError
from workbook.core.years import ReportYear, window


def test_year_bounds_and_dfe_period():
    year = ReportYear.parse("2019-20")
    assert (year.start, year.end) == (date(2019, 4, 1), date(2020, 3, 31))
    assert year.time_period == 2020
    assert ReportYear.parse("1999-00").label == "1999-00"


@pytest.mark.parametrize("bad", ["2019", "2019-21", "2019/20", "19-20", "", "2019-2020"])
def test_bad_year_labels_rejected(bad):
    with pytest.raises(WorkbookError, match="2019-20"):
        ReportYear.parse(bad)


def test_lookback_window_ends_with_report_year():
    assert [y.label for y in window("2019-20", 4)] == ["2016-17", "2017-18", "2018-19", "2019-20"]
    assert [y.label for y in window("2019-20", 1)] == ["2019-20"]
    with pytest.raises(WorkbookError):
        window("2019-20", 0)


@pytest.mark.parametrize(
    ("year", "n", "expected"),
    [
        ("1999-00", 3, ["1997-98", "1998-99", "1999-00"]),
        ("2000-01", 3, ["1998-99", "1999-00", "2000-01"]),
        ("2019-20", 1, ["2019-20"]),
        ("2019-20", 12, [f"{y}-{(y + 1) % 100:02d}" for y in range(2008, 2020)]),
    ],
)
def test_lookback_window_across_century_and_decade_boundaries(year, n, expected):
    assert [y.label for y in window(year, n)] == expected


@pytest.mark.parametrize(("year", "n"), [("2019/20", 4), ("2019-21", 4), ("2019-20", 0)])
def test_a_bad_lookback_is_a_user_error(year, n):
    with pytest.raises(WorkbookError):
        window(year, n)


def test_a_year_carries_its_period_and_says_it_in_words():
    october = ReportYear(2022).with_period(date(2022, 10, 1), date(2023, 9, 30))
    assert (october.start, october.end) == (date(2022, 10, 1), date(2023, 9, 30))
    assert october.period_text == "October 2022 to September 2023"
    assert october.end_text == "September 2023"
    assert october.months == 12 and not october.is_april_to_march
    assert october == ReportYear(2022) and october.label == "2022-23"  # one label, one year
    assert ReportYear(2022).period_text == "April 2022 to March 2023"
    assert ReportYear(2022).end_text == "March 2023" and ReportYear(2022).is_april_to_march
    first = ReportYear(2022).with_period(date(2021, 10, 1), date(2023, 3, 31))
    assert first.months == 18
    days = ReportYear(2022).with_period(date(2022, 4, 15), date(2023, 4, 14))
    assert days.period_text == "15 April 2022 to 14 April 2023" and days.months == 12


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (date(2022, 10, 1), None, "give both period_start and period_end"),
        (date(2023, 5, 1), date(2023, 4, 1), "the period ends (1 April 2023) before it starts"),
        (date(2021, 4, 1), date(2023, 4, 30), "is longer than 24 months"),
        (date(2024, 4, 1), date(2025, 3, 31), "does not overlap April 2022 to March 2023"),
    ],
)
def test_a_period_that_cannot_be_the_years_is_refused(start, end, words):
    with pytest.raises(WorkbookError, match=re.escape(words)):
        ReportYear(2022).with_period(start, end)


def test_the_lookback_keeps_the_report_years_period():
    october = ReportYear(2022).with_period(date(2022, 10, 1), date(2023, 9, 30))
    years = window(october, 2)
    assert years[-1].end == date(2023, 9, 30)
    assert years[0].end == date(2022, 3, 31)  # other years' periods are in the parameters
