"""Feed URI parameters for the default dated output file of each run, and which feeds the
crawl state follows."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy import Spider
from scrapy.settings import BaseSettings

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


OUR_EXPORTER = "newscrawl.exporters.JsonLinesExporter"


def our_feeds(settings: BaseSettings) -> dict[str, dict[str, Any]]:
    """The feeds of FEEDS that our JSON lines exporter writes (each must get every item)."""
    ours = {
        name for name, path in settings.getdict("FEED_EXPORTERS").items() if path == OUR_EXPORTER
    }
    feeds = settings.getdict("FEEDS")
    return {
        uri: options or {}
        for uri, options in feeds.items()
        if (options or {}).get("format") in ours
    }


def local_path(uri: str) -> str | None:
    """The file path of a feed URI that names a local file (a plain path or file:), else None
    (stdout:, s3:, ftp: ...; a one-letter scheme is a Windows drive)."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return unquote(parts.path)
    return None if len(parts.scheme) > 1 else uri


def followed_feed_count(settings: BaseSettings) -> int:
    """How many of our feeds the crawl state follows (journals, and waits for before it claims
    an article): local regular files, uncompressed. Not stdout, devices (/dev/stdout), pipes,
    compressed or remote feeds: the exporter cannot tell what reached those."""
    return sum(1 for uri, options in our_feeds(settings).items() if _followed(uri, options))


def _followed(uri: str, options: dict[str, Any]) -> bool:
    path = local_path(uri)
    if path is None or options.get("postprocessing"):
        return False
    if "%(" in path:
        return True  # named at open time: a new regular file
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except OSError:
        return True  # not there yet: Scrapy creates a regular file
