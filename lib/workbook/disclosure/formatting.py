"""The one way the workbook writes a number, so a table and a sentence never disagree.

Halves are rounded up (away from zero), as DfE rounds its published figures: 22.5% is "23%" to
no decimals, where Python's own formatting rounds to even and would print "22%" beside a table
showing 22.5. A figure computed from counts can land a hair below a half in binary
(28.749999999999996 for 28.75), so a billionth is allowed for: it rounds as the half it is.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd

NOT_AVAILABLE = "x"
"""What a table shows where the source gives no figure."""


def missing(value) -> bool:
    """No figure: None, NaN or NA (a string, even empty, is a value)."""
    return value is None or (not isinstance(value, str) and pd.isna(value))


def round_half_up(value, decimals: int = 1) -> float:
    """`value` rounded to `decimals` places, halves away from zero; NaN stays NaN."""
    if missing(value):
        return float("nan")
    number = float(value)
    if not math.isfinite(number):
        return number
    scale = 10**decimals
    return math.copysign(math.floor(abs(number) * scale + 0.5 + 1e-9) / scale, number)


def format_figure(value, decimals: int = 1) -> str:
    """A rate, percentage or other figure: "1,234.5"; `x` where there is none."""
    if missing(value):
        return NOT_AVAILABLE
    number = round_half_up(value, decimals)
    if not math.isfinite(number):
        return NOT_AVAILABLE
    return f"{number:,.{decimals}f}"


def given_decimals(value, most: int = 1) -> int:
    """The fewest decimals, up to `most`, that give `value` back: a figure is written with the
    precision it was given, so 42 (read as 42.0) is "42", 28.1 is "28.1", and a figure
    computed from counts (416.93...) takes all `most` decimals."""
    if missing(value):
        return most
    number = float(value)
    for decimals in range(most):
        if abs(round_half_up(number, decimals) - number) <= 1e-9 * max(1.0, abs(number)):
            return decimals
    return most


def shared_decimals(values, most: int = 1) -> int:
    """The one precision of figures of one measure shown together (its figure in each year):
    the most decimals any of them was given, up to `most`. A measure recorded to one decimal
    reads "85.9, 80.2, 89.0", never "89" beside "85.9" as if two measures; one recorded in
    whole numbers keeps them whole (no false decimal)."""
    return max((given_decimals(v, most) for v in values if not missing(v)), default=0)


def format_given(value, most: int = 1) -> str:
    """A figure with the precision it was given, up to `most` decimals: "42", "28.1"."""
    return format_figure(value, given_decimals(value, most))


def whole_number(value) -> int | None:
    """`value` as an exact int if it is a whole number of 0 or more, else None.

    Integers stay exact (a float would round 10**17 + 1); floats must be finite and whole;
    text such as "12" is read as a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        number = int(value)
    else:
        try:
            real = float(value)
        except (TypeError, ValueError):
            return None
        if not math.isfinite(real) or real != int(real):
            return None
        number = int(real)
    return number if number >= 0 else None


def format_count(value) -> str:
    """A count: "1,234"; `x` where there is none. A count that is not a whole number of 0 or
    more is a defect upstream (validation admits none), never something to print."""
    if missing(value):
        return NOT_AVAILABLE
    number = whole_number(value)
    if number is None:
        raise ValueError(f"a count must be a whole number of 0 or more, not {value!r}")
    return f"{number:,}"


def format_money(value) -> str:
    """Pounds to the nearest pound: "£233,688"."""
    if missing(value):
        return NOT_AVAILABLE
    return f"£{round_half_up(value, 0):,.0f}"
