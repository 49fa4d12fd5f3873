"""Training and its impact: what was delivered, to whom, how confidence moved from before to
after, whether learning was followed up in practice, and what later audits found on the topics
taught. The sentence on impact claims only what these figures show: an audit finding after a
course is not proof that the course caused it.
"""

from __future__ import annotations

import pandas as pd

from workbook.core.years import ReportYear
from workbook.inputs.report import Report
from workbook.text.labels import label


def courses(report: Report) -> pd.DataFrame:
    return report.tables["training"].reset_index(drop=True)


def course_table(report: Report) -> pd.DataFrame:
    """Each course: delivery, sessions, attendances, evaluations returned, scores before and
    after (out of the course's scale) and the follow-up percentage."""
    rows = courses(report)
    scale = rows["score_out_of"]
    return pd.DataFrame({
        "Course": rows["title"].astype(str),
        "Delivery": rows["delivery"].map(lambda d: label("delivery", d)),
        "Sessions": rows["sessions"].astype("Float64"),
        "Attendances": rows["attendances"].astype("Float64"),
        "Evaluations": rows["evaluations"].astype("Float64"),
        "Score before": (10 * rows["score_before"] / scale).astype("Float64"),
        "Score after": (10 * rows["score_after"] / scale).astype("Float64"),
        "Using it three months on (%)": rows["followup_pct"].astype("Float64"),
    })


def attendance_by_agency(report: Report) -> pd.DataFrame:
    """Attendances by agency over all courses, most first (for the chart)."""
    by_agency = report.tables["training_attendance"].groupby("agency")["attendances"].sum()
    frame = by_agency.astype(int).rename("attendances").rename_axis("agency").reset_index()
    return frame.sort_values(["attendances", "agency"], ascending=[False, True],
                             ignore_index=True)


def followed_into_audits(report: Report, theme_table: pd.DataFrame,
                         labels: dict[str, str]) -> pd.DataFrame:
    """For each theme taught during the lookback, audit findings on it in the year of the first
    course on it and before, against the years after: how many, and how many were strengths.

    `theme_table` is the thematic review's (finding_id, source_type, kind, theme, year).
    Columns: theme, trained (the year), before, before_strengths, after, after_strengths.
    """
    taught = []
    for year in report.lookback_with_data:
        for row in report.year_tables(year)["training"].dropna(subset=["themes"]).itertuples():
            taught += [(theme, year) for theme in str(row.themes).split(";")]
    first = {}
    for theme, year in taught:
        first.setdefault(theme, year)
    audits = theme_table[(theme_table["source_type"] == "audit")].dropna(subset=["theme"])
    audits = audits.assign(key=audits["year"].astype(str) + "/" + audits["finding_id"].astype(str))
    rows = []
    for theme, trained in first.items():
        on_theme = audits[audits["theme"] == theme]
        later = on_theme["year"].map(ReportYear.parse) > ReportYear.parse(trained)
        before, after = on_theme[~later], on_theme[later]
        rows.append({
            "theme": labels.get(theme, theme), "trained": trained,
            "before": before["key"].nunique(),
            "before_strengths": before.loc[before["kind"] == "strength", "key"].nunique(),
            "after": after["key"].nunique(),
            "after_strengths": after.loc[after["kind"] == "strength", "key"].nunique(),
        })
    return pd.DataFrame(rows, columns=["theme", "trained", "before", "before_strengths",
                                       "after", "after_strengths"])


def facts(report: Report, followed: pd.DataFrame | None = None) -> dict:
    """What the training narrative states, and only that."""
    rows = courses(report)
    scored = rows.dropna(subset=["score_before", "score_after", "score_out_of"])
    followed = followed if followed is not None else pd.DataFrame()
    shifts = []
    for row in followed.itertuples(index=False):
        if row.before and row.after:
            shifts.append({"theme": row.theme, "trained": row.trained,
                           "before_pct": 100 * row.before_strengths / row.before,
                           "after_pct": 100 * row.after_strengths / row.after,
                           "before": row.before, "after": row.after})
    return {
        "courses": len(rows),
        "scored": len(scored),
        "mean_before": float((10 * scored["score_before"] / scored["score_out_of"]).mean())
        if len(scored) else None,
        "mean_after": float((10 * scored["score_after"] / scored["score_out_of"]).mean())
        if len(scored) else None,
        "followed_up": int(rows["followup_pct"].notna().sum()),
        "shifts": shifts,
        "only_attendance": bool(len(rows)) and not len(scored)
        and not rows["followup_pct"].notna().any(),
    }
