"""The thematic review's listings of the report year: every finding with its themes (for the
appendix) and, per theme, its leading findings and actions (for the board pack)."""

from __future__ import annotations

import pandas as pd

from workbook.disclosure.published import PublishedTable
from workbook.facts.actions import position_at_year_end
from workbook.sections.thematic_review.review import NO_THEME, ThematicReview
from workbook.text.labels import as_recorded, label, labelled


def _of_report_year(review: ThematicReview, frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["year"] == review.report.year.label]


def _themes_of(review: ThematicReview) -> pd.Series:
    """Each (year-scoped) finding id of the report year: its theme labels, most frequent
    theme first."""
    coded = _of_report_year(review, review.table).dropna(subset=["theme"])
    rank = {theme: i for i, theme in enumerate(review.theme_order)}
    coded = coded.drop_duplicates(["finding_id", "theme"]).assign(
        rank=coded["theme"].map(rank), label=coded["theme"].map(review.theme_label)
    )
    return (
        coded.sort_values("rank", kind="stable")
        .groupby("finding_id", sort=False)["label"]
        .agg("; ".join)
    )


def findings_listing(review: ThematicReview) -> PublishedTable:
    """Every finding of the report year with its id, source, kind, agency and themes (as
    coded here), for the appendix: a board member finds any finding by its id."""
    findings = _of_report_year(review, review.findings)
    themes = _themes_of(review)
    frame = pd.DataFrame(
        {
            "Id": _own_id(findings["finding_id"]),
            "From": findings["source_type"].map(SOURCE_WORDS) + " " + findings["source_id"],
            "Kind": labelled(findings["kind"], "kind"),
            "Agency": as_recorded(findings["agency"]),
            "Themes": findings["finding_id"].map(themes).fillna(NO_THEME),
            "Finding": findings["text"],
        }
    )
    return PublishedTable(
        frame,
        f"Every finding of {review.report.year} and its themes",
        review.report.policy,
        when_empty=f"No finding was recorded for {review.report.year}.",
    )


SOURCE_WORDS = {"review": "Review", "audit": "Audit"}

KIND_RANK = {"area_for_development": 0, "learning": 0, "recommendation": 1, "strength": 2}
"""Which findings of a theme lead: those asking for change, then recommendations, then
strengths."""

POSITION_RANK = {"overdue": 0, "not_started": 1, "in_progress": 2, "completed": 3, "cancelled": 4}
"""Which actions of a theme lead: overdue first, done last."""


def _own_id(scoped: pd.Series) -> pd.Series:
    """The partnership's own id of a year-scoped one ("2022-23/ND-A-01-F02" -> "ND-A-01-F02")."""
    return scoped.astype(str).str.split("/", n=1).str[1]


def theme_leads(review: ThematicReview, limit: int) -> list[dict]:
    """Per theme with findings in the report year (most frequent first): its leading findings
    (asking for change before strengths, reviews before audits) and its leading actions (open
    before done, the earliest due first), at most `limit` of each, with how many more."""
    findings = _of_report_year(review, review.findings)
    findings = findings.assign(
        rank_kind=findings["kind"].map(KIND_RANK).fillna(1),
        rank_source=(findings["source_type"] != "review").astype(int),
    ).sort_values(["rank_kind", "rank_source"], kind="stable")
    actions = _of_report_year(review, review.actions)
    actions = actions.assign(position=position_at_year_end(actions, review.report.year))
    actions = actions.assign(rank=actions["position"].map(POSITION_RANK)).sort_values(
        ["rank", "due_date"], kind="stable", na_position="last"
    )
    coded = _of_report_year(review, review.table).dropna(subset=["theme"])
    present = set(coded["theme"])
    out = []
    for theme in (t for t in review.theme_order if t in present):
        ids = set(coded.loc[coded["theme"] == theme, "finding_id"])
        mine = findings[findings["finding_id"].isin(ids)]
        answering = actions[actions["finding_id"].isin(ids)]
        shown = answering.head(limit)
        owners = as_recorded(shown["owner_agency"])
        out.append(
            {
                "theme": review.theme_label(theme),
                "findings": [
                    {"text": text, "id": own}
                    for text, own in zip(
                        mine["text"].head(limit),
                        _own_id(mine["finding_id"].head(limit)),
                        strict=True,
                    )
                ],
                "more_findings": max(0, len(mine) - limit),
                "actions": [
                    {
                        "text": f"{action} ({owner}; {label('status', position)})",
                        "id": str(action_id),
                    }
                    for action, owner, position, action_id in zip(
                        shown["action"], owners, shown["position"], shown["action_id"], strict=True
                    )
                ],
                "more_actions": max(0, len(answering) - limit),
            }
        )
    return out
