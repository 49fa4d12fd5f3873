"""Coding findings against the codebook, with evidence, and measuring agreement with analysts.

A finding's themes come from two places: the analyst's own coding (the optional ``themes`` column)
and the automatic coding by codebook patterns. Both are kept, one row per (finding, theme,
sub-theme), and the ``final`` column says which rows count: the analyst's wherever the analyst
coded the finding, the automatic ones otherwise. Findings with no theme at all are kept as
``uncoded`` rows, never dropped, so that counts of findings always add up.

Where both exist, ``agreement`` reports how far the automatic coding matches the analyst's (Cohen's
kappa, precision and recall per theme and overall), so the board can judge how far to trust it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.coding.codebook import Codebook, load_codebook, lower_same_length
from workbook.core.errors import WorkbookError
from workbook.core.spreadsheet_safety import write_csv

ID_COLUMNS = ("finding_id", "id")
ANALYST = "analyst"
AUTOMATIC = "automatic"
UNCODED = "uncoded"
_SOURCE_RANK = {ANALYST: 0, AUTOMATIC: 1, UNCODED: 2}
OUTPUT_COLUMNS = ("theme", "subtheme", "evidence", "source", "final", "codebook_version")

# Negation, for themes marked negatable. Every cue below contains one of these words, so a mention
# with none of them within _WINDOW characters is not negated; most mentions stop at that test.
# Matched on lower-cased text, each word preceded by a non-word character (the regex engine skips
# quickly to those), the word itself in group 1.
_NEGATION_WORD = re.compile(
    r"[^\w](?=(n(?:o|ot|ever|or|either)|didn['\u2019]t|without|absence|ruled|unfounded"
    r"|unsubstantiated|denied)\b)"
)
_WINDOW = 120
# ... a cue before the mention in the same clause ...
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]|\b(?:but|however|although|though|whereas|while|yet)\b", re.I)
_CUE_BEFORE = re.compile(
    r"\b(?:"
    r"(?:no|not\s+any|without(?:\s+any)?|nor\s+any|never\s+any|absence\s+of)\s+"
    r"(?:(?:known|obvious|apparent|significant|further|current|previous|other|recorded|reported)\s+)?"
    r"(?:concerns?|evidence|history|indications?|suggestions?|signs?|reports?|mention|issues?|"
    r"worries|allegations?|disclosures?)"
    r")\b"
)
_WORDS_BETWEEN = r"[^\w]+(?:[\w']+[^\w]+){0,4}$"
_NEGATED_BEFORE = re.compile(_CUE_BEFORE.pattern + _WORDS_BETWEEN, re.I)
_NEGATED_BARE = re.compile(r"\b(?:no|nor|neither)\s+(?:[\w']+\s+)?$", re.I)
# ... or a denial straight after it ("neglect was not a feature", "... was ruled out").
_NEGATED_AFTER = re.compile(
    r"^[^\w]*(?:[\w']+[^\w]+){0,3}?(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+"
    r"(?:(?:not|never)\s+(?:(?:considered|thought|felt|found|judged|assessed|believed|seen)\s+)?"
    r"(?:to\s+be\s+)?(?:an?\s+)?(?:feature|factor|concern|issue|present|evident|relevant|substantiated)"
    r"|ruled\s+out|unfounded|unsubstantiated)",
    re.I,
)
_NEGATED_DID_NOT_FEATURE = re.compile(r"^[^\w]*(?:did\s+not|didn['\u2019]t)\s+feature", re.I)


# --------------------------------------------------------------------------------------------------
# Coding
# --------------------------------------------------------------------------------------------------


def code_findings(
    findings: pd.DataFrame, codebook: Codebook | None = None, *, source_name: str = "the findings"
) -> pd.DataFrame:
    """Code each finding: one row per (finding, theme, sub-theme), analyst and automatic rows.

    ``findings`` needs an id column (``finding_id`` or ``id``) and ``text``; an optional ``themes``
    column holds the analyst's semicolon-separated theme ids. The result keeps the input's id column
    name and adds ``theme``, ``subtheme``, ``evidence`` (the phrase as written in the finding),
    ``source`` (analyst, automatic or uncoded), ``final`` (the rows that count) and
    ``codebook_version``. Rows follow the input order of findings, then analyst before automatic,
    then codebook order, so the same input always gives the same output.
    """
    codebook = codebook if codebook is not None else load_codebook()
    id_column = validate_findings(findings, source_name)
    ids = findings[id_column].astype("string").str.strip().tolist()
    texts = findings["text"].astype("string").fillna("").tolist()
    analyst = _analyst_rows(findings, ids, codebook, source_name)
    automatic = _automatic_rows(texts, codebook)
    coded = _assemble(ids, analyst, automatic, codebook)
    return coded.rename(columns={"finding": id_column})


def validate_findings(findings: pd.DataFrame, source_name: str = "the findings") -> str:
    """Check the columns and ids coding relies on; return the name of the id column.

    Raises ``WorkbookError`` naming ``source_name`` and every problem found, so an analyst can fix a
    spreadsheet in one go rather than one error at a time.
    """
    id_column = next((name for name in ID_COLUMNS if name in findings.columns), None)
    missing = [] if id_column else ["an id column ('id' or 'finding_id')"]
    if "text" not in findings.columns:
        missing.append("a 'text' column")
    if missing:
        present = ", ".join(map(str, findings.columns)) or "none"
        raise WorkbookError(
            f"{source_name} lacks {' and '.join(missing)} (columns found: {present})"
        )
    ids = findings[id_column].astype("string").str.strip()
    problems = []
    blank = ids.isna() | (ids == "")
    if blank.any():
        rows = _row_numbers(blank)
        problems.append(f"{int(blank.sum())} finding(s) have no {id_column} (rows {rows})")
    duplicated = ids[~blank & ids.duplicated(keep=False)].unique().tolist()
    if duplicated:
        problems.append(f"{id_column} repeated: {', '.join(map(str, duplicated[:10]))}")
    if problems:
        raise WorkbookError(f"{source_name}: " + "; ".join(problems))
    return id_column


def _row_numbers(mask: pd.Series) -> str:
    """Spreadsheet row numbers (header is row 1) of the flagged rows, the first few of them."""
    rows = (np.flatnonzero(mask.to_numpy()) + 2).tolist()
    shown = ", ".join(map(str, rows[:10]))
    return shown + (" ..." if len(rows) > 10 else "")


def parse_theme_list(value: object) -> list[str]:
    """An analyst's ``themes`` cell as theme ids: semicolon-separated, case and spaces forgiven."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return []
    items = (item.strip().lower().replace(" ", "_") for item in str(value).split(";"))
    return list(dict.fromkeys(item for item in items if item))


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
    """Codebook hits that are not negated, the first hit per (finding, sub-theme) as evidence."""
    hits = codebook.scan_many(texts).rename(columns={"text": "position"})
    negatable = [theme.id for theme in codebook.themes if theme.negatable]
    rows = hits[hits["theme"].isin(negatable).to_numpy()]
    rows = rows[_near_negation_word(texts, rows)]
    negated = [
        _denied_in_clause(texts[position], start, end)
        for position, start, end in zip(rows["position"], rows["start"], rows["end"], strict=True)
    ]
    hits = hits.drop(index=rows.index[np.asarray(negated, dtype=bool)])
    hits = hits.sort_values(["position", "start"], kind="stable")
    hits = hits.drop_duplicates(["position", "theme", "subtheme"])
    hits["evidence"] = [
        texts[position][start:end]
        for position, start, end in zip(hits["position"], hits["start"], hits["end"], strict=True)
    ]
    return hits[["position", "theme", "subtheme", "evidence"]].reset_index(drop=True)


