"""How far the automatic coding agrees with the analyst's: whether the board can trust it.

Where an analyst coded findings and the codebook coded them too, each theme is a pair of yes/no
ratings per finding: the 2x2 table of the two, precision and recall of the automatic coding
against the analyst's, F1, and Cohen's kappa (agreement beyond what each rater's own rate of
saying yes would give by chance). The evaluation of the codebook on hand-coded sentences uses the
same figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.coding.coder import ANALYST, AUTOMATIC
from workbook.coding.findings import ID_COLUMNS


def agreement(coded: pd.DataFrame, themes: list[str] | None = None) -> pd.DataFrame:
    """Per-theme and overall agreement of the automatic coding with the analyst's.

    Only findings the analyst coded count. For each theme: the 2x2 table (both, analyst only,
    automatic only, neither), precision and recall of the automatic coding against the analyst's,
    F1 and Cohen's kappa. The ``overall`` row pools every (finding, theme) decision: micro-averaged
    precision, recall and F1, and kappa on the pooled table. Undefined ratios are NaN, not zero.
    ``themes`` fixes the list and order of themes (default: every theme either source used).
    """
    id_column = next(name for name in ID_COLUMNS if name in coded.columns)
    labelled = coded.loc[coded["source"] == ANALYST, id_column].unique()
    if themes is None:
        used = coded.loc[coded["source"].isin([ANALYST, AUTOMATIC]), "theme"].dropna()
        themes = list(dict.fromkeys(used.tolist()))
    analyst = _indicator(coded, ANALYST, labelled, themes, id_column)
    automatic = _indicator(coded, AUTOMATIC, labelled, themes, id_column)
    rows = [agreement_row(theme, analyst[theme], automatic[theme]) for theme in themes]
    rows.append(agreement_row("overall", analyst.to_numpy().ravel(), automatic.to_numpy().ravel()))
    table = pd.DataFrame(rows)
    table.insert(1, "findings", len(labelled))
    return table


def _indicator(
    coded: pd.DataFrame, source: str, findings: np.ndarray, themes: list[str], id_column: str
) -> pd.DataFrame:
    """Findings x themes table of 0/1: did this source give this finding this theme?"""
    rows = coded.loc[(coded["source"] == source) & coded[id_column].isin(findings)]
    marks = pd.crosstab(rows[id_column], rows["theme"]).clip(upper=1)
    return marks.reindex(index=findings, columns=themes, fill_value=0).fillna(0).astype(int)


def agreement_row(theme: str, analyst: np.ndarray, automatic: np.ndarray) -> dict[str, object]:
    """Counts, precision, recall, F1 and kappa for one pair of 0/1 vectors."""
    a = np.asarray(analyst, dtype=bool)
    b = np.asarray(automatic, dtype=bool)
    both, analyst_only = int((a & b).sum()), int((a & ~b).sum())
    automatic_only, neither = int((~a & b).sum()), int((~a & ~b).sum())
    precision = _ratio(both, both + automatic_only)
    recall = _ratio(both, both + analyst_only)
    return {
        "theme": theme,
        "both": both,
        "analyst_only": analyst_only,
        "automatic_only": automatic_only,
        "neither": neither,
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * both, 2 * both + analyst_only + automatic_only),
        "kappa": cohens_kappa(both, analyst_only, automatic_only, neither),
    }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def cohens_kappa(both: int, first_only: int, second_only: int, neither: int) -> float:
    """Cohen's kappa for two raters' yes/no decisions, from their 2x2 table.

    kappa = (observed - chance) / (1 - chance), chance agreement from each rater's own rate of
    saying yes. NaN where chance agreement is already perfect (both raters always said the same
    one thing), because kappa is then undefined rather than good or bad.
    """
    n = both + first_only + second_only + neither
    if n == 0:
        return float("nan")
    observed = (both + neither) / n
    first_yes, second_yes = (both + first_only) / n, (both + second_only) / n
    chance = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    return _ratio(observed - chance, 1 - chance) if chance < 1 else float("nan")
