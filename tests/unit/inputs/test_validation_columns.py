"""Validation reads a column at a time; every problem stays the one a cell-by-cell reading gives.

The first test pins the whole list of problems of a deliberately bad, varied year (every form of
date, dates that do not exist, dates outside the year and out of order, blanks, bad numbers and
categories) in the order a reader meets them. The others check the column readers against the
cell readers, text by text, for a CSV's columns (pandas' str) and an Excel sheet's (objects).
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import TINY_TABLES, write_year
from workbook.core.dates import FORMS
from workbook.inputs import cells
from workbook.inputs.validation import validate_year

REVIEWS = (
    TINY_TABLES["reviews"].splitlines()[0]
    + """
R1,cspr,Child T,under_1,2019-05-01,20/05/2019,1/6/2019,March 2020,,completed
R2,rapid_review,,10_to_15,May 2019,2019,2019-20,,,decided_not_to_review
R3,cspr,,,31/02/2020,2019-13-01,soon,2011-12,2019/20,completed
R4,cspr,,,2020-04-02,2021,,,,in_progress
R5,CSPR,,,2019-09-01,2019-08-01,,2019-07-15,2019-07,completed

,Rapid Review,,,12th May 2019,2019-05-12T10:30,12/5/2019,2019-02-30,,finished
R1,sar,,,2019-06-01,,2019-05-31,,2019-06,completed
"""
)

AUDITS = (
    TINY_TABLES["audits"].splitlines()[0]
    + """
A1,Neglect,multi_agency_thematic,2019,"1,200",,12.5,-2,£5
A2,Exploitation,single_agency,2018-19,4,0,3,1,0
A3,Missing,multi_agency_thematic,01/04/2020,,,,,
"""
)

INDICATORS = (
    TINY_TABLES["indicators"].splitlines()[0]
    + """
