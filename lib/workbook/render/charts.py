"""Charts for the sections: seaborn, colour-blind-safe, each returned with its alt text.

Every chart function returns `(figure, alt_text)`; the alt text states the figures the chart
shows, so a screen-reader user gets the same information. Counts at or under the small-number
threshold are never drawn: the bar is left out and the alt text says it was suppressed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from workbook.disclosure.suppression import publishable_count
from workbook.render.display import PALETTE


def _describe(values: pd.Series, fmt) -> str:
    return "; ".join(f"{name}: {fmt(value)}" for name, value in values.items())


def count_bars(counts: pd.Series, title: str, threshold: int, xlabel: str = "Number"):
    """Horizontal bars of counts by category, small counts suppressed, missing ones left out."""
    counts = counts.dropna()
    shown = counts[(counts == 0) | (counts > threshold)]
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(counts), 3) + 1))
    if len(shown):  # every count may be suppressed: then only the note below is drawn
        sns.barplot(x=shown.to_numpy(), y=[str(i) for i in shown.index], ax=ax,
                    color=sns.color_palette(PALETTE)[0], orient="h")
    for patch, value in zip(ax.patches, shown.to_numpy(), strict=False):
        ax.annotate(f"{int(value):,}", (patch.get_width(), patch.get_y() + patch.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set(title=title, xlabel=xlabel, ylabel="")
    suppressed = counts.index.difference(shown.index)
    alt = f"Bar chart: {title}. " + _describe(counts, lambda v: publishable_count(int(v),
                                                                                 threshold))
    if len(suppressed):
        ax.text(0, -0.12, f"Not shown (counts of {threshold} or fewer): "
                + ", ".join(map(str, suppressed)), transform=ax.transAxes, fontsize=8)
    return fig, alt + "."


def comparison_bars(values: pd.Series, title: str, unit_label: str, highlight: str):
    """Bars comparing the partnership with England, the region and statistical neighbours."""
    palette = sns.color_palette(PALETTE)
    colours = [palette[0] if name == highlight else palette[7] for name in values.index]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.barh([str(i) for i in values.index], values.to_numpy(), color=colours)
    for patch, value in zip(ax.patches, values.to_numpy(), strict=False):
        ax.annotate(f"{value:,.1f}", (patch.get_width(), patch.get_y() + patch.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set(title=title, xlabel=unit_label, ylabel="")
    alt = f"Bar chart: {title}. " + _describe(values, lambda v: f"{v:,.1f}") + "."
    return fig, alt


def trend_lines(frame: pd.DataFrame, title: str, unit_label: str):
    """Lines over years, one per area (wide frame: index years, columns areas)."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    sns.lineplot(data=frame, ax=ax, marker="o", dashes=False, palette=PALETTE)
    ax.set(title=title, xlabel="Year", ylabel=unit_label)
    ax.legend(frameon=False, fontsize=8)
    parts = [f"{area}: " + ", ".join(f"{year} {value:,.1f}" for year, value
                                     in frame[area].dropna().items()) for area in frame.columns]
    return fig, f"Line chart: {title}. " + "; ".join(parts) + "."


def heatmap(matrix: pd.DataFrame, title: str):
    """A heatmap of co-occurring counts (already suppressed to NaN where small)."""
    size = max(4, 0.5 * len(matrix) + 2)
    fig, ax = plt.subplots(figsize=(size, size * 0.8))
    sns.heatmap(matrix, annot=True, fmt=".0f", cmap="cividis", cbar=False, ax=ax,
                linewidths=0.5, linecolor="white")
    ax.set(title=title, xlabel="", ylabel="")
    pairs = [(a, b, matrix.loc[a, b]) for i, a in enumerate(matrix.index)
             for b in matrix.columns[i + 1:] if pd.notna(matrix.loc[a, b]) and matrix.loc[a, b]]
    top = sorted(pairs, key=lambda p: -p[2])[:5]
    alt = f"Heatmap: {title}. Most frequent pairs: " + "; ".join(
        f"{a} with {b}: {int(n)}" for a, b, n in top) + "."
    return fig, alt
