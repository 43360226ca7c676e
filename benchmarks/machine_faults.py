"""The reliability table's rows for faults of the machine and the run around the crawl (issue
13): an unreachable host, a silently dropped request, `-O` run twice, a full disk under one of
two feeds, read-only folders and a damaged state. Each runs real `scrapy crawl` subprocesses
against the replica (a full disk and read-only folders in a mount namespace of the crawl's own,
see tests/e2e/conftest.py) and gives a reliability.Row with the exit status it must have and
the checks that failed, if any."""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newscrawl.replica.verify import expected_records, verify
from tests.e2e.conftest import (
    Crawl,
    claimed,
    crawl,
    full_disk,
    lines_by_id,
    read_only,
    replica,
    stat,
)

SECTION = "politics"
REQUEST_LINE = re.compile(r"^\S+Z (?:GET|HEAD) \S+ \d{3}$", re.MULTILINE)
Row = dict[str, Any]


def _row(name: str, result: Crawl, wanted: int, failed: list[str], **counts: int) -> Row:
    """The fields of reliability.Row for one scenario: zero where a count does not apply."""
    fields = dict.fromkeys(("expected", "unexportable", "affected", "lost", "duplicates"), 0)
    fields |= dict.fromkeys(("corrupt", "mismatched", "unexpected", "off_site"), 0)
    return {
        "faults": name,
        **fields,
        **counts,
        "exit_status": result.returncode,
        "seconds": round(result.seconds, 1),
        # behind a launcher (unshare, sh) the process measured is not the crawl's
        "peak_rss_mb": round(result.peak_rss_mb, 1) if result.peak_rss_mb > 16 else None,
        "wanted_exit": wanted,
        "failed_checks": failed,
    }


def _summary(tmp: Path) -> dict[str, Any]:
    lines = (tmp / "state" / "runs.jsonl").read_text("utf-8").splitlines()
    return json.loads(lines[-1])


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed once the probe is


def unreachable(articles: int, base_url: str, name: str) -> Row:
    with tempfile.TemporaryDirectory() as tmp:
        result = crawl(Path(tmp), f"base_url={base_url}", f"section={SECTION}")
        errors = _summary(Path(tmp))["errors"]
    failed = []
    if not errors["failed_requests"] or errors["forbidden_by_robots"]:
        failed.append("failed, not forbidden by robots.txt")
    if not errors.get("unreachable_hosts"):
        failed.append("host named unreachable")
    return _row(name, result, 1, failed)


def unreachable_host(articles: int) -> Row:
    return unreachable(articles, f"http://127.0.0.1:{_closed_port()}", "unreachable host")


def unknown_host_name(articles: int) -> Row:
    return unreachable(articles, "http://japannews.invalid", "unknown host name")


def dropped_silently(articles: int) -> Row:
    """Scrapy's offsite filter switched back on drops the `offsite` fault's redirects at
    scheduling time: the ledger must see them vanish."""
    middlewares = json.dumps({"scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": 50})
    with replica("--articles", str(articles), "--faults", "offsite") as server:
        manifest = server.manifest()
        with tempfile.TemporaryDirectory() as tmp:
            result = crawl(Path(tmp), f"base_url={server.url}", f"section={SECTION}",
                           settings=(f"DOWNLOADER_MIDDLEWARES={middlewares}",))  # fmt: skip
    affected = [r for r in manifest if r["section"] == SECTION and "offsite" in r["faults"]]
    vanished = stat(result.log, "newscrawl/requests/vanished") or 0
    failed = [] if vanished == len(affected) > 0 else [f"vanished {vanished} of {len(affected)}"]
    check = verify(result.text, manifest, SECTION)
    return _row("a request dropped silently", result, 1, failed, expected=check.expected,
                affected=len(affected), lost=len(check.lost))  # fmt: skip


def overwrite_twice(articles: int) -> Row:
    with replica("--articles", str(articles)) as server, tempfile.TemporaryDirectory() as tmp:
        first = crawl(Path(tmp), f"base_url={server.url}", f"section={SECTION}")
        second = crawl(Path(tmp), f"base_url={server.url}", f"section={SECTION}")
        dated = list((Path(tmp) / "data").rglob("*.jsonl"))
    failed = [] if first.returncode == 0 and first.lines else ["first run exported"]
    if len(dated) != 1:
        failed.append("no empty dated file")
    return _row("-O twice, nothing new", second, 0, failed, unexpected=len(second.lines))


def full_disk_under_dated_feed(articles: int) -> Row:
    with replica("--articles", str(articles)) as server, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        manifest = server.manifest()
        data, copy = root / "full", root / "full-copy"
        first = crawl(root, f"base_url={server.url}", f"section={SECTION}",
                      settings=(f"NEWSCRAWL_DATA_DIR={data}",),
                      launcher=full_disk(data, copy, 64))  # fmt: skip
        second = crawl(root, f"base_url={server.url}", f"section={SECTION}",
                       settings=(f"NEWSCRAWL_DATA_DIR={root / 'roomy'}",))  # fmt: skip
        archive = lines_by_id(copy) + lines_by_id(root / "roomy")
        state_ids = claimed(root / "state" / "state.sqlite")
    expected = set(expected_records(manifest, SECTION))
    urls = {r["id"]: r["url"] for r in manifest}
    archived = {urls[i] for i in archive}
    failed = [] if second.returncode == 0 else [f"re-run exit {second.returncode}"]
    if {urls[i] for i in state_ids} != archived:
        failed.append("state claims what the archive holds")
    return _row("full disk under the dated feed", first, 1, failed, expected=len(expected),
                lost=len(expected - archived),
                duplicates=sum(n - 1 for n in archive.values()))  # fmt: skip


def read_only_output(articles: int) -> Row:
    with replica("--articles", str(articles), "--verbose") as server:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            result = crawl(root, f"base_url={server.url}", f"section={SECTION}",
                           output="ro/out.jsonl", launcher=read_only(root / "ro"))  # fmt: skip
        return _refused_before_start("read-only output folder", result, 2, server.log())


def read_only_state(articles: int) -> Row:
    with replica("--articles", str(articles), "--verbose") as server:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            result = crawl(root, f"base_url={server.url}", f"section={SECTION}",
                           settings=(f"NEWSCRAWL_STATE={root / 'ro' / 'state.sqlite'}",),
                           launcher=read_only(root / "ro"))  # fmt: skip
        return _refused_before_start("read-only state folder", result, 2, server.log())


def damaged_state(articles: int) -> Row:
    with replica("--articles", str(articles), "--verbose") as server:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "state").mkdir()
            (root / "state" / "state.sqlite").write_bytes(os.urandom(16384))
            result = crawl(root, f"base_url={server.url}", f"section={SECTION}")
        return _refused_before_start("damaged state", result, 1, server.log())


def _refused_before_start(name: str, result: Crawl, wanted: int, replica_log: str) -> Row:
    lines = result.log.splitlines()
    failed = [] if len(lines) == 1 and "error:" in lines[0] else ["one line"]
    if REQUEST_LINE.search(replica_log):
        failed.append("no request")
    return _row(name, result, wanted, failed)


SCENARIOS: dict[str, Callable[[int], Row]] = {
    "unreachable host": unreachable_host,
    "unknown host name": unknown_host_name,
    "a request dropped silently": dropped_silently,
    "-O twice, nothing new": overwrite_twice,
    "full disk under the dated feed": full_disk_under_dated_feed,
    "read-only output folder": read_only_output,
    "read-only state folder": read_only_state,
    "damaged state": damaged_state,
}
