"""The checklist page: each element the guidance asks the yearly report for, where it is in the
pack, and which are missing this year, so the business manager sees the gaps before publishing.

The elements are data (specs/guidance_checklist.yaml): what is asked, where it is asked, the
sections that show it and what in the year's data shows it is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from workbook.core import paths
from workbook.core.yamlfile import SPECS, load_file
from workbook.disclosure.published import Policy, PublishedTable
from workbook.sections import SectionNotebook, registry
from workbook.text.narrative import join_and

IN_PACK, MISSING, NOT_RENDERED = "In the pack", "Missing this year", "Section not in this pack"


@dataclass(frozen=True)
class Element:
    """One thing the yearly report must or should contain."""

    id: str
    asks: str
    guidance: str
    sections: tuple[str, ...]
    evidence: tuple[dict, ...]
    missing: str


@cache
def load_checklist() -> tuple[Element, ...]:
    """The elements of specs/guidance_checklist.yaml, in its order."""
    raw = load_file(paths.SPECS_DIR / "guidance_checklist.yaml", SPECS)
    return tuple(
        Element(
            e["id"],
            " ".join(e["asks"].split()),
            e["guidance"],
            tuple(e["sections"]),
            tuple(e.get("evidence", ())),
            " ".join(str(e.get("missing", "")).split()),
        )
        for e in raw["elements"]
    )


def _filled(values: pd.Series) -> pd.Series:
    return values.notna() & values.astype(str).str.strip().ne("")


def _rows(evidence: dict, frame: pd.DataFrame) -> pd.Series:
    """The rows of `frame` an evidence entry looks at (its `where`)."""
    rows = pd.Series(True, index=frame.index)
    for column, value in evidence.get("where", {}).items():
        rows &= frame[column] == value
    return rows


def shows(evidence: dict, tables: dict[str, pd.DataFrame]) -> bool:
    """Whether one evidence entry holds in the year's tables (see the spec's header)."""
    if "block" in evidence:
        blocks = tables.get("narrative")
        return blocks is not None and (blocks["block"] == evidence["block"]).any()
    frame = tables.get(evidence["table"])
    if frame is None or frame.empty:
        return False
    rows = _rows(evidence, frame)
    for column in evidence.get("columns", ()):
        rows &= _filled(frame[column])
    return bool(rows.any())


def present(element: Element, tables: dict[str, pd.DataFrame]) -> bool:
    """An element with no evidence listed is covered whenever its section is in the pack."""
    return not element.evidence or any(shows(e, tables) for e in element.evidence)


def still_to_supply(element: Element, tables: dict[str, pd.DataFrame]) -> str:
    """What to supply for an element not shown: where an entry's rows are there but some of
    its columns are blank, those columns in words (the date sent to the What Works centre, not
    every date again); otherwise the element's own `missing`."""
    for evidence in element.evidence:
        frame, words = tables.get(evidence.get("table")), evidence.get("words")
        if not words or frame is None or frame.empty:
            continue
        rows = _rows(evidence, frame)
        if not rows.any():
            continue
        blank = [
            words[c] for c in evidence.get("columns", ()) if not _filled(frame.loc[rows, c]).any()
        ]
        if blank:
            return f"{join_and(blank)} ({evidence['table']} table)"
    return element.missing


def checklist(
    tables: dict[str, pd.DataFrame],
    rendered: tuple[str, ...] | None,
    sections: tuple[SectionNotebook, ...] | None = None,
) -> pd.DataFrame:
    """One row per element: what is asked, where it is in the pack, whether it is there this
    year and, where not, what to supply. `rendered` lists the sections of this pack (None: all).
    Columns: element, guidance, where, status, to_supply."""
    sections = sections if sections is not None else registry()
    titles = {s.id: s.title for s in sections}
    in_pack = set(titles) if rendered is None else set(rendered) & set(titles)
    rows = []
    for element in load_checklist():
        shown = [titles[s] for s in element.sections if s in in_pack]
        if not shown:
            status, supply = NOT_RENDERED, "add the section to the partnership's parameters"
        elif present(element, tables):
            status, supply = IN_PACK, ""
        else:
            status, supply = MISSING, still_to_supply(element, tables)
        rows.append(
            {
                "element": element.asks,
                "guidance": element.guidance,
                "where": "; ".join(shown),
                "status": status,
                "to_supply": supply,
            }
        )
    return pd.DataFrame(rows)


def checklist_table(elements: pd.DataFrame, policy: Policy) -> PublishedTable:
    """The checklist as the business manager reads it: each element, who asks for it, where it
    is in the pack, and whether it is there this year or what to supply."""
    this_year = [
        status if not supply else f"{status}: to supply, {supply}"
        for status, supply in zip(elements["status"], elements["to_supply"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "What is asked": elements["element"],
            "Asked by": elements["guidance"],
            "Where in the pack": elements["where"].replace("", "Not in this pack"),
            "This year": this_year,
        }
    )
    return PublishedTable(
        frame, "What the guidance asks the yearly report to contain", policy, when_empty=None
    )


def facts(elements: pd.DataFrame) -> dict:
    """How many elements are in the pack, missing, or in sections this pack leaves out (the
    elements counted are the checklist's own, stated as numbers: `quantity` in the template)."""
    counts = elements["status"].value_counts()
    return {
        "elements": len(elements),
        "in_pack": int(counts.get(IN_PACK, 0)),
        "missing": [
            _in_sentence(e) for e in elements.loc[elements["status"] == MISSING, "element"]
        ],
        "not_rendered": [
            _in_sentence(e) for e in elements.loc[elements["status"] == NOT_RENDERED, "element"]
        ],
    }


def _in_sentence(element: str) -> str:
    """An element's words inside a sentence: its first letter lower case (names keep theirs)."""
    return element[:1].lower() + element[1:]
