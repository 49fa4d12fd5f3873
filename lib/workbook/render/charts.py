"""Charts for the sections, drawn from published tables only, each with its alt text.

Every chart function takes a `PublishedTable` and draws what the table publishes: a withheld
figure (`c` in the table) is never drawn, it is marked and keyed instead. It returns
`(figure, alt_text)`, the alt text stating the figures shown so a screen-reader user gets the
same information, or None where a chart would carry no information (nothing but zeros or
withheld figures): the notebook then says so in a sentence (see `workbook.render.display.chart`).

Colours are the Okabe-Ito palette (eight colours told apart with every common colour-vision
deficiency), lines also differ by marker, legends sit beside the plot, never on the data, and
only where there are two series or more to tell apart. A line chart draws at most five series
(`MAX_SERIES`): more cross into a tangle a reader cannot follow in a quarter page.

The kernel belongs to the analyst: a chart is a `matplotlib.figure.Figure` of its own (never
pyplot's current figure, so the analyst's backend neither shows nor keeps it) drawn and saved
inside `style()`, so neither the analyst's style changes the published charts nor the charts'
style the analyst's plots, and no global setting (backend, style, warnings) is changed.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib import colormaps
from matplotlib import style as mpl_style
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from workbook.core.imports import import_without
from workbook.disclosure.formatting import format_count, format_figure, format_given
from workbook.disclosure.published import Count, PublishedTable

sns = import_without("seaborn", "scipy")
"""seaborn imports scipy.stats as it starts, for kernel density estimates only, and uses a copy
of its own where scipy is missing (an optional dependency); the charts take only seaborn's
styles and palettes, and scipy.stats was two fifths of the imports of a run's kernel."""

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
GREY = "#BBBBBB"
WITHHELD_HATCH = "////"
PALETTE = "colorblind"
"""Seaborn's colour-blind-safe palette (Okabe-Ito style): the colour cycle of every chart."""


@functools.cache
def _rc() -> dict:
    """The charts' settings: seaborn's "whitegrid" style at "notebook" scale, the palette,
    text kept as text in SVG (the PDF keeps it searchable), one font on every machine."""
    return {
        **sns.axes_style("whitegrid", rc={"font.family": "sans-serif"}),
        **sns.plotting_context("notebook"),
        "axes.prop_cycle": cycler(color=sns.color_palette(PALETTE)),
        "svg.fonttype": "none",
        "figure.dpi": 100,
        "font.family": "DejaVu Sans",
    }


@contextlib.contextmanager
def style():
    """Draw or save a chart in the charts' own settings, from matplotlib's defaults (whatever
    the analyst set), restoring the kernel's settings after."""
    with mpl_style.context(["default", _rc()]):
        yield


def _styled(chart):
    """A chart function drawn inside `style()`."""

    @functools.wraps(chart)
    def drawn(*args, **kwargs):
        with style():
            return chart(*args, **kwargs)

    return drawn


