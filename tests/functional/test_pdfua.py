"""The board packs are tagged PDF/UA-1: every table's header cells carry their scope and the XMP
declares PDF/UA, as checked by `pdfua` (PDF/UA-1's machine-checkable rules, no JVM)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = [pytest.mark.render, pytest.mark.slow]


@pytest.mark.parametrize("run", [("darlington", "2019-20"), ("northdale", "2022-23")])
def test_the_demo_packs_have_no_pdfua_finding(demo_outputs, run):
    pytest.importorskip("pdfua")
    pack = demo_outputs / run[0] / run[1] / "board_pack.pdf"
    checked = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(pack)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert "result: PASS" in checked.stdout


def test_a_header_cell_gets_the_scope_of_its_row_group(tmp_path):
    """The check can fail: without the finisher a table's headers carry no scope."""
    import pikepdf
    from weasyprint import HTML

    from workbook.render.pdf import PDF_OPTIONS, header_scopes

    page = (
        "<table><caption>T</caption><thead><tr><th scope='col'>A</th><th scope='col'>B</th>"
        "</tr></thead><tbody><tr><th scope='row'>r</th><td>1</td></tr></tbody></table>"
    )
    document = HTML(string=page).render()
    document.write_pdf(tmp_path / "plain.pdf", **PDF_OPTIONS)
    document.write_pdf(tmp_path / "scoped.pdf", finisher=header_scopes, **PDF_OPTIONS)

    def scopes(path) -> list[str]:
        found = []
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH":
                    found.append(str(obj["/A"].get("/Scope", "none")))
        return found

    assert scopes(tmp_path / "plain.pdf") == ["none"] * 3
    assert sorted(scopes(tmp_path / "scoped.pdf")) == ["/Column", "/Column", "/Row"]
