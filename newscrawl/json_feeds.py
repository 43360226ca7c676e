"""The JSON lines feeds of a run, as the settings name them: which FEEDS our exporter writes
(`our_feeds`), which of them are local files (`local_path`) that the crawl state follows
(`followed_feed_count`), and whether every one got every item (`feed_failed`: the verdict, the
state extension and the shared frontier read it)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy.settings import BaseSettings

from newscrawl.stats import (
    FEED_CONFIGURED,
    FEED_LINES,
    FEED_WRITE_FAILED,
    FEEDEXPORT_FAILED_COUNT_PREFIX,
    ITEM_SCRAPED_COUNT,
)

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


def feed_failed(stats: dict[str, Any]) -> str | None:
    """Why the feeds did not get every item, or None."""
    failed = stats.get(FEED_WRITE_FAILED, 0) + sum(
        value
        for key, value in stats.items()
        if key.startswith(FEEDEXPORT_FAILED_COUNT_PREFIX) and isinstance(value, int)
    )
    if failed:
        return f"the feed could not be written ({failed} failures)"
    # Every item must reach every JSON lines feed: a feed Scrapy could not open, or disabled,
    # writes nothing and says so only in the log.
    expected = stats.get(ITEM_SCRAPED_COUNT, 0) * stats.get(FEED_CONFIGURED, 0)
    written = stats.get(FEED_LINES, 0)
    if written < expected:
        return f"the feed could not be written ({written} of {expected} lines reached the feeds)"
    return None
