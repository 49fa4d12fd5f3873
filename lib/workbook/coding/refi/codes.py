"""The codebook as REFI-QDA codes: written into a codebook (``.qdc``) or a project, and read back
from either, each code with the workbook's id of its theme or sub-theme in its description."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from workbook.coding.codebook import Codebook
from workbook.coding.refi.files import (
    CODEBOOK_NS,
    ID_LINE,
    ORIGIN,
    guid,
    parse,
    read,
    validate,
    workbook_id,
    write,
)

PALETTE = (
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
"""The codes' colours in a QDA tool, theme by theme."""


def add_codes(parent: etree._Element, codebook: Codebook, ns: str) -> None:
    """The codebook's themes as codes, each with its sub-themes as child codes."""
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for index, theme in enumerate(codebook.themes):
        code = _code(codes, ns, "theme", theme.id, theme.label, PALETTE[index % len(PALETTE)])
        _description(code, ns, theme.definition, theme.id)
        for sub in theme.subthemes:
            child = _code(code, ns, "subtheme", sub.id, sub.label)
            phrases = "; ".join(rule.phrase for rule in sub.rules)
            _description(child, ns, f"Phrases: {phrases}", sub.id)


def _code(
    parent: etree._Element, ns: str, kind: str, ident: str, name: str, color: str | None = None
) -> etree._Element:
    """A codable code for a theme or sub-theme, its GUID derived from the workbook's id."""
    colour = {"color": color} if color else {}
    return etree.SubElement(
        parent, f"{{{ns}}}Code", guid=guid(kind, ident), name=name, isCodable="true", **colour
    )


def _description(element: etree._Element, ns: str, text: str, ident: str) -> None:
    etree.SubElement(element, f"{{{ns}}}Description").text = f"{text}\n{ID_LINE}{ident}"


def codebook_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook (``.qdc``), checked against ``Codebook.xsd``."""
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook",
        nsmap={None: CODEBOOK_NS},
        origin=f"{ORIGIN} (codebook {codebook.version})",
    )
    add_codes(root, codebook, CODEBOOK_NS)
    document = etree.ElementTree(root)
    validate(document, "Codebook.xsd", "the exported codebook")
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_codebook_qdc(codebook: Codebook, target: str | Path) -> Path:
    """Write ``codebook_qdc`` to ``target``."""
    return write(Path(target), codebook_qdc(codebook))


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
            ident = workbook_id(text)
            body = "\n".join(line for line in text.splitlines() if not line.startswith(ID_LINE))
            found.append(ExchangedCode(code.get("guid"), code.get("name"), ident, body, parent))
            walk(code, code.get("guid"))

    codes = root.find(f".//{{{ns}}}Codes")
    if codes is not None:
        walk(codes, None)
    return found


def read_codebook_qdc(path: str | Path) -> list[ExchangedCode]:
    """The codes of a ``.qdc`` file, after checking it against ``Codebook.xsd``."""
    source = Path(path)
    document = parse(read(source), str(source))
    validate(document, "Codebook.xsd", str(source))
    return read_codes(document.getroot(), CODEBOOK_NS)
