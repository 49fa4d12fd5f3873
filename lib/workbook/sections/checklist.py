"""The last part of the pack: what this report could not show, and the checklist of what the
guidance asks a yearly report for.

The board reads, once and at the end, what the year's data do not record (the facts that are
not recorded, `YearFacts.gaps`) and which elements the guidance asks for are missing. The
analyst's companion holds the working: each gap with the table and column that would fill it,
and each element with where it is in the pack and whether it is there, partly there (with the
reason) or missing (with what to supply). An element is "In the pack" only where its evidence is
(a judgement of effectiveness needs a recorded judgement; impact needs evidence of change), never
because its section exists.

The elements are data (specs/guidance_checklist.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from workbook.core import paths
from workbook.core.yamlfile import SPECS, load_file
from workbook.core.years import ReportYear
from workbook.disclosure.published import PublishedTable
from workbook.facts import Gap, YearFacts
from workbook.sections import SectionNotebook, registry
from workbook.text.narrative import listed

IN_PACK, PARTLY, MISSING, NOT_RENDERED = (
    "In the pack",
    "Partly",
    "Missing this year",
    "Section not in this pack",
)


@dataclass(frozen=True)
class Element:
    """One thing the yearly report must or should contain (specs/guidance_checklist.yaml, whose
    header says what each entry means)."""

    id: str
    asks: str
    """The element, in the guidance's sense: the words the board reads."""
    guidance: str
    """Where it is asked for."""
    sections: tuple[str, ...]
    """The sections that show it."""
    evidence: tuple[dict, ...]
    """What in the year's data shows it is there (any one entry is enough)."""
    partly: tuple[dict, ...]
    """What shows it partly there, each with its reason."""
    missing: str
    """What the analyst supplies when the evidence is not there."""
    applies_from: str = ""
    """The first reporting year the guidance asks it of (blank: every year)."""

    def applies_to(self, year: str | None) -> bool:
        """Whether a report of `year` (None: any) is asked for it."""
        if not self.applies_from or year is None:
            return True
        start = ReportYear.parse(self.applies_from).start_year
        return ReportYear.parse(year).start_year >= start


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
            tuple(e.get("partly", ())),
            " ".join(str(e.get("missing", "")).split()),
            str(e.get("applies_from", "")),
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


def shows(evidence: dict, tables: dict[str, pd.DataFrame], holds: dict[str, bool]) -> bool:
    """Whether one evidence entry holds in the year's tables, or (`fact`) in `holds`."""
    if "fact" in evidence:
        return bool(holds.get(evidence["fact"], False))
    if "block" in evidence:
        blocks = tables.get("narrative")
        return blocks is not None and (blocks["block"] == evidence["block"]).any()
    frame = tables.get(evidence["table"])
    if frame is None or frame.empty:
        return False
    rows = _rows(evidence, frame)
    for column in evidence.get("columns", ()):
        if column not in frame:
            return False
        rows &= _filled(frame[column])
    return bool(rows.any())


def partly_reason(entry: dict, tables: dict[str, pd.DataFrame]) -> str:
    """Why an element is only partly there, saying of the rows only what they record: the
    entry's `{recorded}` is the words of its `recorded` columns that some row fills, or its
    `otherwise` where none is ("only how many sessions were held", never "what was delivered"
    where no attendance is recorded)."""
    words = entry.get("recorded")
    if not words:
        return entry["reason"]
    frame = tables[entry["table"]]
    rows = _rows(entry, frame)
    filled = [w for c, w in words.items() if c in frame and _filled(frame.loc[rows, c]).any()]
    return entry["reason"].format(recorded=listed(filled) if filled else entry["otherwise"])


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
            return f"{listed(blank)} ({evidence['table']} table)"
    return element.missing


def checklist(
    tables: dict[str, pd.DataFrame],
    rendered: tuple[str, ...] | None,
    sections: tuple[SectionNotebook, ...] | None = None,
    holds: dict[str, bool] | None = None,
    year: str | None = None,
) -> pd.DataFrame:
    """One row per element: what is asked, where it is in the pack, whether it is there this
    year, partly (and why) or missing (and what to supply). `rendered` lists the sections of
    this pack (None: all); `holds` the year's facts an evidence entry may name.
    Columns: element, guidance, where, status, reason, to_supply, and in_words (partly there in
    the partnership's own words alone, its reason saying what the data do not record)."""
    sections = sections if sections is not None else registry()
    holds = holds or {}
    titles = {s.id: s.title for s in sections}
    in_pack = set(titles) if rendered is None else set(rendered) & set(titles)
    rows = []
    for element in load_checklist():
        if not element.applies_to(year):
            continue
        shown = [titles[s] for s in element.sections if s in in_pack]
        reason, supply = "", ""
        partly = next((e for e in element.partly if shows(e, tables, holds)), None)
        if not shown:
            status, supply = NOT_RENDERED, "add the section to the partnership's parameters"
        elif not element.evidence or any(shows(e, tables, holds) for e in element.evidence):
            status = IN_PACK
        elif partly is not None:
            status, reason, supply = PARTLY, partly_reason(partly, tables), element.missing
        else:
            status, supply = MISSING, still_to_supply(element, tables)
        rows.append(
            {
                "element": element.asks,
                "guidance": element.guidance,
                "where": "; ".join(shown),
                "status": status,
                "reason": reason,
                "to_supply": supply,
                "in_words": status == PARTLY and partly is not None and "block" in partly,
            }
        )
    return pd.DataFrame(rows)


