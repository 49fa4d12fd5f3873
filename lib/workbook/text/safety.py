"""Free text from many agencies, made safe to publish.

Two jobs:
- `render_markdown` turns analyst Markdown into HTML with raw HTML switched off, so a finding or
  narrative block containing `<script>` or an `<img onerror=...>` shows as text; images are not
  rendered (a section must not fetch anything) and only web and mail links survive;
- `screen_personal_identifiers` flags likely names, dates of birth, addresses and contact details
  in text about to be published, so the analyst can fix the source before the board sees it. It
  flags and never edits: deciding what identifies someone is the analyst's call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from markdown_it import MarkdownIt

from workbook.core.yamlfile import load_spec
from workbook.inputs.contract import load_contract
from workbook.text.names import find_names

_SAFE_LINK = re.compile(r"^(?:https?:|mailto:|#)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.disable("image")
    md.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))
    md.core.ruler.push("drop_fence_info", _drop_fence_info)
    return md


def _drop_fence_info(state) -> None:
    """A fenced code block's info string would become a `class` attribute chosen by whoever
    wrote the text; reports need no syntax highlighting, so it is dropped."""
    for token in state.tokens:
        if token.type == "fence":
            token.info = ""


def render_markdown(text: str) -> str:
    """Markdown to HTML with raw HTML shown as text, no images and only http(s)/mailto links."""
    return _markdown().render("" if text is None or pd.isna(text) else str(text))


@dataclass(frozen=True)
class Flag:
    """One likely personal identifier: where it is, what kind, and the words that matched."""

    source: str
    row: int | None
    column: str
    kind: str
    match: str

    def __str__(self) -> str:
        row = f", row {self.row}" if self.row is not None else ""
        return f"{self.source}{row}, column {self.column}: possible {self.kind}: {self.match!r}"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    spec = load_spec("identifiers")
    pieces = {
        "titles": "(?:" + "|".join(spec["names"]["titles"]) + ")",
        **spec.get("fragments", {}),
    }
    compiled = {}
    for kind, entry in spec["patterns"].items():
        flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
        regex = entry["regex"]
        for name, piece in pieces.items():
            regex = regex.replace("{" + name + "}", piece)
        compiled[kind] = re.compile(regex, flags)
    return compiled


def find_identifiers(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) for every likely personal identifier in one piece of text: the
    patterns of specs/identifiers.yaml, then the names `workbook.text.names` finds."""
    if text is None or pd.isna(text):
        return []
    text = str(text)
    return [
        (kind, match.group(0))
        for kind, pattern in _patterns().items()
        for match in pattern.finditer(text)
    ] + find_names(text)


def screen_personal_identifiers(
    tables: dict[str, pd.DataFrame],
    text_columns: dict[str, list[str]],
    sources: dict[str, str] | None = None,
) -> list[Flag]:
    """Flags for every text cell of the named tables and columns.

    Row numbers are spreadsheet rows (header is row 1) where the table keeps its original order,
    so the analyst can go straight to the cell; `sources` names each table's file (or sheet),
    the table's name standing in where it is not given ("narrative": a pattern with a
    `{block}` field, see `inputs.loading.table_sources`).
    """
    sources = sources or {}
    flags = []
    for table, columns in text_columns.items():
        frame = tables.get(table)
        if frame is None:
            continue
        for column in columns:
            if column not in frame.columns:
                continue
            for position, (index, value) in enumerate(frame[column].items()):
                for kind, match in find_identifiers(value):
                    row, source = _spreadsheet_row(index, position), sources.get(table, table)
                    if table == "narrative":
                        block = (
                            frame["block"] if "block" in frame.columns else frame.iloc[:, 0]
                        ).iloc[position]
                        row = None
                        pattern = sources.get(table, "narrative block {block}")
                        source = pattern.format(block=block)
                    flags.append(Flag(source, row, column, kind.replace("_", " "), match))
    return flags


def _spreadsheet_row(index, position: int) -> int:
    """The row a spreadsheet shows: a table read from a file keeps each row's place in it as
    its index (blank lines counted); a table built in code falls back to its order."""
    return int(index) + 2 if isinstance(index, int | np.integer) else position + 2


def year_text_columns() -> dict[str, list[str]]:
    """Every free-text column of the data contract (type `text`), table by table, plus the
    narrative table's `markdown`: the columns whose words can reach the board."""
    columns = {
        name: [column for column, spec in table.columns.items() if spec.type == "text"]
        for name, table in load_contract().items()
    }
    if "markdown" not in columns.setdefault("narrative", []):
        columns["narrative"].append("markdown")
    return {name: cols for name, cols in columns.items() if cols}


def screen_year(
    tables: dict[str, pd.DataFrame], sources: dict[str, str] | None = None
) -> list[Flag]:
    """Flags for every free-text cell of one partnership-year's tables (as loaded: table name
    to DataFrame; `sources`: where each was read from, see `inputs.loading.table_sources`).
    Tables or columns the year does not have are skipped."""
    return screen_personal_identifiers(tables, year_text_columns(), sources)