cpp_count,,local,March 2020,85,count,,DfE,
cpp_rate,,local,31/03/2020,37.8,rate_per_10k,,DfE,
cpp_rate,,england,2020-3-31,43.7,rate_per_10k,,DfE,
child_deaths,,local,2020-03-31,4,count,,CDOP,
"""
)

NOT_REAL = f"is not a real date (there is no such day): write {FORMS}"
AFTER_YEAR = (
    "is after the end of the reporting year (31 March 2020): a date after the year "
    "belongs in a later year's data"
)
OUTSIDE_YEAR = (
    "is outside the reporting year 2019-20 (01 April 2019 to 31 March 2020): put it "
    "in that year's data, or correct the date"
)
TWICE = "'R1' appears more than once: each row needs its own id"
EXPECTED = [  # (file, row, column, message): cells first, then the table's rules, then rows'
    ("reviews", 4, "notified_date", f"'31/02/2020' {NOT_REAL}"),
    ("reviews", 4, "decided_date", f"'2019-13-01' {NOT_REAL}"),
    ("reviews", 4, "started_date", f"'soon' is not a date: write {FORMS}"),
    (
        "reviews",
        4,
        "completed_date",
        "'2011-12' could be December 2011 or the reporting year "
        "2011-12: write 'December 2011' for the month, or '2011/12' for the year",
    ),
    ("reviews", 8, "completed_date", f"'2019-02-30' {NOT_REAL}"),
    (
        "reviews",
        8,
        "review_id",
        "a value is required here (The partnership's own reference for the review)",
    ),
    ("reviews", 2, "review_id", TWICE),
    ("reviews", 9, "review_id", TWICE),
    (
        "reviews",
        8,
        "status",
        "'finished' is not one of: notified, decided_not_to_review, "
        "in_progress, completed, completed_publication_delayed, published",
    ),
    ("reviews", 5, "notified_date", f"'2020-04-02' {AFTER_YEAR}"),
    ("reviews", 5, "decided_date", f"'2021' {AFTER_YEAR}"),
    (
        "reviews",
        6,
        "decided_date",
        "2019-08-01 is before notified_date (2019-09-01): check both dates",
    ),
    (
        "reviews",
        6,
        "completed_date",
        "2019-07-15 is before decided_date (2019-08-01): check both dates",
    ),
    (
        "reviews",
        9,
        "started_date",
        "2019-05-31 is before notified_date (2019-06-01): check both dates",
    ),
    ("audits", 2, "graded_good", "'12.5' is not a whole number: write digits only, e.g. 12"),
    (
        "audits",
        2,
        "graded_requires_improvement",
        "-2 cannot be negative: write a whole number of 0 or more",
    ),
    ("audits", 3, "audit_date", f"'2018-19' {OUTSIDE_YEAR}"),
    ("audits", 4, "audit_date", f"'01/04/2020' {OUTSIDE_YEAR}"),
    (
        "indicators",
        2,
        "period_end",
        "'March 2020' is not a day: this column needs the day itself, e.g. 31/03/2020",
    ),
    (
        "indicators",
        2,
        "period_end",
        "a value is required here (Last day of the period the "
        "figure covers (31 March for a year-end snapshot or a whole-year count))",
    ),
]


def test_a_bad_varied_year_gives_every_problem_in_order(tmp_path):
    write_year(tmp_path, tables={"reviews": REVIEWS, "audits": AUDITS, "indicators": INDICATORS})
    folder = tmp_path / "data" / "testshire" / "2019-20"
    problems = validate_year("testshire", "2019-20", tmp_path / "data")
    assert [(p.source, p.row, p.column, p.message) for p in problems] == [
        (str(folder / f"{table}.csv"), row, column, message)
        for table, row, column, message in EXPECTED
    ]


DATE_TEXTS = [
    "2019-05-12",
    "12/05/2019",
    "2019-5-1",
    "1/4/2020",
    "12 May 2019",
    "12th may 2019",
    "May 2019",
    "Sept 2019",
    "2019",
    "in 2019",
    "2019-20",
    "2019/20",
    "2019/2020",
    "2011-12",
    "2019-05",
    "05/2019",
    "2019-05-12T10:30",
    "2019-05-12 00:00:00",
    "2020-02-29",
    "2019-02-29",
    "29/02/2000",
    "29/02/1900",
    "1900-01-01",
    "2099-12-31",
    "31/04/2019",
    "2019-13-01",
    "2019-00-10",
    "00/01/2019",
    "٢٠١٩-٠٥-١٢",
    "soon",
    "12  May  2019",
    "2019-05-12",
    "31/04/2019",
    None,
    "0219-05-12",
    "2300",
    "12/05/2301",
    "1677-09-22",
    "2262-04-11",
]


def cell_by_cell(texts, day_only):
    starts, ends, errors = [], [], []
    for position, text in enumerate(texts):
        span = None
        if text is not None:
            try:
                span = cells.read_date(text, day_only)
            except cells.CellError as exc:
                errors.append((position, str(exc)))
        starts.append(pd.NaT if span is None else pd.Timestamp(span.start))
        ends.append(pd.NaT if span is None else pd.Timestamp(span.end))
    return (
        pd.Series(starts, dtype="datetime64[ns]"),
        pd.Series(ends, dtype="datetime64[ns]"),
        errors,
    )


@pytest.mark.parametrize("dtype", ["str", object])
@pytest.mark.parametrize("day_only", [False, True])
def test_a_date_column_reads_as_its_cells_do(dtype, day_only):
    starts, ends, errors = cells.read_dates(pd.Series(DATE_TEXTS, dtype=dtype), day_only)
    expected = cell_by_cell(DATE_TEXTS, day_only)
    pd.testing.assert_series_equal(starts, expected[0])
    pd.testing.assert_series_equal(ends, expected[1])
    assert errors == expected[2]
    assert starts[0] == pd.Timestamp("2019-05-12") == starts[1] == ends[1]
    wrong = {
        "2011-12",
        "2019-02-29",
        "29/02/1900",
        "31/04/2019",
        "2019-13-01",
        "2019-00-10",
        "00/01/2019",
        "soon",
        "0219-05-12",
        "2300",
        "12/05/2301",
    }
    spans = {
        "May 2019",
        "Sept 2019",
        "2019",
        "in 2019",
        "2019-20",
        "2019/20",
        "2019/2020",
        "2019-05",
        "05/2019",
    }
    assert {DATE_TEXTS[p] for p, _ in errors} == (wrong | spans if day_only else wrong)


def test_blank_and_empty_date_columns():
    for values in (pd.Series([None, None], dtype=object), pd.Series([], dtype="str")):
        starts, ends, errors = cells.read_dates(values)
        assert starts.isna().all() and ends.isna().all() and errors == []
        assert str(starts.dtype) == "datetime64[ns]" and starts.index.equals(values.index)


@pytest.mark.parametrize(
    "read, texts",
    [
        (cells.read_integer, ["12", "1,200", "12.5", "twelve", "12.5", "-3", "50%", None, "3.0"]),
        (cells.read_number, ["37.8", "£5", "1e3", "abc", "abc", "50%", None, "nan"]),
        (cells.read_ids, ["A1", "A1; A2", "bad id!", "A1;A1", "bad id!", None]),
        (cells.read_list, ["Neglect; Assessment Planning", ";", None, "neglect"]),
        (cells.category_key, ["In Progress", "in-progress", None, "Completed"]),
    ],
)
def test_other_columns_read_as_their_cells_do(read, texts):
    """Each distinct text is read once; a repeated bad text is still reported on every row."""
    out, errors = cells.read_column(
        pd.Series(texts, dtype="str", index=range(5, 5 + len(texts))), read
    )
    expected, expected_errors = [], []
    for index, text in enumerate(texts, start=5):
        try:
            expected.append(pd.NA if text is None else read(text))
        except cells.CellError as exc:
            expected.append(pd.NA)
            expected_errors.append((index, str(exc)))
    assert [repr(v) for v in out] == [repr(v) for v in expected]
    assert errors == expected_errors


def test_a_mistyped_year_or_an_enormous_count_is_a_problem_not_a_crash(tmp_path):
    """Beyond the days a typed table holds, or the whole numbers it holds exactly, a cell is
    a slip of the keyboard: the validator says so instead of failing."""
    audits = TINY_TABLES["audits"].replace("2019-11-15,12", "2019-11-15,99999999999999999999")
    reviews = TINY_TABLES["reviews"].replace("2019-09-14", "0219-09-14")
    write_year(tmp_path, tables={"reviews": reviews, "audits": audits})
    problems = validate_year("testshire", "2019-20", tmp_path / "data")
    assert [(p.row, p.column, p.message) for p in problems] == [
        (3, "decided_date", "'0219-09-14' is not a likely date (the year 219): check the year"),
        (2, "cases_audited", "'99999999999999999999' is too large to be a count: check the number"),
    ]
