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
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newscrawl.replica.verify import verify  # noqa: E402

LOG_LINE = re.compile(r"^(\S+Z) (GET|HEAD) (\S+) (\d{3})$")  # replica --verbose
STAT = re.compile(r"'(newscrawl/frontier/politeness/(?:permits|redis_calls))': (\d+)")


@dataclass
class Site:
    url: str
    pid: int
    log: Path
    manifest: list[dict]

    def requests(self) -> list[float]:
        """When the replica answered each request, in order."""
        lines = self.log.read_text("utf-8", errors="replace").splitlines()
        return [datetime.fromisoformat(m[1]).timestamp() for m in map(LOG_LINE.match, lines) if m]


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if not server:
        raise SystemExit("frontier_hosts: redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def replica(folder: Path, host: str, articles: int, seed: int) -> Iterator[Site]:
    args = ["--articles", str(articles), "--seed", str(seed)]
    manifest_text = subprocess.run(
        [sys.executable, "-m", "newscrawl", "replica", *args, "--manifest"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    log = folder / f"replica-{host}.log"
    with open(log, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "newscrawl", "replica", "--port", "0", *args, "--verbose"],
            stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT,
        )  # fmt: skip
    try:
        line = process.stdout.readline()
        port = line.split("serving http://127.0.0.1:", 1)[1].split("/")[0]
        records = [json.loads(r) for r in manifest_text.splitlines() if r.strip()]
        yield Site(f"http://{host}:{port}", process.pid, log, records)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Worker:
    site: Site
    folder: Path
    log: Any  # its open stderr file
    process: subprocess.Popen


def start_worker(folder: Path, frontier: str, site: Site, delay: float, shared: bool) -> Worker:
    """`scrapy crawl japannews` of SITE's politics section as one worker of FRONTIER, every
    host at one request at a time, DELAY seconds apart."""
    slots = {h: {"concurrency": 1, "delay": delay} for h in ("127.0.0.1", "localhost")}
    out = folder / str(time.monotonic_ns())
    out.mkdir()
    command = [
        sys.executable, "-m", "scrapy", "crawl", "japannews", "-a", f"base_url={site.url}",
        "-O", str(out / "out.jsonl"), "-s", f"NEWSCRAWL_FRONTIER={frontier}",
        "-s", f"DOWNLOAD_SLOTS={json.dumps(slots)}", "-s", "NEWSCRAWL_FRONTIER_LEASE_TTL=3",
        "-s", f"NEWSCRAWL_FRONTIER_POLITENESS={shared}",
        "-s", f"NEWSCRAWL_DATA_DIR={out / 'data'}",
        "-s", f"NEWSCRAWL_STATE={out / 'state' / 'state.sqlite'}",
    ]  # fmt: skip
    log = open(out / "log", "wb")  # noqa: SIM115 - closed when the worker ends
    return Worker(site, out, log, subprocess.Popen(command, stderr=log, cwd=ROOT))


def run(
    folder: Path, frontier: str, crawls: list[tuple[Site, int]], delay: float, shared: bool = True
) -> dict[str, Any]:
    """Start every worker of CRAWLS (site, workers) with the sites paused, so that all join
    before the first request; wait for all; read what each host saw."""
    starts = {site.url: len(site.requests()) for site, _ in crawls}
    workers = []
    for site, count in crawls:
        os.kill(site.pid, signal.SIGSTOP)
        workers += [start_worker(folder, frontier, site, delay, shared) for _ in range(count)]
    deadline = time.monotonic() + 60
    while not all("joins crawl" in (w.folder / "log").read_text() for w in workers):
        if time.monotonic() > deadline:
            raise SystemExit("frontier_hosts: a worker did not join")
        time.sleep(0.05)
    started = time.monotonic()
    for site, _ in crawls:
        os.kill(site.pid, signal.SIGCONT)
    for worker in workers:
        worker.process.wait(timeout=600)
        worker.log.close()
    seconds = time.monotonic() - started
    hosts = {
        site.url.split("//")[1].split(":")[0]: seen(site, starts[site.url], workers, delay)
        for site, _ in crawls
    }
    stats = {"permits": 0, "redis_calls": 0}
    for worker in workers:
        for name, value in STAT.findall((worker.folder / "log").read_text("utf-8", "replace")):
            stats[name.rsplit("/", 1)[1]] += int(value)
    calls = stats["redis_calls"] / stats["permits"] if stats["permits"] else None
    return {"seconds": round(seconds, 1), "hosts": hosts, "redis_calls_per_request": calls}


def seen(site: Site, start: int, workers: list[Worker], delay: float) -> dict[str, Any]:
    """What SITE saw from its request number START on, and what its workers exported."""
    mine = [w for w in workers if w.site is site]
    text = "".join((w.folder / "out.jsonl").read_text("utf-8") for w in mine)
    gaps = [b - a for a, b in pairwise(site.requests()[start:])]
    return {
        "requests": len(gaps) + 1,
        "median_gap": round(statistics.median(gaps), 3),
        "close_gaps": round(sum(g < 0.8 * delay for g in gaps) / len(gaps), 3),
        "exact": verify(text, site.manifest, "politics").exact,
        "exit_statuses": sorted({w.process.returncode for w in mine}),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120, help="articles of each replica")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds between requests")
    parser.add_argument("--workers", type=int, default=2, help="workers on one host's crawl")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        first = stack.enter_context(replica(folder, "127.0.0.1", args.articles, seed=1))
        second = stack.enter_context(replica(folder, "localhost", args.articles, seed=2))
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
