"""The leased queue and the switch, against a real redis-server; the whole crawl is in
tests/e2e/test_redis_frontier.py."""

from __future__ import annotations

import time

import scrapy
from scrapy.settings import Settings

from newscrawl.compat import NO_DELAY_JITTER
from newscrawl.frontier.addon import FrontierAddon
from newscrawl.frontier.scheduler import LEASE, REQUEUE, LeasedQueue
from newscrawl.request_meta import RETRY_AT
from newscrawl.spiders.arguments import Target
from newscrawl.spiders.base import Walk
from newscrawl.state.redis import Keys
from tests.conftest import modules_loaded

KEYS = Keys("newscrawl:test:host", "default")


class Spider(scrapy.Spider):
    name = "test"

    def parse(self, response, walk=None, page=1):
        pass


def queue(server, worker: str) -> LeasedQueue:
    return LeasedQueue(
        server,
        Spider(),
        KEYS.requests,
        leases_key=KEYS.leases(worker),
        counter_key=KEYS.lease_counter,
    )


def test_a_pop_leases_the_request_until_it_is_released(server) -> None:
    spider = Spider()
    worker = queue(server, "w1")
    walk = Walk(Target("politics", "election"), trust_known=True, seen={1, 2})
    request = scrapy.Request(
        "http://127.0.0.1/politics/election/page/2/",
        callback=spider.parse,
        cb_kwargs={"walk": walk, "page": 2},
        priority=10,
    )
    worker.push(request)
    assert len(worker) == 1
    popped = worker.pop()
    assert popped.url == request.url
    assert popped.cb_kwargs == {"walk": walk, "page": 2}  # the spider's dataclass, pickled
    assert popped.priority == 10
    assert len(worker) == 0
    assert server.hlen(KEYS.leases("w1")) == 2  # the request and its score
    worker.release(popped)
    assert server.hlen(KEYS.leases("w1")) == 0
    assert worker.pop() is None


def test_a_lease_id_never_travels_with_a_retry(server) -> None:
    worker = queue(server, "w1")
    worker.push(scrapy.Request("http://127.0.0.1/a/", callback=Spider().parse))
    popped = worker.pop()
    retry = popped.replace(dont_filter=True)  # what the retry middleware makes of it
    worker.push(retry)
    again = worker.pop()
    assert again.meta[LEASE] != popped.meta[LEASE]


def test_retry_times_cross_machines_as_wall_clock_times(server) -> None:
    """A retry's backoff is a monotonic time of the machine that set it; in Redis it is a wall
    clock time, and it comes back as a monotonic time of the machine that pops it."""
    worker = queue(server, "w1")
    request = scrapy.Request("http://127.0.0.1/a/", callback=Spider().parse)
    request.meta[RETRY_AT] = time.monotonic() + 4.0
    worker.push(request)
    stored = server.zrange(KEYS.requests, 0, 0)[0]
    assert b"newscrawl_retry_at_wall" in stored
    popped = worker.pop()
    assert 3.5 < popped.meta[RETRY_AT] - time.monotonic() <= 4.0


def test_a_dead_workers_leases_go_back_only_once_its_heartbeat_expired(server) -> None:
    dead, alive = queue(server, "dead"), queue(server, "alive")
    for n in range(3):
        dead.push(scrapy.Request(f"http://127.0.0.1/{n}/", callback=Spider().parse, priority=n))
    taken = [dead.pop(), dead.pop()]
    assert [r.url for r in taken] == ["http://127.0.0.1/2/", "http://127.0.0.1/1/"]
    server.hset(KEYS.workers, "dead", "{}")
    server.set(KEYS.heartbeat("dead"), 1, px=300)
    requeue = server.register_script(REQUEUE)
    keys = [
        KEYS.requests,
        KEYS.leases("dead"),
        KEYS.heartbeat("dead"),
        KEYS.workers,
        KEYS.spoiled,
    ]
    assert requeue(keys=keys, args=["dead"]) == -1  # still beating: nothing moves
    assert len(alive) == 1
    time.sleep(0.4)
    assert requeue(keys=keys, args=["dead"]) == 2
    assert not server.hexists(KEYS.workers, "dead")
    assert server.get(KEYS.spoiled) == b"dead"  # no listing counts as complete after this crawl
    # back with their priorities: the best first
    assert [alive.pop().url for _ in range(3)] == [
        "http://127.0.0.1/2/",
        "http://127.0.0.1/1/",
        "http://127.0.0.1/0/",
    ]


