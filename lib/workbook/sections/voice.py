"""The voice of children, young people and families: how their views were sought, what they
said, what changed ("you said, we did"), and what they said coded into the codebook's themes, so
their words sit beside what reviews and audits found on the same themes.

Every builder takes the year's facts (`workbook.facts.year_facts`; `facts.feedback`). A change
is said only where one is recorded; how many took part is a count of people, withheld when
small. A part with nothing recorded shows nothing.
"""

from __future__ import annotations

import pandas as pd

from workbook.coding.codebook import Codebook
from workbook.coding.coder import code_findings, final_themes
from workbook.core.years import scope_words
from workbook.disclosure.published import Count, PublishedTable, recorded_text, without_unrecorded
from workbook.facts import YearFacts
from workbook.facts.feedback import PEOPLE_UNITS
from workbook.text.labels import label, labelled


def you_said_we_did(facts: YearFacts) -> PublishedTable:
    """One row per activity: whose views were sought and how, what they said, and what changed
    where a change is recorded (a blank stays blank: it is not "nothing changed"; the column
    is left out where no activity recorded a change)."""
    rows = facts.feedback.frame
    frame = pd.DataFrame(
        {
            "Whose views": labelled(rows["from_whom"], "from_whom"),
            "How we asked": rows["activity"].astype(str),
            "You said": rows["said"].astype(str),
            "We did": rows["changed"].fillna(""),
        }
    )
    return recorded_text(
        frame,
        {"We did": rows["changed"]},
        f"You said, we did: views sought in {facts.year.label}",
        facts.policy,
    )


def participants(facts: YearFacts) -> PublishedTable:
    """How many took part in each activity that recorded it: counts of people, withheld when
    small like any count of children or families."""
    rows = facts.feedback.frame.dropna(subset=["participants"])
    frame = pd.DataFrame(
        {
            "Activity": rows["activity"].astype(str),
            "How": rows["method"].map(lambda m: label("method", m) if pd.notna(m) else ""),
            "Whose views": labelled(rows["from_whom"], "from_whom"),
            "Took part": rows["participants"].astype(int),
        }
    )
    frame = without_unrecorded(frame, {"How": rows["method"]})
    units = tuple(rows["from_whom"].map(PEOPLE_UNITS))
    return PublishedTable(
        frame,
        "How many took part",
        facts.policy,
        {"Took part": Count(units)},
        when_empty=None,
    )


def coded_feedback(facts: YearFacts, codebook: Codebook | None = None) -> pd.DataFrame:
    """What was said, coded into themes (the analyst's `themes` win): feedback_id and theme,
    one row per pair; feedback no theme matched is left out."""
    rows = facts.feedback.frame
    if rows.empty:
        return pd.DataFrame(columns=["feedback_id", "theme"])
    frame = pd.DataFrame(
        {
            "finding_id": rows["feedback_id"].astype(str),
            "text": rows["said"].astype(str),
            "themes": rows["themes"],
        }
    )
    final = final_themes(
        code_findings(frame, codebook or facts.themes.codebook, source_name="the feedback table")
    )
    final = final.dropna(subset=["theme"])
    return final.rename(columns={"finding_id": "feedback_id"})[["feedback_id", "theme"]]


def beside_reviews_and_audits(
    facts: YearFacts, coded: pd.DataFrame, theme_table: pd.DataFrame, labels: dict[str, str]
) -> PublishedTable:
    """For each theme children or families raised: in how many of the year's activities, and
    how many findings of reviews and of audits over the lookback carry the same theme.

    `theme_table` is the thematic review's table (finding_id, source_type, theme, year); its
    finding ids are already unique across years. Most-raised themes first."""
    themes = coded.groupby("theme")["feedback_id"].nunique()
    found = theme_table.dropna(subset=["theme"])
    by_source = found.groupby(["theme", "source_type"])["finding_id"].nunique()
    rows = [
        {
            "Theme": labels.get(theme, theme),
            "Activities": int(n),
            "Review findings": int(by_source.get((theme, "review"), 0)),
            "Audit findings": int(by_source.get((theme, "audit"), 0)),
        }
        for theme, n in themes.items()
    ]
    frame = pd.DataFrame(rows, columns=["Theme", "Activities", "Review findings", "Audit findings"])
    frame = frame.sort_values(["Activities", "Theme"], ascending=[False, True], ignore_index=True)
    years = facts.report.lookback_with_data
    scope = scope_words(years)
    return PublishedTable(
        frame,
        f"Themes in what children and families said in {facts.year.label}, beside "
        f"the findings of reviews and audits on the same theme, {scope}",
        facts.policy,
        {
            "Activities": Count("activities"),
            "Review findings": Count("findings"),
            "Audit findings": Count("findings"),
        },
        when_empty=None,
    )
