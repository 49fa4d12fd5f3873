"""Facts of the log of changes to the safeguarding arrangements: how many changes were
recorded, and how many of them are dated. A log of changes is a count of changes recorded,
never of "times the arrangements changed" (undated changes may have been made together)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.core.fact import Fact, count, not_recorded


@dataclass(frozen=True)
class ArrangementFacts:
    """The year's changes to the arrangements (`frame`, as supplied) and their facts."""

    frame: pd.DataFrame
    changes: Fact
    dated: Fact
    """Changes whose date is recorded."""


def arrangement_facts(changes: pd.DataFrame, policy) -> ArrangementFacts:
    """The facts of the year's log of changes to the arrangements."""
    ids = changes["change_id"].astype(str)
    if changes.empty:
        missing = not_recorded(
            "arrangements.changes", "changes to the arrangements", "arrangements_changes table"
        )
        return ArrangementFacts(changes, missing, missing)
    dated = changes["change_date"].notna()
    return ArrangementFacts(
        frame=changes,
        changes=count("arrangements.changes", ids, "arrangements_changes", policy, "changes"),
        dated=count(
            "arrangements.dated",
            ids[dated],
            "arrangements_changes",
            policy,
            "changes",
            unknown=ids[~dated],
            missing="when the changes to the arrangements took effect",
            where="arrangements_changes: change_date",
        ),
    )


def arrangement_elements(tables: dict, policy) -> dict[str, Fact]:
    """The 2023 and 2026 arrangements' own elements, each where its table holds it: the lead
    safeguarding partners, their delegates, who signed the report off, how education and
    childcare settings took part, the multi-agency child protection teams in place, the
    agreed data set. An element its table does not hold is not recorded; what is missing is
    the checklist's to say, once, and only for the years the guidance asks it of (so these
    facts name no gap of their own)."""
    partners = tables["partners"]
    agencies = tables["relevant_agencies"]
    teams = tables["child_protection_teams"]
    data_set = tables["data_set"]
    role = partners.get("role", pd.Series(dtype=object))
    elements = {
        "lead_partners": (partners, role == "lead_safeguarding_partner", "agency", "partners"),
        "delegates": (partners, role == "delegated_safeguarding_partner", "agency", "partners"),
        "signed_off": (
            partners,
            partners.get("signed_off_report", pd.Series(dtype=object)) == "yes",
            "agency",
            "partners",
        ),
        "education": (
            agencies,
            agencies.get("sector", pd.Series(dtype=object)).isin(("education", "early_years"))
            & agencies.get("participation", pd.Series(dtype=object)).notna(),
            "agency",
            "relevant_agencies",
        ),
        "child_protection_teams": (
            teams,
            teams.get("in_place_date", pd.Series(dtype=object)).notna(),
            "agency",
            "child_protection_teams",
        ),
        "data_set": (
            data_set,
            data_set.get("agreed", pd.Series(dtype=object)).fillna("yes") == "yes",
            "indicator",
            "data_set",
        ),
    }
    units = {"data_set": "indicators"}
    out = {}
    for name, (frame, mask, id_column, table) in elements.items():
        if frame.empty or not mask.any():
            out[name] = not_recorded(f"impact.elements.{name}", "", f"{table} table")
        else:
            ids = frame.loc[mask, id_column].astype(str)
            out[name] = count(
                f"impact.elements.{name}", ids, table, policy, units.get(name, "agencies")
            )
    return out
