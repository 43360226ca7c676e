"""JSON lines that survive every consumer, and that the crawl state can trust.

- UTF-8 text, one object per `str.splitlines()` line: line separators inside strings are escaped.
- Each line is flushed as soon as it is written. With a crawl state (NEWSCRAWL_STATE), the export is
  journaled around the write (see newscrawl.state), so the state claims exactly the lines that are
  complete in the file, even if the process is killed.
- A failing write (disk full, file gone) is logged once, counted in `newscrawl/feed/write_failed`
  and makes the run unhealthy; it does not stop the other feeds.
"""

from __future__ import annotations

import logging
import os
import stat
from datetime import UTC, datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exporters import JsonLinesItemExporter
from scrapy.statscollectors import StatsCollector

from newscrawl.extensions.state import crawl_state
from newscrawl.pipelines.revisions import content_hash
from newscrawl.state import CrawlState, ExportRecord

logger = logging.getLogger(__name__)

# json.dumps(ensure_ascii=False) escapes C0 controls but leaves these raw, and str.splitlines()
# (and some JavaScript parsers) treat them as line ends.
LINE_SEPARATORS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_TRANSLATION = str.maketrans(LINE_SEPARATORS)


def escape_line_separators(data: str) -> str:
    """Escape line separators; they can only occur inside JSON strings, so this stays valid JSON."""
    return data.translate(_TRANSLATION)


class JsonLinesExporter(JsonLinesItemExporter):
    def __init__(
        self,
        file: Any,
        *,
        state: CrawlState | None = None,
        stats: StatsCollector | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)
        self.state = state
        self.stats = stats
        self.failed = False
        self.feed = _local_path(file)

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: Any, **kwargs: Any) -> JsonLinesExporter:
        state, _ = crawl_state(crawler)
        return cls(file, state=state, stats=crawler.stats, **kwargs)

    def export_item(self, item: Any) -> None:
        fields = dict(self.get_serialized_fields(item))
        line = escape_line_separators(self.encoder.encode(fields)) + "\n"
        data = line.encode(self.encoding or "utf-8")
        record = self._record(item) if self.state else None
        offset = self._offset() if record and self.feed else None
        if record and offset is not None:
            self.state.begin_export(self.feed, offset, record)
        try:
            self.file.write(data)
            self.file.flush()
        except OSError as error:
            self._write_failed(error, record)
            return
        if record and offset is not None:
            self.state.finish_export(self.feed, record)
        elif record:
            self.state.record_export(record)

    def _record(self, item: Any) -> ExportRecord:
        adapter = ItemAdapter(item)
        return ExportRecord(
            id=adapter["id"],
            url=adapter["url"],
            published=adapter.get("published"),
            content_hash=content_hash(item),
            revision=adapter.get("revision") or 1,
            seen_at=adapter.get("crawled_at") or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    def _offset(self) -> int | None:
        try:
            return self.file.tell()
        except OSError:
            return None

    def _write_failed(self, error: OSError, record: ExportRecord | None) -> None:
        if record and self.feed:
            self.state.abort_export(self.feed, record.id)
        if self.stats:
            self.stats.inc_value("newscrawl/feed/write_failed")
        if not self.failed:
            logger.error("cannot write the feed %s: %s", self.feed or self.file, error)
        self.failed = True


def _local_path(file: Any) -> str | None:
    """The path of a regular local output file; None for pipes, devices and remote storage."""
    name = getattr(file, "name", None)
    if not isinstance(name, str):
        return None
    try:
        return name if stat.S_ISREG(os.stat(name).st_mode) else None
    except OSError:
        return None
