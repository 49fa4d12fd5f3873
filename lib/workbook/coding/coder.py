"""Coding findings against the codebook, with evidence, and measuring agreement with analysts.

A finding's themes come from two places: the analyst's own coding (the optional ``themes`` column)
and the automatic coding by codebook patterns. Both are kept, one row per (finding, theme,
sub-theme), and the ``final`` column says which rows count: the analyst's wherever the analyst
coded the finding, otherwise the automatic ones whose evidence the codebook marks as strong.
Automatic rows with only weak evidence (``confidence`` weak) never count: they are suggestions
for the analyst (``workbook.coding.review``), so a sentence is left without a theme rather than
given a weak one. Findings with no theme that counts are kept as ``uncoded`` rows, never dropped,
so that counts of findings always add up. Where both exist, ``workbook.coding.agreement``
measures how far the automatic coding matches the analyst's.

The automatic rows are the codebook's hits (``Codebook.scan_with_context``) that pass its sense
and scope rules (``rules``) and are not negated (``negation``); each sub-theme's evidence is its
first strong hit in the finding, else its first weak one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.codebook_schema import STRONG, WEAK
from workbook.coding.context import source_rows
from workbook.coding.findings import (
    ID_COLUMNS,
    parse_theme_list,
    read_findings_csv,
    validate_findings,
)
from workbook.coding.negation import drop_negated
from workbook.coding.rules import apply_rules
from workbook.coding.scanner import lower_same_length
from workbook.core.errors import WorkbookError
from workbook.core.spreadsheet_safety import write_csv

ANALYST = "analyst"
AUTOMATIC = "automatic"
UNCODED = "uncoded"
FROM_SOURCE = "from_source"
_SOURCE_RANK = {ANALYST: 0, AUTOMATIC: 1, FROM_SOURCE: 2, UNCODED: 3}
OUTPUT_COLUMNS = (
    "theme",
    "subtheme",
    "evidence",
    "confidence",
    "source",
    "final",
    "codebook_version",
)


def code_findings(
    findings: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    source_name: str = "the findings",
    sources: pd.DataFrame | None = None,
    count_source_themes: bool = False,
) -> pd.DataFrame:
    """Code each finding: one row per (finding, theme, sub-theme), analyst and automatic rows.

    ``findings`` needs an id column (``finding_id`` or ``id``) and ``text``; an optional ``themes``
    column holds the analyst's semicolon-separated theme ids. The result keeps the input's id column
    name and adds ``theme``, ``subtheme``, ``evidence`` (the phrase as written in the finding),
    ``source`` (analyst, automatic, from_source or uncoded), ``final`` (the rows that count) and
    ``codebook_version``. Rows follow the input order of findings, then analyst before automatic,
    then codebook order, so the same input always gives the same output.

    With ``sources`` (``workbook.coding.context.sources_table``), the themes a finding's review or
    audit suggests are added as ``from_source`` rows, their reason as evidence; they count
    (``final``) only with ``count_source_themes``, for findings the analyst did not code, and
    where the finding's own text did not already give the theme.
    """
    codebook = codebook if codebook is not None else load_codebook()
    id_column = validate_findings(findings, source_name)
    ids = findings[id_column].astype("string").str.strip().tolist()
    texts = findings["text"].astype("string").fillna("").tolist()
    analyst = _analyst_rows(findings, ids, codebook, source_name)
    automatic = _automatic_rows(texts, codebook)
    suggested = None
    if sources is not None:
        suggested = source_rows(findings, sources, codebook)
    coded = _assemble(ids, analyst, automatic, codebook, suggested, count_source_themes)
    return coded.rename(columns={"finding": id_column})


def _analyst_rows(
    findings: pd.DataFrame, ids: list[str], codebook: Codebook, source_name: str
) -> pd.DataFrame:
    """The analyst's themes, one row each; unknown theme ids are an error naming the findings."""
    if "themes" not in findings.columns:
        return pd.DataFrame({"position": [], "theme": []})
    known = set(codebook.theme_ids)
    positions, themes, unknown = [], [], {}
    for position, cell in enumerate(findings["themes"].tolist()):
        for theme in parse_theme_list(cell):
            if theme in known:
                positions.append(position)
                themes.append(theme)
            else:
                unknown.setdefault(theme, []).append(ids[position])
    if unknown:
        details = "; ".join(
            f"{theme!r} (finding {', '.join(found[:5])})" for theme, found in unknown.items()
        )
        raise WorkbookError(
            f"{source_name}: the themes column holds ids that are not in the codebook: {details}. "
            f"Known ids: {', '.join(codebook.theme_ids)}"
        )
    return pd.DataFrame({"position": positions, "theme": themes})


def _automatic_rows(texts: list[str], codebook: Codebook) -> pd.DataFrame:
    """Codebook hits that pass the codebook's rules and are not negated, one per (finding,
    sub-theme): its first strong hit, else its first weak one, with that hit's confidence."""
    lowered = [lower_same_length(text) for text in texts]
    hits = apply_rules(codebook, texts, codebook.scan_with_context(texts, lowered), lowered)
    hits = hits.rename(columns={"text": "position"})
    negatable = [theme.id for theme in codebook.themes if theme.negatable]
    hits = drop_negated(hits, lowered, negatable)
    weak_rules = np.array([rule.weak for rule in codebook.rules] + [False], dtype=bool)
    rules = hits["rule"].to_numpy()
    weak = weak_rules[np.where(rules >= 0, rules, len(codebook.rules))]
    hits = hits.assign(weak=weak)
    hits = hits.sort_values(["position", "weak", "start"], kind="stable")
    hits = hits.drop_duplicates(["position", "theme", "subtheme"])
    hits = hits.sort_values(["position", "start"], kind="stable")
    hits["confidence"] = np.where(hits["weak"].to_numpy(dtype=bool), WEAK, STRONG)
    hits["evidence"] = [
        texts[position][start:end]
        for position, start, end in zip(
            hits["position"].tolist(), hits["start"].tolist(), hits["end"].tolist(), strict=True
        )
    ]
    return hits[["position", "theme", "subtheme", "evidence", "confidence"]].reset_index(drop=True)


