"""`newscrawl runs` and `newscrawl report` on the history and feeds of real crawls of the
replica: a healthy run, then an unhealthy one (a subsection that does not exist)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html

from tests.e2e.conftest import ROOT, crawl

SECTION = "section=politics/politics-government"


@pytest.fixture(scope="module")
def crawled(default_replica, tmp_path_factory) -> Path:
    """Two runs sharing a state: one subsection page, then the same with a missing one."""
    tmp = tmp_path_factory.mktemp("runs-report")
    first = crawl(tmp, f"base_url={default_replica.url}", SECTION, "max_pages=1", output=None)
    assert first.returncode == 0, first.log[-2000:]
    second = crawl(
        tmp, f"base_url={default_replica.url}", f"{SECTION},nosuch", "max_pages=1", output=None
    )
    assert second.returncode == 1, second.log[-2000:]
    return tmp


def newscrawl(*args: str, columns: int = 80) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "newscrawl", *args]
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def exported_lines(tmp: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((tmp / "data").rglob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]


def test_runs_lists_the_real_runs_newest_first_and_exits_1(crawled, default_replica):
    items = exported_lines(crawled)
    assert items
    done = newscrawl("runs", "--state-dir", str(crawled / "state"), columns=120)
    assert done.returncode == 1, done.stderr  # the crawl's latest run is unhealthy
    _, newest, oldest = done.stdout.splitlines()
    host = default_replica.url.split("//", 1)[1]
    assert newest.split()[3:9] == ["unhealthy", "1", "0", "0", "0", "0"]
    assert oldest.split()[3:9] == ["ok", "0", str(len(items)), "0", "0", "0"]
    assert f"japannews@{host} section=politics/politics-government" in oldest
    records = [json.loads(line) for line in newscrawl(
        "runs", "--state-dir", str(crawled / "state"), "--json", "--host", host
    ).stdout.splitlines()]  # fmt: skip
    assert [r["exit_status"] for r in records] == [1, 0]
    assert records[0]["reason"] and "nosuch" in records[0]["reason"]
    assert {r["host"] for r in records} == {host}
    assert records[1]["file"] == str(crawled / "state" / "runs.jsonl")


def test_report_charts_the_real_runs_and_feeds(crawled):
    out = crawled / "report.html"
    done = newscrawl(
        "report", str(out), "--state-dir", str(crawled / "state"),
        "--data-dir", str(crawled / "data"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    tree = html.fromstring(out.read_bytes())
    items = exported_lines(crawled)
    bars = tree.xpath('//svg[@data-chart="exported"]//rect[@class="bar"]')
    assert [int(b.get("data-value")) for b in bars] == [len(items), 0]
    assert len(tree.xpath('//svg[@data-chart="exported"]//circle[@class="mark"]')) == 1
    days = {(i["crawled_at"][:10], i["section"]) for i in items}
    assert len(tree.xpath('//svg[@data-chart="sections"]//rect[@class="bar"]')) == len(days)
    coverage = tree.xpath('//svg[@data-chart="coverage"]//circle[@class="point"]')
    assert len(coverage) == 3 * len({day for day, _ in days})
    assert tree.xpath('//p[@class="empty"]') == []
