"""Backfills against the replica: a date window exactly, cheap discovery, resumable jobs."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from newscrawl.items import article_schema
from tests.e2e.conftest import ROOT, crawl, replica, stat

CORPUS = ("--articles", "600", "--seed", "3")
URL_DATE = re.compile(r"GET http://127\.0\.0\.1:\d+/[a-z-]+/[a-z0-9-]+/(\d{4})(\d{2})(\d{2})-\d+/>")


@pytest.fixture(scope="module")
def site():
    with replica(*CORPUS) as server:
        manifest = server.manifest()
        days = sorted({r["published"][:10] for r in manifest})
        # The middle third of the corpus: newer articles above it, older below.
        since, until = days[len(days) // 3], days[2 * len(days) // 3]
        yield server, manifest, since, until


def in_window(manifest, since, until, section="politics"):
    return {
        r["id"]
        for r in manifest
        if r["section"] == section and since <= r["published"][:10] <= until
    }


def job_lines(tmp_path: Path, job: str) -> list[str]:
    path = tmp_path / "data" / "jobs" / f"{job}.jsonl"
    return path.read_text("utf-8").splitlines() if path.exists() else []


def test_window_backfill_exports_exactly_the_window(site, tmp_path):
    server, manifest, since, until = site
    result = crawl(
        tmp_path,
        f"base_url={server.url}",
        f"since={since}",
        f"until={until}",
        "job=window",
        output=None,
        settings=("LOG_LEVEL=DEBUG", "NEWSCRAWL_PROGRESS_INTERVAL=0.2"),
    )
    assert result.returncode == 0, result.log[-2000:]
    lines = job_lines(tmp_path, "window")
    ids = Counter(json.loads(line)["id"] for line in lines)
    want = in_window(manifest, since, until)
    assert set(ids) == want and max(ids.values()) == 1
    # No article outside the window was fetched: the DEBUG log lists every URL fetched.
    fetched_days = {"-".join(m) for m in URL_DATE.findall(result.log)}
    assert fetched_days and all(since <= day <= until for day in fetched_days)
    assert stat(result.log, "newscrawl/window/skipped_newer") > 0
    assert stat(result.log, "newscrawl/listing/end/older_than_window") > 0
    # Progress lines in a log (not a terminal), and the scheduled runs' state untouched.
    assert "progress: " in result.log and "done" in result.log
    assert not (tmp_path / "state" / "state.sqlite").exists()
    assert (tmp_path / "state" / "jobs" / "window" / "state.sqlite").exists()


def test_sitemaps_find_the_same_articles_with_fewer_listing_requests(site, tmp_path):
    server, manifest, since, until = site
    results = {}
    for discover in ("listings", "sitemaps"):
        results[discover] = crawl(
            tmp_path / discover,
            f"base_url={server.url}",
            f"since={since}",
            f"until={until}",
            f"discover={discover}",
        )
    want = in_window(manifest, since, until)
    for result in results.values():
        assert result.returncode == 0, result.log[-2000:]
        assert Counter(i["id"] for i in result.items) == Counter(want)
    listing = {d: stat(r.log, "newscrawl/requests/kind/listing") for d, r in results.items()}
    assert listing["sitemaps"] < listing["listings"]


def test_feeds_that_cannot_reach_the_window_fail_the_run(site, tmp_path):
    server, _, since, until = site
    result = crawl(
        tmp_path, f"base_url={server.url}", f"since={since}", f"until={until}", "discover=feeds"
    )
    assert result.returncode == 1
    assert "cannot reach the whole window" in result.log.splitlines()[-1]


def test_killed_three_times_then_finished_exports_each_article_once(site, tmp_path):
    server, manifest, since, until = site
    rng = random.Random()
    want = in_window(manifest, since, until)
    args = [f"base_url={server.url}", f"since={since}", f"until={until}", "job=resumed"]
    # Each run is killed at a random point of its own progress: after some more lines.
    for kill in range(3):
        before = len(job_lines(tmp_path, "resumed"))
        target = before + rng.randint(1, max(1, (len(want) - before) // (4 - kill)))
        _run_and_kill(tmp_path, args, lambda n=target: len(job_lines(tmp_path, "resumed")) >= n)
    killed_lines = len(job_lines(tmp_path, "resumed"))
    assert killed_lines < len(want), "the kills came too late to test anything"
    result = crawl(tmp_path, *args, output=None)
    assert result.returncode == 0, result.log[-2000:]
    lines = job_lines(tmp_path, "resumed")
    validator = Draft202012Validator(article_schema())
    items = [json.loads(line) for line in lines]  # no torn or corrupt line
    assert all(not list(validator.iter_errors(item)) for item in items)
    ids = Counter(item["id"] for item in items)
    assert set(ids) == want and max(ids.values()) == 1


def _run_and_kill(tmp_path: Path, spider_args: list[str], ready: Callable[[], bool]) -> None:
    command = [sys.executable, "-m", "scrapy", "crawl", "japannews"]
    for arg in spider_args:
        command += ["-a", arg]
    command += ["-s", f"NEWSCRAWL_DATA_DIR={tmp_path / 'data'}"]
    command += ["-s", f"NEWSCRAWL_STATE={tmp_path / 'state' / 'state.sqlite'}"]
    # Slow enough that a kill lands mid-crawl.
    command += ["-s", 'DOWNLOAD_SLOTS={"127.0.0.1": {"concurrency": 2, "delay": 0.02}}']
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_backfill_ignores_and_keeps_the_scheduled_runs_state(site, tmp_path):
    server, manifest, since, until = site
    scheduled = crawl(tmp_path / "scheduled", f"base_url={server.url}")
    assert scheduled.returncode == 0
    state = tmp_path / "scheduled" / "state"
    before = {p.name: p.read_bytes() for p in state.glob("state.sqlite*")}
    result = crawl(
        tmp_path / "scheduled",  # same state setting as the scheduled run
        f"base_url={server.url}",
        f"since={since}",
        f"until={until}",
    )
    assert result.returncode == 0, result.log[-2000:]
    # Every article of the window, although the scheduled run exported them all already.
    assert {i["id"] for i in result.items} == in_window(manifest, since, until)
    assert {p.name: p.read_bytes() for p in state.glob("state.sqlite*")} == before
    assert (state / "backfills.jsonl").exists()  # its summary goes elsewhere


def test_a_job_resumed_with_other_arguments_is_refused(site, tmp_path):
    server, _, since, until = site
    first = crawl(tmp_path, f"base_url={server.url}", f"since={since}", "job=q", output=None)
    assert first.returncode == 0, first.log[-2000:]
    before = job_lines(tmp_path, "q")
    again = crawl(tmp_path, f"base_url={server.url}", f"since={until}", "job=q", output=None)
    assert again.returncode == 2
    last = again.log.strip().splitlines()[-1]
    assert "job 'q' was started with" in last and f"-a since={since}" in last
    assert job_lines(tmp_path, "q") == before
    # The identical command is a resumption: accepted, and it exports nothing twice.
    same = crawl(tmp_path, f"base_url={server.url}", f"since={since}", "job=q", output=None)
    assert same.returncode == 0
    assert job_lines(tmp_path, "q") == before
