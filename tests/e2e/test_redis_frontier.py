"""Two `scrapy crawl` workers share one frontier in a real redis-server, against one replica:
together they export every article exactly once, and killing one mid-crawl loses nothing.

.ci/run installs redis-server when it is missing; without it these tests are skipped.
"""

from __future__ import annotations

import json
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.replica.verify import verify
from tests.e2e.conftest import Replica, crawl, replica, stat
from tests.e2e.frontier_workers import redis_client, site_paused, start_worker, wait_joined
from tests.frontier.redis_server import free_port, needs_redis, redis_server

pytestmark = needs_redis
KILLED_AT = 20  # lines the victim has exported when it is killed


@pytest.fixture(scope="module")
def site() -> Iterator[Replica]:
    # flaky: some pages answer 500 once, so retries (with their backoff) go through the queue.
    # 200 politics articles (15 of them flaky): the victim is killed at KILLED_AT lines,
    # mid-crawl (one worker may take three quarters of the articles).
    with replica("--articles", "600", "--faults", "flaky") as server:
        yield server


@pytest.fixture
def frontier(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path / "redis") as url:
        yield url


def state_of(url: str, site: Replica) -> tuple[int, dict[str, int], int]:
    """Articles in the shared crawl state, its listings (complete or not), and the export
    journal entries left."""
    client = redis_client(url)
    host = site.url.split("//", 1)[1].replace(":", "_")
    base = f"newscrawl:japannews:{host}:state"
    listings = {
        k.decode(): json.loads(v)["complete"] for k, v in client.hgetall(f"{base}:listings").items()
    }
    journals = sum(client.hlen(k) for k in client.scan_iter(f"{base}:exports:*"))
    return client.hlen(f"{base}:articles"), listings, journals


def crawl_keys(url: str) -> list[str]:
    return sorted(k.decode() for k in redis_client(url).scan_iter("newscrawl:*:crawl:*"))


def test_two_workers_export_every_article_exactly_once(
    tmp_path: Path, site: Replica, frontier: str
) -> None:
    started = time.monotonic()
    with site_paused(site):
        workers = [start_worker(tmp_path, name, site, frontier) for name in ("a", "b")]
        wait_joined(workers)
    for worker in workers:
        assert worker.wait() == 0, worker.log()[-3000:]
    seconds = time.monotonic() - started

    check = verify("".join(w.text() for w in workers), site.manifest(), "politics")
    assert check.exact, check
    for worker in workers:
        assert worker.text().endswith("\n")
        assert worker.lines() > 0, f"worker {worker.name} exported nothing"
        assert stat(worker.log(), "newscrawl/articles/fetched"), worker.name
    # retries crossed the queue and still came out once
    assert sum(stat(w.log(), "retry/count") or 0 for w in workers) > 0

    articles, listings, journals = state_of(frontier, site)
    assert articles == check.expected
    assert journals == 0
    # a clean crawl: every walk complete, so the next scheduled run stops at known articles
    assert listings and all(listings.values()), listings
    assert crawl_keys(frontier) == []  # the last worker out cleared the crawl
    assert seconds < 40


def test_a_killed_worker_loses_nothing(tmp_path: Path, site: Replica, frontier: str) -> None:
    started = time.monotonic()
    # Both join before the first request: on a loaded machine the survivor's start could
    # otherwise take the crawl's first pages, and the victim would have too little to do.
    with site_paused(site):
        victim = start_worker(tmp_path, "victim", site, frontier)
        survivor = start_worker(tmp_path, "survivor", site, frontier)
        wait_joined([victim, survivor])
    deadline = time.monotonic() + 30
    while victim.lines() < KILLED_AT:
        assert victim.process.poll() is None, victim.log()[-3000:]
        assert time.monotonic() < deadline, "the victim exported too little"
        time.sleep(0.01)
    victim.process.send_signal(signal.SIGKILL)
    assert victim.wait() == -signal.SIGKILL
    assert survivor.wait() == 0, survivor.log()[-3000:]
    seconds = time.monotonic() - started

    log = survivor.log()
    taken = re.search(r"worker \S+ stopped beating; (\d+) of its requests went back", log)
    assert taken and int(taken[1]) > 0, "the victim had nothing in flight"
    # The victim's file holds only complete lines: the survivor, on the same machine, settled
    # its export journal (a torn last line cut, a complete unclaimed one claimed).
    text = victim.text()
    assert text.endswith("\n") or not text
    check = verify(text + survivor.text(), site.manifest(), "politics")
    assert check.exact, check

    articles, listings, journals = state_of(frontier, site)
    assert articles == check.expected
    assert journals == 0
    # a worker died: no walk counts as complete, the next run walks every listing to its end
    assert listings and not any(listings.values()), listings
    assert crawl_keys(frontier) == []
    assert seconds < 40


def test_a_worker_that_loses_redis_stops_unhealthy(tmp_path: Path, site: Replica) -> None:
    """No waiting for ever under cron: exit status 1, finish reason frontier_unavailable, and
    every line it wrote is whole."""
    with redis_server(tmp_path / "redis") as url:
        worker = start_worker(tmp_path, "alone", site, url)
        deadline = time.monotonic() + 30
        while worker.lines() < 20:
            assert worker.process.poll() is None, worker.log()[-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.01)
    assert worker.wait(timeout=30) == 1
    assert "Spider closed (frontier_unavailable)" in worker.log()
    assert worker.text().endswith("\n")
    for line in worker.text().splitlines():
        json.loads(line)


def test_an_unreachable_frontier_is_one_line_and_exit_status_1(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    url = f"redis://127.0.0.1:{port}/0"
    setting = f"NEWSCRAWL_FRONTIER={url}"
    result = crawl(tmp_path, "base_url=http://127.0.0.1:9", settings=(setting,), output=None)
    assert result.returncode == 1
    errors = [line for line in result.log.splitlines() if "error" in line.lower()]
    assert errors == [
        f"scrapy crawl japannews: error: shared frontier: cannot reach {url}: Error 111"
        f" connecting to 127.0.0.1:{port}. Connection refused."
    ]
