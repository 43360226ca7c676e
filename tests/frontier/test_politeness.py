"""The shared politeness budget's Lua scripts against a real redis-server: concurrency across
workers, the delay by Redis's clock, permits that expire unless renewed (a killed worker), the
Retry-After hold and the breaker shared by every worker."""

from __future__ import annotations

import time

import pytest

from newscrawl.frontier.politeness import ACQUIRE, RELEASE, RENEW

HOST = "newscrawl:politeness:example.org"
KEYS = [HOST, f"{HOST}:permits", f"{HOST}:tripped"]
HOUR = 3_600_000


@pytest.fixture
def budget(server):
    acquire, release, renew = (server.register_script(s) for s in (ACQUIRE, RELEASE, RENEW))

    def take(token: str, concurrency: int = 1, delay_ms: int = 0, ttl_ms: int = 30_000):
        granted, wait = acquire(keys=KEYS, args=[token, concurrency, delay_ms, ttl_ms, HOUR])
        return int(granted), int(wait)

    def give(token: str, outcome: str = "ok", hold_ms: int = 0, limit: int = 0) -> int:
        return int(release(keys=KEYS, args=[token, outcome, hold_ms, limit, "w", 60_000, HOUR]))

    take.give, take.renew = give, lambda ttl, *tokens: renew(keys=[KEYS[1]], args=[ttl, *tokens])
    return take


def test_concurrency_counts_every_workers_permits(budget) -> None:
    assert budget("a:1", concurrency=2) == (1, 0)
    assert budget("b:1", concurrency=2) == (1, 0)
    assert budget("c:1", concurrency=2) == (0, 0)  # wait for a permit to come back
    budget.give("a:1")
    assert budget("c:1", concurrency=2) == (1, 0)


def test_the_delay_spaces_permits_whoever_asks(budget) -> None:
    assert budget("a:1", concurrency=5, delay_ms=400) == (1, 0)
    granted, wait = budget("b:1", concurrency=5, delay_ms=400)
    assert granted == 0 and 300 < wait <= 400
    time.sleep(wait / 1000 + 0.01)
    assert budget("b:1", concurrency=5, delay_ms=400) == (1, 0)


def test_a_killed_workers_permit_expires_unless_renewed(budget) -> None:
    assert budget("dead:1", ttl_ms=300) == (1, 0)
    assert budget("live:1", ttl_ms=300) == (0, 0)
    budget.renew(300, "dead:1")  # renewed once, then its worker dies
    time.sleep(0.2)
    assert budget("live:1", ttl_ms=300) == (0, 0)  # still held: renewed 0.2 s ago
    time.sleep(0.15)
    assert budget("live:1", ttl_ms=300) == (1, 0)


def test_a_permit_that_expired_is_never_renewed(budget, server) -> None:
    assert budget("paused:1", concurrency=9, ttl_ms=100) == (1, 0)
    time.sleep(0.15)  # its worker was paused past the TTL: the permit is gone, purged or not
    budget.renew(30_000, "paused:1")
    assert server.zscore(KEYS[1], "paused:1") < time.time() * 1000


def test_a_retry_after_holds_the_host_for_every_worker(budget) -> None:
    assert budget("a:1", concurrency=3) == (1, 0)
    budget.give("a:1", outcome="error", hold_ms=500)
    granted, wait = budget("b:1", concurrency=3)
    assert granted == 0 and 400 < wait <= 500


def test_the_breaker_counts_errors_in_a_row_across_workers(budget, server) -> None:
    for n, worker in enumerate("abab", start=1):
        assert budget(f"{worker}:{n}", concurrency=9) == (1, 0)
        assert budget.give(f"{worker}:{n}", outcome="error", limit=5) == 0
    assert budget("a:5", concurrency=9) == (1, 0)
    budget.give("a:5", outcome="ok", limit=5)  # an answer: the count starts again
    for n in range(6, 10):
        budget(f"b:{n}", concurrency=9)
        assert budget.give(f"b:{n}", outcome="error", limit=5) == 0
    budget("a:10", concurrency=9)
    assert budget.give("a:10", outcome="error", limit=5) == 5  # the fifth in a row trips it
    assert budget("c:1", concurrency=9) == (-1, 0)  # every worker is told
    assert server.hget(KEYS[0], "errors") == b"0"  # once the trip ends, five more to trip again
    assert 0 < server.pttl(KEYS[0]) <= HOUR  # nothing of a host is kept for ever
    budget("x", concurrency=9)
    assert budget.give("x", outcome="other", limit=5) == 0  # a refusal of ours says nothing
