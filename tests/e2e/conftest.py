"""End-to-end helpers: a real replica server and real `scrapy crawl` subprocesses."""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from newscrawl.replica import cli as replica_cli
from newscrawl.replica import japantimes
from newscrawl.replica.corpus import Corpus, parse_now
from newscrawl.replica.faults import amend_records, parse_faults

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Replica:
    url: str
    args: tuple[str, ...]
    banner: str = ""
    log_path: Path | None = None
    pid: int = 0

    def log(self) -> str:
        """What the replica wrote to stderr so far (with --verbose: one line per request)."""
        return self.log_path.read_text("utf-8", errors="replace") if self.log_path else ""

    def manifest(self) -> list[dict]:
        return manifest(*self.args)


_manifests: dict[tuple[str, ...], str] = {}
_manifests_lock = threading.Lock()


def manifest(*args: str) -> list[dict]:
    """What `newscrawl replica --manifest ARGS` prints, as records.

    Made in this process, by the calls newscrawl/replica/cli.py makes for --manifest (ARGS read
    by its own parser), and once per ARGS: they fix the corpus (size, seed, --now, faults). An
    interpreter's start costs more than a manifest, and a session needs dozens.
    tests/replica/test_faults.py checks that this equals the command's output.
    """
    with _manifests_lock:
        if args not in _manifests:
            _manifests[args] = "\n".join(
                json.dumps(record, ensure_ascii=False) for record in _records(args)
            )
    return [json.loads(line) for line in _manifests[args].splitlines()]


def _records(args: tuple[str, ...]) -> Iterable[dict]:
    parser = argparse.ArgumentParser()
    replica_cli.add_arguments(parser)
    options = parser.parse_args(args)
    if options.site == "japantimes":
        return japantimes.Site(articles=options.articles, seed=options.seed).manifest()
    now = parse_now(options.now) if options.now is not None else None
    corpus = Corpus(articles=options.articles, seed=options.seed, now=now)
    faults = parse_faults(options.faults, options.seed)
    return amend_records(corpus.manifest_records(), faults, corpus)


@contextmanager
def replica(*args: str, launcher: tuple[str, ...] = ("-m", "newscrawl")) -> Iterator[Replica]:
    """Start `newscrawl replica --port 0 ARGS` (the interpreter runs LAUNCHER first) and wait
    for its "serving" line. Its stderr goes to a file (a pipe nobody reads would block a verbose
    replica)."""
    with tempfile.NamedTemporaryFile("w+b", suffix=".log") as log:
        process = subprocess.Popen(
            [sys.executable, *launcher, "replica", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            cwd=ROOT,
        )
        server = Replica(url="", args=args, log_path=Path(log.name), pid=process.pid)
        try:
            line = process.stdout.readline()
            assert "serving http://127.0.0.1:" in line, server.log()
            server.url = line.split("serving ", 1)[1].split()[0].rstrip("/")
            server.banner = line.strip()
            yield server
        finally:
            process.terminate()
            process.wait(timeout=10)


@dataclass
class Crawl:
    returncode: int
    log: str
    lines: list[str]
    text: str = ""  # the output file as written
    seconds: float = 0.0  # wall time of the crawl process
    peak_rss_mb: float = 0.0  # its peak resident memory

    @property
    def items(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]


def crawl(
    tmp_path: Path,
    *spider_args: str,
    output: str | None = "out.jsonl",
    settings: tuple[str, ...] = (),
    timeout: int = 240,
    spider: str = "japannews",
    append: bool = False,
    launcher: tuple[str, ...] = (),
    cwd: Path = ROOT,
) -> Crawl:
    """Run `scrapy crawl SPIDER [-O OUTPUT] -a ... -s ...` in the project directory (or CWD,
    with the project's settings module), behind LAUNCHER if any (e.g. `unshare ...`); `-o`
    instead of `-O` when APPEND.

    The default dated feed, the crawl state and the run summary go under TMP_PATH, not into the
    checkout; SETTINGS may override them.
    """
    command = [*launcher, sys.executable, "-m", "scrapy", "crawl", spider]
    command += ["-s", f"NEWSCRAWL_DATA_DIR={tmp_path / 'data'}"]
    command += ["-s", f"NEWSCRAWL_STATE={tmp_path / 'state' / 'state.sqlite'}"]
    out = tmp_path / (output or "none")
    if output:
        command += ["-o" if append else "-O", str(out)]
    for arg in spider_args:
        command += ["-a", arg]
    for setting in settings:
        command += ["-s", setting]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if cwd != ROOT:  # no scrapy.cfg there
        env["SCRAPY_SETTINGS_MODULE"] = "newscrawl.settings"
    started = time.monotonic()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, text=True, cwd=cwd, env=env
        )
        status, rss_kb, _ = wait_measured(process, timeout)
        seconds = time.monotonic() - started
        log.seek(0)
        stderr = log.read()
    text = out.read_text("utf-8") if out.exists() else ""
    # JSON lines are split at "\n" only: a line separator inside a record is not a line end
    lines = [line for line in text.split("\n") if line]
    return Crawl(status, stderr, lines, text, seconds, rss_kb / 1024)


