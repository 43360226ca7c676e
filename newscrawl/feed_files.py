"""The names of the run's output files: the feed URI parameters (the FEED_URI_PARAMS setting)
that the dated file of each run and a backfill job's file are named with. Which feeds the run
writes, and whether they got every item: newscrawl.json_feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import Spider

from newscrawl.paths import data_dir
from newscrawl.stats import START_TIME


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """Adds %(data_dir)s (see newscrawl.paths), %(run_date)s and %(run_time)s (UTC, file-name
    safe) to the feed URI."""
    started = spider.crawler.stats.get_value(START_TIME) or datetime.now(UTC)
    return {
        **params,
        "data_dir": data_dir(spider.crawler.settings, spider),
        "run_date": started.strftime("%Y-%m-%d"),
        "run_time": started.strftime("%Y%m%dT%H%M%SZ"),
        "job": getattr(spider, "job", None) or "",
    }
