"""Lists kept in the stats for the run summary (failed_urls, refused_urls, ...): bounded, so a
run that fails 100,000 requests keeps a readable summary; the counts say how many in all."""

from __future__ import annotations

from scrapy.statscollectors import StatsCollector

MAX_LISTED = 100  # entries a stats list keeps (the first ones)


def append_listed(stats: StatsCollector, key: str, entry: str) -> None:
    """Append ENTRY to the stats list KEY (a full stats key), up to MAX_LISTED entries."""
    listed = stats.get_value(key) or []
    if len(listed) < MAX_LISTED:
        stats.set_value(key, [*listed, entry])
