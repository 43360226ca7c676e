"""Crawl state of scheduled runs, in SQLite: which articles were exported, with which content.

One row per article: id, url, published, content hash, first and last seen, revision. The state
claims an article only once its line is complete in an output file. Each export is journaled:
1. a `pending` row (file, byte offset, record) is committed;
2. the line is written and flushed;
3. the article row is upserted and the pending row removed, in one transaction.
A run killed between 1 and 3 leaves a pending row. The next run repairs it before it starts: a
complete line with that id at that offset means the export happened; anything else (nothing, or a
torn line) is cut off the file. So no file line is unknown to the state and no state row lacks its
line.

A listing's walk may stop at the first page of known articles only if an earlier walk of that
listing was complete: it ended at the listing's end or at known articles, in a healthy run (every
article it listed exported). A killed or unhealthy run leaves its listings incomplete, and the next
run walks them to the end, so no article older than the known ones is skipped for good.

Two runs never share a state: a run holds an exclusive lock (flock on `<state>.lock`) from start
to end; the operating system releases it even when the process is killed.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    published TEXT,
    content_hash TEXT NOT NULL,
    revision INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS listings (
    listing TEXT PRIMARY KEY,
    complete INTEGER NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    feed TEXT NOT NULL,
    offset INTEGER NOT NULL,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (feed, id)
);
"""


class StateLocked(RuntimeError):
    """Another run holds the state."""


@dataclass(frozen=True)
class KnownArticle:
    id: str
    published: str | None
    content_hash: str
    revision: int


@dataclass(frozen=True)
class ExportRecord:
    """What the state keeps of one exported line."""

    id: str
    url: str
    published: str | None
    content_hash: str
    revision: int
    seen_at: str

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ExportRecord:
        return cls(**json.loads(text))


# States open in this process, by real path: the `crawl` command takes the lock before Scrapy
# opens any feed, and the crawl's components then use the same open state.
_OPEN: dict[str, CrawlState] = {}


def open_state(path: str | os.PathLike[str], lock_timeout: float = 0.0) -> CrawlState:
    key = os.path.realpath(path)
    if key not in _OPEN:
        _OPEN[key] = CrawlState(path, lock_timeout)
    return _OPEN[key]


class CrawlState:
    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 0.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_path = f"{self.path}.lock"
        self._acquire(lock_timeout)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.repaired = self.repair()

    def _acquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            lock_file = open(self._lock_path, "a+")  # noqa: SIM115 - held until close()
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock_file.seek(0)
                holder = lock_file.read().strip() or "?"
                lock_file.close()
                if time.monotonic() >= deadline:
                    raise StateLocked(
                        f"another run (pid {holder}) is using the state {self.path}"
                    ) from None
                time.sleep(0.2)
                continue
            # Someone may have deleted or replaced the lock file while we waited: a lock on a
            # file that is no longer at the path protects nothing. Try again.
            if not _same_file(lock_file, self._lock_path):
                lock_file.close()
                continue
            lock_file.seek(0)
            lock_file.truncate()
            lock_file.write(f"{os.getpid()}\n")
            lock_file.flush()
            self._lock_file = lock_file
            return

    def close(self) -> None:
        _OPEN.pop(os.path.realpath(self.path), None)
        self.db.close()
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()

    # -- reading ------------------------------------------------------------------------------
    def known(self, article_id: str) -> KnownArticle | None:
        row = self.db.execute(
            "SELECT id, published, content_hash, revision FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return KnownArticle(*row) if row else None

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    # -- the job a backfill state belongs to --------------------------------------------------
    def job_arguments(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """The arguments the job was started with; recorded now if this is its first run."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'job_arguments'").fetchone()
        if row:
            return json.loads(row[0])
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('job_arguments', ?)",
            (json.dumps(arguments, sort_keys=True),),
        )
        return arguments

    # -- listings -------------------------------------------------------------------------------
    def listing_complete(self, listing: str) -> bool:
        row = self.db.execute(
            "SELECT complete FROM listings WHERE listing = ?", (listing,)
        ).fetchone()
        return bool(row and row[0])

    def start_listing(self, listing: str) -> None:
        self._set_listings([listing], complete=False)

    def complete_listings(self, listings: list[str]) -> None:
        self._set_listings(listings, complete=True)

    def _set_listings(self, listings: list[str], complete: bool) -> None:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO listings (listing, complete, updated) VALUES (?, ?, ?)",
                [(listing, int(complete), now) for listing in listings],
            )

    # -- the export journal -------------------------------------------------------------------
    def begin_export(self, feed: str, offset: int, record: ExportRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO pending (feed, offset, id, record) VALUES (?, ?, ?, ?)",
            (feed, offset, record.id, record.to_json()),
        )

    def finish_export(self, feed: str, record: ExportRecord) -> None:
        with self.db:  # one transaction
            self.db.execute("BEGIN")
            self._upsert(record)
            self.db.execute("DELETE FROM pending WHERE feed = ? AND id = ?", (feed, record.id))

    def abort_export(self, feed: str, article_id: str) -> None:
        self.db.execute("DELETE FROM pending WHERE feed = ? AND id = ?", (feed, article_id))

    def _upsert(self, record: ExportRecord) -> None:
        self.db.execute(
            """INSERT INTO articles
                   (id, url, published, content_hash, revision, first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET
                   url = excluded.url, published = excluded.published,
                   content_hash = excluded.content_hash,
                   revision = max(articles.revision, excluded.revision),
                   last_seen = excluded.last_seen""",
            (
                record.id,
                record.url,
                record.published,
                record.content_hash,
                record.revision,
                record.seen_at,
                record.seen_at,
            ),
        )

    def touch(self, article_id: str, seen_at: str) -> None:
        """An unchanged article was seen again."""
        self.db.execute("UPDATE articles SET last_seen = ? WHERE id = ?", (seen_at, article_id))

    # -- recovery after a killed run ----------------------------------------------------------
    def repair(self) -> dict[str, int]:
        """Settle the exports a killed run left pending; returns counts by outcome."""
        outcome = {"completed": 0, "cut": 0}
        rows = self.db.execute("SELECT feed, offset, id, record FROM pending").fetchall()
        for feed, offset, article_id, text in sorted(rows, key=lambda r: -r[1]):
            record = ExportRecord.from_json(text)
            if _complete_line_at(Path(feed), offset, article_id):
                self.finish_export(feed, record)
                outcome["completed"] += 1
            else:
                _truncate(Path(feed), offset)
                self.abort_export(feed, article_id)
                outcome["cut"] += 1
        return outcome


def _same_file(file: Any, path: str) -> bool:
    try:
        return os.fstat(file.fileno()).st_ino == os.stat(path).st_ino
    except OSError:
        return False


def _complete_line_at(path: Path, offset: int, article_id: str) -> bool:
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


def _truncate(path: Path, offset: int) -> None:
    """Cut a torn or unclaimed tail off an output file (nothing after it belongs to anyone)."""
    try:
        if path.stat().st_size > offset:
            os.truncate(path, offset)
    except OSError:
        pass
