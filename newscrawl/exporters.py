"""JSON lines that survive every consumer, and that the crawl state can trust.

- UTF-8 text, one object per `str.splitlines()` line: line separators inside strings are escaped.
- Each line is flushed as soon as it is written. With a crawl state (NEWSCRAWL_STATE), the export is
  journaled around the write (see newscrawl.state.journal): the state claims an article once its
  line is complete in every local feed of the run (the run's ExportJournal does, when the item has
  gone through all feeds), even if the process is killed.
- A failing write (disk full, file gone) is logged once, counted in `newscrawl/feed/write_failed`
  and makes the run unhealthy; it does not stop the other feeds.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import tempfile
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exporters import JsonLinesItemExporter
from scrapy.statscollectors import StatsCollector

from newscrawl.items import content_hash
from newscrawl.state import CrawlState, ExportJournal, ExportRecord, of_crawler
from newscrawl.stats import FEED_LINES, FEED_WRITE_FAILED
from newscrawl.times import utc_now

logger = logging.getLogger(__name__)

# json.dumps(ensure_ascii=False) escapes C0 controls but leaves these raw, and str.splitlines()
# (and some JavaScript parsers) treat them as line ends.
LINE_SEPARATORS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def escape_line_separators(data: str) -> str:
    """Escape line separators; they can only occur inside JSON strings, so this stays valid JSON."""
    # str.translate walks the whole line in Python-level steps (about 200 µs for 5 KB); most
    # lines hold no separator at all, and `in` answers that in well under a microsecond.
    for raw, escaped in LINE_SEPARATORS.items():
        if raw in data:
            data = data.replace(raw, escaped)
    return data


class JsonLinesExporter(JsonLinesItemExporter):
    def __init__(
        self,
        file: Any,
        *,
        state: CrawlState | None = None,
        stats: StatsCollector | None = None,
        journal: ExportJournal | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)
        self.state = state
        self.stats = stats
        self.failed = False
        self.feed = _local_path(file)
        self.journal = journal
        if state is not None and self.feed is None:
            logger.warning(
                "the feed %s is not a local file: the crawl state cannot follow what reaches it,"
                " so articles exported only there will be exported again by the next run",
                getattr(file, "name", file),
            )

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: Any, **kwargs: Any) -> JsonLinesExporter:
        opened = of_crawler(crawler)
        journal = opened.journal if opened.state is not None else None
        return cls(file, state=opened.state, stats=crawler.stats, journal=journal, **kwargs)

    def export_item(self, item: Any) -> None:
        if self.failed:
            self._count(FEED_WRITE_FAILED)
            return
        fields = dict(self.get_serialized_fields(item))
        line = escape_line_separators(self.encoder.encode(fields)) + "\n"
        data = line.encode(self.encoding or "utf-8")
        try:
            if self.feed and self.state:
                self._journaled_write(data, self._record(item))
            else:
                self.file.write(data)
                self.file.flush()
        except (OSError, sqlite3.Error) as error:
            self._write_failed(error)
            return
        self._count(FEED_LINES)

    def _journaled_write(self, data: bytes, record: ExportRecord) -> None:
        """Pending row, then the line through the file descriptor (nothing left in a Python
        buffer to surface later), then the row marked written; the claim waits for every feed
        (ExportJournal.claim, once the item has been through them all). A failed write is cut
        off the file; if even that fails, the pending row stays for the repair."""
        fd = self.file.fileno()
        offset = os.lseek(fd, 0, os.SEEK_END)
        self.state.begin_export(self.feed, offset, record)
        try:
            _write_all(fd, data)
        except OSError:
            os.ftruncate(fd, offset)
            self.state.abort_export(self.feed, record.id)
            raise
        if self.journal is not None:
            self.journal.line_written(self.feed, record)
        else:  # a state without a crawl around it: this feed is the only one
            self.state.finish_export(self.feed, record)

    def _record(self, item: Any) -> ExportRecord:
        adapter = ItemAdapter(item)
        return ExportRecord(
            id=adapter["id"],
            url=adapter["url"],
            published=adapter.get("published"),
            content_hash=content_hash(item),
            revision=adapter.get("revision") or 1,
            seen_at=adapter.get("crawled_at") or utc_now(),
        )

    def _write_failed(self, error: Exception) -> None:
        """Stop writing this feed for the rest of the run: what follows would only be torn."""
        self._count(FEED_WRITE_FAILED)
        logger.error("cannot write the feed %s: %s", self.feed or self.file, error)
        self.failed = True

    def _count(self, key: str) -> None:
        if self.stats:
            self.stats.inc_value(key)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _local_path(file: Any) -> str | None:
    """The absolute path of a regular local output file; None for pipes, devices, compressed
    output and the temporary files Scrapy uploads to remote storage when the feed closes."""
    name = getattr(file, "name", None)
    # BlockingFeedStorage (S3, FTP, GCS) writes to a NamedTemporaryFile and uploads it at the end.
    if not isinstance(name, str) or isinstance(file, tempfile._TemporaryFileWrapper):
        return None
    try:
        file.fileno()  # compressing post-processors have none
        return os.path.realpath(name) if stat.S_ISREG(os.stat(name).st_mode) else None
    except (OSError, ValueError, AttributeError):
        return None