# -- a misbehaving machine, for one crawl: in a mount namespace of its own ---------------------
def namespace(script: str, *args: str) -> tuple[str, ...]:
    """A launcher: run SCRIPT (sh; $0 is ARGS[0], then $1...) in a mount namespace of its own;
    the script runs the crawl command ("$@" once it has shifted its own arguments away)."""
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    return (*unshare, "sh", "-c", script, *args)


def full_disk(folder: Path, copy: Path, size_kb: int) -> tuple[str, ...]:
    """FOLDER on a SIZE_KB tmpfs during the crawl; what it held is copied to COPY after."""
    folder.mkdir(parents=True, exist_ok=True)
    copy.mkdir(parents=True, exist_ok=True)
    script = (
        'mount -t tmpfs -o size="$2"k tmpfs "$0" || exit 99; shift 2;'
        ' "$@"; status=$?; cp -a "$0"/. "$COPY"/; exit $status'
    )
    return namespace(f"COPY='{copy}'; {script}", str(folder), "", str(size_kb))


def read_only(folder: Path) -> tuple[str, ...]:
    folder.mkdir(parents=True, exist_ok=True)
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 99; "$@"'
    return namespace(script, str(folder))


# -- what a run left behind ---------------------------------------------------------------------
def lines_by_id(folder: Path) -> Counter[str]:
    """How many lines each article id has in the JSON lines files below FOLDER."""
    ids: Counter[str] = Counter()
    for path in folder.rglob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            ids[json.loads(line)["id"]] += 1
    return ids


def claimed(state: Path) -> set[str]:
    """The article ids a SQLite crawl state claims."""
    db = sqlite3.connect(state)
    try:
        return {row[0] for row in db.execute("SELECT id FROM articles")}
    finally:
        db.close()


def wait_measured(process: subprocess.Popen, timeout: float) -> tuple[int, int, Any]:
    """Exit status, peak RSS (KiB) and resource usage (CPU times) of PROCESS; killed after
    TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    peak = 0
    while True:
        peak = max(peak, peak_rss_kb(process.pid))
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, peak or usage.ru_maxrss, usage
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise subprocess.TimeoutExpired(process.args, timeout)
        time.sleep(0.02)


def peak_rss_kb(pid: int) -> int:
    """The high-water mark of PID's resident memory (KiB), 0 when unknown.

    Not wait4's ru_maxrss: on Linux a child inherits its parent's high-water mark through fork
    and exec, so a child of a big test process would look at least that big.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# replica --verbose: "2026-11-27T23:13:13.123Z GET /path 429" (see newscrawl/replica/server.py)
REQUEST_LINE = re.compile(r"^(\S+Z) (GET|HEAD) (\S+) (\d{3})$")


def logged_requests(log: str) -> list[tuple[float, str, int]]:
    """(POSIX time, path, status) of each request a --verbose replica's LOG names, in order (the
    time is when the replica answered it)."""
    found = []
    for line in log.splitlines():
        if match := REQUEST_LINE.match(line):
            moment = datetime.fromisoformat(match[1]).timestamp()
            found.append((moment, match[3], int(match[4])))
    return found


def stat(log: str, key: str) -> int | None:
    """A counter from the stats Scrapy dumps at the end of the log."""
    match = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(match[1]) if match else None


@pytest.fixture(scope="session")
def default_replica() -> Iterator[Replica]:
    with replica() as server:
        yield server
