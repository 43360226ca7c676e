"""The crawl state of scheduled runs: which articles were exported, with which content.

- interface.py: what every state offers (the CrawlState Protocol), its records and errors;
- sqlite.py: the single-machine state, a SQLite file (the default);
- redis.py: the state of workers that share a frontier (NEWSCRAWL_FRONTIER), in Redis;
- journal.py: the export journal's one settle rule, and a run's claims (ExportJournal).

A component of a crawl (spider, pipeline, exporter, scheduler) finds the crawl's open state
with `of_crawler(crawler)`: the state extension (newscrawl.extensions.state_keeper) opens it
and registers it here. Importing this package loads neither backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler

from newscrawl.state.interface import (
    CrawlState,
    ExportRecord,
    KnownArticle,
    StateDamaged,
    StateLocked,
    StateUnwritable,
)
from newscrawl.state.journal import ExportJournal

__all__ = [
    "CrawlState",
    "ExportJournal",
    "ExportRecord",
    "KnownArticle",
    "OpenState",
    "StateDamaged",
    "StateLocked",
    "StateUnwritable",
    "of_crawler",
    "register",
]


@dataclass
class OpenState:
    """A crawl's state as its state extension opened it (all None: no state, incremental
    mode off, or a crawler that never starts, as in `newscrawl extract`)."""

    state: CrawlState | None = None
    error: str | None = None  # why the state is unusable: another run holds it
    journal: ExportJournal | None = None  # where the crawl's exporters report their lines


# By crawler; an entry goes with its crawler.
_REGISTERED: WeakKeyDictionary[Crawler, OpenState] = WeakKeyDictionary()


def register(crawler: Crawler, opened: OpenState) -> None:
    """Make OPENED the crawl's state for every component of CRAWLER (the extension keeps it
    up to date: its `state` is None once closed)."""
    _REGISTERED[crawler] = opened


def of_crawler(crawler: Crawler) -> OpenState:
    """The open state of CRAWLER's crawl, the reason it is unusable, and its export journal."""
    return _REGISTERED.get(crawler) or OpenState()