def _near_negation_word(texts: list[str], hits: pd.DataFrame) -> np.ndarray:
    """For each hit (position, start, end), whether a negation word lies wholly within
    ``_WINDOW`` characters of it in its own text: one regex pass over all texts, then a binary
    search per hit, rather than a regex search per hit."""
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    offsets = np.cumsum(lengths + 1) - lengths  # each text follows a newline in ``joined``
    joined = "\n" + "\n".join(lower_same_length(text) for text in texts)
    found = [(match.start(1), match.end(1)) for match in _NEGATION_WORD.finditer(joined)]
    words = np.array(found, dtype=np.int64).reshape(-1, 2)
    position = hits["position"].to_numpy(dtype=np.int64)
    text_start, text_end = offsets[position], offsets[position] + lengths[position]
    low = np.maximum(text_start + hits["start"].to_numpy(dtype=np.int64) - _WINDOW, text_start)
    high = np.minimum(text_start + hits["end"].to_numpy(dtype=np.int64) + _WINDOW, text_end)
    first = np.searchsorted(words[:, 0], low)
    ends = np.append(words[:, 1], np.iinfo(np.int64).max)
    return ends[first] <= high


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether the mention ``text[start:end]`` is denied in its own clause.

    "No concerns about neglect", "there was no evidence of domestic abuse", "neglect was not a
    feature" and "substance misuse was ruled out" are negated; "neglect was not recognised" is not,
    because a mention that professionals missed something is exactly the learning to code.
    """
    hit = pd.DataFrame({"position": [0], "start": [start], "end": [end]})
    return bool(_near_negation_word([text], hit)[0]) and _denied_in_clause(text, start, end)


def _denied_in_clause(text: str, start: int, end: int) -> bool:
    """``is_negated`` for a mention already known to have a negation word nearby."""
    before = text[max(0, start - _WINDOW) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause_before = before[breaks[-1].end() :] if breaks else before
    if _NEGATED_BEFORE.search(clause_before) or _NEGATED_BARE.search(clause_before):
        return True
    after = text[end : end + _WINDOW]
    cut = _CLAUSE_BREAK.search(after)
    clause_after = after[: cut.start()] if cut else after
    return bool(
        _NEGATED_AFTER.search(clause_after) or _NEGATED_DID_NOT_FEATURE.search(clause_after)
    )


def _assemble(
    ids: list[str], analyst: pd.DataFrame, automatic: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Stack analyst, automatic and uncoded rows, mark the final ones and order them."""
    analyst = analyst.assign(subtheme=pd.NA, evidence=pd.NA, source=ANALYST)
    automatic = automatic.assign(source=AUTOMATIC)
    analysed = set(analyst["position"].tolist())
    automatic["final"] = ~automatic["position"].isin(analysed)
    analyst["final"] = True
    coded_positions = analysed | set(automatic["position"].tolist())
    uncoded = pd.DataFrame(
        {"position": [p for p in range(len(ids)) if p not in coded_positions]}
    ).assign(theme=pd.NA, subtheme=pd.NA, evidence=pd.NA, source=UNCODED, final=True)
    frames = [frame for frame in (analyst, automatic, uncoded) if len(frame)]
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


