"""What the board sees and what the analyst reviews: the coded findings split by trust.

``code_findings`` gives every (finding, theme) with who coded it (``source``: analyst, automatic,
from_source), the evidence phrase and, for automatic rows, the confidence the codebook gives that
phrase (strong or weak evidence, ``themes.yaml``). Two views of it:

- ``board_themes``: the themes the board pack may show, the analyst's where the analyst coded the
  finding, else the automatic ones with strong evidence; a finding with none keeps one row with
  an empty theme, so counts of findings add up;
- ``suggestions``: what the analyst is offered to accept or reject: automatic themes with only weak
  evidence, themes the finding's source suggests, and, where the analyst has coded the finding,
  automatic themes the analyst did not give (the coder and the analyst disagree).

The analyst's decision goes back into the year's data as the finding's ``themes`` cell (the data
contract's analyst themes): ``record_decision`` writes it, so a re-run keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from workbook.coding.codebook import Codebook
from workbook.coding.codebook_schema import STRONG
from workbook.coding.coder import ANALYST, AUTOMATIC, FROM_SOURCE
from workbook.coding.findings import ID_COLUMNS, parse_theme_list
from workbook.core.errors import WorkbookError

WEAK_EVIDENCE = "weak evidence"
FROM_THE_SOURCE = "suggested by the source"
ANALYST_DISAGREES = "coded automatically, not by the analyst"


def _id_column(coded: pd.DataFrame) -> str:
    return next(name for name in ID_COLUMNS if name in coded.columns)


def board_themes(coded: pd.DataFrame) -> pd.DataFrame:
    """One row per (finding, theme) the board pack may show, with ``coded_by`` (analyst,
    automatic, from_source), the evidence (automatic: the strongest phrase as written) and its
    confidence; findings with no such theme keep one row with an empty theme (``coded_by``
    uncoded). In the order of ``coded``."""
    ident = _id_column(coded)
    final = coded[coded["final"]]
    final = final.sort_values("confidence", key=lambda c: c != STRONG, kind="stable")
    final = final.drop_duplicates([ident, "theme"])
    final = final.loc[sorted(final.index)]
    out = final[[ident, "theme", "source", "evidence", "confidence"]]
    return out.rename(columns={"source": "coded_by"}).reset_index(drop=True)


def suggestions(coded: pd.DataFrame) -> pd.DataFrame:
    """One row per (finding, theme) to offer the analyst, not on the board: ``reason`` says why
    (weak evidence, suggested by the source, or coded automatically where the analyst coded the
    finding otherwise); with ``evidence`` and ``confidence``. In the order of ``coded``."""
    ident = _id_column(coded)
    on_board = set(zip(*_pairs(coded[coded["final"]], ident), strict=True))
    analysed = set(coded.loc[coded["source"] == ANALYST, ident])
    rows = coded[coded["source"].isin([AUTOMATIC, FROM_SOURCE]) & ~coded["final"]]
    keep = [pair not in on_board for pair in zip(*_pairs(rows, ident), strict=True)]
    rows = rows[pd.Series(keep, index=rows.index, dtype=bool)].drop_duplicates([ident, "theme"])
    reasons = []
    for finding, source, confidence in zip(
        rows[ident].tolist(), rows["source"].tolist(), rows["confidence"].tolist(), strict=True
    ):
        if finding in analysed:
            reasons.append(ANALYST_DISAGREES)
        elif source == FROM_SOURCE:
            reasons.append(FROM_THE_SOURCE)
        else:
            reasons.append(WEAK_EVIDENCE if confidence != STRONG else ANALYST_DISAGREES)
    out = rows[[ident, "theme", "subtheme", "evidence", "confidence", "source"]].assign(
        reason=reasons
    )
    return out.rename(columns={"source": "coded_by"}).reset_index(drop=True)


def _pairs(rows: pd.DataFrame, ident: str) -> tuple[list[str], list[str]]:
    return rows[ident].tolist(), rows["theme"].tolist()


def record_decision(
    findings: pd.DataFrame, finding_id: str, themes: Iterable[str], codebook: Codebook
) -> pd.DataFrame:
    """The findings table with the analyst's themes for one finding (its ``themes`` cell, the
    contract's analyst themes, ``;``-separated in the codebook's order; an empty list clears
    it). Unknown theme ids or an unknown finding are a ``WorkbookError`` saying which."""
    ident = next((name for name in ID_COLUMNS if name in findings.columns), None)
    if ident is None:
        raise WorkbookError("the findings table has no finding_id (or id) column")
    chosen = [theme for cell in themes for theme in parse_theme_list(cell)]
    unknown = [theme for theme in chosen if theme not in codebook.theme_ids]
    if unknown:
        raise WorkbookError(
            f"finding {finding_id}: {', '.join(unknown)} not in the codebook "
            f"(known: {', '.join(codebook.theme_ids)})"
        )
    rows = findings[ident].astype(str) == str(finding_id)
    if not rows.any():
        raise WorkbookError(f"there is no finding {finding_id} in the findings table")
    order = [theme for theme in codebook.theme_ids if theme in set(chosen)]
    out = findings.copy()
    if "themes" not in out.columns:
        out["themes"] = ""
    out["themes"] = out["themes"].astype("object")
    out.loc[rows, "themes"] = ";".join(order)
    return out
