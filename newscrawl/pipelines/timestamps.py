"""Turn the raw time strings the spider found into `published`, `published_utc` and `modified`.

Candidates come in order of trust (page metadata, JSON-LD, the visible date line, the listing date);
the first that gives a full, plausible time wins. A time without an offset is in the item's
`time_zone` (Japan time by default), and loses to any later one that names its zone. `published`
and `modified` are Japan time, or, for items with `keep_offset` (the `news` spider), keep the
offset the page gives. This is the project's one parser of time strings. A date
without a time of day is never turned into midnight: `published` stays null, `published_date` holds
the date and `flags` says why. Plausible means from 1990 up to the crawl time plus the allowed skew,
for a date alone as for a full time; an offset of a day or more is not a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newscrawl.times import EARLIEST, TOKYO, ParsedTime, parse_time, utc_iso, zone


@dataclass(frozen=True)
class Clock:
    """How an item's times are read and written: ASSUMED is the zone of times that name none;
    the output is Japan time, or the page's own offset with KEEP_OFFSET."""

    assumed: tzinfo = TOKYO
    keep_offset: bool = False

    def local(self, moment: datetime) -> datetime:
        return moment if self.keep_offset else moment.astimezone(TOKYO)


class TimestampsPipeline:
    def __init__(self, stats: StatsCollector, future_skew: timedelta = timedelta(minutes=10)):
        self.stats = stats
        self.future_skew = future_skew

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TimestampsPipeline:
        skew = crawler.settings.getfloat("NEWSCRAWL_FUTURE_SKEW", 600.0)
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
        day_only: tuple[date, str] | None = None
        # A time that names no zone is Japan time (the site's), but a time that names its zone
        # wins over it, wherever it stands in the order of trust.
        assumed: tuple[datetime, str, str] | None = None
        refused_future = False
        for source, raw in candidates:
            parsed = parse_time(raw, clock.assumed)
            if parsed is None:
                self.stats.inc_value(f"newscrawl/timestamps/unparsed/{source}")
            elif parsed.moment is not None and self._plausible(parsed.moment, now):
                if parsed.zone_given:
                    self._publish(adapter, clock.local(parsed.moment), raw, source)
                    return
                assumed = assumed or (clock.local(parsed.moment), raw, source)
            elif parsed.day is not None and self._plausible_day(parsed.day, now):
                day_only = day_only or (parsed.day, raw)
            else:
                # Later than the crawl, or before 1990: a date alone is held to the same bounds.
                refused_future = refused_future or self._future(parsed, now)
                self.stats.inc_value(f"newscrawl/timestamps/refused/{source}")
        if assumed:
            self._publish(adapter, *assumed)
            flags.append("published_zone_assumed")
            self.stats.inc_value("newscrawl/timestamps/published_zone_assumed")
            return
        if day_only:
            adapter.update(published_date=day_only[0].isoformat(), published_raw=day_only[1])
            flags.append("published_date_only")
        else:
            flags.append("published_future" if refused_future else "published_missing")
        self.stats.inc_value(f"newscrawl/timestamps/{flags[-1]}")

    def _publish(self, adapter: ItemAdapter, moment: datetime, raw: str, source: str) -> None:
        adapter.update(
            published=moment.isoformat(timespec="seconds"),
            published_utc=utc_iso(moment),
            published_date=moment.date().isoformat(),
            published_raw=raw,
        )
        self.stats.inc_value(f"newscrawl/timestamps/published_from/{source}")

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
            self.stats.inc_value("newscrawl/timestamps/modified_invalid")

    def _plausible(self, moment: datetime, now: datetime) -> bool:
        return EARLIEST <= moment <= now + self.future_skew

    def _plausible_day(self, day: date, now: datetime) -> bool:
        return EARLIEST.date() <= day <= self._latest_day(now)

    def _latest_day(self, now: datetime) -> date:
        return (now + self.future_skew).astimezone(TOKYO).date()

    def _future(self, parsed: ParsedTime, now: datetime) -> bool:
        if parsed.moment is not None:
            return parsed.moment > now + self.future_skew
        return parsed.day is not None and parsed.day > self._latest_day(now)
