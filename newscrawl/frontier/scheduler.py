"""scrapy-redis's scheduler, with leases: a killed worker loses no request.

scrapy-redis pops a request from the shared queue and nothing remembers it: a worker killed
with requests in flight loses them, and they are in the duplicate filter already, so nobody
fetches them again. Here a pop moves the request, in one Lua script, from the queue into the
worker's lease hash. The lease is dropped when the engine is done with the request: its response
went through the callback and every item it gave went through the pipelines and the feeds (or its
failure through the errback, or a retry or redirect of it went back to the queue). Each worker
refreshes a heartbeat key with a TTL (NEWSCRAWL_FRONTIER_LEASE_TTL); a worker whose heartbeat
has expired is dead, and the first live worker that notices puts its leases back in the queue.

Workers go idle when the queue is empty. An idle worker does not stop while another worker
holds leases (its requests may give more requests) or while a dead worker's leases wait for its
heartbeat to expire: it takes them over and finishes them. The last worker to leave a crawl with
nothing queued records which listing walks were complete (unless a worker died or ended badly)
and clears the crawl's queue and duplicate filter, so the next run with the same name starts
afresh.

A worker that loses its Redis stops (finish reason `frontier_unavailable`, exit status 1)
instead of waiting for ever; its leases go back to the queue when the others see its heartbeat
gone.

Request times in `meta` that are read from this machine's monotonic clock (the retry backoff's
`newscrawl_retry_at`) are carried as wall-clock times through Redis: another machine's monotonic
clock starts elsewhere.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from redis.exceptions import RedisError
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from newscrawl.compat import EngineSlot, ScrapyInternalMissing
from newscrawl.defaults import setting_float
from newscrawl.json_feeds import feed_failed
from newscrawl.request_meta import RETRY_AT
from newscrawl.state import of_crawler
from newscrawl.state.redis import HOST, WORKER_ID, Keys, RedisCrawlState, frontier_url, pid_alive
from newscrawl.stats import (
    FRONTIER_REQUEUED,
    FRONTIER_SHARED,
    FRONTIER_UNAVAILABLE,
    SCHEDULER_ENQUEUED_REDIS,
)

logger = logging.getLogger(__name__)

LEASE = "newscrawl_lease"  # request meta: the lease id of a request taken from the queue
RETRY_AT_WALL = "newscrawl_retry_at_wall"  # RETRY_AT as a wall-clock time, while in Redis

# Take the best request and lease it to this worker: KEYS queue, leases, lease counter.
POP = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
local id = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], id, top[1], id .. ':s', top[2])
return {tostring(id), top[1]}
"""

# Put every lease of a worker back in the queue: KEYS queue, leases. With ARGV (a dead worker's
# id) and KEYS heartbeat, workers, spoiled: only if its heartbeat is gone, and it leaves the crawl.
REQUEUE = """
if ARGV[1] then
  if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
  redis.call('HDEL', KEYS[4], ARGV[1])
  redis.call('SET', KEYS[5], ARGV[1])
end
local all = redis.call('HGETALL', KEYS[2])
local data, score = {}, {}
for i = 1, #all, 2 do
  local f = all[i]
  if string.sub(f, -2) == ':s' then score[string.sub(f, 1, -3)] = all[i + 1]
  else data[f] = all[i + 1] end
end
local n = 0
for id, d in pairs(data) do
  redis.call('ZADD', KEYS[1], score[id] or 0, d)
  n = n + 1
end
redis.call('DEL', KEYS[2])
return n
"""

# Whether the crawl has work left for an idle worker to wait for: 1 queued requests, 2 another
# worker holds leases, 0 none. KEYS queue, workers; ARGV crawl prefix, this worker.
BUSY = """
if redis.call('ZCARD', KEYS[1]) > 0 then return 1 end
for _, w in ipairs(redis.call('HKEYS', KEYS[2])) do
  if w ~= ARGV[2] and redis.call('HLEN', ARGV[1] .. ':leases:' .. w) > 0 then return 2 end
end
return 0
"""