def _figure(figsize: tuple[float, float]):
    """A figure and its axes, owned by the caller alone (not pyplot's)."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


MAX_SERIES = 5
"""The most lines a chart draws: the first five columns of its table (callers put the ones
that matter first, and say in the caption which they are); the alt text names the rest."""


def _fmt(table: PublishedTable, column: str):
    """How the chart writes a figure of `column`: as the table writes it."""
    kind = table.columns[column]
    if isinstance(kind, Count):
        return lambda v: format_count(v)
    if getattr(kind, "as_given", False):
        return lambda v: format_given(v, kind.decimals)
    return lambda v: format_figure(v, getattr(kind, "decimals", 1))


def _describe(values: pd.Series, fmt) -> str:
    return "; ".join(
        f"{name}: {'withheld' if pd.isna(value) else fmt(value)}" for name, value in values.items()
    )


def _carries_information(values: pd.Series) -> bool:
    return bool((values.fillna(0) != 0).any())


@_styled
def count_bars(
    table: PublishedTable,
    title: str,
    xlabel: str,
    column: str | None = None,
    row=None,
    columns: list[str] | None = None,
):
    """Horizontal bars: one per row of `column`, or one per column of `columns` in `row`."""
    if column is not None:
        values, fmt = table.published(column), _fmt(table, column)
        if table.total_row is not None:
            values = values.drop(str(table.total_row), errors="ignore")
    else:
        values = pd.Series({c: table.published(c).iloc[table._position(row)] for c in columns})
        fmt = _fmt(table, columns[0])
    if not _carries_information(values):
        return None
    fig, ax = _figure(figsize=(7, 0.45 * max(len(values), 3) + 1))
    labels = [str(i) for i in values.index]
    drawn = values.fillna(0).to_numpy()
    bars = ax.barh(labels, drawn, color=OKABE_ITO[0])
    for bar, value in zip(bars, values.to_numpy(), strict=True):
        text = "c (withheld)" if pd.isna(value) else fmt(value)
        if pd.isna(value):
            bar.set_hatch(WITHHELD_HATCH)
            bar.set_edgecolor(GREY)
        _label_bar(ax, bar, text)
    ax.invert_yaxis()
    ax.set_xlim(0, max(drawn.max(), 1) * 1.15)
    ax.set(title=title, xlabel=xlabel, ylabel="")
    return fig, f"Bar chart: {title}. {_describe(values, fmt)}."


def _label_bar(ax, bar, text: str) -> None:
    """A horizontal bar's figure, just past its end, so a reader need not read it off the axis."""
    ax.annotate(
        text,
        (bar.get_width(), bar.get_y() + bar.get_height() / 2),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        fontsize=9,
    )


@_styled
def comparison_bars(
    table: PublishedTable, column: str, title: str, unit_label: str, highlight: str
):
    """Bars comparing the partnership with its statistical neighbours and England."""
    values = table.published(column).dropna()
    if not _carries_information(values):
        return None
    fmt = _fmt(table, column)
    colours = [OKABE_ITO[0] if name == highlight else GREY for name in values.index]
    fig, ax = _figure(figsize=(7, 0.3 * len(values) + 1.2))
    bars = ax.barh([str(i) for i in values.index], values.to_numpy(), color=colours)
    for bar, value in zip(bars, values.to_numpy(), strict=True):
        _label_bar(ax, bar, fmt(value))
    ax.invert_yaxis()
    ax.set_xlim(0, values.max() * 1.15)
    ax.set(title=title, xlabel=unit_label, ylabel="")
    return fig, f"Bar chart: {title}. {_describe(values, fmt)}."


