"""REFI-QDA files (QDA-XML 1.0): the namespaces, the GUIDs the workbook gives its things, the
check against the published schemas, and reading and writing the files, each problem said as a
`RefiError` naming the file."""

from __future__ import annotations

import io
import uuid
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

from workbook.core import paths
from workbook.core.errors import DataError, OutputsError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Thematic Review Workbook"
_GUIDS = uuid.UUID("6f1c2a9e-3d0b-5c47-9e21-7a5b8c4d2e10")
ID_LINE = "Workbook id: "
"""How a code's or a source's description records the workbook's id of what it stands for."""
INTERNAL = "internal://"
"""A project's path to a source file inside its own archive."""


class RefiError(DataError):
    """A REFI-QDA file cannot be read or does not follow the schema (a data problem: exit 3)."""


def guid(*parts: str) -> str:
    """A stable GUID for a thing of the workbook (a theme, a finding, a coding)."""
    return str(uuid.uuid5(_GUIDS, "/".join(parts)))


def workbook_id(description: str) -> str | None:
    """The workbook's id a description records (`ID_LINE`), if it records one."""
    return next(
        (
            line[len(ID_LINE) :].strip()
            for line in description.splitlines()
            if line.startswith(ID_LINE)
        ),
        None,
    )


@cache
def schema(name: str) -> etree.XMLSchema:
    """The published REFI-QDA schema ``Project.xsd`` or ``Codebook.xsd``."""
    return etree.XMLSchema(etree.parse(str(paths.SPECS_DIR / "refi_qda" / name)))


def validate(document: etree._ElementTree, name: str, where: str) -> None:
    """Raise ``RefiError`` naming ``where`` and each line the schema rejects."""
    checker = schema(name)
    if not checker.validate(document):
        problems = "; ".join(
            f"line {error.line}: {error.message}" for error in list(checker.error_log)[:5]
        )
        raise RefiError(f"{where} does not follow the REFI-QDA {name}: {problems}")


def parse(data: bytes, where: str) -> etree._ElementTree:
    """The XML of `data`, with no entity expanded and nothing fetched from the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise RefiError(f"{where} is not well-formed XML: {exc}") from None


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RefiError(f"{path} does not exist") from None
    except OSError as exc:
        raise RefiError(f"{path} cannot be read: {exc}") from None


def open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(read(path)))
    except zipfile.BadZipFile:
        raise RefiError(
            f"{path} is not a .qdpx project (a zip file); export the project from "
            "your QDA tool as a REFI-QDA project"
        ) from None


def write(target: Path, data: bytes) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise OutputsError(f"cannot write {target}: {exc}") from None
    return target
