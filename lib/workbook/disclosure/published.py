"""A table fit to publish: the only thing a section shows, charts or states a figure from.

A section builder returns a `PublishedTable`: the raw figures, what each column holds (a count
and what it counts, a share or rate built on a count, a figure, money), the totals it publishes,
its caption and notes. The table decides once which cells are withheld, under the partnership's
disclosure `Policy`, and formats every cell as text. The display, the charts and the sentences
all read that one result, so no output can state what another withholds, and a notebook never
says what to suppress. The rules travel with the object, never in `DataFrame.attrs` (which pandas
drops in many operations).

Only counts of people are withheld when small (see specs/disclosure.yaml); counts of the
partnership's own work (reviews, audits, findings, actions) are published as they are, unless
the partnership asked for more (`withhold_counts_of`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from workbook.disclosure.columns import Column, Count, Figure, Money, Share, format_cell
from workbook.disclosure.formatting import missing, shared_decimals, whole_number
from workbook.disclosure.policy import Policy
from workbook.disclosure.suppression import SUPPRESSED, is_small, suppression_mask, symbol_legend
from workbook.disclosure.table_html import table_html
from workbook.disclosure.units import check_unit
from workbook.disclosure.unpublished import Unpublished

# The columns' kinds and the policy are imported from here by the sections and the tests: one
# place to import what a published table is made of.
__all__ = [
    "Column",
    "Count",
    "Figure",
    "Money",
    "Policy",
    "PublishedTable",
    "Share",
    "Unpublished",
    "recorded_text",
    "without_unrecorded",
]


@dataclass
class PublishedTable:
    """One table of a section, with everything needed to publish it safely.

    `frame` holds raw values (counts as numbers, NaN for not available); its first column labels
    the rows. `columns` describes each numeric column; other columns are text, shown as they
    are (escaped). `row_total` names a count column that is the sum of the others (or, with
    `row_parts`, of each group of them: one total broken down several ways); `total_row` is the
    label of a row that is the sum of the others. Published totals switch on secondary
    suppression. `withheld` marks further cells the builder knows give a small count away
    (a percentage of a count published elsewhere). `when_empty` is the sentence shown instead
    of a table with no rows (None: nothing, where the section's narrative already says so).

    Why one class over 150 lines: it is one concept, a table and its disclosure decision.
    Its parts (checking the declaration, the mask of withheld cells, the formatted cells, the
    lookups the narrative and charts make, the views of part of it) all read the same cached
    mask; split apart, each would have to be handed the mask and could then read a stale or
    different one, which is exactly the drift this type exists to prevent.
    """

    frame: pd.DataFrame
    caption: str
    policy: Policy
    columns: Mapping[str, Column] = field(default_factory=dict)
    row_total: str | None = None
    total_row: object = None
    row_parts: Sequence[Sequence[str]] | None = None
    withheld: pd.DataFrame | None = None
    notes: str | None = None
    when_empty: str | None = "There is nothing to show for this year."

    def __post_init__(self):
        self.frame = self.frame.reset_index(drop=True)
        for name, kind in self.columns.items():
            if name not in self.frame.columns:
                raise KeyError(
                    f"{self.caption!r}: no column {name!r} (has {list(self.frame.columns)})"
                )
            if isinstance(kind, Share) and not isinstance(self.columns.get(kind.of), Count):
                raise KeyError(
                    f"{self.caption!r}: {name!r} is a share of {kind.of!r}, which "
                    "is not a count column"
                )
            if isinstance(kind, Count):
                units = (kind.unit,) if isinstance(kind.unit, str) else kind.unit
                if not isinstance(kind.unit, str) and len(units) != len(self.frame):
                    raise ValueError(
                        f"{self.caption!r}: {name!r} has {len(units)} units for "
                        f"{len(self.frame)} rows"
                    )
                for unit in units:
                    check_unit(unit, where=f"{self.caption!r}, column {name!r}")
        if self.row_total is not None and self.row_total not in self.count_columns:
            raise KeyError(
                f"{self.caption!r}: the row total {self.row_total!r} must be one of "
                "the count columns"
            )
        for column in (c for parts in self.row_parts or () for c in parts):
            if column not in self.count_columns or column == self.row_total:
                raise KeyError(
                    f"{self.caption!r}: row part {column!r} must be a count column "
                    "other than the total"
                )

    # ---- what is withheld ------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        return self.frame.empty

    @property
    def count_columns(self) -> list[str]:
        return [c for c, kind in self.columns.items() if isinstance(kind, Count)]

    def _units(self, column: str) -> list[str]:
        """Each row's unit of a count column (one unit for all, or one a row)."""
        kind = self.columns[column]
        if not isinstance(kind, Count):
            raise TypeError(f"{self.caption!r}: {column!r} is not a count column")
        return [kind.unit] * len(self.frame) if isinstance(kind.unit, str) else list(kind.unit)

    @cached_property
    def _total_index(self):
        if self.total_row is None:
            return None
        matches = self.frame.index[self.frame.iloc[:, 0] == self.total_row]
        if len(matches) != 1:
            raise KeyError(
                f"{self.caption!r} needs exactly one {self.total_row!r} row, has {len(matches)}"
            )
        return matches[0]

    @cached_property
    def mask(self) -> pd.DataFrame:
        """Withheld cells (True) of every numeric column, primary and secondary."""
        counts = self.frame[self.count_columns].apply(pd.to_numeric, errors="coerce")
        counts = counts.astype(float)
        for column in self.count_columns:
            for value in counts[column].dropna():
                if whole_number(value) is None:
                    raise ValueError(
                        f"{self.caption!r}: column {column!r} holds counts but has {value!r}"
                    )
        primary = pd.DataFrame(
            {
                column: [
                    self.policy.withholds(unit) and is_small(value, self.policy.threshold)
                    for value, unit in zip(counts[column], self._units(column), strict=True)
                ]
                for column in self.count_columns
            },
            index=counts.index,
            dtype=bool,
        )
        forced = self._forced()
        primary |= forced[self.count_columns]
        mask = suppression_mask(
            counts,
            self.policy.threshold,
            row_total=self.row_total,
            total_row=self._total_index,
            row_parts=self.row_parts,
            primary=primary,
        )
        full = pd.DataFrame(False, index=self.frame.index, columns=list(self.columns))
        full[self.count_columns] = mask
        for column, kind in self.columns.items():
            if isinstance(kind, Share):
                full[column] = full[column] | mask[kind.of]
        return full | forced

    def _forced(self) -> pd.DataFrame:
        forced = pd.DataFrame(False, index=self.frame.index, columns=list(self.columns))
        if self.withheld is not None:
            extra = self.withheld.reset_index(drop=True).reindex(
                index=self.frame.index, columns=forced.columns, fill_value=False
            )
            forced |= extra.fillna(False).astype(bool)
        return forced

    @property
    def any_withheld(self) -> bool:
        return bool(self.mask.to_numpy().any())

    # ---- what readers see ------------------------------------------------------------------

    @cached_property
    def cells(self) -> pd.DataFrame:
        """Every cell as the reader sees it: text, withheld figures `c`, missing ones `x`."""
        mask = self.mask  # checks every count first
        out = self.frame.astype(object).copy()
        marked = [c for c, k in self.columns.items() if getattr(k, "one_per_row", False)]
        shared = [shared_decimals(r, 9) for r in self.frame[marked].mask(mask[marked]).to_numpy()]
        for column in out.columns:
            kind = self.columns.get(column)
            if kind is None:
                out[column] = ["" if missing(v) else str(v) for v in self.frame[column]]
                continue
            per_row = shared if getattr(kind, "one_per_row", False) else [None] * len(out)
            shown = [
                format_cell(kind, v, d) for v, d in zip(self.frame[column], per_row, strict=True)
            ]
            out[column] = [
                SUPPRESSED if hidden else text
                for text, hidden in zip(shown, mask[column], strict=True)
            ]
        return out

    @property
    def symbol_note(self) -> str | None:
        """What the symbols in this table's figures mean (`c`, `x`, `z`), each spelled out
        once under the table that uses it; None where its figures use none."""
        used = {value for column in self.columns for value in self.cells[column]}
        meanings = symbol_legend(self.policy.threshold)
        shown = [f"{symbol} = {meanings[symbol]}." for symbol in meanings if symbol in used]
        return " ".join(shown) or None

    @property
    def numeric_columns(self) -> list[str]:
        """Columns of figures, aligned right."""
        return list(self.columns)

    def published(self, column: str) -> pd.Series:
        """A column's figures as far as the table publishes them (withheld: NaN), indexed by
        the row labels: what a chart draws."""
        values = pd.to_numeric(self.frame[column], errors="coerce").astype(float)
        values = values.mask(self.mask[column])
        values.index = pd.Index(self.frame.iloc[:, 0].astype(str), name=self.frame.columns[0])
        return values

    def withheld_cell(self, row, column: str) -> bool:
        return bool(self.mask.at[self._position(row), column])

    def value(self, row, column: str):
        """One figure for a sentence, exactly as the table publishes it: None where the table
        withholds it to protect another cell or gives no figure; a count of people that is
        small comes as a plain int (the narrative states it "5 or fewer", as the table shows
        c); a count of work as a `WorkCount`; other figures as floats."""
        position = self._position(row)
        raw = self.frame.at[position, column]
        kind = self.columns[column]
        if missing(raw):
            return None
        if isinstance(kind, Count):
            unit = self._units(column)[position]
            hidden = self.mask.at[position, column]
            if hidden and not (
                self.policy.withholds(unit) and is_small(raw, self.policy.threshold)
            ):
                return None
            return self.policy.count(raw, unit)
        return None if self.mask.at[position, column] else float(raw)

    def _position(self, row) -> int:
        """The row labelled `row` in the first column."""
        matches = self.frame.index[self.frame.iloc[:, 0] == row]
        if len(matches) != 1:
            raise KeyError(f"{self.caption!r}: no single row {row!r}")
        return int(matches[0])

    def _repr_html_(self) -> str:
        return table_html(self)

    def view(
        self,
        columns: list[str],
        caption: str,
        when_empty: str | None = None,
        notes: str | None = None,
    ) -> PublishedTable:
        """Some of the table's columns as a table of their own, withholding exactly what this
        table withholds (one suppression, several outputs: a total broken down several ways
        is suppressed once, then shown in parts)."""
        keep = [self.frame.columns[0], *columns]
        return PublishedTable(
            self.frame[keep],
            caption,
            self.policy,
            {c: self.columns[c] for c in columns},
            withheld=self.mask[columns],
            notes=notes,
            when_empty=when_empty if when_empty is not None else self.when_empty,
        )

    def leading(self, limit: int, noun: str, where: str) -> PublishedTable:
        """The first `limit` rows (and the total row, kept last) as a table of their own that
        withholds exactly what this table withholds, with a note saying how many more `noun`
        there are and `where` they are; this table itself when nothing is left out. The board
        pack shows a listing this way, so its length does not grow with the data."""
        total = self._total_index
        rows = [i for i in range(len(self.frame)) if i != total]
        if len(rows) <= limit:
            return self
        keep = rows[:limit] + ([] if total is None else [total])
        more = f"And {len(rows) - limit:,} more {noun}: {where}."
        return PublishedTable(
            self.frame.iloc[keep],
            self.caption,
            self.policy,
            dict(self.columns),
            withheld=self.mask.iloc[keep],
            notes=f"{self.notes} {more}" if self.notes else more,
            when_empty=self.when_empty,
        )

    def behind(self) -> Unpublished:
        """The raw figures behind the table, for the analyst in JupyterLab only."""
        return Unpublished(self.frame, self.caption)


def recorded_text(
    frame: pd.DataFrame, sources: dict[str, pd.Series], caption: str, policy: Policy
) -> PublishedTable:
    """A table of what the partnership wrote (no counts), for a section whose narrative says
    when there is none, so that nothing is shown then: the columns no row records left out
    (`without_unrecorded`)."""
    return PublishedTable(without_unrecorded(frame, sources), caption, policy, when_empty=None)


def without_unrecorded(frame: pd.DataFrame, sources: dict[str, pd.Series]) -> pd.DataFrame:
    """`frame` less each column whose source (the data column it is laid out from, by the
    column's heading in `sources`) no row records: a column of blanks or "Not recorded" in every
    row tells a board nothing, and a blank cell in a column others fill stays blank."""
    return frame.drop(columns=[c for c, source in sources.items() if not source.notna().any()])
