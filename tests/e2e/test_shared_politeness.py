"""Workers of one shared frontier keep one politeness budget per host (issue 18): against a
host configured for one request at a time and a fixed delay, three workers together go at the
pace of one crawler, export every article once, and all pause for one `Retry-After`; two hosts
crawled by two workers each go at their own pace, one of them the Crawl-delay its robots.txt
asks for.

Real redis-server, real replicas (with --verbose: one log line per request), real
`scrapy crawl` processes.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from newscrawl.replica.verify import verify
from tests.e2e.conftest import Replica, logged_requests, replica, stat
from tests.e2e.frontier_workers import (
    Worker,
    redis_client,
    site_paused,
    start_worker,
    wait_joined,
)
from tests.frontier.redis_server import needs_redis, redis_server

pytestmark = needs_redis

DELAY = 0.2  # seconds between two requests to the host, whichever workers send them
RETRY_AFTER = 2.0  # what the replica's throttle fault asks for (newscrawl/replica/faults)


def polite(*hosts: str) -> tuple[str, ...]:
    """The settings of a host that takes one request at a time, DELAY apart."""
    slots = {host: {"concurrency": 1, "delay": DELAY} for host in hosts}
    return (f"DOWNLOAD_SLOTS={json.dumps(slots)}", "NEWSCRAWL_RETRY_BACKOFF=0.2")


def requests_of(site: Replica) -> list[tuple[float, str, int]]:
    """(POSIX time, path, status) of every request the replica answered, in order."""
    return logged_requests(site.log())


def gaps(requests: list[tuple[float, str, int]]) -> list[float]:
    times = [moment for moment, _, _ in requests]
    return [b - a for a, b in pairwise(times)]


def finish(workers: list[Worker], timeout: float = 150) -> None:
    for worker in workers:
        assert worker.wait(timeout) == 0, worker.log()[-3000:]


@pytest.fixture
def frontier(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path / "redis") as url:
        yield url


def test_three_workers_keep_one_hosts_pace_and_all_pause_for_its_retry_after(
    tmp_path: Path, frontier: str
) -> None:
    # 180 articles: 60 in politics, 3 of them answered 429 with Retry-After once, 5 cut off
    # mid-body once (a download error: its permit must come back too).
    with replica("--articles", "180", "--faults", "throttle,reset", "--verbose") as site:
        with site_paused(site):
            workers = [
                start_worker(tmp_path, name, site, frontier, settings=polite("127.0.0.1"))
                for name in ("a", "b", "c")
            ]
            wait_joined(workers)
        finish(workers)
        manifest, requests = site.manifest(), requests_of(site)

    check = verify("".join(w.text() for w in workers), manifest, "politics")
    assert check.exact, check
    assert sum(w.lines() > 0 for w in workers) >= 2, [w.lines() for w in workers]

    # (The replica logs a request when it answers it: its first answers, given when the paused
    # site resumes, may come closer together than the requests were sent.)
    spaced = gaps(requests)
    close = [gap for gap in spaced if gap < 0.8 * DELAY]
    assert len(spaced) > 60
    assert len(close) <= 0.05 * len(spaced), (len(close), len(spaced), sorted(spaced)[:10])
    assert statistics.median(spaced) < 2 * DELAY  # the cluster keeps the pace, not slower

    throttled = [i for i, (_, _, status) in enumerate(requests) if status == 429]
    assert throttled, "the throttle fault answered no 429"
    for i in throttled[:-1] if throttled[-1] == len(requests) - 1 else throttled:
        # the next request of any worker waits what the host asked for
        assert requests[i + 1][0] - requests[i][0] >= RETRY_AFTER - 0.1, requests[i : i + 2]
    permits = sum(stat(w.log(), "newscrawl/frontier/politeness/permits") or 0 for w in workers)
    assert permits == len(requests)
    # every permit came back (answers, 429s and download errors alike): none left held
    assert redis_client(frontier).zcard("newscrawl:politeness:127.0.0.1:permits") == 0
    assert sum(stat(w.log(), "retry/reason_count/scrapy.exceptions.ResponseDataLossError") or 0
               for w in workers) >= 1  # fmt: skip


def test_two_hosts_crawled_by_two_workers_each_go_at_their_own_pace(
    tmp_path: Path, frontier: str
) -> None:
    # Two sites, two host names (127.0.0.1 and localhost): a budget per host, not one for all.
    # The second's robots.txt asks for a Crawl-delay longer than the slot's delay: its pace.
    crawl_delay = 0.3  # newscrawl/replica/faults/whole_site.py, CrawlDelay
    with (
        replica("--articles", "120", "--verbose") as first,
        replica(
            "--articles", "120", "--seed", "2", "--faults", "crawldelay", "--verbose"
        ) as second,
    ):
        second.url = second.url.replace("127.0.0.1", "localhost")
        settings = polite("127.0.0.1", "localhost")
        with site_paused(first), site_paused(second):
            workers = [
                start_worker(tmp_path, "a", first, frontier, settings=settings),
                start_worker(tmp_path, "b", second, frontier, settings=settings),
            ]
            wait_joined(workers)
        finish(workers)
        logs = {"first": requests_of(first), "second": requests_of(second)}
        manifests = {"first": first.manifest(), "second": second.manifest()}

    paces = {"first": DELAY, "second": crawl_delay}
    for (name, requests), worker in zip(logs.items(), workers, strict=True):
        assert verify(worker.text(), manifests[name], "politics").exact, name
        spaced, pace = gaps(requests), paces[name]
        assert len(spaced) > 30, name
        close = [gap for gap in spaced if gap < 0.8 * pace]
        assert len(close) <= 0.05 * len(spaced), (name, len(close), sorted(spaced)[:5])
        # each host at its own pace: one request per pace, not one per 2 * pace
        assert statistics.median(spaced) < 1.5 * pace, (name, statistics.median(spaced))