# Enqueue: the fingerprint and the request in one step. Apart, a worker killed between the two
# would leave a request that is "seen" but in no queue, and its repeat would be filtered out.
# KEYS dupefilter, queue; ARGV fingerprint ('' for dont_filter), score, request.
ENQUEUE = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# Join a crawl. Workers that died with nothing leased (their heartbeat is gone) are dropped
# first, and the crawl is spoiled: what they knew of their walks may not have been published. A
# crawl nobody works on and with nothing queued is over: its leftovers (the duplicate filter of a
# crawl whose last worker died) are cleared, and this worker starts a new one. KEYS workers,
# queue, spoiled, then the crawl keys to clear; ARGV worker, info, crawl prefix.
REGISTER = """
for _, w in ipairs(redis.call('HKEYS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[3] .. ':heartbeat:' .. w) == 0
     and redis.call('HLEN', ARGV[3] .. ':leases:' .. w) == 0 then
    redis.call('HDEL', KEYS[1], w)
    redis.call('SET', KEYS[3], w)
  end
end
local fresh = 0
if redis.call('HLEN', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0 then
  for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
  fresh = 1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return fresh
"""

# Leave the crawl; the last one out with nothing queued clears it. KEYS workers, queue, then the
# crawl keys; ARGV worker. Returns 1 if this worker was the last.
LEAVE = """
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) > 0 or redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue; a pop leases the request to this worker."""

    def __init__(
        self,
        server: Any,
        spider: Any,
        key: str,
        serializer: Any = None,
        leases_key: str = "",
        counter_key: str = "",
        dupefilter_key: str = "",
    ):
        super().__init__(server, spider, key, serializer)
        self.leases_key = leases_key or f"{key}:leases:{WORKER_ID}"
        self.counter_key = counter_key or f"{key}:lease-counter"
        self.dupefilter_key = dupefilter_key or f"{key}:dupefilter"
        self._pop = server.register_script(POP)
        self._enqueue = server.register_script(ENQUEUE)

    def _encode_request(self, request: Request) -> bytes:
        meta = dict(request.meta)
        meta.pop(LEASE, None)
        if RETRY_AT in meta:
            meta[RETRY_AT_WALL] = meta.pop(RETRY_AT) - time.monotonic() + time.time()
        return super()._encode_request(request.replace(meta=meta))

    def _decode_request(self, encoded: bytes) -> Request:
        request = super()._decode_request(encoded)
        if RETRY_AT_WALL in request.meta:
            wall = request.meta.pop(RETRY_AT_WALL)
            request.meta[RETRY_AT] = wall - time.time() + time.monotonic()
        return request

    def pop(self, timeout: int = 0) -> Request | None:
        popped = self._pop(keys=[self.key, self.leases_key, self.counter_key])
        if not popped:
            return None
        lease, data = popped
        request = self._decode_request(data)
        request.meta[LEASE] = lease.decode()
        return request

    def push_new(self, request: Request, fingerprint: str) -> bool:
        """Push REQUEST unless FINGERPRINT ('' for none) is in the duplicate filter, adding it,
        atomically; whether it was pushed."""
        return bool(
            self._enqueue(
                keys=[self.dupefilter_key, self.key],
                args=[fingerprint, -request.priority, self._encode_request(request)],
            )
        )

    def release(self, request: Request) -> None:
        lease = request.meta.get(LEASE)
        if lease:
            self.server.hdel(self.leases_key, lease, f"{lease}:s")


