"""Disclosure control: the one mechanism every published count goes through.

The rules follow the Department for Education's practice for children's social care statistics:

- a count from 1 up to the partnership's threshold (default 5) is not published: it becomes `c`;
- zero is published (it identifies nobody);
- secondary suppression: where a row or column has a published total, one suppressed cell could
  be worked out by subtraction, so the next smallest non-zero cell in that line is suppressed too,
  repeated until no line has exactly one unknown and no suppressed cell can be worked out from
  the published totals taken together (checked exactly, see `suppression_mask`);
- a rate or percentage built on a suppressed count is suppressed with it;
- a percentage of a count the report also publishes is a count in disguise (2% of 151 children
  is 3 children): it is withheld when the count it stands for, or the rest, may be small
  (`share_mask`);
- in sentences, a small count reads "5 or fewer" (for the threshold in force).

Which counts these rules apply to (counts of people, not of the partnership's work) and how a
table is formatted for the reader is `workbook.disclosure.published`'s business.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.disclosure.formatting import NOT_AVAILABLE, whole_number

SUPPRESSED = "c"
NOT_APPLICABLE = "z"

SYMBOL_LEGEND = {
    SUPPRESSED: "suppressed to protect confidentiality: a count from 1 to {threshold}, or a "
    "figure from which such a count could be worked out",
    NOT_AVAILABLE: "not available: the source does not give this figure",
    NOT_APPLICABLE: "not applicable",
}


def symbol_legend(threshold: int) -> dict[str, str]:
    """The symbols a reader may meet in tables, with the threshold in force spelled out."""
    return {symbol: text.format(threshold=threshold) for symbol, text in SYMBOL_LEGEND.items()}


def is_small(value, threshold: int) -> bool:
    """True for a count that must not be published: 1 to `threshold` inclusive."""
    if value is None or pd.isna(value):
        return False
    return 0 < float(value) <= threshold


def publishable_count(value, threshold: int) -> str:
    """A count as a sentence may state it: "85", "1,797", or "5 or fewer" for a small count."""
    if value is None or pd.isna(value):
        return "not available"
    number = whole_number(value)
    if number is None:
        raise ValueError(f"a count must be a whole number of 0 or more, not {value!r}")
    if is_small(number, threshold):
        return f"{threshold} or fewer"
    return f"{number:,}"


def suppression_mask(
    counts: pd.DataFrame,
    threshold: int,
    row_total: str | None = None,
    total_row=None,
    row_parts: Sequence[Sequence[str]] | None = None,
    primary: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Which cells of a table of counts must be withheld (True), primary and secondary.

    `counts` holds numbers (NaN for not available). `row_total` names a column that is the sum of
    the other columns of its row, or, given `row_parts`, of each group of columns in it (one
    total broken down two ways: by source and by kind, say); `total_row` is the index label of
    a row that is the sum of the other rows. Only lines with a published total can give a
    suppressed cell away, so only those get secondary suppression. `primary` marks the cells
    withheld in the first place (default: every count from 1 to `threshold`; a table of
    several units withholds only its counts of people, see `workbook.disclosure.published`).

    Secondary suppression works in two passes, repeated until neither changes anything:
    - no line with a published total may hold exactly one withheld cell: the smallest non-zero
      open cell of the line (a part, else the total) is withheld beside it. Zeros are never used
      to protect a cell: a reader knows counts are not negative, so a withheld zero in a line
      that sums to zero would be read straight back;
    - across lines, no withheld cell may be fixed by the published totals taken together (two
      blocks of withheld cells joined by one cell give that cell away though every line has two
      unknowns): the equations are solved exactly and a determined cell gets a further
      neighbour withheld.
    """
    values = counts.apply(pd.to_numeric, errors="coerce").astype(float)
    if primary is None:
        mask = values.apply(lambda column: column.map(lambda v: is_small(v, threshold)))
    else:
        mask = primary.reindex(index=values.index, columns=values.columns, fill_value=False)
    mask = mask.astype(bool)
    if row_total is None and total_row is None:
        return mask
    lines = []
    if row_total is not None:
        groups = row_parts or [[c for c in values.columns if c != row_total]]
        lines += [
            [(row, c) for c in parts] + [(row, row_total)]
            for row in values.index
            for parts in groups
        ]
    if total_row is not None:
        rows = [r for r in values.index if r != total_row]
        lines += [[(r, c) for r in rows] + [(total_row, c)] for c in values.columns]
    # A missing part counts as nothing in its total. A missing total is unknown to the reader,
    # but may still be worked out from its own line, so it stays in the equations as an unknown.
    missing_totals = {line[-1] for line in lines if pd.isna(values.at[line[-1]])}
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                cells = [cell for cell in line if pd.notna(values.at[cell])]
                hidden = sum(bool(mask.at[cell]) for cell in cells)
                if hidden != 1 or line[-1] in missing_totals:
                    continue
                complement = _complement(cells, mask, values, total=line[-1])
                if complement is not None:
                    mask.at[complement] = True
                    changed = True
        determined = _determined_cells(lines, mask, values, missing_totals)
        if not determined:
            return mask
        extra = _neighbour(determined, lines, mask, values, missing_totals)
        if extra is None:  # every non-zero cell near an unknown is withheld already
            return mask
        mask.at[extra] = True


