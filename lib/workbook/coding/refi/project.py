"""Coded findings as a REFI-QDA project (``.qdpx``), and an analyst's coding read back from one.

A project is a zip of ``project.qde`` (the XML: the codebook's codes, one text source per
finding, the codings) and ``Sources/`` (the findings' texts). The workbook's automatic coding
and the analyst's are told apart by the user who made each coding.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from lxml import etree

from workbook.coding.codebook import Codebook
from workbook.coding.coder import ANALYST, AUTOMATIC
from workbook.coding.findings import ID_COLUMNS
from workbook.coding.refi.codes import ExchangedCode, add_codes, read_codes
from workbook.coding.refi.files import (
    ID_LINE,
    INTERNAL,
    ORIGIN,
    PROJECT_NS,
    RefiError,
    guid,
    open_zip,
    parse,
    validate,
    workbook_id,
    write,
)

AUTOMATIC_USER = guid("user", "automatic coding")
ANALYST_USER = guid("user", "analyst")


def project_qdpx(
    coded: pd.DataFrame, findings: pd.DataFrame, codebook: Codebook, name: str = "Findings"
) -> bytes:
    """Coded findings as a REFI-QDA project (``.qdpx``): one text source per finding, the
    analyst's themes as codings of the whole finding (by the user "analyst"), the automatic
    coding as codings of its evidence by sub-theme (by the user "automatic coding").

    ``coded`` is ``code_findings`` output for ``findings`` (id column and ``text``).
    """
    id_column = next(column for column in ID_COLUMNS if column in findings.columns)
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    root = etree.Element(
        f"{{{PROJECT_NS}}}Project",
        nsmap={None: PROJECT_NS},
        name=name,
        origin=f"{ORIGIN} (codebook {codebook.version})",
        creatingUserGUID=AUTOMATIC_USER,
        creationDateTime=now,
    )
    users = etree.SubElement(root, f"{{{PROJECT_NS}}}Users")
    etree.SubElement(
        users, f"{{{PROJECT_NS}}}User", guid=AUTOMATIC_USER, name=f"{ORIGIN}: automatic coding"
    )
    etree.SubElement(users, f"{{{PROJECT_NS}}}User", guid=ANALYST_USER, name="analyst")
    add_codes(etree.SubElement(root, f"{{{PROJECT_NS}}}CodeBook"), codebook, PROJECT_NS)
    sources = etree.SubElement(root, f"{{{PROJECT_NS}}}Sources")
    files: dict[str, str] = {}
    by_finding = {key: rows for key, rows in coded.groupby(id_column, sort=False)}
    for ident, text in zip(
        findings[id_column].astype(str), findings["text"].fillna("").astype(str), strict=True
    ):
        source_guid = guid("finding", ident)
        files[f"{source_guid}.txt"] = text
        source = etree.SubElement(
            sources,
            f"{{{PROJECT_NS}}}TextSource",
            guid=source_guid,
            name=ident,
            plainTextPath=f"{INTERNAL}{source_guid}.txt",
            creationDateTime=now,
        )
        etree.SubElement(source, f"{{{PROJECT_NS}}}Description").text = f"{ID_LINE}{ident}"
        rows = by_finding.get(ident)
        if rows is not None:
            _codings(source, ident, text, rows, now)
    document = etree.ElementTree(root)
    validate(document, "Project.xsd", "the exported project")
    xml = etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for file_name, text in files.items():
            archive.writestr(f"Sources/{file_name}", text.encode("utf-8"))
    return buffer.getvalue()


def _codings(source: etree._Element, ident: str, text: str, rows: pd.DataFrame, now: str) -> None:
    """A finding's codings: the analyst's on the whole text, the automatic ones on evidence."""
    for theme in rows.loc[rows["source"] == ANALYST, "theme"].dropna().unique():
        _selection(
            source, ("analyst", ident, theme), 0, len(text), guid("theme", theme), ANALYST_USER, now
        )
    automatic = rows[rows["source"] == AUTOMATIC]
    for sub, evidence in zip(automatic["subtheme"], automatic["evidence"], strict=True):
        start = text.find(evidence) if isinstance(evidence, str) else -1
        if start < 0:
            continue
        _selection(
            source,
            ("automatic", ident, sub),
            start,
            start + len(evidence),
            guid("subtheme", sub),
            AUTOMATIC_USER,
            now,
        )


def _selection(source, key, start, end, code_guid, user, now) -> None:
    selection = etree.SubElement(
        source,
        f"{{{PROJECT_NS}}}PlainTextSelection",
        guid=guid("selection", *key),
        startPosition=str(start),
        endPosition=str(end),
        creatingUser=user,
        creationDateTime=now,
    )
    coding = etree.SubElement(
        selection,
        f"{{{PROJECT_NS}}}Coding",
        guid=guid("coding", *key),
        creatingUser=user,
        creationDateTime=now,
    )
    etree.SubElement(coding, f"{{{PROJECT_NS}}}CodeRef", targetGUID=code_guid)


def write_project_qdpx(
    coded: pd.DataFrame,
    findings: pd.DataFrame,
    codebook: Codebook,
    target: str | Path,
    name: str = "Findings",
) -> Path:
    """Write ``project_qdpx`` to ``target``."""
    return write(Path(target), project_qdpx(coded, findings, codebook, name))


@dataclass(frozen=True)
class ImportedCoding:
    """What a ``.qdpx`` says: each finding's text and analyst themes (``finding_id``, ``text``,
    ``themes`` as the contract writes them, ``;``-separated), and the names of codes that are
    not themes of the codebook (their codings are left out)."""

    findings: pd.DataFrame
    unknown_codes: list[str]


def read_project_qdpx(
    path: str | Path, codebook: Codebook, accept_automatic: bool = False
) -> ImportedCoding:
    """The analyst's coding in a ``.qdpx``, as analyst-assigned themes per finding.

    Codings count when a user other than the workbook's automatic coding made them; with
    ``accept_automatic``, the automatic codings the analyst left in place count too. A coding
    of a sub-theme counts for its theme. Findings are named by the id in their description (else
    their name); their text comes from the project's source files.
    """
    source_path = Path(path)
    archive = open_zip(source_path)
    try:
        xml = archive.read("project.qde")
    except KeyError:
        raise RefiError(f"{source_path} has no project.qde: it is not a REFI-QDA project") from None
    document = parse(xml, f"{source_path} (project.qde)")
    validate(document, "Project.xsd", f"{source_path} (project.qde)")
    root = document.getroot()
    themes_by_guid, unknown = _theme_of_codes(read_codes(root, PROJECT_NS), codebook)
    rows = []
    for source in root.iter(f"{{{PROJECT_NS}}}TextSource"):
        description = source.findtext(f"{{{PROJECT_NS}}}Description") or ""
        ident = workbook_id(description) or source.get("name") or source.get("guid")
        themes: list[str] = []
        for coding in source.iter(f"{{{PROJECT_NS}}}Coding"):
            if coding.get("creatingUser") == AUTOMATIC_USER and not accept_automatic:
                continue
            reference = coding.find(f"{{{PROJECT_NS}}}CodeRef")
            theme = (
                themes_by_guid.get(reference.get("targetGUID")) if reference is not None else None
            )
            if theme and theme not in themes:
                themes.append(theme)
        order = {theme_id: rank for rank, theme_id in enumerate(codebook.theme_ids)}
        rows.append(
            {
                "finding_id": ident,
                "text": _source_text(archive, source, source_path),
                "themes": ";".join(sorted(themes, key=order.__getitem__)),
            }
        )
    frame = pd.DataFrame(rows, columns=["finding_id", "text", "themes"]).astype("string")
    return ImportedCoding(frame, unknown)


def _theme_of_codes(
    codes: list[ExchangedCode], codebook: Codebook
) -> tuple[dict[str, str], list[str]]:
    """Code GUID to theme id: by the workbook's GUIDs, by the id in the description, by a theme's
    label or id as the code's name; codes under a theme's code belong to that theme."""
    known: dict[str, str] = {}
    for theme in codebook.themes:
        known[guid("theme", theme.id)] = theme.id
        for sub in theme.subthemes:
            known[guid("subtheme", sub.id)] = theme.id
    by_text = {theme.label.casefold(): theme.id for theme in codebook.themes}
    by_text |= {theme.id: theme.id for theme in codebook.themes}
    by_text |= {sub.id: theme.id for theme in codebook.themes for sub in theme.subthemes}
    themes: dict[str, str] = {}
    unknown: list[str] = []
    for code in codes:
        theme = (
            known.get(code.guid)
            or by_text.get((code.ident or "").casefold())
            or by_text.get((code.name or "").casefold())
            or themes.get(code.parent or "")
        )
        if theme:
            themes[code.guid] = theme
        else:
            unknown.append(code.name)
    return themes, unknown


def _source_text(archive: zipfile.ZipFile, source: etree._Element, where: Path) -> str:
    inline = source.findtext(f"{{{PROJECT_NS}}}PlainTextContent")
    if inline is not None:
        return inline
    path = source.get("plainTextPath") or ""
    if not path.startswith(INTERNAL):
        return ""
    try:
        return archive.read(f"Sources/{path[len(INTERNAL) :]}").decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        raise RefiError(
            f"{where}: the text of source {source.get('name')!r} ({path}) is missing "
            "or not UTF-8 text"
        ) from None
