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
