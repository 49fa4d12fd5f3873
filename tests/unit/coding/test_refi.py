"""REFI-QDA exchange: the files validate against the published schemas, and a project written
and read back gives every finding its text and its analyst's themes exactly (a lossless round
trip), whatever the texts hold."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from workbook.coding.codebook import load_codebook
from workbook.coding.coder import code_findings
from workbook.coding.refi.codes import codebook_qdc, read_codebook_qdc
from workbook.coding.refi.files import CODEBOOK_NS, PROJECT_NS, RefiError, guid, schema
from workbook.coding.refi.project import (
    ANALYST_USER,
    AUTOMATIC_USER,
    project_qdpx,
    read_project_qdpx,
)


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


FINDINGS = pd.DataFrame(
    {
        "finding_id": ["F-1", "F-2", "F-3", "F.4"],
        "text": [
            "The mother’s mental health was not assessed; neglect was missed.",
            "Information was not shared between the GP and the school.",
            "The review panel met four times.",
            "Línea 1\nA second line with “quotes” & <angle brackets>, and an emoji 🙂.",
        ],
        "themes": ["parental_mental_health;neglect", "", "", "voice_of_child"],
    }
)


def qde(data: bytes) -> etree._ElementTree:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.parse(io.BytesIO(archive.read("project.qde")))


def test_the_codebook_validates_against_codebook_xsd(codebook):
    document = etree.parse(io.BytesIO(codebook_qdc(codebook)))
    assert schema("Codebook.xsd").validate(document), schema("Codebook.xsd").error_log
    themes = document.getroot().findall(f"{{{CODEBOOK_NS}}}Codes/{{{CODEBOOK_NS}}}Code")
    assert [code.get("name") for code in themes] == [theme.label for theme in codebook.themes]
    subs = sum(len(theme.subthemes) for theme in codebook.themes)
    assert len(document.getroot().findall(f".//{{{CODEBOOK_NS}}}Code")) == len(themes) + subs


def test_the_codebook_reads_back_losslessly(codebook, tmp_path):
    path = tmp_path / "codebook.qdc"
    path.write_bytes(codebook_qdc(codebook))
    codes = read_codebook_qdc(path)
    top = [code for code in codes if code.parent is None]
    assert [(c.ident, c.name, c.description) for c in top] == [
        (theme.id, theme.label, theme.definition) for theme in codebook.themes
    ]
    by_guid = {code.guid: code for code in codes}
    for theme in codebook.themes:
        for sub in theme.subthemes:
            code = by_guid[guid("subtheme", sub.id)]
            assert (code.ident, code.name, code.parent) == (
                sub.id,
                sub.label,
                guid("theme", theme.id),
            )


def test_guids_are_stable_between_exports(codebook):
    assert codebook_qdc(codebook) == codebook_qdc(codebook)


def test_the_project_validates_and_keeps_analyst_and_automatic_coding_apart(codebook):
    coded = code_findings(FINDINGS, codebook)
    document = qde(project_qdpx(coded, FINDINGS, codebook))
    assert schema("Project.xsd").validate(document), schema("Project.xsd").error_log
    sources = document.getroot().findall(f".//{{{PROJECT_NS}}}TextSource")
    assert [source.get("name") for source in sources] == FINDINGS["finding_id"].tolist()
    users = {coding.get("creatingUser") for coding in document.iter(f"{{{PROJECT_NS}}}Coding")}
    assert users == {ANALYST_USER, AUTOMATIC_USER}
    # automatic codings select their evidence in the text
    first = sources[0]
    for selection in first.findall(f"{{{PROJECT_NS}}}PlainTextSelection"):
        coding = selection.find(f"{{{PROJECT_NS}}}Coding")
        if coding.get("creatingUser") == AUTOMATIC_USER:
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert FINDINGS["text"][0][start:end].strip()


def test_a_project_round_trip_is_lossless(codebook, tmp_path):
    coded = code_findings(FINDINGS, codebook)
    path = tmp_path / "project.qdpx"
    path.write_bytes(project_qdpx(coded, FINDINGS, codebook))
    imported = read_project_qdpx(path, codebook)
    assert imported.unknown_codes == []
    expected = FINDINGS.assign(themes=["neglect;parental_mental_health", "", "", "voice_of_child"])
    pd.testing.assert_frame_equal(imported.findings, expected.astype("string"))


def test_accepting_the_automatic_coding_adds_what_the_analyst_left(codebook, tmp_path):
    coded = code_findings(FINDINGS, codebook)
    path = tmp_path / "project.qdpx"
    path.write_bytes(project_qdpx(coded, FINDINGS, codebook))
    imported = read_project_qdpx(path, codebook, accept_automatic=True)
    automatic = coded[coded["source"] == "automatic"]
    second = set(automatic.loc[automatic["finding_id"] == "F-2", "theme"])
    assert second and set(imported.findings["themes"][1].split(";")) == second


ids = st.text(alphabet="ABCXYZ0123456789-_.", min_size=1, max_size=12)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            ids,
            texts,
            st.sets(
                st.sampled_from(["neglect", "domestic_abuse", "voice_of_child", "education"]),
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda row: row[0],
    )
)
def test_any_findings_round_trip(codebook, rows):
    findings = pd.DataFrame(
        {
            "finding_id": [row[0] for row in rows],
            "text": [row[1] for row in rows],
            "themes": [";".join(sorted(row[2])) for row in rows],
        }
    )
    coded = code_findings(findings, codebook)
    imported = _read_bytes(project_qdpx(coded, findings, codebook), codebook)
    order = {theme: rank for rank, theme in enumerate(codebook.theme_ids)}
    expected_themes = [";".join(sorted(row[2], key=order.__getitem__)) for row in rows]
    assert imported["finding_id"].tolist() == findings["finding_id"].tolist()
    assert imported["text"].tolist() == findings["text"].tolist()
    assert imported["themes"].tolist() == expected_themes


def _read_bytes(data: bytes, codebook) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.qdpx"
        path.write_bytes(data)
        return read_project_qdpx(path, codebook).findings


def test_codes_renamed_or_added_by_the_analyst(codebook, tmp_path):
    """A tool that renamed a theme's code keeps its GUID; a code the analyst added that is no
    theme is reported and its codings left out; a new code named as a theme counts."""
    coded = code_findings(FINDINGS, codebook)
    document = qde(project_qdpx(coded, FINDINGS, codebook))
    root = document.getroot()
    codes = root.find(f".//{{{PROJECT_NS}}}Codes")
    codes.find(f"{{{PROJECT_NS}}}Code").set("name", "NEGLECT (renamed)")
    extra = etree.SubElement(
        codes, f"{{{PROJECT_NS}}}Code", guid=guid("x", "memo"), name="Interesting", isCodable="true"
    )
    named = etree.SubElement(
        codes, f"{{{PROJECT_NS}}}Code", guid=guid("x", "edu"), name="Education", isCodable="true"
    )
    source = root.findall(f".//{{{PROJECT_NS}}}TextSource")[2]
    for code in (extra, named):
        selection = etree.SubElement(
            source,
            f"{{{PROJECT_NS}}}PlainTextSelection",
            guid=guid("sel", code.get("guid")),
            startPosition="0",
            endPosition="3",
        )
        coding = etree.SubElement(
            selection, f"{{{PROJECT_NS}}}Coding", guid=guid("cod", code.get("guid"))
        )
        etree.SubElement(coding, f"{{{PROJECT_NS}}}CodeRef", targetGUID=code.get("guid"))
    path = _rezip(tmp_path, project_qdpx(coded, FINDINGS, codebook), document)
    imported = read_project_qdpx(path, codebook)
    assert imported.unknown_codes == ["Interesting"]
    assert imported.findings["themes"].tolist() == [
        "neglect;parental_mental_health",
        "",
        "education",
        "voice_of_child",
    ]


def _rezip(tmp_path, original: bytes, document: etree._ElementTree):
    path = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = etree.tostring(document) if name == "project.qde" else source.read(name)
            target.writestr(name, data)
    return path


def test_a_project_breaking_the_schema_is_refused_naming_the_file(codebook, tmp_path):
    coded = code_findings(FINDINGS, codebook)
    document = qde(project_qdpx(coded, FINDINGS, codebook))
    document.getroot().find(f".//{{{PROJECT_NS}}}TextSource").attrib.pop("guid")
    path = _rezip(tmp_path, project_qdpx(coded, FINDINGS, codebook), document)
    with pytest.raises(RefiError, match="edited.qdpx.*Project.xsd.*line"):
        read_project_qdpx(path, codebook)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not a zip", "not a .qdpx project"),
        (None, "does not exist"),
    ],
)
def test_unreadable_projects_are_named(codebook, tmp_path, content, problem):
    path = tmp_path / "broken.qdpx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RefiError, match=problem) as caught:
        read_project_qdpx(path, codebook)
    assert "broken.qdpx" in str(caught.value)
