"""A shared frontier: several crawler processes, on one machine or many, share one crawl.

Off unless NEWSCRAWL_FRONTIER names a Redis server (`redis://host:6379/0`). Then (see
docs/redis-frontier.md):
- scrapy-redis's scheduler and duplicate filter hold the crawl's requests in Redis, so every
  request is fetched by one worker only (newscrawl.frontier.scheduler);
- a request a worker takes from the queue is leased to it until its response is handled (its
  items exported); a worker whose heartbeat expires has its leases put back in the queue by a
  live one, so a killed worker loses nothing;
- the crawl state of scheduled runs moves to the same Redis (newscrawl.frontier.state), with the
  same interface and the same export journal as the SQLite state.

Redis is imported only when the setting is on: a single-machine run needs no server and no
package beyond the core dependencies.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from newscrawl.paths import host_folder


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
    return (settings.get("NEWSCRAWL_FRONTIER") or "").strip()


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
        return cls(scope, f"{settings.get('NEWSCRAWL_FRONTIER_NAME') or 'default'}-{digest}")

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


def connect(url: str) -> Any:
    """A Redis client (redis-py, imported here only)."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
