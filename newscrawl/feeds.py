"""Feed URI parameters for the default dated output file of each run."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import Spider

from newscrawl.paths import data_dir


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """Adds %(data_dir)s (see newscrawl.paths), %(run_date)s and %(run_time)s (UTC, file-name
    safe) to the feed URI."""
    started = spider.crawler.stats.get_value("start_time") or datetime.now(UTC)
    return {
        **params,
        "data_dir": data_dir(spider.crawler.settings, spider),
        "run_date": started.strftime("%Y-%m-%d"),
        "run_time": started.strftime("%Y%m%dT%H%M%SZ"),
        "job": getattr(spider, "job", None) or "",
    }
