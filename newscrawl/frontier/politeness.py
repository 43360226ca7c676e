"""One politeness budget per host for every worker of a shared frontier, kept in Redis.

Scrapy's politeness is its downloader's: each host has a slot with a concurrency and a delay
(DOWNLOAD_SLOTS, DOWNLOAD_DELAY, AutoThrottle), and it is per process, so three workers send a
host three times the requests. Here every request of a worker asks Redis for a permit just
before it goes out, after the worker's own slot has let it through: one Lua script gives it
only when the host has fewer requests in flight, across all workers, than its slot's
concurrency, and the last request to the host began at least its slot's delay ago, or
robots.txt's Crawl-delay when that is longer (Redis's clock: the workers' clocks do not
matter). Otherwise the request waits, in its own slot, and
the worker's other hosts go on. When the answer is in, a second script returns the permit and
records, for the whole host:

- a `Retry-After` (429 or 503): no worker sends the host anything until then;
- the outage breaker's count of errors in a row (5xx, 429, download errors): at
  NEWSCRAWL_BREAKER_ERRORS the host is marked tripped for a while, and every worker's run on it
  ends as `site_unavailable`, as on one machine.

A permit expires unless its worker renews it (every `min(1 s, TTL/3)`, TTL being
NEWSCRAWL_FRONTIER_LEASE_TTL): a killed worker holds a host's budget for at most TTL seconds.
A worker that cannot reach Redis does not send the request: it waits, and once its frontier
is gone (the scheduler stops the worker) the request is refused, never sent without a permit.

Redis commands per request: one script to take the permit (one more per wait), one to give it
back; and one renewal a second per host with requests in flight.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from typing import Any

from redis.exceptions import RedisError
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import task

from newscrawl.compat import EngineSlot
from newscrawl.defaults import setting_float, setting_int
from newscrawl.host_answers import SITE_UNAVAILABLE, asked_wait, counts_as_error
from newscrawl.request_meta import CRAWL_DELAY
from newscrawl.state.redis import WORKER_ID, connect, frontier_url
from newscrawl.stats import (
    BREAKER_TRIPPED,
    FRONTIER_UNAVAILABLE,
    POLITENESS_PERMITS,
    POLITENESS_REDIS_CALLS,
    POLITENESS_WAIT_SECONDS,
    POLITENESS_WAITS,
)

logger = logging.getLogger(__name__)

PREFIX = "newscrawl:politeness"  # + ":<host>" (hash), ":<host>:permits", ":<host>:tripped"
POLL = 0.05  # seconds between asks while the host's concurrency is taken
UNREACHABLE_RETRY = 0.25  # seconds between asks while Redis cannot be reached
KEY_TTL_MS = 3_600_000  # an idle host's budget vanishes after an hour
TRIPPED_MS = 60_000  # how long a tripped host stops every worker's run on it

# Redis's clock in ms, first in every script: the workers' clocks do not matter.
NOW_MS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# Take a permit. KEYS budget, permits, tripped; ARGV token, concurrency, delay ms, permit TTL
# ms, key TTL ms.
# Returns {1, 0}: granted; {0, ms}: wait (0: until a permit is given back); {-1, 0}: tripped.
ACQUIRE = (
    NOW_MS
    + """
if redis.call('EXISTS', KEYS[3]) == 1 then return {-1, 0} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local ready = math.max(tonumber(redis.call('HGET', KEYS[1], 'next') or '0'),
                       tonumber(redis.call('HGET', KEYS[1], 'hold') or '0'))
if now < ready then return {0, ready - now} end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return {0, 0} end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('HSET', KEYS[1], 'next', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return {1, 0}
"""
)

# Give a permit back. KEYS budget, permits, tripped; ARGV token, outcome ('ok', 'error' or
# 'other'), Retry-After hold ms, breaker limit (0: off), worker, tripped ms, key TTL ms. Returns
# the errors in a row when this answer tripped the host (the count starts again), else 0.
RELEASE = (
    NOW_MS
    + """
redis.call('ZREM', KEYS[2], ARGV[1])
local hold = tonumber(ARGV[3])
if hold > 0 then
  local till = now + hold
  if till > tonumber(redis.call('HGET', KEYS[1], 'hold') or '0') then
    redis.call('HSET', KEYS[1], 'hold', till)
  end
end
if ARGV[2] == 'ok' then
  redis.call('HSET', KEYS[1], 'errors', 0)
elseif ARGV[2] == 'error' then
  local n = redis.call('HINCRBY', KEYS[1], 'errors', 1)
  local limit = tonumber(ARGV[4])
  if limit > 0 and n >= limit and redis.call('EXISTS', KEYS[3]) == 0 then
    redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[6])
    redis.call('HSET', KEYS[1], 'errors', 0)
    redis.call('PEXPIRE', KEYS[1], ARGV[7])
    return n
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return 0
"""
)


# Renew permits still in flight; one that has expired stays gone, even before ACQUIRE purges
# it (a worker paused past the TTL has lost it). KEYS permits; ARGV TTL ms, tokens.
RENEW = (
    NOW_MS
    + """