@_styled
def trend_lines(table: PublishedTable, title: str, unit_label: str, target: float | None = None):
    """Lines over years (the table's first column), one per figure column, the first
    `MAX_SERIES` of them (the alt text names any left out); withheld points are left out of
    their line and listed in the alt text. A `target` (one the text names) is drawn as a
    dashed line and labelled. A legend only where two series or more need telling apart."""
    columns = list(table.columns)
    drawn, left_out = columns[:MAX_SERIES], columns[MAX_SERIES:]
    series = {column: table.published(column) for column in drawn}
    if len(table.frame) < 2 or not any(_carries_information(s) for s in series.values()):
        return None
    # One line needs less height than several to be read (and leaves the page to others).
    fig, ax = _figure(figsize=(7.5, 2.9 if len(series) > 1 else 2.1))
    years = [str(y) for y in table.frame.iloc[:, 0]]
    positions = np.arange(len(years))
    parts = []
    for i, (column, values) in enumerate(series.items()):
        ax.plot(
            positions,
            values.to_numpy(),
            color=OKABE_ITO[i % len(OKABE_ITO)],
            marker=MARKERS[i % len(MARKERS)],
            label=str(column),
            linewidth=1.8,
        )
        fmt = _fmt(table, column)
        parts.append(
            f"{column}: "
            + ", ".join(
                f"{year} {'withheld' if pd.isna(v) else fmt(v)}"
                for year, v in zip(years, values, strict=True)
            )
        )
    top = max(float(np.nanmax([s.max() for s in series.values()])), target or 0)
    if target is not None:
        fmt = _fmt(table, drawn[0])
        ax.axhline(target, color=OKABE_ITO[7], linestyle="--", linewidth=1.2)
        ax.annotate(
            f"Target {fmt(target)}",
            (positions[-1], target),
            xytext=(0, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
        )
        parts.append(f"target: {fmt(target)}")
    if left_out:
        parts.append(f"not drawn (more than {MAX_SERIES} series): {', '.join(map(str, left_out))}")
    ax.set_xticks(positions, years)
    ax.set(title=title, xlabel="Year", ylabel=unit_label)
    ax.set_ylim(0, top * 1.15 or 1)
    if len(series) > 1:  # one line needs no key: the title and axis name it
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig, f"Line chart: {title}. " + "; ".join(parts) + "."


@_styled
def heatmap(table: PublishedTable, title: str, top_pairs: int = 5):
    """Counts of a square, symmetric table (first column: the row labels, the same as the
    columns), drawn once, below the diagonal: zero is white and more is darker, in whole
    numbers of the table's unit on the colour bar; the diagonal (each row's own total, far
    larger) is written on grey; withheld cells are hatched. Cells are parted by white lines,
    never crossed by grid lines. None when no two rows share anything."""
    labels = [str(v) for v in table.frame.iloc[:, 0]]
    matrix = pd.DataFrame({c: table.published(c).to_numpy() for c in labels}, index=labels)
    off_diagonal = matrix.where(~np.eye(len(labels), dtype=bool))
    if len(labels) < 2 or not _carries_information(off_diagonal.stack()):
        return None
    size = max(4.5, 0.6 * len(labels) + 2.8)
    fig, ax = _figure(figsize=(size, size * 0.8))
    values = matrix.to_numpy(dtype=float)
    n = len(labels)
    below = np.tril(np.ones((n, n), dtype=bool), k=-1)
    diagonal = np.eye(n, dtype=bool)
    top = int(np.nanmax(np.where(below, values, np.nan)) or 1)
    # Whole numbers: one colour per count up to 10, a steady scale beyond.
    blues = colormaps["Blues"]
    cmap = blues.resampled(top + 1) if top <= 10 else blues
    shown = np.ma.masked_where(~below | np.isnan(values), values)
    image = ax.imshow(shown, cmap=cmap, vmin=-0.5, vmax=top + 0.5)
    for (i, j), value in np.ndenumerate(values):
        if not (below[i, j] or diagonal[i, j]):
            continue
        if np.isnan(value):
            ax.add_patch(
                Rectangle(
                    (j - 0.5, i - 0.5),
                    1,
                    1,
                    fill=False,
                    hatch=WITHHELD_HATCH,
                    edgecolor=GREY,
                    linewidth=0,
                )
            )
            ax.text(j, i, "c", ha="center", va="center", fontsize=9)
        elif i == j:
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, color="#E5E5E5"))
            ax.text(
                j, i, format_count(value), ha="center", va="center", fontsize=9, fontweight="bold"
            )
        else:
            ax.text(
                j,
                i,
                format_count(value),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if value > 0.55 * top else "black",
            )
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xticks(np.arange(n + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="both", length=0)
    ax.set_xticks(range(n), labels, rotation=40, ha="right", fontsize=9)
    ax.set_yticks(range(n), labels, fontsize=9)
    ax.set_title(title)
    unit = table.columns[labels[0]].unit if isinstance(table.columns[labels[0]], Count) else ""
    bar = fig.colorbar(image, ax=ax, shrink=0.7, label=str(unit).capitalize())
    bar.locator = MaxNLocator(integer=True)  # whole counts: no 0.2 of a finding
    bar.update_ticks()
    bar.outline.set_visible(False)
    pairs = [
        (a, b, matrix.loc[a, b])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if pd.notna(matrix.loc[a, b]) and matrix.loc[a, b] > 0
    ]
    best = sorted(pairs, key=lambda p: -p[2])[:top_pairs]
    alt = (
        f"Heatmap: {title}. Most frequent pairs: "
        + "; ".join(f"{a} with {b}: {format_count(n)}" for a, b, n in best)
        + "."
    )
    return fig, alt
