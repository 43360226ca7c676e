"""`newscrawl report` in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run
installs them): the page renders, each chart has the data points of the history and feeds the
test wrote, nothing is fetched from anywhere, and a screenshot lands in the test's output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT
from tests.runs_data import make_week

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Skipped without a browser on a developer's machine; failed in CI (.ci/run sets NEWSCRAWL_CI
# and installs chromium and chromium-driver), where the issue wants the page tested for real.
IN_CI = bool(os.environ.get("NEWSCRAWL_CI"))
MISSING = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
pytestmark = pytest.mark.skipif(
    bool(MISSING) and not IN_CI,
    reason=f"{' and '.join(MISSING)} missing (apt-get install chromium chromium-driver)",
)
# The machine's network may be closed: without these, Chromium keeps dialling its services.
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1000,900",
)  # fmt: skip
CHARTS = ("exported", "problems", "duration", "sections", "coverage")


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Any]:
    assert not MISSING, f"{' and '.join(MISSING)} missing: .ci/run installs them"
    if not IN_CI:  # in CI the test extra has it: an ImportError fails the test
        pytest.importorskip("selenium", reason='selenium is missing: pip install -e ".[test]"')
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # with the driver's path: Selenium Manager stays idle
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def write_report(out: Path, state: Path, data: Path) -> None:
    command = [sys.executable, "-m", "newscrawl", "report", str(out)]
    command += ["--state-dir", str(state), "--data-dir", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr


def count(driver: Any, chart: str, selector: str) -> int:
    script = "return document.querySelectorAll(arguments[0]).length"
    return driver.execute_script(script, f'svg[data-chart="{chart}"] {selector}')


def screenshot(driver: Any, path: Path) -> Path:
    """The whole page: the window made as tall as the document (plus the window's frame)."""
    height = driver.execute_script(
        "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight"
    )
    driver.set_window_size(1000, min(height, 8000))
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    artifacts = os.environ.get("NEWSCRAWL_TEST_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(artifacts) / path.name)
    return path


def test_report_renders_every_chart_with_its_points(browser, tmp_path):
    week = make_week(tmp_path, datetime.now(UTC))
    out = tmp_path / "report.html"
    write_report(out, week.state, week.data)
    browser.get(out.as_uri())
    assert browser.title == "newscrawl report"
    for chart in CHARTS:
        box = browser.execute_script(
            "const r = document.querySelector(`svg[data-chart='${arguments[0]}']`)"
            ".getBoundingClientRect(); return [r.width, r.height];",
            chart,
        )
        assert box[0] > 300 and box[1] > 100, (chart, box)
    runs = [r for _, r in week.runs]
    assert count(browser, "exported", "rect.bar") == len(runs)
    assert count(browser, "exported", "circle.mark") == sum(r["exit_status"] != 0 for r in runs)
    assert count(browser, "problems", 'circle.point[data-series="failed"]') == len(runs)
    assert count(browser, "problems", 'circle.point[data-series="refused"]') == len(runs)
    assert count(browser, "duration", "circle.point") == len(runs)
    sections = Counter((i["crawled_at"][:10], i["section"]) for i in week.items)
    assert count(browser, "sections", "rect.bar") == len(sections)
    days = {i["crawled_at"][:10] for i in week.items}
    assert count(browser, "coverage", "circle.point") == 3 * len(days)
    # a bar is drawn where its value says: the tallest run is the tallest bar
    heights = browser.execute_script(
        "return [...document.querySelectorAll('svg[data-chart=exported] rect.bar')]"
        ".map(b => [Number(b.dataset.value), b.getBoundingClientRect().height]);"
    )
    assert max(heights)[1] == max(h for _, h in heights) > 50
    # nothing was fetched: no resource entry other than the file itself or inline data
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert [r for r in resources if not r.startswith(("file:", "data:"))] == []
    # and nothing asks to be fetched: a load the page's policy blocks leaves no resource entry
    loaders = browser.execute_script(
        "return [...document.querySelectorAll("
        "'script[src], link[href], img, iframe, object, embed, source, video, audio, "
        'image, use[href], [style*="url("]\')].map(e => e.outerHTML.slice(0, 80))'
    )
    assert loaders == []
    screenshot(browser, tmp_path / "newscrawl-report.png")


def test_report_without_runs_or_data_says_so(browser, tmp_path):
    out = tmp_path / "empty.html"
    (tmp_path / "state").mkdir()
    (tmp_path / "data").mkdir()
    write_report(out, tmp_path / "state", tmp_path / "data")
    browser.get(out.as_uri())
    empty = browser.execute_script(
        "return [...document.querySelectorAll('p.empty')].map(p => p.innerText)"
    )
    assert len(empty) == 5 and all(text.startswith("No ") for text in empty)
    assert browser.execute_script("return document.querySelectorAll('svg').length") == 0
