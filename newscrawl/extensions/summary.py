"""Append one JSON line per run to the run summary file, for operators to graph and alert on.

NEWSCRAWL_SUMMARY (default: `runs.jsonl` beside the crawl state). Fields: README "Run summary".
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.extensions.health import RunHealth
from newscrawl.paths import summary_path
from newscrawl.stats import (
    ARTICLES_GONE,
    ARTICLES_NOT_ARTICLE,
    ARTICLES_NOT_ARTICLE_URLS,
    ARTICLES_SKIPPED_KNOWN,
    CHARSET_DAMAGED,
    CHARSET_DAMAGED_URLS,
    FEED_WRITE_FAILED,
    FINISH_REASON,
    FINISH_TIME,
    HOSTS_UNREACHABLE,
    ITEM_SCRAPED_COUNT,
    LISTING_UNREAD,
    LOG_COUNT_ERROR,
    REQUESTS_FAILED,
    REQUESTS_FAILED_URLS,
    REQUESTS_FORBIDDEN_BY_ROBOTS,
    REQUESTS_KIND_PREFIX,
    REQUESTS_REFUSED,
    REQUESTS_REFUSED_URLS,
    REQUESTS_VANISHED,
    REQUESTS_VANISHED_URLS,
    REVISIONS_NEW,
    REVISIONS_UNCHANGED,
    REVISIONS_UPDATED,
    START_TIME,
    VALIDATION_DROPPED_PREFIX,
)
from newscrawl.times import utc_iso

logger = logging.getLogger(__name__)


class RunSummary:
    def __init__(self, crawler: Crawler, path: Path):
        self.crawler = crawler
        self.path = path
        self.written = False
        self.feeds: list[dict[str, Any]] = []  # the feed files Scrapy closed, with their items

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        path = summary_path(crawler.settings, crawler.spider)
        if not path:
            raise NotConfigured("NEWSCRAWL_SUMMARY is empty")
        extension = cls(crawler, Path(path))
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(extension.feed_slot_closed, signal=signals.feed_slot_closed)
        return extension

    def feed_slot_closed(self, slot: Any) -> None:
        """A feed file of this run, closed (a feed with nothing to store leaves no file, and is
        not listed): where this run's lines went, e.g. the dated file."""
        self.feeds.append({"uri": slot.uri, "items": slot.itemcount})

    def engine_stopped(self) -> None:
        self.write()

    def write(self) -> None:
        """Append this run's line once (the `crawl` command calls it too, for runs whose engine
        never started)."""
        if self.written:
            return
        self.written = True
        health = self.crawler.get_extension(RunHealth)
        verdict = health.judge() if health else None
        line = json.dumps(self.record(verdict), ensure_ascii=False, default=str) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a+b") as file:
                # After a line torn by a killed run, start a line of our own: glued to the torn
                # one, this run's line would be unreadable too (`newscrawl runs` skips it).
                if file.seek(0, os.SEEK_END):
                    file.seek(-1, os.SEEK_END)
                    line = line if file.read(1) == b"\n" else "\n" + line
                file.write(line.encode("utf-8"))
        except OSError as error:
            logger.error("cannot append the run summary to %s: %s", self.path, error)

    def record(self, verdict: Any) -> dict[str, Any]:
        stats = self.crawler.stats.get_stats()
        spider = self.crawler.spider

        def count(key: str) -> int:
            return int(stats.get(key, 0))

        return {
            "spider": getattr(spider, "name", None),
            "arguments": getattr(spider, "arguments", None),
            "start": _iso(stats.get(START_TIME)),
            "end": _iso(stats.get(FINISH_TIME)) or _iso(datetime.now(UTC)),
            "status": verdict.status if verdict else None,
            "exit_status": verdict.exit_status if verdict else None,
            "reason": verdict.reason if verdict else None,
            "finish_reason": stats.get(FINISH_REASON),
            "exported": int(stats.get(ITEM_SCRAPED_COUNT, 0)),
            "feeds": self.feeds,
            "new": count(REVISIONS_NEW),
            "updated": count(REVISIONS_UPDATED),
            "unchanged_skipped": count(ARTICLES_SKIPPED_KNOWN) + count(REVISIONS_UNCHANGED),
            "dropped": {
                key.rsplit("/", 1)[1]: value
                for key, value in stats.items()
                if key.startswith(VALIDATION_DROPPED_PREFIX)
            },
            "requests": {
                kind: count(REQUESTS_KIND_PREFIX + kind) for kind in ("listing", "article", "other")
            },
            "errors": {
                "failed_requests": count(REQUESTS_FAILED),
                "failed_urls": stats.get(REQUESTS_FAILED_URLS, []),
                "forbidden_by_robots": count(REQUESTS_FORBIDDEN_BY_ROBOTS),
                "refused_requests": count(REQUESTS_REFUSED),
                "refused_urls": stats.get(REQUESTS_REFUSED_URLS, []),
                "vanished_requests": count(REQUESTS_VANISHED),
                "vanished_urls": stats.get(REQUESTS_VANISHED_URLS, []),
                "unread_listings": stats.get(LISTING_UNREAD, []),
                "unreachable_hosts": stats.get(HOSTS_UNREACHABLE, []),
                "gone_articles": count(ARTICLES_GONE),
                "not_article_pages": count(ARTICLES_NOT_ARTICLE),
                "not_article_urls": stats.get(ARTICLES_NOT_ARTICLE_URLS, []),
                "charset_damaged_pages": count(CHARSET_DAMAGED),
                "charset_damaged_urls": stats.get(CHARSET_DAMAGED_URLS, []),
                "feed_write_failures": count(FEED_WRITE_FAILED),
                "log_errors": int(stats.get(LOG_COUNT_ERROR, 0)),
            },
        }


def _iso(moment: Any) -> str | None:
    if not isinstance(moment, datetime):
        return None
    return utc_iso(moment)
