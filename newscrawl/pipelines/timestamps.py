"""Turn the raw time strings the spider found into `published`, `published_utc` and `modified`.

Candidates come in order of trust (page metadata, JSON-LD, the visible date line, the listing date);
the first that gives a full, plausible time wins. A time without an offset is in the item's
`time_zone` (Japan time by default), and loses to any later one that names its zone. `published`
and `modified` are Japan time, or, for items with `keep_offset` (the `news` spider), keep the
offset the page gives. Times are read and chosen by newscrawl.times (parse_time, choose), as
the backfill's window check reads them. A date
without a time of day is never turned into midnight: `published` stays null, `published_date` holds
the date and `flags` says why. Plausible means from 1990 up to the crawl time plus the allowed skew,
for a date alone as for a full time; an offset of a day or more is not a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.defaults import setting_float
from newscrawl.stats import (
    TIMESTAMPS_MODIFIED_INVALID,
    TIMESTAMPS_PREFIX,
    TIMESTAMPS_PUBLISHED_FROM_PREFIX,
    TIMESTAMPS_PUBLISHED_ZONE_ASSUMED,
    TIMESTAMPS_REFUSED_PREFIX,
    TIMESTAMPS_UNPARSED_PREFIX,
)
from newscrawl.times import EARLIEST, FUTURE_SKEW, TOKYO, choose, parse_time, utc_iso, zone


@dataclass(frozen=True)
class Clock:
    """How an item's times are read and written: ASSUMED is the zone of times that name none;
    the output is Japan time, or the page's own offset with KEEP_OFFSET."""

    assumed: tzinfo = TOKYO
    keep_offset: bool = False

    def local(self, moment: datetime) -> datetime:
        return moment if self.keep_offset else moment.astimezone(TOKYO)


class TimestampsPipeline:
    def __init__(self, stats: StatsCollector, future_skew: timedelta = FUTURE_SKEW):
        self.stats = stats
        self.future_skew = future_skew

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TimestampsPipeline:
        skew = setting_float(crawler.settings, "NEWSCRAWL_FUTURE_SKEW")
        return cls(crawler.stats, future_skew=timedelta(seconds=skew))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        candidates = adapter.get("time_candidates") or {}
        clock = Clock(zone(adapter.get("time_zone")), bool(adapter.get("keep_offset")))
        for name in ("time_candidates", "time_zone", "keep_offset"):
            if name in adapter:
                del adapter[name]
        crawled_at = adapter.get("crawled_at")
        now = datetime.fromisoformat(crawled_at) if crawled_at else datetime.now(UTC)
        flags = list(adapter.get("flags") or [])
        self._set_published(adapter, candidates.get("published", []), now, flags, clock)
        self._set_modified(adapter, candidates.get("modified", []), now, flags, clock)
        adapter["flags"] = flags
        return item

    def _set_published(
        self,
        adapter: ItemAdapter,
        candidates: list[tuple[str, str]],
        now: datetime,
        flags: list[str],
        clock: Clock,
    ) -> None:
        adapter.update(published=None, published_utc=None, published_date=None, published_raw=None)
        # The project's one chooser (the backfill's window check asks it too): a time that
        # names its zone wins over one whose zone was assumed, wherever it stands in the order.
        chosen = choose(candidates, clock.assumed, now, self.future_skew)
        for source in chosen.unparsed:
            self.stats.inc_value(TIMESTAMPS_UNPARSED_PREFIX + source)
        for source in chosen.refused:
            self.stats.inc_value(TIMESTAMPS_REFUSED_PREFIX + source)
        if chosen.moment is not None and chosen.raw is not None and chosen.source is not None:
            self._publish(adapter, clock.local(chosen.moment), chosen.raw, chosen.source)
            if chosen.zone_assumed:
                flags.append("published_zone_assumed")
                self.stats.inc_value(TIMESTAMPS_PUBLISHED_ZONE_ASSUMED)
            return
        if chosen.day is not None:
            adapter.update(published_date=chosen.day.isoformat(), published_raw=chosen.raw)
            flags.append("published_date_only")
        else:
            flags.append("published_future" if chosen.refused_future else "published_missing")
        self.stats.inc_value(TIMESTAMPS_PREFIX + flags[-1])

    def _publish(self, adapter: ItemAdapter, moment: datetime, raw: str, source: str) -> None:
        adapter.update(
            published=moment.isoformat(timespec="seconds"),
            published_utc=utc_iso(moment),
            published_date=moment.date().isoformat(),
            published_raw=raw,
        )
        self.stats.inc_value(TIMESTAMPS_PUBLISHED_FROM_PREFIX + source)

    def _set_modified(
        self,
        adapter: ItemAdapter,
        candidates: list[tuple[str, str]],
        now: datetime,
        flags: list[str],
        clock: Clock,
    ) -> None:
        adapter["modified"] = None
        for _source, raw in candidates:
            parsed = parse_time(raw, clock.assumed)
            if parsed and parsed.moment and self._plausible(parsed.moment, now):
                adapter["modified"] = clock.local(parsed.moment).isoformat(timespec="seconds")
                return
        if candidates:
            flags.append("modified_invalid")
            self.stats.inc_value(TIMESTAMPS_MODIFIED_INVALID)

    def _plausible(self, moment: datetime, now: datetime) -> bool:
        return EARLIEST <= moment <= now + self.future_skew
