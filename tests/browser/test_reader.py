"""The published HTML as a reader's browser sees it: headless Chromium, offline.

Chromium (Debian's `chromium` package; `.ci/run` installs it where it can) renders every section
and the board pack with the network log on: the page must need nothing from the network, carry
its language, title, alt text and header cells, keep a heading hierarchy without jumps, and print
to a PDF whose text still holds the figures.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from workbook.sections import registry

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.render,
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium not installed: `apt-get install chromium` (Debian) "
        "to check the HTML as a browser renders it",
    ),
]


def _chromium(*args: str) -> subprocess.CompletedProcess:
    """Chromium run once, with a profile folder of its own: the test workers of `make test` run
    Chromiums at the same time, and a profile folder is locked by the Chromium using it."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return _chromium_with(profile, *args)


def _chromium_with(profile: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            f"--user-data-dir={profile}",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class _Page(HTMLParser):
    """The accessibility facts of a rendered page."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.title = ""
        self.headings: list[int] = []
        self.images: list[dict] = []
        self.header_cells = 0
        self.tables = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "th":
            self.header_cells += 1
        elif tag == "table":
            self.tables += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _housekeeping(url: str) -> bool:
    """Chromium's own background calls (clock, updates), which no page asked for."""
    host = urlsplit(url).hostname or ""
    return host.endswith(("google.com", "googleapis.com", "gstatic.com", "gvt1.com"))


def _pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


def test_every_page_renders_offline_and_accessibly(rendered, tmp_path):
    _, out = rendered
    sections = json.loads((out / "manifest.json").read_text())["sections"]
    shown = [record for record in sections.values() if "html" in record]
    assert len(shown) > len(registry()) // 2  # most sections have something for the board
    assert len(_pages(out)) == len(shown) + 3  # ..., the board pack, companion and appendix
    for page in _pages(out):
        net_log = tmp_path / f"{page.stem}.net.json"
        dom = _chromium(
            f"--log-net-log={net_log}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri()
        ).stdout
        requests = {
            e["params"]["url"]
            for e in json.loads(net_log.read_text())["events"]
            if str(e.get("params", {}).get("url", "")).startswith(("http", "ftp", "ws"))
        }
        requests = [url for url in requests if not _housekeeping(url)]
        assert requests == [], f"{page.name} fetched from the network: {requests[:3]}"
        facts = _Page()
        facts.feed(dom)
        assert facts.lang == "en-GB", page.name
        assert "Testshire Safeguarding Partnership" in facts.title
        assert facts.headings and facts.headings[0] == 1, page.name
        jumps = [
            (a, b) for a, b in zip(facts.headings, facts.headings[1:], strict=False) if b > a + 1
        ]
        assert jumps == [], f"{page.name} skips heading levels: {jumps}"
        assert all(img.get("alt", "").strip() for img in facts.images), page.name
        assert all(img["src"].startswith("data:") for img in facts.images), page.name
        assert facts.header_cells >= facts.tables


def test_chromium_prints_the_figures_the_board_reads(rendered, tmp_path):
    _, out = rendered
    printed = tmp_path / "local_picture.pdf"
    _chromium(
        f"--print-to-pdf={printed}",
        "--no-pdf-header-footer",
        (out / "02_local_picture.html").as_uri(),
    )
    text = " ".join(page.extract_text() for page in PdfReader(printed).pages)
    assert "85" in text and "37.8" in text
    assert "open_report" not in text and "Traceback" not in text
