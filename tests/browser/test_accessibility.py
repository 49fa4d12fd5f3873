"""Every published HTML page of both demo partnerships passes axe-core, the standard automated
accessibility checker, as Debian's headless Chromium renders it: WCAG 2.2 A and AA and axe's best
practices, zero violations.

Needs Chromium and its driver (Debian's `chromium` and `chromium-driver`; `.ci/run` installs them
where it can) and axe-core (npm, pinned in tests/axe/package-lock.json; `make install` installs it
where npm is). Each test skips, saying what is missing, without them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.render, pytest.mark.slow]

AXE_SCRIPT = Path(__file__).parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
"""What axe checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices."""


def _missing() -> str | None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "headless Chromium not installed: `apt-get install chromium chromium-driver`"
    if not shutil.which("chromedriver"):
        return "ChromeDriver not installed: `apt-get install chromium-driver` (Debian)"
    if not AXE_SCRIPT.is_file():
        return "axe-core not installed: `make install` installs it with npm (tests/axe)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed: `pip install -e '.[dev]'`"
    return None


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Debian's ChromeDriver (never one Selenium would download)."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--window-size=1280,1024",
    ]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def axe_violations(driver, page: Path) -> list[dict]:
    """axe-core's violations on a page: each rule broken, with the elements that break it."""
    driver.get(page.as_uri())
    driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        "   .then(r => done({violations: r.violations, passes: r.passes.length}),"
        "         e => done({error: String(e)}));",
        AXE_TAGS,
    )
    assert "error" not in result, f"axe-core failed on {page.name}: {result.get('error')}"
    assert result["passes"] > 0, f"axe-core checked nothing on {page.name}"
    return result["violations"]


def _described(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']}; first: "
        f"{v['nodes'][0]['html'][:120]}"
        for v in violations
    )


def test_axe_finds_a_link_with_no_text(browser, tmp_path):
    """The check can fail: a page with a heading anchor link of no text (what nbconvert wrote
    before) breaks `link-name`."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><title>Broken</title></head><body>'
        '<main><h1 id="a">Title<a class="anchor-link" href="#a"></a></h1>'
        "<p>Text.</p></main></body></html>",
        encoding="utf-8",
    )
    assert "link-name" in {v["id"] for v in axe_violations(browser, page)}


@pytest.mark.parametrize(
    "run", [("darlington", "2019-20"), ("northdale", "2022-23")], ids=lambda run: "-".join(run)
)
def test_every_demo_page_passes_axe_core(demo_outputs, browser, run):
    pages = sorted((demo_outputs / run[0] / run[1]).glob("*.html"))
    assert len(pages) >= 2, f"no pages rendered for {run}"
    broken = {
        page.name: violations for page in pages if (violations := axe_violations(browser, page))
    }
    assert not broken, "axe-core violations:\n" + "\n".join(
        f"{name}:\n{_described(violations)}" for name, violations in broken.items()
    )
