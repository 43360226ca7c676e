"""Politeness that plain Scrapy lacks: Retry-After honoured, robots.txt 5xx means disallow,
a User-Agent with a contact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import Crawl, crawl, replica, stat

SITE = Path(__file__).with_name("throttling_site.py")


def crawl_tiny_site(
    tmp_path: Path, *modes: str, settings: tuple[str, ...] = ()
) -> tuple[Crawl, str]:
    """Crawl politics/election of throttling_site.py (started with MODES); the crawl and the
    site's request log."""
    server = subprocess.Popen(
        [sys.executable, str(SITE), *modes], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        port = int(server.stdout.readline().split()[1])
        result = crawl(
            tmp_path,
            f"base_url=http://127.0.0.1:{port}",
            "section=politics/election",
            settings=settings,
        )
    finally:
        server.terminate()
        log = server.stdout.read()
        server.wait(timeout=10)
    return result, log


def test_retry_after_is_honoured(tmp_path):
    result, log = crawl_tiny_site(tmp_path, settings=("NEWSCRAWL_CONTACT=mailto:ops@example.org",))
    assert result.returncode == 0, result.log[-2000:]
    assert len(result.items) == 1
    hits = [line.split(" ", 3) for line in log.splitlines() if "/20241013-216478/" in line]
    assert [hit[1] for hit in hits] == ["429", "200"]
    # The User-Agent names the project and how to reach its operator.
    assert {hit[3] for hit in hits} == {"newscrawl/0.1 (+mailto:ops@example.org)"}
    gap = float(hits[1][0]) - float(hits[0][0])
    assert gap >= 2.0, f"retried after {gap:.2f} s, the server asked for 2 s"
    assert stat(result.log, "newscrawl/retry_after/honoured") == 1


# Retries of tests that count them, not time them: a tenth of the shipped backoff (1, 2, 4 s).
QUICK_RETRIES = "NEWSCRAWL_RETRY_BACKOFF=0.1"


def test_a_robots_txt_that_never_comes_whole_disallows_everything(tmp_path):
    result, log = crawl_tiny_site(tmp_path, "truncated-robots", settings=(QUICK_RETRIES,))
    assert result.returncode == 1 and not result.items
    assert stat(result.log, "newscrawl/bodies/truncated") == 4  # the first try and 3 retries
    assert stat(result.log, "newscrawl/robotstxt/disallow_all") == 1
    assert "/politics/" not in log  # nothing but robots.txt was asked


def test_a_host_that_only_errs_stops_the_run_in_bounded_time(tmp_path):
    real_site_pace = 'DOWNLOAD_SLOTS={"127.0.0.1": {"concurrency": 2, "delay": 0.5}}'
    result, log = crawl_tiny_site(
        tmp_path,
        "down",
        settings=(real_site_pace, "NEWSCRAWL_BREAKER_ERRORS=3", "RETRY_TIMES=10", QUICK_RETRIES),
    )
    attempts = [line for line in log.splitlines() if "/20241013-216478/" in line]
    # 3 in a row (the 404 of listing page 2 may come between two of them and reset the count),
    # not the 11 that RETRY_TIMES allows
    assert 3 <= len(attempts) <= 4
    assert result.returncode == 1
    assert "'finish_reason': 'site_unavailable'" in result.log
    assert "answered 3 errors in a row" in result.log
    assert "only errors for a while: the run stopped early" in result.log
    assert result.seconds < 30


def test_robots_txt_server_error_disallows_everything(tmp_path):
    with replica("--articles", "100", "--faults", "outage") as server:
        result = crawl(
            tmp_path,
            f"base_url={server.url}",
            "section=politics/election",
            settings=(QUICK_RETRIES,),
        )
    # robots.txt itself was asked (and retried); nothing else was.
    assert stat(result.log, "robotstxt/response_status_count/503") == 1
    assert stat(result.log, "newscrawl/robotstxt/disallow_all") == 1
    assert stat(result.log, "newscrawl/requests/forbidden_by_robots") == 1
    assert "robots.txt of 127.0.0.1" in result.log
