"""Feed URI parameters for the default dated output file of each run."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import Spider


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """Adds %(data_dir)s, %(run_date)s and %(run_time)s (UTC, file-name safe) to the feed URI."""
    started = spider.crawler.stats.get_value("start_time") or datetime.now(UTC)
    return {
        **params,
        "data_dir": spider.crawler.settings.get("NEWSCRAWL_DATA_DIR", "data").rstrip("/"),
        "run_date": started.strftime("%Y-%m-%d"),
        "run_time": started.strftime("%Y%m%dT%H%M%SZ"),
    }
