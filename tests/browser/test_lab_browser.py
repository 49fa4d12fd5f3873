"""The analyst's JupyterLab in a real browser: JupyterLab 4 started as `make lab` starts it (at
the project root, kernels' transport encrypted), on a copy of the project, driven in headless
Chromium. The scratch notebook runs top to bottom on Darlington, its tables sort and filter,
the analyst's own chart draws, the picker opens Northdale, and the coding review saves a
correction that the next `workbook run` keeps.

Needs Chromium and its driver (Debian's `chromium` and `chromium-driver`); skipped, saying
what is missing, without them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workbook.core import paths

pytestmark = [pytest.mark.browser, pytest.mark.render, pytest.mark.slow]

FINDING = "DSP-F-S11-2"
"""A Darlington finding the codebook gives no theme: the analyst codes it in the browser."""


def _missing() -> str | None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "headless Chromium not installed: `apt-get install chromium chromium-driver`"
    if not shutil.which("chromedriver"):
        return "ChromeDriver not installed: `apt-get install chromium-driver` (Debian)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed: `pip install -e '.[dev]'`"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of the project (its data are changed by the test): its address,
    the copy and the server's log."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("lab")
    project = root / "project"
    for folder in ("params", "data", "notebooks"):
        shutil.copytree(paths.project_root() / folder, project / folder)
    jupyter = {
        name: str(root / name.lower())
        for name in (
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_DATA_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTERLAB_WORKSPACES_DIR",
            "IPYTHONDIR",
        )
    }
    env = {**os.environ, "WORKBOOK_ROOT": str(project), **jupyter}
    env.pop("WORKBOOK_DFE_DIR", None)
    port, token = _free_port(), secrets.token_hex(16)
    options = subprocess.run(  # the options `make lab` gives, read from the Makefile
        ["make", "-s", "--no-print-directory", "-n", "lab", f"CURDIR={project}"],
        cwd=paths.project_root(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1]
    assert options.endswith("notebooks/explore.ipynb")
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        *[o.replace('"', "") for o in options.split() if o.startswith("--")],
        "--no-browser",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *(["--allow-root"] if os.geteuid() == 0 else []),
    ]
    log = root / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=out)
    address = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: _answers(f"{address}/api/status?token={token}"), 90, "JupyterLab to start")
        yield address, token, project, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser(lab):
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
        "--window-size=1400,1000",
    ]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _until(found, timeout: float, what: str):
    """What `found` returns once it is true; fails, saying what was awaited, after `timeout`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = found()
        except Exception:  # the page is still being built: an element not there yet
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"waited {timeout} s for {what}")


