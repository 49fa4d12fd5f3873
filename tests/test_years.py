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
