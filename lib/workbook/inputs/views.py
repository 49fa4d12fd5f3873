"""The one view of a year as contract v3 means it: every fact where v3 keeps it.

Contract v2 had no table for inspections, so partnerships put Ofsted inspections, JTAIs, SEND
area inspections and LGA peer reviews in the audits table (audit_type ofsted_ilacs, jtai,
send_area_inspection, lga_peer_review). Those files stay valid; read through `as_read`
(`Report.view`), such a row is an inspection (of the inspections table, with its findings'
source_type "inspection"), so nothing built on the view says an inspection was "an audit the
partnership completed". The typed tables themselves stay as written: the template writes them
back as they were, and the sections of contract v2 read them until they read the view.
"""

from __future__ import annotations

import pandas as pd

from workbook.inputs.cells import split_ids
from workbook.inputs.contract import load_contract

INSPECTION_AUDIT_TYPES = {
    "ofsted_ilacs": ("ofsted_ilacs", "Ofsted"),
    "jtai": ("jtai", "Ofsted, CQC, HMICFRS and HMI Probation"),
    "send_area_inspection": ("send_area_inspection", "Ofsted and CQC"),
    "lga_peer_review": ("lga_peer_review", "the Local Government Association"),
}
"""The audit_types of contract v2 that are inspections: the inspection's kind, and who carries
out every inspection of that kind (a JTAI is always the four inspectorates together)."""


def _empty(table: str) -> pd.DataFrame:
    """A typed table of no rows: every column of the contract, dates with their `_end`."""
    columns = []
    for name, column in load_contract()[table].columns.items():
        columns += [name, f"{name}_end"] if column.type == "date" else [name]
    return pd.DataFrame(columns=columns)


def as_read(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A year's typed tables with its v2 inspection audit rows moved to the inspections table
    (kind and inspecting body from the audit_type, date from audit_date) and the findings that
    name only such rows given source_type "inspection". A finding that names an audit and an
    inspection together keeps source_type "audit" (one source_type a finding): its inspection's
    id is then found in the inspections table, not the audits table."""
    audits = tables.get("audits")
    if audits is None or audits.empty:
        return tables
    moved = audits["audit_type"].isin(INSPECTION_AUDIT_TYPES).fillna(False).astype(bool)
    if not moved.any():
        return tables
    rows = audits[moved]
    kinds = rows["audit_type"].map(lambda code: INSPECTION_AUDIT_TYPES[code][0])
    bodies = rows["audit_type"].map(lambda code: INSPECTION_AUDIT_TYPES[code][1])
    kept = tables.get("inspections")
    kept = _empty("inspections") if kept is None else kept
    added = pd.DataFrame(
        {
            "inspection_id": rows["audit_id"],
            "kind": kinds,
            "title": rows["title"],
            "inspected_by": bodies,
            "council": rows["council"],
            "date": rows["audit_date"],
            "date_end": rows["audit_date_end"],
        }
    ).reindex(columns=kept.columns)
    parts = [added] if kept.empty else [kept, added]
    inspections = pd.concat(parts, ignore_index=True).astype(kept.dtypes.to_dict())
    view = dict(tables)
    view["audits"] = audits[~moved].reset_index(drop=True)
    view["inspections"] = inspections
    findings = tables.get("findings")
    if findings is not None and not findings.empty:
        ids = set(rows["audit_id"])
        only_inspections = findings["source_id"].map(
            lambda cell: bool(split_ids(cell)) and set(split_ids(cell)) <= ids
        )
        retyped = (findings["source_type"] == "audit").fillna(False) & only_inspections
        view["findings"] = findings.assign(
            source_type=findings["source_type"].mask(retyped.astype(bool), "inspection")
        )
    return view