def test_the_analyst_explores_and_codes_in_jupyterlab(lab, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    address, token, project, log = lab
    browser.get(f"{address}/lab/tree/notebooks/explore.ipynb?token={token}")
    _until(
        lambda: browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell"), 90, "the notebook"
    )
    _until(
        lambda: "Idle" in browser.find_element(By.ID, "jp-main-statusbar").text,
        120,
        "the kernel to start",
    )
    run = _until(
        lambda: [
            i for i in browser.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item") if i.text == "Run"
        ],
        30,
        "the Run menu",
    )
    run[0].click()
    _until(
        lambda: browser.find_element(
            By.CSS_SELECTOR, 'li.lm-Menu-item[data-command="runmenu:run-all"]'
        ),
        30,
        "the Run menu to open",
    ).click()
    try:
        themes = _until(
            lambda: browser.find_element(By.CSS_SELECTOR, ".widget-select-multiple select"),
            300,
            "the notebook to run down to the coding review",
        )
    except AssertionError as exc:  # say where it stopped
        prompts = [p.text for p in browser.find_elements(By.CSS_SELECTOR, ".jp-InputPrompt")]
        raise AssertionError(f"{exc}; prompts {prompts}; {log.read_text()[-2000:]}") from None
    for dismiss in browser.find_elements(By.XPATH, "//button[normalize-space()='No']"):
        dismiss.click()  # JupyterLab's offer of news
    errors = browser.find_elements(
        By.CSS_SELECTOR, "[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert not errors, [e.text for e in errors]

    # every table of the year sorts and filters
    findings = browser.find_element(
        By.XPATH,
        "//h3[starts-with(normalize-space(), 'findings (')]"
        "/following::div[contains(@class, 'dt-container')][1]",
    )
    browser.execute_script("arguments[0].scrollIntoView()", findings)
    rows = lambda: [r.text for r in findings.find_elements(By.CSS_SELECTOR, "tbody tr")]  # noqa: E731
    heading = next(
        h
        for h in findings.find_elements(By.CSS_SELECTOR, "thead th")
        if h.text.startswith("finding_id")
    )
    heading.find_element(By.CSS_SELECTOR, ".dt-column-order").click()
    _until(lambda: heading.get_attribute("aria-sort") == "ascending", 10, "sorted up")
    ascending = [row.split()[0] for row in rows()]
    heading.find_element(By.CSS_SELECTOR, ".dt-column-order").click()
    _until(lambda: heading.get_attribute("aria-sort") == "descending", 10, "sorted down")
    assert [row.split()[0] for row in rows()] == ascending[::-1] != ascending
    findings.find_element(By.CSS_SELECTOR, ".dt-search input").send_keys("strategy")
    _until(lambda: "filtered from 8 total entries" in findings.text, 10, "the filter")
    assert rows() and all("strategy" in row.lower() for row in rows())

    # the analyst's own chart draws; the raw frames are labelled
    assert browser.find_elements(By.CSS_SELECTOR, ".jp-RenderedImage img")
    assert "NOT FOR PUBLICATION" in browser.find_element(By.CSS_SELECTOR, ".jp-Notebook").text

    # the coding review: click the finding, choose its themes, save the correction
    review = browser.find_element(
        By.XPATH,
        "//h3[starts-with(normalize-space(), 'Findings of')]"
        "/following::div[contains(@class, 'dt-container')][1]",
    )
    browser.execute_script("arguments[0].scrollIntoView()", review)
    row = next(r for r in review.find_elements(By.CSS_SELECTOR, "tbody tr") if FINDING in r.text)
    row.find_elements(By.CSS_SELECTOR, "td")[1].click()
    chosen = next(
        s
        for s in browser.find_elements(By.CSS_SELECTOR, ".widget-dropdown select")
        if "DSP-F" in s.get_attribute("innerHTML")
    )
    _until(lambda: Select(chosen).first_selected_option.text == FINDING, 10, "the finding to open")
    picked = Select(themes)
    picked.deselect_all()
    picked.select_by_visible_text("Multi-agency working")
    browser.find_element(
        By.XPATH, "//button[normalize-space()='Save the themes chosen as a correction']"
    ).click()
    saved = _until(
        lambda: [
            e.text
            for e in browser.find_elements(By.CSS_SELECTOR, ".widget-html-content")
            if "Saved in" in e.text
        ],
        60,
        "the correction to be saved",
    )
    assert f"{FINDING}: Multi-agency working (coded by analyst)" in saved[0]

    # the picker opens another partnership
    partnership = next(
        s
        for s in browser.find_elements(By.CSS_SELECTOR, ".widget-dropdown select")
        if "northdale" in s.get_attribute("innerHTML")
    )
    browser.execute_script("arguments[0].scrollIntoView()", partnership)
    Select(partnership).select_by_value("northdale")
    browser.find_element(By.XPATH, "//button[normalize-space()='Open']").click()
    _until(
        lambda: [
            h
            for h in browser.find_elements(By.CSS_SELECTOR, "h2")
            if h.text.startswith("Northdale")
        ],
        90,
        "Northdale's tables",
    )

    # the next run keeps the analyst's decision
    from workbook.run.cli import main

    folders = [f"--{name}-dir={project / name}" for name in ("data", "params")]
    assert (
        main(["run", "darlington", "2019-20", *folders, f"--outputs-dir={project / 'outputs'}"])
        == 0
    )
    appendix = (project / "outputs" / "darlington" / "2019-20" / "appendix.html").read_text()
    listed = appendix[appendix.index(f'id="{FINDING}"') :].split("</tr>")[0]
    assert "<td>Multi-agency working</td>" in listed
    # and JupyterLab's kernels said nothing of their transport
    assert "without encryption" not in log.read_text()
