"""The findings table the coder reads: its id and text columns, and the analyst's own themes.

Findings come from an analyst's spreadsheet, so every problem coding would trip over (no id
column, blank or repeated ids, a CSV in Excel's Windows encoding) is found here and reported as a
``WorkbookError`` naming the file and the rows, all problems at once, so the spreadsheet can be
fixed in one go.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbook.core.errors import WorkbookError

ID_COLUMNS = ("finding_id", "id")


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
