"""The crawl state of scheduled runs in Redis, for workers that share a frontier
(NEWSCRAWL_FRONTIER, newscrawl.frontier), and what the frontier and this state both name: this
worker (HOST, WORKER_ID), the Redis keys of a crawl (Keys), the connection.

The same interface (newscrawl.state.CrawlState) and the same guarantees as the SQLite state
(newscrawl.state.sqlite), which stays the single-machine default. Redis itself is imported only
by `connect` and `close`: importing this module on a single machine loads nothing of it.

The state's keys, under `newscrawl:<spider>:<host>[:job:<job>]:state`:
- `articles`: hash id -> JSON {id, url, published, content_hash, revision, first_seen, last_seen};
- `listings`: hash listing -> JSON {complete, updated};
- `meta`: hash (the arguments a backfill job was started with);
- `exports:<worker>`: the export journal of one worker process, hash "<feed>\\n<id>" ->
  JSON {offset, record}, and `journals`: hash worker -> JSON {host, pid} of the journals that may
  hold entries.

The export journal works as in SQLite: an entry per feed before the line is written, marked
written after it, and the article claimed and its entries removed in one step (a Lua script) once
every local feed of the worker (kept in its `journals` entry) holds the line. Output files are
local to the machine that writes them, so only a process on that machine can settle a dead
worker's entries: the next run there does (`repair`, as SQLite's does at open), and so does a
survivor on the same machine when it takes over the dead worker's leases. A complete line whose
article another worker has exported since (the dead worker's request was fetched again) is cut,
so every article is in exactly one line once the journal is settled.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from newscrawl.defaults import setting_text
from newscrawl.paths import host_folder
from newscrawl.state.interface import ExportRecord, KnownArticle
from newscrawl.state.journal import PendingLine, settle, truncate_at


def _machine() -> str:
    """The host name, plus what tells apart machines and containers that share one: the boot
    id and the pid namespace. A pid means something only inside its namespace: without these, a
    survivor in another container would take a dead worker's pid 1 for itself, alive."""
    parts = [socket.gethostname()]
    try:
        parts.append(Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip()[:8])
        parts.append(str(os.stat("/proc/self/ns/pid").st_ino))
    except OSError:  # not Linux: the host name alone
        pass
    return "/".join(parts)


# This process, as the frontier and the Redis state know it: machine, pid and a random part (a
# pid is reused after a reboot).
HOST = _machine()
WORKER_ID = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def frontier_url(settings: BaseSettings) -> str:
    """The Redis URL of the shared frontier; '' when it is off."""
    return setting_text(settings, "NEWSCRAWL_FRONTIER").strip()


@dataclass(frozen=True)
class Keys:
    """The Redis keys of one crawl (spider, host, job and NEWSCRAWL_FRONTIER_NAME) and of its
    crawl state (spider, host and job: the state outlives every crawl)."""

    scope: str  # newscrawl:<spider>:<host>[:job:<job>]
    name: str  # the crawl among the crawls of that scope: <NEWSCRAWL_FRONTIER_NAME>-<arguments>

    @classmethod
    def of(cls, settings: BaseSettings, spider: Any) -> Keys:
        """Workers join one crawl when they run the same spider with the same arguments and the
        same NEWSCRAWL_FRONTIER_NAME. Other arguments (another section, window or max_pages)
        make another crawl: the spider's walks hold for the arguments they started with."""
        scope = f"newscrawl:{spider.name}:{host_folder(spider) or 'site'}"
        job = getattr(spider, "job", None)
        if job:
            scope += f":job:{job}"
        arguments = json.dumps(getattr(spider, "arguments", {}), sort_keys=True, default=str)
        digest = hashlib.sha256(arguments.encode()).hexdigest()[:12]
        name = setting_text(settings, "NEWSCRAWL_FRONTIER_NAME") or "default"
        return cls(scope, f"{name}-{digest}")

    # -- the crawl (cleared when its last worker leaves with nothing left to do) ---------------
    @property
    def crawl(self) -> str:
        return f"{self.scope}:crawl:{self.name}"

    @property
    def requests(self) -> str:
        return f"{self.crawl}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.crawl}:dupefilter"

    @property
    def workers(self) -> str:
        """Hash: worker id -> JSON {host, pid, started} of every worker not yet gone."""
        return f"{self.crawl}:workers"

    def leases(self, worker: str) -> str:
        """Hash: lease id -> encoded request (and `<id>:s` -> its queue score)."""
        return f"{self.crawl}:leases:{worker}"

    def heartbeat(self, worker: str) -> str:
        return f"{self.crawl}:heartbeat:{worker}"

    @property
    def lease_counter(self) -> str:
        return f"{self.crawl}:lease-counter"

    @property
    def walks_complete(self) -> str:
        return f"{self.crawl}:walks:complete"

    @property
    def walks_tainted(self) -> str:
        return f"{self.crawl}:walks:tainted"

    @property
    def spoiled(self) -> str:
        """Set when a worker died or ended badly: no listing counts as complete after this crawl."""
        return f"{self.crawl}:spoiled"

    def crawl_keys(self) -> list[str]:
        return [
            self.requests,
            self.dupefilter,
            self.lease_counter,
            self.walks_complete,
            self.walks_tainted,
            self.spoiled,
        ]

    # -- the crawl state (kept) ----------------------------------------------------------------
    @property
    def state(self) -> str:
        return f"{self.scope}:state"