for i = 2, #ARGV do
  local expiry = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i]) or '0')
  if expiry > now then redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
end
return 0
"""
)


class HostTripped(IgnoreRequest):
    """Not sent: the host's shared outage breaker has tripped."""


class SharedPolitenessHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler, sending each request only with a permit from the
    host's shared budget (see the module's docstring). The downloader calls it once the
    worker's own slot lets the request through."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.crawler = crawler
        # A short timeout: the client is synchronous, so a slow Redis stalls the reactor (at
        # most 2 s a call).
        self.redis = connect(frontier_url(settings), timeout=2)
        self.ttl = max(1.0, setting_float(settings, "NEWSCRAWL_FRONTIER_LEASE_TTL"))
        self.breaker_errors = max(0, setting_int(settings, "NEWSCRAWL_BREAKER_ERRORS"))
        self.retry_after_max = setting_float(settings, "NEWSCRAWL_RETRY_AFTER_MAX")
        self._acquire = self.redis.register_script(ACQUIRE)
        self._release = self.redis.register_script(RELEASE)
        self._renew_script = self.redis.register_script(RENEW)
        # Scrapy builds one handler per scheme: tokens unique per handler, not only per worker.
        self._tokens = itertools.count(1)
        self._token_prefix = f"{WORKER_ID}:{id(self):x}"
        self._engine_slot: EngineSlot | None = None
        self.held: dict[str, set[str]] = {}  # host -> permits in flight
        self.stopping = False
        self._renewal = task.LoopingCall(self._renew)
        self._renewal.start(min(1.0, self.ttl / 3), now=False)

    async def close(self) -> None:
        if self._renewal.running:
            self._renewal.stop()
        await super().close()

    async def download_request(self, request: Request) -> Response:
        host = _slot_key(request)
        token = f"{self._token_prefix}:{next(self._tokens)}"
        await self._take(request, host, token)
        self.held.setdefault(host, set()).add(token)
        outcome, hold = "other", 0.0  # cancelled, or refused by our own code: says nothing
        try:
            response = await super().download_request(request)
        except IgnoreRequest:
            raise
        except Exception:
            outcome = "error"
            raise
        else:
            outcome = "error" if counts_as_error(response.status) else "ok"
            hold = asked_wait(request, response, self.retry_after_max) or 0.0
            return response
        finally:  # whatever ends the download, the permit goes back
            self._give_back(host, token, outcome, hold)

    # -- taking and giving back ---------------------------------------------------------------
    async def _take(self, request: Request, host: str, token: str) -> None:
        concurrency, delay = self._budget(request, host)
        args = [token, concurrency, int(delay * 1000), int(self.ttl * 1000), KEY_TTL_MS]
        started, waited, failing_since = time.monotonic(), False, 0.0
        while True:
            self._refuse_if_stopping()
            try:
                granted, wait_ms = self._call(self._acquire, host, args)
                failing_since = 0.0
            except RedisError as error:
                failing_since = failing_since or time.monotonic()
                self._unreachable(error, time.monotonic() - failing_since)
                granted, wait_ms = 0, UNREACHABLE_RETRY * 1000
            if granted == -1:  # another worker's answers tripped the host's breaker
                self._stop_run(host, None)
                raise HostTripped(f"not sent: the run is stopping ({SITE_UNAVAILABLE})")
            if granted == 1:
                break
            waited = True
            # In slices of a second at most: a run that starts closing stops waiting soon.
            await asyncio.sleep(min(1.0, wait_ms / 1000 if wait_ms > 0 else POLL))
        stats = self.crawler.stats
        stats.inc_value(POLITENESS_PERMITS)
        if waited:
            stats.inc_value(POLITENESS_WAITS)
            spent = time.monotonic() - started
            stats.set_value(
                POLITENESS_WAIT_SECONDS,
                round(stats.get_value(POLITENESS_WAIT_SECONDS, 0) + spent, 3),
            )

    def _give_back(self, host: str, token: str, outcome: str, hold: float) -> None:
        self.held.get(host, set()).discard(token)
        hold_ms, limit = int(hold * 1000), self.breaker_errors
        args = [token, outcome, hold_ms, limit, WORKER_ID, TRIPPED_MS, KEY_TTL_MS]
        try:
            errors = self._call(self._release, host, args)
        except RedisError as error:
            # The permit expires on its own within the TTL; the hold and the count are lost.
            logger.warning("shared politeness: cannot give back a permit for %s (%s)", host, error)
            return
        if errors:
            self._stop_run(host, errors)

    def _call(self, script: Any, host: str, args: list[Any]) -> Any:
        self.crawler.stats.inc_value(POLITENESS_REDIS_CALLS)
        key = f"{PREFIX}:{host}"
        return script(keys=[key, f"{key}:permits", f"{key}:tripped"], args=args)

    def _renew(self) -> None:
        """Push back the expiry of every permit in flight: a live worker keeps its permits."""
        for host, tokens in self.held.items():
            if not tokens:
                continue
            try:
                self.crawler.stats.inc_value(POLITENESS_REDIS_CALLS)
                self._renew_script(
                    keys=[f"{PREFIX}:{host}:permits"], args=[int(self.ttl * 1000), *tokens]
                )
            except RedisError as error:
                logger.warning("shared politeness: cannot renew permits for %s (%s)", host, error)

    # -- what the budget is -------------------------------------------------------------------
    def _budget(self, request: Request, host: str) -> tuple[int, float]:
        """The host's concurrency and delay, as the worker's slot for it says (its
        DOWNLOAD_SLOTS entry, DOWNLOAD_DELAY, AutoThrottle's current delay); robots.txt's
        Crawl-delay when it asks for longer."""
        slot = self.crawler.engine.downloader.slots.get(host)
        crawl_delay = float(request.meta.get(CRAWL_DELAY) or 0.0)
        if slot is None:
            return self.crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), crawl_delay
        return max(1, int(slot.concurrency)), max(float(slot.delay), crawl_delay)

    # -- when things go wrong -----------------------------------------------------------------
    def _refuse_if_stopping(self) -> None:
        """A request still waiting for a permit when the run closes is not sent: the engine
        waits for every request in progress before it closes."""
        if self._engine_slot is None:
            self._engine_slot = EngineSlot(self.crawler.engine)
        if self.stopping or self._engine_slot.closing:
            raise IgnoreRequest("not sent: the run is stopping")

    def _unreachable(self, error: Exception, for_seconds: float) -> None:
        """Never send without a permit: wait, and give up once this worker's frontier is gone
        (the scheduler then stops the run), or after a lease TTL of errors."""
        if self.crawler.stats.get_value(FRONTIER_UNAVAILABLE) or for_seconds > self.ttl:
            raise IgnoreRequest(f"not sent: the shared politeness budget is unreachable ({error})")
        logger.warning("shared politeness: Redis error, the request waits (%s)", error)

    def _stop_run(self, host: str, errors: int | None) -> None:
        """End this run as `site_unavailable` (once): the host's shared breaker tripped, on
        ERRORS errors in a row of this worker's answers, or on another worker's (None)."""
        if self.stopping:
            return
        self.stopping = True
        self.crawler.stats.set_value(BREAKER_TRIPPED, host)
        if errors:
            logger.error(
                "%s answered %d errors in a row to the workers of this frontier: stopping"
                " this run; the next run resumes where it stopped",
                host,
                errors,
            )
        else:
            logger.error(
                "%s: another worker of this frontier found it down: stopping this run",
                host,
            )
        engine = self.crawler.engine
        deferred_from_coro(engine.close_spider_async(reason=SITE_UNAVAILABLE))


def _slot_key(request: Request) -> str:
    """The downloader's slot key, as Scrapy sets it (`download_slot`), else the host name."""
    return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
