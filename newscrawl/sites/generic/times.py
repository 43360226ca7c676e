"""The generic reader's times: `published` and `modified` chosen among the page's candidates
(newscrawl.page: Page.time_candidates) by the project's one chooser (newscrawl.times.choose)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newscrawl.page import Page
from newscrawl.times import choose, parse_time, zone


@dataclass(frozen=True)
class Time:
    """A found time: VALUE is ISO 8601 with offset (seconds), or None when only DATE is known."""

    value: str | None = None
    source: str | None = None
    zone_assumed: bool = False
    date: str | None = None


def read_time(raw: str | None, tz: str = "UTC") -> Time | None:
    """One raw time string, read by the project's one time parser (newscrawl.times: it gives
    the crawl's `published` too); None when it is not a date at all."""
    parsed = parse_time(raw, zone(tz))
    if parsed is None:
        return None
    if parsed.moment is None:
        return Time(date=parsed.day.isoformat() if parsed.day else None)
    value = parsed.moment.isoformat(timespec="seconds")
    return Time(value=value, zone_assumed=not parsed.zone_given)


def published(page: Page, tz: str = "UTC") -> Time:
    """The publication time; see `first_time` for the order of sources."""
    return first_time(page.time_candidates["published"], tz)


def modified(page: Page, tz: str = "UTC") -> Time:
    return first_time(page.time_candidates["modified"], tz)


def first_time(candidates: Iterable[tuple[str, str]], tz: str) -> Time:
    """As the timestamps pipeline chooses (newscrawl.times.choose, without its bounds in time):
    the first full time that names its zone; else the first whose zone was assumed; else the
    first date alone (value None)."""
    chosen = choose(candidates, zone(tz))
    if chosen.moment is not None:
        value = chosen.moment.isoformat(timespec="seconds")
        return Time(value, chosen.source, chosen.zone_assumed)
    if chosen.day is not None:
        return Time(None, chosen.source, date=chosen.day.isoformat())
    return Time()
