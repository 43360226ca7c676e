"""The switch: with NEWSCRAWL_FRONTIER set, the crawl uses the shared frontier's scheduler,
duplicate filter and (unless NEWSCRAWL_FRONTIER_POLITENESS is off) per-host politeness budget;
without it, nothing changes (and nothing from Redis is imported).

A Scrapy add-on, because the scheduler and the duplicate filter are settings that must be chosen
before the crawler freezes its settings, and they depend on another setting (`-s` included).
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from newscrawl.compat import NO_DELAY_JITTER
from newscrawl.defaults import setting_bool
from newscrawl.state.redis import frontier_url

# Above the project's own settings (DUPEFILTER_CLASS is BaseDupeFilter there), below `-s`.
PRIORITY = "spider"


class FrontierAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        url = frontier_url(settings)
        if not url:
            return
        wiring = {
            "SCHEDULER": "newscrawl.frontier.scheduler.FrontierScheduler",
            # Across processes, the Redis filter is what stops two workers fetching one URL
            # (each spider dedups only what it has met itself).
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "newscrawl.frontier.scheduler.LeasedQueue",
            # A worker that finishes must not wipe the queue the others still work on; the
            # last worker out clears the crawl (see FrontierScheduler.close).
            "SCHEDULER_PERSIST": True,
            "REDIS_URL": url,
        }
        if setting_bool(settings, "NEWSCRAWL_FRONTIER_POLITENESS"):
            handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
            for scheme in ("http", "https"):
                handlers[scheme] = "newscrawl.frontier.politeness.SharedPolitenessHandler"
            wiring["DOWNLOAD_HANDLERS"] = handlers
            # The budget spaces requests by the delay itself; a worker's own random jitter on
            # top (0.5 to 1.5 times the delay) would only slow a lone worker down by a quarter.
            wiring.update(NO_DELAY_JITTER)
        for name, value in wiring.items():
            settings.set(name, value, priority=PRIORITY)