# --------------------------------------------------------------------------------------------------
# Agreement between automatic and analyst coding
# --------------------------------------------------------------------------------------------------


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
    rows = [_agreement_row(theme, analyst[theme], automatic[theme]) for theme in themes]
    rows.append(_agreement_row("overall", analyst.to_numpy().ravel(), automatic.to_numpy().ravel()))
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


def _agreement_row(theme: str, analyst: np.ndarray, automatic: np.ndarray) -> dict[str, object]:
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


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


def code_file(
    input_csv: str | Path, output_csv: str | Path, codebook: Codebook | None = None
) -> pd.DataFrame:
    """Code a findings CSV (columns ``id`` or ``finding_id``, and ``text``) and write the coded CSV.

    Behind ``workbook code FILE.csv --out CODED.csv``; every problem is a ``WorkbookError``
    naming the file. Returns the coded table.
    """
    source = Path(input_csv)
    findings = read_findings_csv(source)
    coded = code_findings(findings, codebook, source_name=str(source))
    target = Path(output_csv)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_csv(coded, target)  # cells a spreadsheet would evaluate are made inert
    except OSError as exc:
        raise WorkbookError(f"cannot write the coded findings to {target}: {exc}") from None
    return coded


def read_findings_csv(path: Path) -> pd.DataFrame:
    """Read a findings CSV as text: UTF-8 (with or without BOM), else Windows-1252 (Excel)."""
    if not path.is_file():
        raise WorkbookError(f"{path} does not exist (expected a CSV of findings with id and text)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            frame = pd.read_csv(path, dtype="string", keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise WorkbookError(f"{path} is not a readable CSV: {exc}") from None
        frame.columns = [str(column).strip().lower() for column in frame.columns]
        return frame
    raise WorkbookError(f"{path} is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8")
