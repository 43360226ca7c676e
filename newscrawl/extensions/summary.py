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
            return int(stats.get(f"newscrawl/{key}", 0))

        return {
            "spider": getattr(spider, "name", None),
            "arguments": getattr(spider, "arguments", None),
            "start": _iso(stats.get("start_time")),
            "end": _iso(stats.get("finish_time")) or _iso(datetime.now(UTC)),
            "status": verdict.status if verdict else None,
            "exit_status": verdict.exit_status if verdict else None,
            "reason": verdict.reason if verdict else None,
            "finish_reason": stats.get("finish_reason"),
            "exported": int(stats.get("item_scraped_count", 0)),
            "feeds": self.feeds,
            "new": count("revisions/new"),
            "updated": count("revisions/updated"),
            "unchanged_skipped": count("articles/skipped_known") + count("revisions/unchanged"),
            "dropped": {
                key.rsplit("/", 1)[1]: value
                for key, value in stats.items()
                if key.startswith("newscrawl/validation/dropped/")
            },
            "requests": {
                kind: count(f"requests/kind/{kind}") for kind in ("listing", "article", "other")
            },
            "errors": {
                "failed_requests": count("requests/failed"),
                "failed_urls": stats.get("newscrawl/requests/failed_urls", []),
                "forbidden_by_robots": count("requests/forbidden_by_robots"),
                "refused_requests": count("requests/refused"),
                "refused_urls": stats.get("newscrawl/requests/refused_urls", []),
                "vanished_requests": count("requests/vanished"),
                "vanished_urls": stats.get("newscrawl/requests/vanished_urls", []),
                "unread_listings": stats.get("newscrawl/listing/unread", []),
                "unreachable_hosts": stats.get("newscrawl/hosts/unreachable", []),
                "gone_articles": count("articles/gone"),
                "not_article_pages": count("articles/not_article"),
                "not_article_urls": stats.get("newscrawl/articles/not_article_urls", []),
                "charset_damaged_pages": count("charset/damaged"),
                "charset_damaged_urls": stats.get("newscrawl/charset/damaged_urls", []),
                "feed_write_failures": count("feed/write_failed"),
                "log_errors": int(stats.get("log_count/ERROR", 0)),
            },
        }


def _iso(moment: Any) -> str | None:
    if not isinstance(moment, datetime):
        return None
    return utc_iso(moment)