def connect(url: str, timeout: float = 30) -> Any:
    """A Redis client (redis-py, imported here only); TIMEOUT seconds per command, and at most
    10 s (or TIMEOUT, if shorter) to connect."""
    import redis

    return redis.Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=min(10.0, timeout)
    )


# Claim an exported article: upsert its row (revision never goes down, first_seen is kept) and
# drop the journal entry, atomically.
UPSERT = """
local new = cjson.decode(ARGV[2])
local row = {id = new.id, url = new.url, published = new.published,
             content_hash = new.content_hash, revision = new.revision,
             first_seen = new.seen_at, last_seen = new.seen_at}
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local o = cjson.decode(old)
  row.first_seen = o.first_seen
  if o.revision > row.revision then row.revision = o.revision end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(row))
for i = 3, #ARGV do
  if ARGV[i] ~= '' then redis.call('HDEL', KEYS[2], ARGV[i]) end
end
return 1
"""

TOUCH = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
local o = cjson.decode(old)
o.last_seen = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(o))
return 1
"""


def pid_alive(pid: int) -> bool:
    """Whether process PID of this machine still runs (a zombie, killed but not yet reaped by
    its parent, does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


class RedisCrawlState:
    def __init__(self, server: Any, keys: Keys, worker: str = WORKER_ID):
        self.server = server
        self.keys = keys
        self.worker = worker
        base = keys.state
        self.articles_key = f"{base}:articles"
        self.listings_key = f"{base}:listings"
        self.meta_key = f"{base}:meta"
        self.journals_key = f"{base}:journals"
        self.path = f"redis {base}"  # what the logs call this state
        self._upsert = server.register_script(UPSERT)
        self._touch = server.register_script(TOUCH)
        self._journal_open = False
        self._journal_info: dict[str, Any] = {"host": HOST, "pid": os.getpid(), "feeds": 0}
        self.repaired = self.repair()

    def exports_key(self, worker: str) -> str:
        return f"{self.keys.state}:exports:{worker}"

    def close(self) -> None:
        """A clean end leaves no journal entry: forget this worker's journal (kept when Redis
        cannot be reached: the next run on this machine settles it)."""
        from redis.exceptions import RedisError

        try:
            if self._journal_open and not self.server.hlen(self.exports_key(self.worker)):
                self.server.hdel(self.journals_key, self.worker)
                self._journal_open = False
        except RedisError:
            pass

    # -- reading ------------------------------------------------------------------------------
    def known(self, article_id: str) -> KnownArticle | None:
        raw = self.server.hget(self.articles_key, article_id)
        if raw is None:
            return None
        row = json.loads(raw)
        return KnownArticle(row["id"], row["published"], row["content_hash"], int(row["revision"]))

    def count(self) -> int:
        return int(self.server.hlen(self.articles_key))

    def job_arguments(self, arguments: dict[str, Any]) -> dict[str, Any]:
        self.server.hsetnx(self.meta_key, "job_arguments", json.dumps(arguments, sort_keys=True))
        return json.loads(self.server.hget(self.meta_key, "job_arguments"))

    # -- listings -------------------------------------------------------------------------------
    def listing_complete(self, listing: str) -> bool:
        raw = self.server.hget(self.listings_key, listing)
        return bool(raw and json.loads(raw)["complete"])

    def start_listing(self, listing: str) -> None:
        self._set_listings([listing], complete=False)

    def complete_listings(self, listings: list[str]) -> None:
        self._set_listings(listings, complete=True)

    def _set_listings(self, listings: list[str], complete: bool) -> None:
        if not listings:
            return
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        value = json.dumps({"complete": int(complete), "updated": now})
        self.server.hset(self.listings_key, mapping=dict.fromkeys(listings, value))

    # -- the export journal -------------------------------------------------------------------
    def set_export_feed_count(self, count: int) -> None:
        self._journal_info["feeds"] = count
        if self._journal_open:
            self.server.hset(self.journals_key, self.worker, json.dumps(self._journal_info))

    def begin_export(self, feed: str, offset: int, record: ExportRecord) -> None:
        if not self._journal_open:
            self.server.hset(self.journals_key, self.worker, json.dumps(self._journal_info))
            self._journal_open = True
        entry = json.dumps({"offset": offset, "record": record.to_json()})
        self.server.hset(self.exports_key(self.worker), _field(feed, record.id), entry)

    def line_written(self, feed: str, article_id: str) -> None:
        key, field = self.exports_key(self.worker), _field(feed, article_id)
        raw = self.server.hget(key, field)
        if raw is not None:
            self.server.hset(key, field, json.dumps({**json.loads(raw), "written": 1}))

    def claim(self, record: ExportRecord, feeds: list[str], count: int) -> bool:
        """Claim the article once COUNT feeds, FEEDS, wrote its line; its entries go with it."""
        exports = self.exports_key(self.worker)
        fields = [_field(feed, record.id) for feed in feeds]
        entries = self.server.hmget(exports, fields) if fields else []
        written = [raw for raw in entries if raw and json.loads(raw).get("written")]
        if len(written) < count or len(written) < len(fields):
            return False
        self._upsert(keys=[self.articles_key, exports], args=[record.id, record.to_json(), *fields])
        return True

    def finish_export(self, feed: str, record: ExportRecord, worker: str | None = None) -> None:
        """A worker with one feed: the line is written, the article claimed."""
        exports = self.exports_key(worker or self.worker)
        self._upsert(
            keys=[self.articles_key, exports],
            args=[record.id, record.to_json(), _field(feed, record.id)],
        )

    def abort_export(self, feed: str, article_id: str, worker: str | None = None) -> None:
        self.server.hdel(self.exports_key(worker or self.worker), _field(feed, article_id))

    def touch(self, article_id: str, seen_at: str) -> None:
        self._touch(keys=[self.articles_key], args=[article_id, seen_at])

    # -- recovery after a killed worker -------------------------------------------------------
    def settle_unclaimed(self) -> dict[str, int]:
        """At the end of this worker's run: settle what a failed feed left unclaimed."""
        return self.settle(self.worker, self._journal_info["feeds"])

    def repair(self) -> dict[str, int]:
        """Settle the journals that dead workers of this machine left; counts by outcome."""
        outcome = {"completed": 0, "cut": 0}
        for worker, raw in self.server.hgetall(self.journals_key).items():
            worker = worker.decode()
            info = json.loads(raw)
            if info["host"] == HOST and worker != self.worker and not pid_alive(info["pid"]):
                feeds = info.get("feeds")
                count = feeds if isinstance(feeds, int) else 0  # older journals: a list
                for key, settled in self.settle(worker, count).items():
                    outcome[key] += settled
        return outcome

    def settle(self, worker: str, feeds: int = 0) -> dict[str, int]:
        """Settle the export journal of WORKER (a dead process of this machine, or this one at
        the end of its run) by the state's one rule (newscrawl.state.journal.settle).

        A complete line is not claimed when another worker exported that article since (the
        dead worker's request went back to the queue and was fetched again): it is cut, like a
        torn line, so the article stays in exactly one line."""
        outcome = {"completed": 0, "cut": 0}
        exports = self.exports_key(worker)
        entries, superseded = [], []
        for field, raw in self.server.hgetall(exports).items():
            feed, article_id = field.decode().split("\n", 1)
            entry = json.loads(raw)
            line = PendingLine(feed, int(entry["offset"]), article_id, entry["record"])
            known = self.known(article_id)
            revision = ExportRecord.from_json(line.record).revision
            gone = known is not None and known.revision >= revision
            (superseded if gone else entries).append(line)
        decided = settle(entries, feeds) + [(line, False) for line in superseded]
        for entry, claimed in sorted(decided, key=lambda pair: -pair[0].offset):
            if claimed:
                self.finish_export(entry.feed, ExportRecord.from_json(entry.record), worker=worker)
            else:
                truncate_at(Path(entry.feed), entry.offset)
                self.abort_export(entry.feed, entry.id, worker=worker)
            outcome["completed" if claimed else "cut"] += 1
        if not self.server.hlen(exports):
            self.server.hdel(self.journals_key, worker)
        return outcome


def _field(feed: str, article_id: str) -> str:
    return f"{feed}\n{article_id}"