def _assemble(
    ids: list[str],
    analyst: pd.DataFrame,
    automatic: pd.DataFrame,
    codebook: Codebook,
    suggested: pd.DataFrame | None = None,
    count_suggested: bool = False,
) -> pd.DataFrame:
    """Stack analyst, automatic, from-source and uncoded rows, mark the final ones, order them."""
    analyst = analyst.assign(subtheme=pd.NA, evidence=pd.NA, confidence=pd.NA, source=ANALYST)
    automatic = automatic.assign(source=AUTOMATIC)
    analysed = set(analyst["position"].tolist())
    strong_themes = automatic.loc[automatic["confidence"] == STRONG, ["position", "theme"]]
    strong = set(
        zip(strong_themes["position"].tolist(), strong_themes["theme"].tolist(), strict=True)
    )
    automatic["final"] = ~automatic["position"].isin(analysed) & np.array(
        [
            (p, t) in strong
            for p, t in zip(
                automatic["position"].tolist(), automatic["theme"].tolist(), strict=True
            )
        ],
        dtype=bool,
    )
    analyst["final"] = True
    coded_positions = analysed | set(automatic.loc[automatic["final"], "position"].tolist())
    frames = [analyst, automatic]
    if suggested is not None and len(suggested):
        own = strong
        suggested = suggested.assign(subtheme=pd.NA, confidence=pd.NA, source=FROM_SOURCE)
        new = np.array(
            [
                (p, t) not in own
                for p, t in zip(
                    suggested["position"].tolist(), suggested["theme"].tolist(), strict=True
                )
            ],
            dtype=bool,
        )
        suggested["final"] = count_suggested & ~suggested["position"].isin(analysed) & new
        coded_positions |= set(suggested.loc[suggested["final"], "position"].tolist())
        frames.append(suggested)
    uncoded = pd.DataFrame(
        {"position": [p for p in range(len(ids)) if p not in coded_positions]}
    ).assign(
        theme=pd.NA, subtheme=pd.NA, evidence=pd.NA, confidence=pd.NA, source=UNCODED, final=True
    )
    frames = [frame for frame in (*frames, uncoded) if len(frame)]
    if not frames:
        return _empty_output(codebook)
    rows = pd.concat(frames, ignore_index=True)
    rows = _order(rows, codebook)
    rows.insert(0, "finding", [ids[p] for p in rows["position"].tolist()])
    rows["codebook_version"] = codebook.version
    out = rows[["finding", *OUTPUT_COLUMNS]].reset_index(drop=True)
    return out.astype(
        {
            "finding": "string",
            "theme": "string",
            "subtheme": "string",
            "evidence": "string",
            "confidence": "string",
            "source": "string",
            "final": bool,
            "codebook_version": "string",
        }
    )


def _order(rows: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Deterministic order: finding, then source, then the codebook's own order of themes."""
    theme_rank = {theme.id: i for i, theme in enumerate(codebook.themes)}
    sub_rank = {
        sub.id: i for i, sub in enumerate(s for theme in codebook.themes for s in theme.subthemes)
    }
    keys = pd.DataFrame(
        {
            "position": rows["position"],
            "source": rows["source"].map(_SOURCE_RANK),
            "theme": rows["theme"].map(theme_rank).fillna(-1),
            "subtheme": rows["subtheme"].map(sub_rank).fillna(-1),
        }
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return rows.loc[order]


def _empty_output(codebook: Codebook) -> pd.DataFrame:
    """The output's columns with no rows (no findings in, no rows out)."""
    out = pd.DataFrame({name: pd.Series(dtype="string") for name in ("finding", *OUTPUT_COLUMNS)})
    return out.astype({"final": bool})


def final_themes(coded: pd.DataFrame) -> pd.DataFrame:
    """The themes that count, one row per (finding, theme): analyst's where present, else automatic.

    Uncoded findings keep one row with an empty theme, so a count of findings per theme and a count
    of findings overall come from the same table.
    """
    id_column = next(name for name in ID_COLUMNS if name in coded.columns)
    final = coded.loc[coded["final"], [id_column, "theme", "source"]]
    return final.drop_duplicates([id_column, "theme"]).reset_index(drop=True)


def code_file(
    input_csv: str | Path,
    output_csv: str | Path,
    codebook: Codebook | None = None,
    sources: pd.DataFrame | None = None,
    count_source_themes: bool = False,
) -> pd.DataFrame:
    """Code a findings CSV (columns ``id`` or ``finding_id``, and ``text``) and write the coded CSV.

    Behind ``workbook code FILE.csv --out CODED.csv``; every problem is a ``WorkbookError``
    naming the file. Returns the coded table.
    """
    source = Path(input_csv)
    findings = read_findings_csv(source)
    coded = code_findings(
        findings,
        codebook,
        source_name=str(source),
        sources=sources,
        count_source_themes=count_source_themes,
    )
    target = Path(output_csv)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_csv(coded, target)  # cells a spreadsheet would evaluate are made inert
    except OSError as exc:
        raise WorkbookError(f"cannot write the coded findings to {target}: {exc}") from None
    return coded