class FrontierScheduler(Scheduler):
    """scrapy-redis's Scheduler with leases, heartbeats, take-over of dead workers' leases, and
    a crawl that ends only when no worker has anything left."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        settings = crawler.settings
        scheduler.ttl = max(1.0, setting_float(settings, "NEWSCRAWL_FRONTIER_LEASE_TTL"))
        scheduler.url = frontier_url(settings)
        scheduler.unavailable = False
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    # -- joining and leaving ------------------------------------------------------------------
    def open(self, spider: Any) -> None:
        self.spider = spider
        self.keys = keys = Keys.of(self.crawler.settings, spider)
        self.worker = WORKER_ID
        self.queue = LeasedQueue(
            self.server,
            spider,
            keys.requests,
            self.serializer,
            leases_key=keys.leases(self.worker),
            counter_key=keys.lease_counter,
            dupefilter_key=keys.dupefilter,
        )
        self.df = RFPDupeFilter(
            self.server,
            key=keys.dupefilter,
            debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
        )
        self._requeue = self.server.register_script(REQUEUE)
        self._busy = self.server.register_script(BUSY)
        self._published: dict[str, set[str]] = {"complete": set(), "tainted": set()}
        info = _worker_info()
        self._beat()
        fresh = self.server.register_script(REGISTER)(
            keys=[keys.workers, keys.requests, keys.spoiled, *keys.crawl_keys()],
            args=[self.worker, info, keys.crawl],
        )
        # For the run's verdict: this worker's stats are its share of a crawl, not the crawl.
        self.crawler.stats.set_value(FRONTIER_SHARED, 1)
        queued = len(self.queue)
        logger.info(
            "shared frontier %s: worker %s joins crawl %s (%s, %d requests queued)",
            self.url,
            self.worker,
            keys.crawl,
            "new" if fresh else "resumed",
            queued,
        )
        self._hook_engine()
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(min(1.0, self.ttl / 3), now=False)

    def _lost(self, error: Exception) -> None:
        """Redis cannot be reached: stop this worker (the run is unhealthy); what it exported
        and claimed is safe, and its leases go back to the queue once Redis and another
        worker are there to see its heartbeat gone."""
        if self.unavailable:
            return
        self.unavailable = True
        logger.error("shared frontier %s unavailable (%s): this worker stops", self.url, error)
        self.crawler.stats.set_value(FRONTIER_UNAVAILABLE, str(error)[:200])
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="frontier_unavailable"))

    def next_request(self) -> Request | None:
        if self.unavailable:
            return None
        try:
            return super().next_request()
        except RedisError as error:
            self._lost(error)
            return None

    def has_pending_requests(self) -> bool:
        if self.unavailable:
            return False
        try:
            return super().has_pending_requests()
        except RedisError as error:
            self._lost(error)
            return False

    def enqueue_request(self, request: Request) -> bool:
        if self.unavailable:
            return False
        try:
            return self._enqueue(request)
        except RedisError as error:
            self._lost(error)
            return False

    def _enqueue(self, request: Request) -> bool:
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push_new(request, fingerprint):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value(SCHEDULER_ENQUEUED_REDIS)
        return True

    def close(self, reason: str) -> None:
        loop = getattr(self, "_loop", None)
        if loop is None:  # open() never got that far
            return
        if loop.running:
            loop.stop()
        if self.unavailable:
            return
        try:
            self._leave(reason)
        except RedisError as error:
            logger.error("shared frontier %s unavailable at the end (%s)", self.url, error)

    def _leave(self, reason: str) -> None:
        keys = self.keys
        # Requests still leased were cut short (the run was stopped): back to the queue.
        requeued = self._requeue(keys=[keys.requests, keys.leases(self.worker)], args=[])
        self._publish_walks()
        stats = self.crawler.stats.get_stats()
        if reason != "finished" or feed_failed(stats):
            self.server.set(keys.spoiled, self.worker)
        state = of_crawler(self.crawler).state
        # The last one out records which walks were complete, then clears the crawl; a new
        # worker can only join in between (REGISTER), in which case it is the last one.
        last = self._last_out(state)
        self.server.delete(keys.heartbeat(self.worker))
        logger.info(
            "shared frontier: worker %s leaves crawl %s (%d requests put back%s)",
            self.worker,
            keys.crawl,
            requeued,
            "; last worker out, crawl cleared" if last else "",
        )

    def _last_out(self, state: Any) -> bool:
        keys = self.keys
        alone = self.server.hkeys(keys.workers) in ([], [self.worker.encode()])
        if (
            alone
            and not len(self.queue)
            and isinstance(state, RedisCrawlState)
            and not self.server.exists(keys.spoiled)
        ):
            complete = {m.decode() for m in self.server.smembers(keys.walks_complete)}
            tainted = {m.decode() for m in self.server.smembers(keys.walks_tainted)}
            state.complete_listings(sorted(complete - tainted))
        leave = self.server.register_script(LEAVE)
        return bool(
            leave(keys=[keys.workers, keys.requests, *keys.crawl_keys()], args=[self.worker])
        )

    # -- while the crawl runs -----------------------------------------------------------------
    def _hook_engine(self) -> None:
        """Release a lease when the engine drops the request it was popped as: after its
        response and all it gave were handled, or its failure was, or the retry or redirect
        that replaced it was scheduled. The engine has no signal for that moment; it is where
        the engine's slot forgets the request (newscrawl.compat.EngineSlot)."""
        try:
            slot = EngineSlot(self.crawler.engine)
        except ScrapyInternalMissing as missing:
            raise RuntimeError(
                f"the shared frontier cannot follow requests in this Scrapy version ({missing})"
            ) from None
        queue = self.queue

        def release(request: Request) -> None:
            try:
                queue.release(request)
            except Exception:
                logger.exception("shared frontier: cannot release the lease of %s", request)

        slot.on_request_removed(release)
        self.engine_slot = slot

    def _beat(self) -> None:
        self.server.set(self.keys.heartbeat(self.worker), os.getpid(), px=int(self.ttl * 1000))

    def _tick(self) -> None:
        """Heartbeat, walks for the last worker out, and a nudge to the engine when the queue
        has requests (others pushed them while this worker was idle)."""
        try:
            self._beat()
            if not self.server.hexists(self.keys.workers, self.worker):
                logger.warning(
                    "shared frontier: this worker's heartbeat expired and its leases were taken"
                    " over; raise NEWSCRAWL_FRONTIER_LEASE_TTL if the process stalls that long"
                )
                info = _worker_info()
                self.server.hset(self.keys.workers, self.worker, info)
            self._publish_walks()
            if len(self.queue):
                self.engine_slot.wake()
            elif self.crawler.engine.spider_is_idle():
                self.engine_slot.wake()  # the idle check runs again (spider_idle)
        except RedisError as error:
            self._lost(error)
        except Exception:
            logger.exception("shared frontier: heartbeat failed")

    def _publish_walks(self) -> None:
        spider = self.spider
        for kind, key, attribute in (
            ("complete", self.keys.walks_complete, "completed_walks"),
            ("tainted", self.keys.walks_tainted, "tainted_walks"),
        ):
            new = set(getattr(spider, attribute, ())) - self._published[kind]
            if new:
                self.server.sadd(key, *sorted(new))
                self._published[kind] |= new

    def spider_idle(self) -> None:
        """Stay open while the crawl has work that may come back to the queue."""
        if self.unavailable:
            return
        try:
            busy = self._take_over_dead() or self._busy_now()
        except RedisError as error:
            self._lost(error)
            return
        if busy:
            raise DontCloseSpider

    def _busy_now(self) -> int:
        return self._busy(
            keys=[self.keys.requests, self.keys.workers], args=[self.keys.crawl, self.worker]
        )

    def _take_over_dead(self) -> int:
        """Put back in the queue the leases of workers whose heartbeat expired; the number of
        requests put back. A dead worker of this machine has its export journal settled first,
        so a line it completed is claimed and its article not exported again."""
        keys = self.keys
        requeued = 0
        for worker, raw in self.server.hgetall(keys.workers).items():
            worker = worker.decode()
            if worker == self.worker or self.server.exists(keys.heartbeat(worker)):
                continue
            info = json.loads(raw)
            state = of_crawler(self.crawler).state
            if isinstance(state, RedisCrawlState) and info["host"] == HOST:
                if pid_alive(info["pid"]):
                    continue  # stalled, not dead: its heartbeat will come back
                settled = state.settle(worker)
                if any(settled.values()):
                    logger.warning(
                        "shared frontier: settled the exports of dead worker %s:"
                        " %d completed, %d cut off",
                        worker,
                        settled["completed"],
                        settled["cut"],
                    )
            count = self._requeue(
                keys=[
                    keys.requests,
                    keys.leases(worker),
                    keys.heartbeat(worker),
                    keys.workers,
                    keys.spoiled,
                ],
                args=[worker],
            )
            if count >= 0:
                logger.warning(
                    "shared frontier: worker %s stopped beating; %d of its requests went back"
                    " to the queue",
                    worker,
                    count,
                )
                self.crawler.stats.inc_value(FRONTIER_REQUEUED, max(count, 0))
                requeued += max(count, 1)
        return requeued


def _worker_info() -> str:
    """What the crawl's `workers` hash says of this worker: its machine, pid and start time."""
    return json.dumps({"host": HOST, "pid": os.getpid(), "started": time.time()})
