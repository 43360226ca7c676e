"""The export journal: how an exported line and the crawl state never disagree.

Each JSON lines feed (newscrawl.exporters) journals every line it writes in the crawl state:
an entry (file, byte offset, record) before the write, marked written after it. Once the item
has been through every feed of the run, `ExportJournal.claim` claims the article if as many
local feeds as the run writes hold its line. What a killed run, or a feed that failed, leaves in
the journal is settled by one rule, `settle`, which both crawl states apply: complete in every
feed, claimed; otherwise cut off every file that has a line of it (the next run exports the
article again, into all its feeds).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from newscrawl.state.interface import CrawlState, ExportRecord


@dataclass(frozen=True)
class PendingLine:
    """One journal entry: the line of article ID at OFFSET in FEED, and whether it was written."""

    feed: str
    offset: int
    id: str
    record: str
    written: bool = False


def settle(entries: list[PendingLine], feeds: int) -> list[tuple[PendingLine, bool]]:
    """The one rule for a journal left pending: an article is claimed when its line is complete
    in as many feeds as the run had (FEEDS; when unknown, every feed its entries name), and in
    every feed that has an entry for it; otherwise every line of it is cut. Returned in the
    order to apply (highest offset first, so each cut only removes the tail of its file)."""
    by_id: dict[str, list[PendingLine]] = {}
    for entry in entries:
        by_id.setdefault(entry.id, []).append(entry)
    decided = []
    for article_id, lines in by_id.items():
        complete = [e for e in lines if complete_line_at(Path(e.feed), e.offset, article_id)]
        claimed = len(complete) == len(lines) and len(complete) >= feeds
        decided += [(e, claimed) for e in lines]
    return sorted(decided, key=lambda pair: -pair[0].offset)


def complete_line_at(path: Path, offset: int, article_id: str) -> bool:
    """Whether PATH holds, at OFFSET, a whole line (newline included) of article ARTICLE_ID."""
    try:
        with path.open("rb") as file:
            file.seek(offset)
            line = file.readline()
    except OSError:
        return False
    if not line.endswith(b"\n"):
        return False
    try:
        return json.loads(line).get("id") == article_id
    except ValueError:
        return False


def truncate_at(path: Path, offset: int) -> None:
    """Cut a torn or unclaimed tail off an output file (nothing after it belongs to anyone)."""
    try:
        if path.stat().st_size > offset:
            os.truncate(path, offset)
    except OSError:
        pass


class ExportJournal:
    """One run's claims: which feeds wrote each article's line, until the item has been through
    every feed (Scrapy's `item_scraped`) and the article is claimed in the crawl state. The
    state extension keeps it; every JSON lines exporter of the run reports its lines here."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state
        self.feeds = 0  # how many local feeds this run writes (from the settings)
        # Article id -> (its record, the feeds that wrote its line) until the item is claimed.
        self.written: dict[str, tuple[ExportRecord, set[str]]] = {}

    def expect_feeds(self, count: int) -> None:
        """How many local feeds must hold an article's line before it is claimed."""
        self.feeds = count
        self.state.set_export_feed_count(count)

    def line_written(self, feed: str, record: ExportRecord) -> None:
        self.state.line_written(feed, record.id)
        _, feeds = self.written.setdefault(record.id, (record, set()))
        feeds.add(feed)

    def claim(self, article_id: str | None) -> bool | None:
        """The item went through every feed: True if its article is claimed (each local feed
        holds its line), False if not, None if no feed journaled a line of it."""
        entry = self.written.pop(article_id, None)
        if entry is None:
            return None
        record, feeds = entry
        return len(feeds) >= self.feeds and self.state.claim(record, sorted(feeds), self.feeds)
