"""Our year in plain words: a one-page summary for children, young people and families.

Its facts are simple on purpose (how many cases were looked at, what came up most, what was
changed because of what families said, what is still to do) and its words come from the
template and from specs/plain_words.yaml, never from the data's own text, which is written for
professionals. Its reading age is checked by `workbook.text.readability` in the tests.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from workbook.coding.coder import code_findings, final_themes
from workbook.core import paths
from workbook.core.yamlfile import SPECS, load_file
from workbook.inputs.report import Report

WHOSE = {
    "children": "children",
    "young_people": "young people",
    "parents_carers": "parents and carers",
    "families": "families",
    "adults": "adults",
    "mixed": "children and families",
}


@cache
def theme_words() -> dict[str, str]:
    """Each codebook theme in words a child can read."""
    raw = load_file(paths.SPECS_DIR / "plain_words.yaml", SPECS)
    return dict(raw["themes"])


def leading_themes(findings: pd.DataFrame, top: int = 3) -> list[str]:
    """The year's most frequent themes of findings, in plain words (themes without plain words
    are skipped rather than named in professional terms)."""
    if findings.empty:
        return []
    final = final_themes(code_findings(findings)).dropna(subset=["theme"])
    counts = final.groupby("theme")["finding_id"].nunique()
    ordered = sorted(counts.index, key=lambda t: (-counts[t], t))
    words = theme_words()
    return [words[t] for t in ordered if t in words][:top]


def facts(report: Report) -> dict:
    """What the summary says, from the year's data. Its counts are of the partnership's work
    (cases looked at, checks, changes, plans), stated as they are."""
    tables, policy = report.tables, report.policy
    feedback, actions = tables["feedback"], tables["actions"]
    priorities = tables["priorities"]
    return {
        "place": report.partnership.short_name,
        "start_year": str(report.year.start.year),
        "end_year": str(report.year.end.year),
        "adults": report.partnership.covers_adults,
        "reviews": policy.count(tables["reviews"]["review_id"].nunique(), "reviews"),
        "audits": policy.count(len(tables["audits"]), "audits"),
        "themes": leading_themes(tables["findings"]),
        "asked": len(feedback) > 0,
        "whose": [WHOSE[w] for w in dict.fromkeys(feedback["from_whom"])],
        "changed": policy.count(int(feedback["changed"].notna().sum()), "activities"),
        "actions": policy.count(len(actions), "actions"),
        "done": policy.count(int((actions["status"] == "completed").sum()), "actions"),
        "trained": len(tables["training"]) > 0,
        "behind": bool((priorities["rag_status"] == "red").any()),
    }
