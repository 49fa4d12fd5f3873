"""The board pack's theme listings: for the year's leading themes only, their key findings and
what was done, each finding and action printed once with all its themes (the full listing of
findings and their themes is in the appendix)."""

from __future__ import annotations

import pandas as pd

from workbook.facts import YearFacts
from workbook.facts.themes import coded_to
from workbook.text.labels import label

LEADING_THEMES = 3
"""How many of the year's themes the pack lists findings and actions for."""
KEY_ITEMS = 3
"""How many findings, and how many actions, a leading theme lists."""

KIND_RANK = {"area_for_development": 0, "learning": 0, "recommendation": 1, "strength": 2}
"""Which findings of a theme are key: those asking for change, then recommendations, then
strengths (practice found satisfactory last)."""

POSITION_RANK = {"completed": 0, "overdue": 1, "in_progress": 2, "not_started": 3, "cancelled": 4}
"""Which actions say what was done: completed first (those with their impact recorded before
them), then those overdue, in progress, not started; cancelled last."""


def theme_leads(
    facts: YearFacts, themes: int = LEADING_THEMES, items: int = KEY_ITEMS
) -> list[dict]:
    """For each of the `themes` themes with most findings in the year: up to `items` of its
    key findings and of its actions not already listed under a theme before it, each with its
    id and its other themes; how many of its findings and actions were listed above; and how
    many more there are (in the appendix). A theme whose findings and actions are all listed
    above is left out."""
    coded = facts.themes
    findings = coded.of_findings(this_year=True)
    findings = findings.assign(
        _kind=findings["kind"].map(KIND_RANK).fillna(3),
        _source=(findings["source_type"] != "review").astype(int),
    ).sort_values(["_kind", "_source"], kind="stable")
    actions = coded.actions
    actions = actions.assign(
        _untold=actions["impact"].isna(), _position=actions["position"].map(POSITION_RANK)
    ).sort_values(["_position", "_untold"], kind="stable")
    listed_findings: set[str] = set()
    listed_actions: set[str] = set()
    out = []
    for theme in coded.leading(themes, this_year=True):
        mine = findings[coded_to(findings["themes"], theme)]
        answering = actions[coded_to(actions["themes"], theme)]
        shown_findings = _first_unlisted(mine, "key", listed_findings, items)
        shown_actions = _first_unlisted(answering, "action_id", listed_actions, items)
        if shown_findings.empty and shown_actions.empty:
            continue  # everything on it is listed above, under a theme before it
        out.append(
            {
                "theme": coded.label(theme),
                "findings": [
                    {
                        "text": row.text,
                        "id": row.finding_id,
                        "kind": label("kind", row.kind),
                        "themes": [coded.label(t) for t in row.themes if t != theme],
                    }
                    for row in shown_findings.itertuples()
                ],
                "actions": [_action(row, theme, coded) for row in shown_actions.itertuples()],
                **_rest("findings", mine, "key", shown_findings, listed_findings),
                **_rest("actions", answering, "action_id", shown_actions, listed_actions),
            }
        )
        listed_findings |= set(shown_findings["key"])
        listed_actions |= set(shown_actions["action_id"].astype(str))
    return out


def _first_unlisted(rows: pd.DataFrame, key: str, listed: set[str], items: int) -> pd.DataFrame:
    return rows[~rows[key].astype(str).isin(listed)].head(items)


def _rest(name: str, rows: pd.DataFrame, key: str, shown: pd.DataFrame, listed: set) -> dict:
    """How many of a theme's findings (or actions) were listed above, under an earlier theme,
    and how many more are neither listed here nor above."""
    ids = set(rows[key].astype(str))
    above = len(ids & listed)
    return {f"above_{name}": above, f"more_{name}": len(ids) - above - len(shown)}


def _action(row, theme: str, coded) -> dict:
    """An action as the pack lists it: what, who (where recorded), where it stood at the year
    end, the difference it made (where recorded) and its other themes."""
    said = [str(row.owner_agency)] if pd.notna(row.owner_agency) else []
    said.append(label("status", row.position))
    impact = f" Impact: {_sentence(row.impact)}" if pd.notna(row.impact) else ""
    return {
        "text": f"{str(row.action).rstrip('.')} ({'; '.join(said)}).{impact}",
        "id": str(row.action_id),
        "themes": [coded.label(t) for t in row.themes if t != theme],
    }


def _sentence(text) -> str:
    """Text as a sentence of its own: ending with a full stop where it has no end mark."""
    text = str(text).strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."
