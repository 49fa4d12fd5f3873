"""What each coded type of the contract is (specs/kinds.yaml): whose review it is, who signs it
off, whether an audits-table row is an audit the partnership ran or an inspection, a
self-assessment or an observation. Sections ask here, never decide it themselves."""

from __future__ import annotations

from functools import cache

import pandas as pd

from workbook.core.yamlfile import load_spec

CHILDREN, ADULTS, COMMUNITY_SAFETY = "children", "adults", "community_safety"


@cache
def _spec() -> dict:
    return load_spec("kinds")


def remit_words(remit: str, plain: bool = False) -> str:
    return _spec()["remits"][remit]["plain" if plain else "words"]


def review_remit(review_type, age_group=None) -> str | None:
    """Whose review it is: its type's remit, else its subject's age group's; None where
    neither says."""
    remit = _spec()["review_type"].get(str(review_type), {}).get("remit")
    if remit:
        return remit
    if age_group is None or pd.isna(age_group):
        return None
    return _spec()["age_group_remit"].get(str(age_group))


def signed_off_by(review_type) -> str | None:
    """Who signs a completed review of this type off, where the type says."""
    return _spec()["review_type"].get(str(review_type), {}).get("signed_off_by")


def audit_kind(audit_type) -> str:
    """The kind of an audits-table row (multi_agency_audit, inspection...)."""
    return _spec()["audit_type"][str(audit_type)]


def audit_words(audit_type) -> str:
    """What an audits-table row is, in words ("multi-agency audit", "inspection or visit")."""
    return str(_spec()["audit_kind"][audit_kind(audit_type)]["words"])


def audit_kinds() -> dict[str, dict]:
    """Every kind with its words and whether it is the partnership's own work, in order."""
    return dict(_spec()["audit_kind"])


def own_work(kind: str) -> bool:
    return bool(_spec()["audit_kind"][kind]["own"])
