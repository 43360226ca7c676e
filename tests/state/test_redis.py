"""The Redis crawl state against a real redis-server: the interface of the SQLite one, and the
export journal's settling after a killed worker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newscrawl.state import ExportRecord
from newscrawl.state.redis import HOST, Keys, RedisCrawlState, pid_alive

KEYS = Keys("newscrawl:japannews:test", "default")


def record(article_id: str = "japannews:1", revision: int = 1, seen: str = "2026-01-01T00:00:00Z"):
    return ExportRecord(
        id=article_id,
        url=f"https://example.org/{article_id}/",
        published="2026-01-01T09:00:00+09:00",
        content_hash=f"hash{revision}",
        revision=revision,
        seen_at=seen,
    )


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def line(article_id: str) -> bytes:
    return (json.dumps({"id": article_id, "title": "x"}) + "\n").encode()


def test_known_articles_and_revisions(server) -> None:
    state = RedisCrawlState(server, KEYS, worker="w1")
    assert state.known("japannews:1") is None
    state.begin_export("/tmp/feed.jsonl", 0, record())
    state.finish_export("/tmp/feed.jsonl", record())
    known = state.known("japannews:1")
    assert (known.revision, known.content_hash, known.published) == (
        1,
        "hash1",
        "2026-01-01T09:00:00+09:00",
    )
    # a later export keeps first_seen, takes the new hash, and the revision never goes down
    state.finish_export("/tmp/feed.jsonl", record(revision=3, seen="2026-01-03T00:00:00Z"))
    state.finish_export("/tmp/feed.jsonl", record(revision=2, seen="2026-01-04T00:00:00Z"))
    row = json.loads(server.hget(f"{KEYS.state}:articles", "japannews:1"))
    assert row["revision"] == 3
    assert row["first_seen"] == "2026-01-01T00:00:00Z"
    assert row["last_seen"] == "2026-01-04T00:00:00Z"
    state.touch("japannews:1", "2026-02-01T00:00:00Z")
    state.touch("japannews:404", "2026-02-01T00:00:00Z")  # unknown: nothing happens
    assert json.loads(server.hget(f"{KEYS.state}:articles", "japannews:1"))["last_seen"] == (
        "2026-02-01T00:00:00Z"
    )
    assert state.count() == 1
    assert not server.hlen(state.exports_key("w1"))  # the journal holds nothing
    state.close()
    assert not server.hexists(state.journals_key, "w1")


def test_null_published_survives_the_lua_round_trip(server) -> None:
    state = RedisCrawlState(server, KEYS, worker="w1")
    undated = ExportRecord("japannews:2", "https://e/2/", None, "h", 1, "2026-01-01T00:00:00Z")
    state.finish_export("/tmp/feed.jsonl", undated)
    assert state.known("japannews:2").published is None


def test_listings_and_job_arguments(server) -> None:
    state = RedisCrawlState(server, KEYS, worker="w1")
    assert not state.listing_complete("politics/election")
    state.complete_listings(["politics/election", "politics/g7-summit"])
    assert state.listing_complete("politics/election")
    state.start_listing("politics/election")
    assert not state.listing_complete("politics/election")
    assert state.listing_complete("politics/g7-summit")
    assert state.job_arguments({"since": "2026-01-01"}) == {"since": "2026-01-01"}
    assert state.job_arguments({"since": "2025-01-01"}) == {"since": "2026-01-01"}


def test_abort_export_leaves_nothing(server) -> None:
    state = RedisCrawlState(server, KEYS, worker="w1")
    state.begin_export("/tmp/feed.jsonl", 0, record())
    state.abort_export("/tmp/feed.jsonl", "japannews:1")
    assert state.known("japannews:1") is None
    assert not server.hlen(state.exports_key("w1"))


def test_settle_claims_a_complete_line_and_cuts_a_torn_one(server, tmp_path: Path) -> None:
    """A worker killed after writing one line (before its claim) and in the middle of the next
    one, in another file: the next state opened on this machine settles both."""
    dead = RedisCrawlState(server, KEYS, worker="dead")
    complete, torn = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    complete.write_bytes(line("japannews:0") + line("japannews:1"))
    dead.begin_export(str(complete), len(line("japannews:0")), record("japannews:1"))
    torn.write_bytes(line("japannews:9") + line("japannews:2")[:10])
    dead.begin_export(str(torn), len(line("japannews:9")), record("japannews:2"))
    server.hset(dead.journals_key, "dead", json.dumps({"host": HOST, "pid": dead_pid()}))

    survivor = RedisCrawlState(server, KEYS, worker="alive")
    assert survivor.repaired == {"completed": 1, "cut": 1}
    assert complete.read_bytes() == line("japannews:0") + line("japannews:1")
    assert torn.read_bytes() == line("japannews:9")
    assert survivor.known("japannews:1") is not None
    assert survivor.known("japannews:2") is None
    assert not server.exists(survivor.exports_key("dead"))
    assert not server.hexists(survivor.journals_key, "dead")


def test_settle_cuts_a_line_another_worker_exported_since(server, tmp_path: Path) -> None:
    """The dead worker's request went back to the queue and another worker exported the
    article: the dead worker's unclaimed line goes, so the article is in one line."""
    dead = RedisCrawlState(server, KEYS, worker="dead")
    feed = tmp_path / "dead.jsonl"
    feed.write_bytes(line("japannews:0") + line("japannews:1"))
    dead.begin_export(str(feed), len(line("japannews:0")), record("japannews:1"))
    other = RedisCrawlState(server, KEYS, worker="other")
    other.finish_export("/elsewhere/other.jsonl", record("japannews:1"))
    assert other.settle("dead") == {"completed": 0, "cut": 1}
    assert feed.read_bytes() == line("japannews:0")


def test_a_live_workers_journal_is_left_alone(server, tmp_path: Path) -> None:
    """Only the journal of a process that has ended is settled: a live one may be writing."""
    feed = tmp_path / "live.jsonl"
    feed.write_bytes(line("japannews:1")[:10])
    live = RedisCrawlState(server, KEYS, worker="live")
    live.begin_export(str(feed), 0, record())  # this process: alive
    other = RedisCrawlState(server, KEYS, worker="other")
    assert other.repaired == {"completed": 0, "cut": 0}
    assert feed.read_bytes() == line("japannews:1")[:10]
    # a journal of another machine is never settled here: its files are not here
    server.hset(live.journals_key, "remote", json.dumps({"host": "elsewhere", "pid": dead_pid()}))
    server.hset(live.exports_key("remote"), f"{feed}\njapannews:1", "{}")
    assert RedisCrawlState(server, KEYS, worker="third").repaired == {"completed": 0, "cut": 0}


def test_pid_alive() -> None:
    import os

    assert pid_alive(os.getpid())
    assert not pid_alive(dead_pid())
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        for _ in range(200):  # until it has exited, unreaped
            with open(f"/proc/{zombie.pid}/stat", "rb") as stat:
                if stat.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    break
            import time

            time.sleep(0.01)
        assert not pid_alive(zombie.pid)
    finally:
        zombie.wait()