def _complement(cells, mask: pd.DataFrame, values: pd.DataFrame, total):
    """The cell to withhold beside a lone suppressed one: the smallest non-zero part, else the
    total if it is non-zero. Never a zero (see `suppression_mask`)."""
    open_cells = [cell for cell in cells if not mask.at[cell] and values.at[cell] > 0]
    parts = [cell for cell in open_cells if cell != total]
    if parts:
        return min(parts, key=lambda cell: values.at[cell])
    return total if total in open_cells else None


def _determined_cells(
    lines, mask: pd.DataFrame, values: pd.DataFrame, missing_totals=frozenset()
) -> list:
    """Withheld cells whose value the published totals fix, taken all together.

    Unknowns are the withheld cells and the missing totals; each line is one linear equation in
    them. A cell is fixed when every solution of the homogeneous system leaves it at zero, i.e.
    its row of a null-space basis is zero."""
    hidden = [cell for cell in mask.stack().index if mask.at[cell] and pd.notna(values.at[cell])]
    if not hidden:
        return []
    unknowns = hidden + sorted(missing_totals, key=str)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = np.zeros(len(unknowns))
        for cell in line[:-1]:
            if cell in index:
                row[index[cell]] += 1
        if line[-1] in index:
            row[index[line[-1]]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    free = (
        np.abs(null_space).max(axis=0) > 1e-9
        if len(null_space)
        else np.zeros(len(unknowns), dtype=bool)
    )
    return [cell for cell, is_free in zip(hidden, free[: len(hidden)], strict=True) if not is_free]


def _neighbour(determined, lines, mask: pd.DataFrame, values: pd.DataFrame, missing_totals):
    """The next cell to withhold: the smallest non-zero open cell in a line through a determined
    withheld cell, else in any line holding an unknown (a determined cell can be reached
    through a missing total that its own line gives away)."""

    def candidates(pool):
        return [
            cell
            for line in pool
            for cell in line
            if pd.notna(values.at[cell]) and not mask.at[cell] and values.at[cell] > 0
        ]

    def unknown(cell) -> bool:
        return cell in missing_totals or (pd.notna(values.at[cell]) and bool(mask.at[cell]))

    for pool in (
        [line for line in lines if any(c in line for c in determined)],
        [line for line in lines if any(unknown(c) for c in line)],
    ):
        found = candidates(pool)
        if found:
            return min(found, key=lambda cell: values.at[cell])
    return None


def _decimals(value: float) -> int:
    """How many decimals a published percentage was rounded to, read off the figure itself."""
    for decimals in range(4):
        if abs(round(value, decimals) - value) < 1e-9:
            return decimals
    return 4


def share_counts(percentage: float, base: float) -> range:
    """The whole counts a reader can take `percentage` % of `base` to stand for, allowing for
    the rounding of the percentage (read off its decimals: 8 means 7.5 to 8.5). Where no whole
    count fits (the percentage was taken over a slightly different base), the nearest one."""
    half = 0.5 * 10 ** -_decimals(percentage)
    low = max(0, math.ceil((percentage - half) * base / 100 - 1e-9))
    high = min(int(base), math.floor((percentage + half) * base / 100 + 1e-9))
    if low > high:
        nearest = min(int(base), max(0, round(percentage * base / 100)))
        return range(nearest, nearest + 1)
    return range(low, high + 1)


def _may_be_small(counts: range, threshold: int) -> bool:
    return any(0 < n <= threshold for n in counts)


def share_mask(percentages: pd.Series, base, threshold: int, partition: bool = False) -> pd.Series:
    """Which percentages of a published count `base` must be withheld (True).

    Each is withheld when the count it stands for may be 1 to `threshold`, or when the rest of
    the base may be (97.5% of 40 children leaves 1 out). With `partition` the percentages are
    the shares of one breakdown of the base (categories adding up to it): the rest is then in
    the other shares, and secondary suppression runs as for counts under a published total, so
    that no withheld share can be worked out from 100% less the others. Without a base (None or
    NaN), a percentage gives no count away and nothing is withheld.
    """
    values = pd.to_numeric(percentages, errors="coerce").astype(float)
    if base is None or pd.isna(base) or base <= 0:
        return pd.Series(False, index=percentages.index)
    whole = int(base)
    readings = [share_counts(v, whole) if pd.notna(v) else None for v in values]
    if not partition:
        return pd.Series(
            [
                r is not None
                and (
                    _may_be_small(r, threshold)
                    or _may_be_small(range(whole - r[-1], whole - r[0] + 1), threshold)
                )
                for r in readings
            ],
            index=percentages.index,
        )
    # Stand-in counts for the secondary suppression: a share that may be small takes its
    # smallest small reading (so it is withheld), any other its middle reading.
    stand_in = [
        float("nan") if r is None else next((n for n in r if 0 < n <= threshold), r[len(r) // 2])
        for r in readings
    ]
    counts = pd.DataFrame({"n": [*stand_in, float(whole)]})
    mask = suppression_mask(counts, threshold, total_row=len(counts) - 1)["n"]
    return pd.Series(mask.iloc[:-1].to_numpy(), index=percentages.index)
