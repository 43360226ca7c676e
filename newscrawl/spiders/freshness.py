"""Which listed articles a scheduled run fetches, given the crawl state.

- new (not in the state): fetched;
- known and published within the revisit window: fetched again, to catch corrections and
  "(UPDATE 1)" rewrites;
- known and older: not fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum

from scrapy.settings import BaseSettings

from newscrawl.defaults import setting_float, setting_text
from newscrawl.state import CrawlState
from newscrawl.times import TOKYO


class Freshness(Enum):
    NEW = "new"
    REVISIT = "revisit"
    KNOWN = "known"


@dataclass
class FreshnessPolicy:
    state: CrawlState | None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    revisit_window: timedelta = timedelta(hours=48)

    @classmethod
    def from_settings(cls, settings: BaseSettings, state: CrawlState | None) -> FreshnessPolicy:
        return cls(
            state=state,
            now=run_now(settings),
            revisit_window=timedelta(hours=setting_float(settings, "NEWSCRAWL_REVISIT_HOURS")),
        )

    def judge(self, article_id: str) -> Freshness:
        known = self.state.known(article_id) if self.state else None
        if known is None:
            return Freshness.NEW
        if known.published and self.now - _aware(datetime.fromisoformat(known.published)) <= (
            self.revisit_window
        ):
            return Freshness.REVISIT
        return Freshness.KNOWN


def run_now(settings: BaseSettings | None) -> datetime:
    """The time a run considers "now": NEWSCRAWL_NOW when set (a replay), else the clock.
    ValueError for a NEWSCRAWL_NOW that is no ISO 8601 time."""
    value = setting_text(settings, "NEWSCRAWL_NOW") if settings is not None else None
    return _aware(datetime.fromisoformat(value)) if value else datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """A time without offset is Japan time, as everywhere in the project."""
    return moment if moment.tzinfo else moment.replace(tzinfo=TOKYO)
