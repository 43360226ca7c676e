"""End-to-end helpers: a real replica server and real `scrapy crawl` subprocesses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Replica:
    url: str
    args: tuple[str, ...]

    def manifest(self) -> list[dict]:
        out = subprocess.run(
            [sys.executable, "-m", "newscrawl", "replica", "--manifest", *self.args],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        return [json.loads(line) for line in out.splitlines()]


@contextmanager
def replica(*args: str) -> Iterator[Replica]:
    """Start `newscrawl replica --port 0 ARGS` and wait for its "serving" line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl", "replica", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = process.stdout.readline()
        assert "serving http://127.0.0.1:" in line, process.stderr.read()
        url = line.split("serving ", 1)[1].split()[0].rstrip("/")
        yield Replica(url=url, args=args)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Crawl:
    returncode: int
    log: str
    lines: list[str]

    @property
    def items(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]


def crawl(
    tmp_path: Path,
    *spider_args: str,
    output: str | None = "out.jsonl",
    settings: tuple[str, ...] = (),
    timeout: int = 240,
) -> Crawl:
    """Run `scrapy crawl japannews [-O OUTPUT] -a ... -s ...` in the project directory.

    The default dated feed, the crawl state and the run summary go under TMP_PATH, not into the
    checkout; SETTINGS may override them.
    """
    command = [sys.executable, "-m", "scrapy", "crawl", "japannews"]
    command += ["-s", f"NEWSCRAWL_DATA_DIR={tmp_path / 'data'}"]
    command += ["-s", f"NEWSCRAWL_STATE={tmp_path / 'state' / 'state.sqlite'}"]
    out = tmp_path / (output or "none")
    if output:
        command += ["-O", str(out)]
    for arg in spider_args:
        command += ["-a", arg]
    for setting in settings:
        command += ["-s", setting]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=env
    )
    text = out.read_text("utf-8") if out.exists() else ""
    return Crawl(returncode=done.returncode, log=done.stderr, lines=text.splitlines())


def stat(log: str, key: str) -> int | None:
    """A counter from the stats Scrapy dumps at the end of the log."""
    match = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(match[1]) if match else None


@pytest.fixture(scope="session")
def default_replica() -> Iterator[Replica]:
    with replica() as server:
        yield server
