"""A backfill on a terminal (a pseudo-terminal): the bar fits 80 columns, only moves forward,
ends at 100%, and the log lines go above it, never through it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time

from tqdm.utils import disp_len

from tests.e2e.conftest import ROOT

LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[")
BAR = re.compile(r"backfill +(\d+)%\|")


def read_terminal(command: list[str], timeout: float = 60) -> tuple[int, str]:
    """Run COMMAND with stdout and stderr on a pseudo-terminal of 24 rows of 80 columns (tqdm
    hides a bar on a terminal of no rows); its status and what it wrote."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=10), b"".join(chunks).decode("utf-8", errors="replace")


def test_backfill_bar_on_a_terminal(default_replica, tmp_path):
    manifest = default_replica.manifest()
    days = sorted({r["published"][:10] for r in manifest if r["section"] == "politics"})
    since, until = days[len(days) // 4], days[3 * len(days) // 4]
    command = [sys.executable, "-m", "scrapy", "crawl", "japannews", "-L", "DEBUG"]
    command += ["-a", f"base_url={default_replica.url}", "-a", f"since={since}"]
    command += ["-a", f"until={until}", "-s", "NEWSCRAWL_STATE="]
    command += ["-s", f"NEWSCRAWL_DATA_DIR={tmp_path}", "-s", f"NEWSCRAWL_SUMMARY={tmp_path}/r"]
    status, output = read_terminal(command)
    assert status == 0, output[-2000:]
    segments = [s for line in output.split("\n") for s in line.split("\r") if s.strip()]
    bars = [s for s in segments if BAR.match(s)]
    assert bars, output[-2000:]
    assert all(disp_len(s) <= 80 for s in segments if s.startswith("backfill"))
    shares = [int(BAR.match(s)[1]) for s in bars]
    assert shares == sorted(shares) and shares[-1] == 100 and shares.count(100) <= 2
    # Every log line starts a line of its own: none is glued to a bar.
    logged = [s for s in segments if LOG_LINE.search(s)]
    assert sum(" DEBUG: Crawled (200)" in s for s in logged) > 10
    assert all(LOG_LINE.match(s) for s in logged), [s for s in logged if not LOG_LINE.match(s)]
