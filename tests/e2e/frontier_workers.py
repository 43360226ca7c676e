"""Workers of a shared frontier for the end-to-end tests: `scrapy crawl` processes, each with its
own output file, data folder and local state folder, as on its own machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.conftest import ROOT, Replica, wait_measured

TTL = 3  # seconds a dead worker's leases wait before a live worker takes them over


@dataclass
class Worker:
    name: str
    folder: Path
    process: subprocess.Popen
    returncode: int | None = None

    @property
    def output(self) -> Path:
        return self.folder / "out.jsonl"

    def text(self) -> str:
        return self.output.read_text("utf-8") if self.output.exists() else ""

    def lines(self) -> int:
        return self.text().count("\n")

    def log(self) -> str:
        return (self.folder / "log").read_text("utf-8", errors="replace")

    def wait(self, timeout: float = 60) -> int:
        self.returncode, _, _ = wait_measured(self.process, timeout)
        return self.returncode


def start_worker(
    tmp_path: Path, name: str, site: Replica, frontier: str, settings: tuple[str, ...] = ()
) -> Worker:
    """`scrapy crawl japannews` of SITE as one worker of the shared frontier: its own output
    file, data folder and local state folder, as on its own machine; SETTINGS (`-s`) added."""
    folder = tmp_path / name
    folder.mkdir()
    command = [
        sys.executable, "-m", "scrapy", "crawl", "japannews",
        "-a", f"base_url={site.url}",
        "-O", str(folder / "out.jsonl"),
        "-s", f"NEWSCRAWL_FRONTIER={frontier}",
        "-s", f"NEWSCRAWL_FRONTIER_LEASE_TTL={TTL}",
        "-s", f"NEWSCRAWL_DATA_DIR={folder / 'data'}",
        "-s", f"NEWSCRAWL_STATE={folder / 'state' / 'state.sqlite'}",
    ]  # fmt: skip
    for setting in settings:
        command += ["-s", setting]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(folder / "log", "wb") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT, env=env
        )
    return Worker(name, folder, process)


@contextmanager
def site_paused(site: Replica) -> Iterator[None]:
    """The replica stopped (SIGSTOP): connections wait in its backlog, nothing is answered.
    On a loaded machine one worker's start-up can outlast the other's whole crawl; with the
    site held until both have joined, both share the crawl from its first request."""
    os.kill(site.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(site.pid, signal.SIGCONT)


def wait_joined(workers: list[Worker], timeout: float = 12) -> None:
    """Until every worker has logged joining the shared crawl (well inside DOWNLOAD_TIMEOUT,
    so the requests waiting on the paused site do not time out)."""
    deadline = time.monotonic() + timeout
    for worker in workers:
        while "joins crawl" not in worker.log():
            assert worker.process.poll() is None, worker.log()[-3000:]
            assert time.monotonic() < deadline, f"worker {worker.name} did not join"
            time.sleep(0.05)


def redis_client(url: str):
    """A client of the test's redis-server (redis is a test extra, imported here only)."""
    import redis

    return redis.Redis.from_url(url)