def year_checklist(facts: YearFacts) -> pd.DataFrame:
    """The checklist of the year the facts are of, against the sections its pack renders."""
    return checklist(
        facts.report.tables,
        facts.report.partnership.sections,
        holds=checklist_facts(facts),
        year=facts.year.label,
    )


def checklist_facts(facts: YearFacts) -> dict[str, bool]:
    """The facts the checklist's evidence entries may name (`{fact: ...}`)."""
    impact = getattr(facts, "impact", None)
    return {"change_seen": bool(impact is not None and impact.change_seen.get())}


def checklist_table(elements: pd.DataFrame, policy) -> PublishedTable:
    """The checklist as the analyst and business manager work from it: each element, who asks
    for it, where it is in the pack, and whether it is there, partly (why) or what to supply."""
    this_year = []
    for status, reason, supply in zip(
        elements["status"], elements["reason"], elements["to_supply"], strict=True
    ):
        said = f"{status}: {reason}" if reason else status
        this_year.append(f"{said}. To supply: {supply}" if supply else said)
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


def gaps_table(facts: YearFacts) -> PublishedTable:
    """For the analyst: each thing the year's data do not record, how many items it is
    missing for, and the table and column that would record it."""
    gaps = facts.gaps()
    frame = pd.DataFrame(
        {
            "Not recorded": [g.missing[:1].upper() + g.missing[1:] for g in gaps],
            "For": [g.items or "All" for g in gaps],
            "Where to record it": [g.where for g in gaps],
        }
    )
    return PublishedTable(
        frame, "What the year's data do not record, and where to record it", facts.policy
    )


def board_sentences(facts: YearFacts, elements: pd.DataFrame) -> dict:
    """What the board reads at the end of the pack: what the data do not record, and the
    elements the guidance asks for that are missing or only partly there."""
    missing = list(elements.loc[elements["status"] == MISSING, "element"])
    # An element partly there in the partnership's own words says, in its reason, what the
    # data do not record: its tables' gaps are not listed again (Leicester's voice narrative
    # read beside "How children ... were asked for their views" as not recorded).
    in_words = elements.get("in_words", pd.Series(False, index=elements.index)).astype(bool)
    said = _tables_of(missing + list(elements.loc[in_words, "element"]))
    return {
        "gaps": grouped_gaps([gap for gap in facts.gaps() if _table_of(gap.where) not in said]),
        "missing": missing,
        "partly": [
            {"element": e, "reason": r}
            for e, r in zip(
                elements.loc[elements["status"] == PARTLY, "element"],
                elements.loc[elements["status"] == PARTLY, "reason"],
                strict=True,
            )
        ],
    }


GROUPED_GAPS = 3
"""How many gaps in a row of one part of the report (its facts' group: the indicators, the
training) are said in one line rather than a line each."""


def grouped_gaps(gaps: list[Gap]) -> list[dict]:
    """The gaps as the board's list says them: each once, with how many items it is missing
    for; `GROUPED_GAPS` or more in a row of one part of the report in one line, joined by
    semicolons (seven measures of children's social care not recorded read as one thing the
    report cannot say, not seven lines of a short page)."""
    runs: list[list[Gap]] = []
    for gap in gaps:
        if runs and _part(runs[-1][0]) == _part(gap):
            runs[-1].append(gap)
        else:
            runs.append([gap])
    out = []
    for run in runs:
        if len(run) < GROUPED_GAPS:
            out += [{"missing": gap.missing, "count": gap.said_items} for gap in run]
        else:
            said = [
                gap.missing + (f" (for {gap.said_items})" if gap.said_items else "") for gap in run
            ]
            out.append({"missing": "; ".join(said), "count": ""})
    return out


def _part(gap: Gap) -> str:
    """The part of the report a gap belongs to: the group of its first fact ("indicators")."""
    return gap.facts[0].split(".", 1)[0] if gap.facts else gap.missing


def _tables_of(asks: list[str]) -> set[str]:
    """The tables whose rows would show these elements: a gap in one of them is said once, by
    the element the guidance asks for, not again in the list of what the data do not record."""
    return {
        evidence["table"]
        for element in load_checklist()
        if element.asks in asks
        for evidence in element.evidence
        if "table" in evidence
    }


_TABLE_OF_GAP = re.compile(r"^(\w+)(?: table|:)")


def _table_of(where: str) -> str | None:
    """The table a gap's `where` names ("budget table", "priorities: rag_status")."""
    found = _TABLE_OF_GAP.match(where)
    return found[1] if found else None
