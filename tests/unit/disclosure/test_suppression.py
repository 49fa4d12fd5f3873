"""Disclosure control: nothing under the threshold is published and nothing withheld can be
worked back out from what is published.

The property tests build random tables of counts (zeros, small counts, large counts, missing
figures), with and without a published row-total column and total row, push them through
`suppress_small_counts`, and then attack the published table as a reader could:

- no published count lies in 1..threshold;
- every line (row or column) with a published total that holds a withheld cell holds at least
  two unknowns;
- stronger: the whole system of published totals, solved exactly over the rationals, does not
  fix the value of any withheld cell (rank test), and, for tables small enough to enumerate, a
  different non-negative whole-number table exists that publishes identically but changes the
  cell (so non-negativity does not pin it either).
"""

from __future__ import annotations

import itertools
import os
import re
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import determined_cells
from workbook.disclosure.formatting import NOT_AVAILABLE, format_figure
from workbook.disclosure.published import Count, Policy, PublishedTable, Share
from workbook.disclosure.suppression import (
    SUPPRESSED,
    is_small,
    publishable_count,
    share_counts,
    share_mask,
    suppression_mask,
    symbol_legend,
)
from workbook.text import narrative

FAST = settings(
    max_examples=int(os.environ.get("SUPPRESSION_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# More examples or bigger tables for a longer hunt: SUPPRESSION_EXAMPLES=5000 SUPPRESSION_SIDE=6
MAX_SIDE = int(os.environ.get("SUPPRESSION_SIDE", "4"))

LABEL = "area"
ROW_TOTAL = "Total"
TOTAL_ROW = "All areas"


def suppress_small_counts(
    frame,
    threshold=5,
    count_columns=(),
    rate_columns=None,
    row_total=None,
    total_row=None,
    decimals=1,
    row_parts=None,
):
    """The published cells of a table of counts of children (the unit disclosure control
    protects), with rates on them."""
    columns = {c: Count("children") for c in count_columns}
    columns.update(
        {c: Share(of=base, decimals=decimals) for c, base in (rate_columns or {}).items()}
    )
    return PublishedTable(
        frame,
        "counts",
        Policy(threshold),
        columns,
        row_total=row_total,
        total_row=total_row,
        row_parts=row_parts,
    ).cells


# --- building random tables --------------------------------------------------------------------


@st.composite
def tables(draw):
    """A table of counts with its threshold and which totals it publishes."""
    threshold = draw(st.integers(1, 10))
    n_rows = draw(st.integers(1, MAX_SIDE))
    n_cols = draw(st.integers(1, MAX_SIDE))
    cell = st.one_of(
        st.just(0),
        st.integers(1, threshold),  # small: must go
        st.integers(threshold + 1, threshold + 3),  # just over the threshold
        st.integers(threshold + 1, 500),
        st.just(np.nan),  # not available
    )
    columns = [f"c{j}" for j in range(n_cols)]
    values = [[draw(cell) for _ in columns] for _ in range(n_rows)]
    frame = pd.DataFrame(values, columns=columns, dtype=float)
    with_row_total = draw(st.booleans())
    with_total_row = draw(st.booleans())
    count_columns = list(columns)
    if with_row_total:
        frame[ROW_TOTAL] = frame[columns].sum(axis=1, skipna=True)
        count_columns.append(ROW_TOTAL)
    frame.insert(0, LABEL, [f"area {i}" for i in range(n_rows)])
    if with_total_row:
        total = {LABEL: TOTAL_ROW, **frame[count_columns].sum(axis=0, skipna=True).to_dict()}
        frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    # A published total may itself be missing (the source does not give it).
    totals = ([(i, ROW_TOTAL) for i in frame.index] if with_row_total else []) + (
        [(frame.index[-1], c) for c in count_columns] if with_total_row else []
    )
    truth = frame.copy()
    for cell_ in totals:
        if draw(st.integers(0, 9)) == 0:
            frame.at[cell_] = np.nan
    return {
        "frame": frame,
        "truth": truth,
        "threshold": threshold,
        "count_columns": count_columns,
        "row_total": ROW_TOTAL if with_row_total else None,
        "total_row": TOTAL_ROW if with_total_row else None,
    }


def publish(case, **extra):
    return suppress_small_counts(
        case["frame"],
        threshold=case["threshold"],
        count_columns=case["count_columns"],
        row_total=case["row_total"],
        total_row=case["total_row"],
        **extra,
    )


def make_case(body, threshold, row_total=True, total_row=True, missing=()):
    """A case like `tables()` draws, from a body of counts; `missing` lists total cells (row
    position, column) published as not available."""
    columns = [f"c{j}" for j in range(len(body[0]))]
    frame = pd.DataFrame(body, columns=columns, dtype=float)
    count_columns = list(columns)
    if row_total:
        frame[ROW_TOTAL] = frame[columns].sum(axis=1, skipna=True)
        count_columns.append(ROW_TOTAL)
    frame.insert(0, LABEL, [f"area {i}" for i in range(len(body))])
    if total_row:
        total = {LABEL: TOTAL_ROW, **frame[count_columns].sum(axis=0, skipna=True).to_dict()}
        frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    truth = frame.copy()
    for cell in missing:
        frame.at[cell] = np.nan
    return {
        "frame": frame,
        "truth": truth,
        "threshold": threshold,
        "count_columns": count_columns,
        "row_total": ROW_TOTAL if row_total else None,
        "total_row": TOTAL_ROW if total_row else None,
    }


# Tables on which earlier versions of the mechanism leaked (found by these properties with
# thousands of examples); always run.
REGRESSIONS = [
    # Two blocks of withheld cells joined through one cell.
    make_case([[2, 7, 9, 10], [8, 3, 10, 20], [10, 10, 2, 8], [10, 10, 8, 3]], 5),
    # Missing row totals that a reader works out from their own rows.
    make_case(
        [[0, 0, 0], [0, 2, 0], [0, 0, 1]],
        1,
        missing=[(0, ROW_TOTAL), (1, ROW_TOTAL), (2, ROW_TOTAL), (3, "c0"), (3, "c1"), (3, "c2")],
    ),
    make_case(
        [[0, 0, 0], [0, 0, 0], [0, 1, 2]],
        1,
        missing=[(0, ROW_TOTAL), (1, ROW_TOTAL), (2, ROW_TOTAL), (3, "c0"), (3, "c1"), (3, "c2")],
    ),
    # A withheld zero read back from a column whose only other cell is missing.
    make_case([[np.nan, 1]], 1, missing=[(0, ROW_TOTAL), (1, ROW_TOTAL)]),
    # A lone small count beside zeros only.
    make_case([[3, 0, 0], [0, 0, 0], [20, 30, 0]], 5),
]


def _with_regressions(test):
    for case in REGRESSIONS:
        test = example(case)(test)
    return test


REGRESSION_EXAMPLES = _with_regressions


# --- the reader's attack -----------------------------------------------------------------------


def lines_of(case):
    """Each published-total line as (parts, total): cells are (row position, column)."""
    frame, count_columns = case["frame"], case["count_columns"]
    parts_cols = [c for c in count_columns if c != case["row_total"]]
    rows = list(range(len(frame)))
    body_rows = rows[:-1] if case["total_row"] else rows
    lines = []
    if case["row_total"]:
        lines += [([(r, c) for c in parts_cols], (r, case["row_total"])) for r in rows]
    if case["total_row"]:
        lines += [([(r, c) for r in body_rows], (rows[-1], c)) for c in count_columns]
    return lines


def is_total_cell(case, cell):
    row, column = cell
    return column == case["row_total"] or (
        case["total_row"] is not None and row == len(case["frame"]) - 1
    )


def reader_view(case, published):
    """What the reader sees per cell: an int, or None for a cell the reader does not know.

    A missing figure ('x') in the body of the table counts as zero known to the reader: totals
    are built from the parts available, so it adds nothing to any equation. A missing total is
    a value the reader does not know (None), like a withheld one."""
    view = {}
    for r in range(len(published)):
        for c in case["count_columns"]:
            text = published.at[r, c]
            if text == SUPPRESSED:
                view[(r, c)] = None
            elif text == NOT_AVAILABLE:
                view[(r, c)] = None if is_total_cell(case, (r, c)) else 0
            else:
                view[(r, c)] = int(text.replace(",", ""))
    return view


def withheld(published, cells):
    return [cell for cell in cells if published.at[cell] == SUPPRESSED]


def equations(case, view):
    """Linear equations in the unknown cells, one per line with a total."""
    unknowns = sorted(cell for cell, v in view.items() if v is None)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows, rhs = [], []
    for parts, total in lines_of(case):
        row = [Fraction(0)] * len(unknowns)
        known = Fraction(0)
        for cell in parts:
            if view[cell] is None:
                row[index[cell]] += 1
            else:
                known += view[cell]
        if view[total] is None:
            row[index[total]] -= 1
        else:
            known -= view[total]
        if any(row):
            rows.append(row)
            rhs.append(-known)
    return unknowns, rows, rhs


def pinned_by_nonnegativity(case, unknowns, rows, targets=None):
    """Cells among `targets` for which no other non-negative whole-number table publishes the
    same figures.

    The constraint matrix of a table with margins is totally unimodular, so any alternative
    integer solution decomposes conformally into steps with entries in {-1, 0, 1}: enumerating
    those steps is a complete search. Only run on small systems (3**k candidates)."""
    targets = unknowns if targets is None else targets
    truth_frame = case.get("truth", case["frame"])
    truth = np.array(
        [0 if pd.isna(truth_frame.at[c]) else truth_frame.at[c] for c in unknowns], dtype=float
    )
    a = np.array([[float(x) for x in r] for r in rows]) if rows else np.zeros((0, len(unknowns)))
    steps = np.array(list(itertools.product((-1, 0, 1), repeat=len(unknowns))), dtype=float)
    steps = steps[np.all(np.abs(steps @ a.T) < 1e-9, axis=1)] if len(rows) else steps
    steps = steps[np.all(truth + steps >= 0, axis=1)]
    return [
        cell for i, cell in enumerate(unknowns) if cell in targets and not np.any(steps[:, i] != 0)
    ]


# --- properties --------------------------------------------------------------------------------


@FAST
@given(tables())
@REGRESSION_EXAMPLES
def test_nothing_small_is_published_and_cells_are_text(case):
    published = publish(case)
    threshold = case["threshold"]
    for column in case["count_columns"]:
        for original, text in zip(case["frame"][column], published[column], strict=True):
            assert isinstance(text, str)
            if pd.isna(original):
                assert text == NOT_AVAILABLE
                continue
            if 1 <= original <= threshold:
                assert text == SUPPRESSED
            if text not in (SUPPRESSED, NOT_AVAILABLE):
                number = int(text.replace(",", ""))
                assert number == original
                assert not 1 <= number <= threshold
                assert text == f"{int(original):,}"
            if original == 0:  # zeros are published and never used as cover
                assert text == "0"
    # Labels pass through untouched.
    assert published[LABEL].tolist() == case["frame"][LABEL].tolist()


@FAST
@given(tables())
@REGRESSION_EXAMPLES
def test_every_line_with_a_withheld_cell_has_two_unknowns(case):
    published = publish(case)
    view = reader_view(case, published)
    for parts, total in lines_of(case):
        line = [*parts, total]
        if not withheld(published, line):
            continue
        unknown = [cell for cell in line if view[cell] is None]
        assert len(unknown) >= 2, f"line {parts} -> {total} gives away {unknown[0]}"


@FAST
@given(tables())
@REGRESSION_EXAMPLES
def test_no_withheld_cell_is_fixed_by_the_published_totals(case):
    published = publish(case)
    view = reader_view(case, published)
    unknowns, rows, _ = equations(case, view)
    assert determined_cells(unknowns, rows, withheld(published, unknowns)) == []


@FAST
@given(tables())
@REGRESSION_EXAMPLES
def test_no_withheld_cell_is_pinned_even_knowing_counts_are_not_negative(case):
    published = publish(case)
    view = reader_view(case, published)
    unknowns, rows, _ = equations(case, view)
    assume(0 < len(unknowns) <= 8)
    assert pinned_by_nonnegativity(case, unknowns, rows, withheld(published, unknowns)) == []


@FAST
@given(tables(), st.integers(0, 3))
def test_rates_go_with_their_counts(case, decimals):
    frame = case["frame"].copy()
    bases = case["count_columns"]
    for column in bases:
        frame[f"{column} rate"] = frame[column] * 1.37
    case = {**case, "frame": frame}
    published = publish(case, rate_columns={f"{c} rate": c for c in bases}, decimals=decimals)
    for column in bases:
        for count, rate, original in zip(
            published[column], published[f"{column} rate"], frame[f"{column} rate"], strict=True
        ):
            assert isinstance(rate, str)
            if count == SUPPRESSED:
                assert rate == SUPPRESSED
            elif pd.isna(original):
                assert rate == NOT_AVAILABLE
            else:
                assert rate == format_figure(original, decimals)


# --- checking the checkers: the attack must catch a leaky table --------------------------------


def test_the_attack_finds_a_cell_recoverable_by_subtraction():
    case = {
        "frame": pd.DataFrame({LABEL: ["a"], "c0": [3.0], "c1": [40.0], ROW_TOTAL: [43.0]}),
        "threshold": 5,
        "count_columns": ["c0", "c1", ROW_TOTAL],
        "row_total": ROW_TOTAL,
        "total_row": None,
    }
    leaky = pd.DataFrame({LABEL: ["a"], "c0": ["c"], "c1": ["40"], ROW_TOTAL: ["43"]})
    unknowns, rows, _ = equations(case, reader_view(case, leaky))
    assert determined_cells(unknowns, rows) == [(0, "c0")]


def test_the_attack_finds_a_cell_fixed_across_lines_though_each_line_has_two_unknowns():
    # Two suppressed 2x2 blocks joined by one suppressed cell (a bridge): every line has two
    # or more unknowns, yet (row 0 + row 1) - (column 0 + column 1) gives the bridge cell.
    counts = [[2, 7, 9, 10], [8, 3, 10, 20], [10, 10, 2, 8], [10, 10, 8, 3]]
    frame = pd.DataFrame(counts, columns=["c0", "c1", "c2", "c3"], dtype=float)
    frame[ROW_TOTAL] = frame.sum(axis=1)
    frame.insert(0, LABEL, list("abcd"))
    total = {LABEL: TOTAL_ROW, **frame[["c0", "c1", "c2", "c3", ROW_TOTAL]].sum().to_dict()}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    case = {
        "frame": frame,
        "threshold": 5,
        "row_total": ROW_TOTAL,
        "total_row": TOTAL_ROW,
        "count_columns": ["c0", "c1", "c2", "c3", ROW_TOTAL],
    }
    hidden = {
        (0, "c0"),
        (0, "c1"),
        (1, "c0"),
        (1, "c1"),
        (2, "c2"),
        (2, "c3"),
        (3, "c2"),
        (3, "c3"),
        (0, "c2"),
    }
    view = {
        cell: (None if cell in hidden else int(frame.at[cell]))
        for cell in itertools.product(range(5), case["count_columns"])
    }
    for parts, total_cell in lines_of(case):
        assert sum(view[c] is None for c in [*parts, total_cell]) != 1
    unknowns, rows, _ = equations(case, view)
    assert determined_cells(unknowns, rows) == [(0, "c2")]
    # ...and the real mechanism, given the same table, hides more than that.
    published = publish(case)
    unknowns, rows, _ = equations(case, reader_view(case, published))
    assert determined_cells(unknowns, rows) == []


def test_the_nonnegativity_attack_pins_a_cell_that_linear_algebra_leaves_open():
    # Row 0: c0 hidden (3), c1 hidden (0), total 3. Column c1: hidden 0 and hidden 0, total 0:
    # both must be 0, so c0 = 3.
    case = {
        "frame": pd.DataFrame(
            {LABEL: ["a", "b", TOTAL_ROW], "c0": [3.0, 20.0, 23.0], "c1": [0.0, 0.0, 0.0]}
        ),
        "threshold": 5,
        "count_columns": ["c0", "c1"],
        "row_total": None,
        "total_row": TOTAL_ROW,
    }
    case["frame"][ROW_TOTAL] = case["frame"][["c0", "c1"]].sum(axis=1)
    case["count_columns"].append(ROW_TOTAL)
    case["row_total"] = ROW_TOTAL
    hidden = {(0, "c0"), (0, "c1"), (1, "c0"), (1, "c1")}
    view = {
        cell: (None if cell in hidden else int(case["frame"].at[cell]))
        for cell in itertools.product(range(3), case["count_columns"])
    }
    unknowns, rows, _ = equations(case, view)
    assert determined_cells(unknowns, rows) == []
    assert set(pinned_by_nonnegativity(case, unknowns, rows)) == hidden


# --- hand-checked examples ---------------------------------------------------------------------


def test_primary_suppression_without_totals():
    frame = pd.DataFrame(
        {"area": ["A", "B", "C", "D", "E"], "n": [0, 3, 6, np.nan, 1797], "m": [5, 5.0, 12, 1, 0]}
    )
    out = suppress_small_counts(frame, threshold=5, count_columns=["n", "m"])
    assert out["n"].tolist() == ["0", "c", "6", "x", "1,797"]
    assert out["m"].tolist() == ["c", "c", "12", "c", "0"]
    assert out["area"].tolist() == ["A", "B", "C", "D", "E"]
    # The caller's frame is untouched.
    assert frame["n"].iloc[1] == 3


def test_row_total_hides_the_next_smallest_cell():
    frame = pd.DataFrame(
        {"area": ["A", "B"], "x": [3, 30], "y": [10, 40], "z": [20, 50], "total": [33, 120]}
    )
    out = suppress_small_counts(
        frame, threshold=5, count_columns=["x", "y", "z", "total"], row_total="total"
    )
    assert out.iloc[0, 1:].tolist() == ["c", "c", "20", "33"]
    assert out.iloc[1, 1:].tolist() == ["30", "40", "50", "120"]


def test_total_row_hides_the_next_smallest_cell_in_the_column():
    frame = pd.DataFrame({"area": ["A", "B", "C", "Total"], "n": [4, 9, 30, 43]})
    out = suppress_small_counts(frame, threshold=5, count_columns=["n"], total_row="Total")
    assert out["n"].tolist() == ["c", "c", "30", "43"]


def test_a_lone_part_hides_its_total():
    frame = pd.DataFrame({"area": ["A", "Total"], "n": [4, 4]})
    out = suppress_small_counts(frame, threshold=5, count_columns=["n"], total_row="Total")
    assert out["n"].tolist() == ["c", "c"]


def test_zero_parts_are_used_only_when_nothing_else_is_left():
    frame = pd.DataFrame({"area": ["A"], "x": [2], "y": [0], "z": [0], "total": [2]})
    out = suppress_small_counts(
        frame, threshold=5, count_columns=["x", "y", "z", "total"], row_total="total"
    )
    # The total (2) is small too; x alone hidden with total hidden = two unknowns.
    assert out.iloc[0, 1:].tolist() == ["c", "0", "0", "c"]


def test_rate_on_a_secondarily_suppressed_count_is_suppressed():
    frame = pd.DataFrame(
        {"area": ["A", "B", "C", "England"], "n": [4, 9, 30, 43], "rate": [1.234, 2.5, 30.06, 10.0]}
    )
    out = suppress_small_counts(
        frame, threshold=5, count_columns=["n"], rate_columns={"rate": "n"}, total_row="England"
    )
    assert out["rate"].tolist() == ["c", "c", "30.1", "10.0"]


def test_a_share_must_be_of_a_count_column():
    frame = pd.DataFrame({"area": ["A", "B"], "n": [3, 12], "pct": [25.0, 75.0]})
    with pytest.raises(KeyError, match="not a count column"):
        suppress_small_counts(frame, threshold=5, rate_columns={"pct": "n"}, decimals=0)
    out = suppress_small_counts(frame, 5, ["n"], rate_columns={"pct": "n"}, decimals=0)
    assert out["pct"].tolist() == ["c", "75"]


def test_suppression_mask_directly():
    counts = pd.DataFrame({"a": [1, 10], "b": [20, 30]}, index=["r1", "r2"])
    mask = suppression_mask(counts, 5)
    assert mask.to_numpy().tolist() == [[True, False], [False, False]]


def test_errors_are_clear():
    frame = pd.DataFrame({"area": ["A"], "n": [2.5]})
    with pytest.raises(ValueError, match="counts"):
        suppress_small_counts(frame, count_columns=["n"])
    with pytest.raises(ValueError):
        suppress_small_counts(pd.DataFrame({"area": ["A"], "n": [-3]}), count_columns=["n"])
    with pytest.raises(KeyError, match="missing"):
        suppress_small_counts(frame, count_columns=["missing"])
    with pytest.raises(KeyError, match="Total"):
        suppress_small_counts(
            pd.DataFrame({"area": ["A"], "n": [7]}), count_columns=["n"], total_row="Total"
        )
    with pytest.raises(KeyError, match="row total"):
        suppress_small_counts(
            pd.DataFrame({"area": ["A"], "n": [7], "t": [7]}), count_columns=["n"], row_total="t"
        )


# --- publishable_count, is_small, the legend ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "threshold", "expected"),
    [
        (0, 5, "0"),
        (1, 5, "5 or fewer"),
        (5, 5, "5 or fewer"),
        (6, 5, "6"),
        (10, 10, "10 or fewer"),
        (11, 10, "11"),
        (1797, 5, "1,797"),
        (1234567, 5, "1,234,567"),
        (3.0, 5, "5 or fewer"),
        (np.int64(4), 5, "5 or fewer"),
        (np.int64(1797), 5, "1,797"),
        (10**17 + 1, 5, "100,000,000,000,000,001"),
        (None, 5, "not available"),
        (np.nan, 5, "not available"),
    ],
)
def test_publishable_count(value, threshold, expected):
    assert publishable_count(value, threshold) == expected


@pytest.mark.parametrize("value", [-1, -0.5, 2.5, 0.1, float("inf"), float("-inf"), "many"])
def test_publishable_count_rejects_what_is_not_a_count(value):
    with pytest.raises(ValueError):
        publishable_count(value, 5)


@FAST
@given(st.integers(0, 10**7), st.integers(1, 10))
def test_publishable_count_never_states_a_small_number(value, threshold):
    text = publishable_count(value, threshold)
    if 1 <= value <= threshold:
        assert text == f"{threshold} or fewer"
    else:
        assert text == f"{value:,}"
        assert is_small(value, threshold) is False


def test_is_small():
    assert [is_small(v, 5) for v in (0, 1, 5, 6, None, np.nan)] == [
        False,
        True,
        True,
        False,
        False,
        False,
    ]


def test_symbol_legend_states_the_threshold():
    legend = symbol_legend(10)
    assert set(legend) == {"c", "x", "z"}
    assert "1 to 10" in legend["c"]
    assert "{threshold}" not in "".join(legend.values())


# --- narrative: a template never states a small count ------------------------------------------

SMALL_INT_TEMPLATE = (
    "There were {{ n }} {{ n | plural('review') }}; {{ n | count }} were "
    "completed and {{ n + 0 }} published. {{ d.n }} audits."
)


@FAST
@given(st.integers(0, 2000), st.integers(1, 10), st.sampled_from([int, np.int64, np.int32]))
def test_narrative_never_leaks_a_small_integer(n, threshold, kind):
    value = kind(n)
    text = narrative._Env(threshold).from_string(SMALL_INT_TEMPLATE).render(n=value, d={"n": value})
    shown = f"{threshold} or fewer" if 1 <= n <= threshold else f"{n:,}"
    noun = "review" if n == 1 and n > threshold else "reviews"
    assert text == (
        f"There were {shown} {noun}; {shown} were completed and {shown} published. {shown} audits."
    )
    numbers = [int(x.replace(",", "")) for x in re.findall(r"\d[\d,]*", text)]
    assert all(x == threshold or not 1 <= x <= threshold for x in numbers)


def test_narrative_count_stored_as_float_is_suppressed():
    """A count read from a column with blanks is a float: printed bare, it is still a count."""
    env = narrative._Env(5)
    assert "3" not in env.from_string("{{ n }}").render(n=3.0)
    assert env.from_string("{{ n }}").render(n=12.0) == "12"
    shown = env.from_string("{{ n }} / {{ n | number }} / {{ m | number }}").render(n=37.84, m=4.0)
    assert shown.replace("\\", "") == "37.8 / 37.8 / 4.0"  # rates, said so (Markdown-escaped)


# --- charts: a small bar is never drawn --------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=6), st.integers(1, 10))
def test_count_bars_never_draws_a_small_count_of_children(values, threshold):
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from workbook.render import charts

    frame = pd.DataFrame(
        {"Category": [f"type {chr(97 + i)}" for i in range(len(values))], "Children": values}
    )
    table = PublishedTable(
        frame, "Children by type", Policy(threshold), {"Children": Count("children")}
    )
    drawn_chart = charts.count_bars(table, "Children by type", "Children", column="Children")
    if all(v == 0 or 1 <= v <= threshold for v in values):
        assert drawn_chart is None  # nothing but zeros and withheld counts: no chart
        return
    fig, alt = drawn_chart
    try:
        ax = fig.axes[0]
        widths = sorted(round(p.get_width()) for p in ax.patches)
        assert all(not 1 <= w <= threshold for w in widths)
        for name, value in zip(frame["Category"], values, strict=True):
            shown = "withheld" if 1 <= value <= threshold else f"{value:,}"
            assert f"{name}: {shown}" in alt
        for label in (t.get_text() for t in ax.texts):
            for number in re.findall(r"\d+", label):
                assert not 1 <= int(number) <= threshold
    finally:
        plt.close(fig)


# ---- percentages of a published count ------------------------------------------------------------


@pytest.mark.parametrize(
    ("percentage", "base", "expected"),
    [
        (8, 85, range(7, 8)),  # 7.5% to 8.5% of 85 is 6.4 to 7.2 children: 7
        (1, 151, range(1, 3)),  # 0.5% to 1.5% of 151: 1 or 2
        (97.5, 40, range(39, 40)),  # one decimal: 97.45% to 97.55% of 40
        (0, 151, range(0, 1)),
        (17.7, 40, range(7, 8)),  # no whole count fits 17.65% to 17.75% of 40: the nearest
    ],
)
def test_share_counts_reads_the_rounding_off_the_percentage(percentage, base, expected):
    assert share_counts(percentage, base) == expected


def test_a_single_share_goes_when_it_or_the_rest_may_be_small():
    shares = pd.Series([97.5, 50.0, 2.5, 0.0, 100.0, np.nan])
    assert share_mask(shares, 40, 5).tolist() == [True, False, True, False, False, False]
    assert not share_mask(shares, np.nan, 5).any()


@given(st.lists(st.integers(0, 60), min_size=2, max_size=7), st.integers(1, 6))
@settings(max_examples=200, deadline=None)
def test_a_breakdown_of_shares_never_shows_a_small_count_or_leaves_one_to_subtract(
    counts, threshold
):
    """Counts in categories, published as whole percentages of their published total: every
    category of 1 to threshold is withheld, and a breakdown withholding any withholds at least
    two, so 100% less the others cannot give one back (unless the total is itself small, and
    so withheld wherever it is published)."""
    total = sum(counts)
    assume(total > 0)
    shares = pd.Series([round(100 * n / total) for n in counts], dtype=float)
    mask = share_mask(shares, total, threshold, partition=True)
    assert all(mask[i] for i, n in enumerate(counts) if 0 < n <= threshold)
    assert mask.sum() != 1 or total <= threshold


def test_a_total_broken_down_two_ways_protects_a_small_cell_in_both():
    """23 findings: 20 from reviews and 3 from audits; 10 strengths and 13 asking for change.
    Hiding the 3 and the 20 is not enough if the total stays: 23 = 10 + 13 gives it back,
    so the total goes, and then the kind breakdown needs a second withheld cell."""
    counts = pd.DataFrame(
        {"reviews": [20.0], "audits": [3.0], "strengths": [10.0], "change": [13.0], "total": [23.0]}
    )
    mask = suppression_mask(
        counts, 5, row_total="total", row_parts=[["reviews", "audits"], ["strengths", "change"]]
    )
    assert mask.at[0, "audits"]
    for parts in (["reviews", "audits", "total"], ["strengths", "change", "total"]):
        assert mask.loc[0, parts].sum() != 1, mask
    published = suppress_small_counts(
        counts.assign(theme="x")[["theme", *counts.columns]],
        5,
        count_columns=list(counts.columns),
        row_total="total",
        row_parts=[["reviews", "audits"], ["strengths", "change"]],
    )
    assert published.at[0, "audits"] == "c"
    with pytest.raises(KeyError, match="row part 'total'"):
        suppress_small_counts(
            counts,
            5,
            count_columns=list(counts.columns),
            row_total="total",
            row_parts=[["reviews", "total"]],
        )


def test_every_catalogue_count_says_what_it_counts():
    from workbook.disclosure.units import all_units
    from workbook.national.indicators import catalogue

    counts = [i for i in catalogue().values() if i.unit == "count"]
    assert counts
    for indicator in counts:
        assert indicator.counts in all_units(), indicator.id
    assert Policy(5).withholds("children")
    assert not Policy(5).withholds("reviews")
    assert Policy(5, frozenset({"reviews"})).withholds("reviews")
