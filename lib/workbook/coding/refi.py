"""Exchange with qualitative analysis tools through the REFI-QDA standard (QDA-XML 1.0).

QualCoder, NVivo, ATLAS.ti and MAXQDA import a codebook as a ``.qdc`` file and a whole coded
project as a ``.qdpx`` file (a zip of ``project.qde``, the XML, and ``Sources/``, the texts). The
workbook writes both, so an analyst can check or redo the coding in the tool they know, and reads
a ``.qdpx`` back: the codes an analyst applied become the findings' analyst-assigned themes.

Every file is checked against the published schemas (``lib/workbook/specs/refi_qda``) on the way
out and on the way in. Codes carry GUIDs derived from the theme and sub-theme ids, so the same
codebook always exports the same GUIDs and a re-imported project maps codes back to themes
whatever the tool renamed them to; codes are also recognised by the theme id recorded in their
description, or by a theme's label or id as name.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pandas as pd
from lxml import etree

from workbook.coding.codebook import Codebook
from workbook.coding.coder import ANALYST, AUTOMATIC
from workbook.coding.findings import ID_COLUMNS
from workbook.core.errors import DataError, OutputsError
from workbook.core.paths import SPECS_DIR

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Thematic Review Workbook"
_GUIDS = uuid.UUID("6f1c2a9e-3d0b-5c47-9e21-7a5b8c4d2e10")
_ID_LINE = "Workbook id: "
_INTERNAL = "internal://"
_PALETTE = (
    "#1b6ca8",
    "#b5446e",
    "#3d8b37",
    "#c77c11",
    "#6a4c93",
    "#2a9d8f",
    "#8c564b",
    "#d62728",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
)


class RefiError(DataError):
    """A REFI-QDA file cannot be read or does not follow the schema (a data problem: exit 3)."""


def guid(*parts: str) -> str:
    """A stable GUID for a thing of the workbook (a theme, a finding, a coding)."""
    return str(uuid.uuid5(_GUIDS, "/".join(parts)))


@cache
def schema(name: str) -> etree.XMLSchema:
    """The published REFI-QDA schema ``Project.xsd`` or ``Codebook.xsd``."""
    return etree.XMLSchema(etree.parse(str(SPECS_DIR / "refi_qda" / name)))


def validate(document: etree._ElementTree, name: str, where: str) -> None:
    """Raise ``RefiError`` naming ``where`` and each line the schema rejects."""
    checker = schema(name)
    if not checker.validate(document):
        problems = "; ".join(
            f"line {error.line}: {error.message}" for error in list(checker.error_log)[:5]
        )
        raise RefiError(f"{where} does not follow the REFI-QDA {name}: {problems}")


# --------------------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------------------


def _codes(parent: etree._Element, codebook: Codebook, ns: str) -> None:
    """The codebook's themes as codes, each with its sub-themes as child codes."""
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for index, theme in enumerate(codebook.themes):
        code = etree.SubElement(
            codes,
            f"{{{ns}}}Code",
            guid=guid("theme", theme.id),
            name=theme.label,
            isCodable="true",
            color=_PALETTE[index % len(_PALETTE)],
        )
        _description(code, ns, theme.definition, theme.id)
        for sub in theme.subthemes:
            child = etree.SubElement(
                code,
                f"{{{ns}}}Code",
                guid=guid("subtheme", sub.id),
                name=sub.label,
                isCodable="true",
            )
            phrases = "; ".join(rule.phrase for rule in sub.rules)
            _description(child, ns, f"Phrases: {phrases}", sub.id)


def _description(element: etree._Element, ns: str, text: str, ident: str) -> None:
    etree.SubElement(element, f"{{{ns}}}Description").text = f"{text}\n{_ID_LINE}{ident}"