def test_the_switch() -> None:
    off = Settings({"DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter"}, priority="project")
    FrontierAddon().update_settings(off)
    assert off["DUPEFILTER_CLASS"] == "scrapy.dupefilters.BaseDupeFilter"
    assert off["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    on = Settings({"DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter"}, priority="project")
    on.set("NEWSCRAWL_FRONTIER", "redis://127.0.0.1:6379/0", priority="cmdline")
    FrontierAddon().update_settings(on)
    assert on["SCHEDULER"] == "newscrawl.frontier.scheduler.FrontierScheduler"
    assert on["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert on.getbool("SCHEDULER_PERSIST")
    assert on["REDIS_URL"] == "redis://127.0.0.1:6379/0"
    budget = "newscrawl.frontier.politeness.SharedPolitenessHandler"
    assert on.getdict("DOWNLOAD_HANDLERS")["https"] == budget
    assert all(on[name] == value for name, value in NO_DELAY_JITTER.items())  # the budget spaces
    assert "DOWNLOAD_HANDLERS" not in off or off.getdict("DOWNLOAD_HANDLERS").get("https") != budget
    own = Settings({"NEWSCRAWL_FRONTIER": "redis://127.0.0.1:6379/0"}, priority="cmdline")
    own.set("NEWSCRAWL_FRONTIER_POLITENESS", "False", priority="cmdline")
    FrontierAddon().update_settings(own)
    assert own.getdict("DOWNLOAD_HANDLERS").get("https") != budget


def test_a_single_machine_run_never_imports_redis() -> None:
    """Without the setting, the project's modules load without redis, scrapy-redis or the shared
    politeness budget."""
    code = (
        "from scrapy.settings import Settings\n"
        "import newscrawl.settings, newscrawl.extensions.state_keeper, newscrawl.exporters\n"
        "from newscrawl.frontier.addon import FrontierAddon\n"
        "s = Settings(); s.setmodule(newscrawl.settings)\n"
        "FrontierAddon().update_settings(s)\n"
        "assert s['SCHEDULER'] == 'scrapy.core.scheduler.Scheduler', s['SCHEDULER']\n"
    )
    assert modules_loaded(code, "redis", "scrapy_redis", "newscrawl.frontier.politeness") == []


def test_joining_a_crawl_whose_workers_all_died_idle_starts_a_new_one(server) -> None:
    """A worker killed after the crawl's work was done leaves its registration and the
    duplicate filter behind; the next run must not find its start requests "seen"."""
    from newscrawl.frontier.scheduler import REGISTER

    register = server.register_script(REGISTER)
    keys = [KEYS.workers, KEYS.requests, KEYS.spoiled, *KEYS.crawl_keys()]
    server.hset(KEYS.workers, "dead", "{}")
    server.sadd(KEYS.dupefilter, "fingerprint")
    assert register(keys=keys, args=["new", "{}", KEYS.crawl]) == 1
    assert server.hkeys(KEYS.workers) == [b"new"]
    assert not server.exists(KEYS.dupefilter)
    # a dead worker with leases keeps the crawl going: the new worker takes them over later
    server.hset(KEYS.workers, "dead", "{}")
    server.hset(KEYS.leases("dead"), "1", "request")
    server.set(KEYS.heartbeat("new"), 1)
    server.sadd(KEYS.dupefilter, "fingerprint")
    assert register(keys=keys, args=["third", "{}", KEYS.crawl]) == 0
    assert server.exists(KEYS.dupefilter)
    assert sorted(server.hkeys(KEYS.workers)) == [b"dead", b"new", b"third"]


def test_crawls_with_other_arguments_or_names_never_mix() -> None:
    from newscrawl.spiders.japannews import JapanNewsSpider

    settings = Settings()
    base = "http://127.0.0.1:8765"
    politics = Keys.of(settings, JapanNewsSpider(base_url=base))
    assert politics.crawl.startswith("newscrawl:japannews:127.0.0.1_8765:crawl:default-")
    assert Keys.of(settings, JapanNewsSpider(base_url=base)) == politics  # workers join
    business = Keys.of(settings, JapanNewsSpider(base_url=base, section="business"))
    assert business.crawl != politics.crawl
    assert business.state == politics.state  # one crawl state per spider and host, as in SQLite
    job = Keys.of(settings, JapanNewsSpider(base_url=base, since="2026-01-01", job="q1"))
    assert job.state == "newscrawl:japannews:127.0.0.1_8765:job:q1:state"
    named = Settings({"NEWSCRAWL_FRONTIER_NAME": "hourly"})
    assert Keys.of(named, JapanNewsSpider(base_url=base)).crawl != politics.crawl
    assert Keys.of(settings, JapanNewsSpider()).scope == "newscrawl:japannews:site"
