"""Shared politeness: workers of one frontier crawl more hosts faster, never one host faster.

    python benchmarks/frontier_hosts.py [--articles 120] [--delay 0.2] [--workers 2]

A real redis-server and two replicas on 127.0.0.1, reached by two host names (`127.0.0.1` and
`localhost`: two download slots, two politeness budgets), each with --verbose (one log line per
request, with the time it was answered). Every host is configured as a polite site is: one
request at a time, --delay seconds apart (DOWNLOAD_SLOTS). Each worker is a `scrapy crawl
japannews` of one host's politics section with NEWSCRAWL_FRONTIER set. Runs, each from an empty
Redis:

- `one host, 1 worker`: the baseline (each host once; their sum is what one worker takes for
  both hosts, one after the other);
- `one host, N workers`: --workers workers on one crawl of one host: no faster, because they
  share the host's budget (the same again with NEWSCRAWL_FRONTIER_POLITENESS=False shows what
  a per-worker politeness would send);
- `two hosts, 2 workers`: one worker per host, at the same time: up to twice as fast as one
  worker taking the hosts in turn, each host still at one crawler's pace.

Per run: wall seconds, and per host the requests, the median gap between two requests and the
share of gaps under 80% of the delay; the Redis scripts run per request (the workers'
`newscrawl/frontier/politeness/redis_calls` over their `.../permits`). Prints a table and one
JSON line. Exit status 1 when a run's export is not exact, when a shared run lets more than 5%
of a host's gaps under 80% of the delay, when N workers take one host in less than 0.8 of one
worker's time, or when two hosts with two workers take longer than 0.75 of the two baselines in
turn. Needs `pip install -e ".[redis]"` and redis-server.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newscrawl.replica.verify import verify
from tests.e2e.conftest import Replica, logged_requests, replica
from tests.e2e.frontier_workers import Worker, site_paused, start_worker, wait_joined
from tests.frontier.redis_server import REDIS_SERVER, redis_server

STAT = re.compile(r"'(newscrawl/frontier/politeness/(?:permits|redis_calls))': (\d+)")


def answered(site: Replica) -> list[float]:
    """When the replica answered each request, in order."""
    return [moment for moment, _, _ in logged_requests(site.log())]


def run(
    folder: Path, frontier: str, crawls: list[tuple[Replica, int]], delay: float, shared: bool
) -> dict[str, Any]:
    """Start every worker of CRAWLS (site, workers) with the sites paused, so that all join
    before the first request; wait for all; read what each host saw."""
    slots = {h: {"concurrency": 1, "delay": delay} for h in ("127.0.0.1", "localhost")}
    settings = (f"DOWNLOAD_SLOTS={json.dumps(slots)}", f"NEWSCRAWL_FRONTIER_POLITENESS={shared}")
    starts = {site.url: len(answered(site)) for site, _ in crawls}
    workers: list[tuple[Replica, Worker]] = []
    with ExitStack() as paused:
        for site, count in crawls:
            paused.enter_context(site_paused(site))
            for _ in range(count):
                name = f"worker-{len(workers)}"
                workers.append((site, start_worker(folder, name, site, frontier, settings)))
        wait_joined([worker for _, worker in workers], timeout=60)
        started = time.monotonic()
    for _, worker in workers:
        worker.wait(timeout=600)
    seconds = time.monotonic() - started
    hosts = {
        site.url.split("//")[1].split(":")[0]: seen(site, starts[site.url], workers, delay)
        for site, _ in crawls
    }
    stats = {"permits": 0, "redis_calls": 0}
    for _, worker in workers:
        for name, value in STAT.findall(worker.log()):
            stats[name.rsplit("/", 1)[1]] += int(value)
    calls = stats["redis_calls"] / stats["permits"] if stats["permits"] else None
    return {"seconds": round(seconds, 1), "hosts": hosts, "redis_calls_per_request": calls}


def seen(
    site: Replica, start: int, workers: list[tuple[Replica, Worker]], delay: float
) -> dict[str, Any]:
    """What SITE saw from its request number START on, and what its workers exported."""
    mine = [worker for of, worker in workers if of is site]
    text = "".join(worker.text() for worker in mine)
    gaps = [b - a for a, b in pairwise(answered(site)[start:])]
    return {
        "requests": len(gaps) + 1,
        "median_gap": round(statistics.median(gaps), 3),
        "close_gaps": round(sum(g < 0.8 * delay for g in gaps) / len(gaps), 3),
        "exact": verify(text, site.manifest(), "politics").exact,
        "exit_statuses": sorted({worker.returncode for worker in mine}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120, help="articles of each replica")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds between requests")
    parser.add_argument("--workers", type=int, default=2, help="workers on one host's crawl")
    args = parser.parse_args()
    if REDIS_SERVER is None:
        raise SystemExit("frontier_hosts: redis-server is not installed")
    results: dict[str, Any] = {}
    size = str(args.articles)
    with (
        tempfile.TemporaryDirectory() as tmp,
        replica("--articles", size, "--verbose") as first,
        replica("--articles", size, "--seed", "2", "--verbose") as second,
    ):
        folder = Path(tmp)
        second.url = second.url.replace("127.0.0.1", "localhost")
        plan = {
            "one host (127.0.0.1), 1 worker": ([(first, 1)], True),
            "one host (localhost), 1 worker": ([(second, 1)], True),
            f"one host, {args.workers} workers": ([(first, args.workers)], True),
            f"one host, {args.workers} workers, per-worker politeness": (
                [(first, args.workers)],
                False,
            ),
            "two hosts, 2 workers": ([(first, 1), (second, 1)], True),
        }
        for name, (crawls, shared) in plan.items():
            sub = folder / f"run-{len(results)}"
            sub.mkdir()
            with redis_server(sub) as url:
                results[name] = run(sub, url, crawls, args.delay, shared)
    report(results, args)
    return 0 if verdict(results, args) else 1


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"{'run':52} {'wall s':>7} {'host':>10} {'requests':>8} {'median gap':>10} {'<80%':>6}")
    for name, result in results.items():
        for host, seen in result["hosts"].items():
            print(
                f"{name:52} {result['seconds']:7.1f} {host:>10} {seen['requests']:8d}"
                f" {seen['median_gap']:10.3f} {seen['close_gaps']:6.1%}"
            )
    calls = [r["redis_calls_per_request"] for r in results.values() if r["redis_calls_per_request"]]
    print(f"Redis scripts per request (shared runs): {min(calls):.2f} to {max(calls):.2f}")
    print(
        json.dumps(
            {
                "benchmark": "frontier_hosts",
                "articles": args.articles,
                "delay": args.delay,
                "runs": results,
                "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
                "python": platform.python_version(),
            }
        )
    )


def verdict(results: dict[str, Any], args: argparse.Namespace) -> bool:
    good = True
    for name, result in results.items():
        for host, seen in result["hosts"].items():
            if not seen["exact"] or seen["exit_statuses"] != [0]:
                print(f"{name}: {host}'s export is not exact or a worker failed", file=sys.stderr)
                good = False
            if "per-worker" not in name and seen["close_gaps"] > 0.05:
                print(f"{name}: {host} saw requests closer than the delay", file=sys.stderr)
                good = False
    lone = results["one host (127.0.0.1), 1 worker"]["seconds"]
    crowd = results[f"one host, {args.workers} workers"]["seconds"]
    print(f"one host: {crowd:.1f} s with {args.workers} workers, {lone:.1f} s with one")
    if crowd < 0.8 * lone:
        print("more workers made one host faster: its budget is not shared", file=sys.stderr)
        good = False
    alone = sum(results[f"one host ({h}), 1 worker"]["seconds"] for h in ("127.0.0.1", "localhost"))
    both = results["two hosts, 2 workers"]["seconds"]
    print(f"two hosts: {both:.1f} s with 2 workers, {alone:.1f} s one after the other: "
          f"{alone / both:.2f}x faster")  # fmt: skip
    if both > 0.75 * alone:
        print("two hosts with two workers are not faster than one worker", file=sys.stderr)
        good = False
    return good


if __name__ == "__main__":
    sys.exit(main())