def codebook_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook (``.qdc``), checked against ``Codebook.xsd``."""
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook",
        nsmap={None: CODEBOOK_NS},
        origin=f"{ORIGIN} (codebook {codebook.version})",
    )
    _codes(root, codebook, CODEBOOK_NS)
    document = etree.ElementTree(root)
    validate(document, "Codebook.xsd", "the exported codebook")
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_codebook_qdc(codebook: Codebook, target: str | Path) -> Path:
    """Write ``codebook_qdc`` to ``target``."""
    return _write(Path(target), codebook_qdc(codebook))


@dataclass(frozen=True)
class ExchangedCode:
    """A code read from a REFI-QDA file: its GUID, name, workbook id (if it has one) and the
    GUID of the code it sits under (None at the top level)."""

    guid: str
    name: str
    ident: str | None
    description: str
    parent: str | None


def read_codes(root: etree._Element, ns: str) -> list[ExchangedCode]:
    """Every code of a codebook or project, top-level codes before their children."""
    found: list[ExchangedCode] = []

    def walk(element: etree._Element, parent: str | None) -> None:
        for code in element.findall(f"{{{ns}}}Code"):
            text = code.findtext(f"{{{ns}}}Description") or ""
            lines = text.splitlines()
            ident = next(
                (line[len(_ID_LINE) :].strip() for line in lines if line.startswith(_ID_LINE)), None
            )
            body = "\n".join(line for line in lines if not line.startswith(_ID_LINE))
            found.append(ExchangedCode(code.get("guid"), code.get("name"), ident, body, parent))
            walk(code, code.get("guid"))

    codes = root.find(f".//{{{ns}}}Codes")
    if codes is not None:
        walk(codes, None)
    return found


def read_codebook_qdc(path: str | Path) -> list[ExchangedCode]:
    """The codes of a ``.qdc`` file, after checking it against ``Codebook.xsd``."""
    source = Path(path)
    document = _parse(_read(source), str(source))
    validate(document, "Codebook.xsd", str(source))
    return read_codes(document.getroot(), CODEBOOK_NS)


# --------------------------------------------------------------------------------------------------
# Projects
# --------------------------------------------------------------------------------------------------

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
    _codes(etree.SubElement(root, f"{{{PROJECT_NS}}}CodeBook"), codebook, PROJECT_NS)
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
            plainTextPath=f"{_INTERNAL}{source_guid}.txt",
            creationDateTime=now,
        )
        etree.SubElement(source, f"{{{PROJECT_NS}}}Description").text = f"{_ID_LINE}{ident}"
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
    return _write(Path(target), project_qdpx(coded, findings, codebook, name))


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
    archive = _open_zip(source_path)
    try:
        xml = archive.read("project.qde")
    except KeyError:
        raise RefiError(f"{source_path} has no project.qde: it is not a REFI-QDA project") from None
    document = _parse(xml, f"{source_path} (project.qde)")
    validate(document, "Project.xsd", f"{source_path} (project.qde)")
    root = document.getroot()
    themes_by_guid, unknown = _theme_of_codes(read_codes(root, PROJECT_NS), codebook)
    rows = []
    for source in root.iter(f"{{{PROJECT_NS}}}TextSource"):
        description = source.findtext(f"{{{PROJECT_NS}}}Description") or ""
        ident = (
            next(
                (
                    line[len(_ID_LINE) :].strip()
                    for line in description.splitlines()
                    if line.startswith(_ID_LINE)
                ),
                None,
            )
            or source.get("name")
            or source.get("guid")
        )
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
    if not path.startswith(_INTERNAL):
        return ""
    try:
        return archive.read(f"Sources/{path[len(_INTERNAL) :]}").decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        raise RefiError(
            f"{where}: the text of source {source.get('name')!r} ({path}) is missing "
            "or not UTF-8 text"
        ) from None


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


def _parse(data: bytes, where: str) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise RefiError(f"{where} is not well-formed XML: {exc}") from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RefiError(f"{path} does not exist") from None
    except OSError as exc:
        raise RefiError(f"{path} cannot be read: {exc}") from None


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(_read(path)))
    except zipfile.BadZipFile:
        raise RefiError(
            f"{path} is not a .qdpx project (a zip file); export the project from "
            "your QDA tool as a REFI-QDA project"
        ) from None


def _write(target: Path, data: bytes) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise OutputsError(f"cannot write {target}: {exc}") from None
    return target
