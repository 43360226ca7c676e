"""Crawl state of scheduled runs, in SQLite: which articles were exported, with which content.

One row per article: id, url, published, content hash, first and last seen, revision. The state
claims an article only once its line is complete in EVERY local output file of the run (the `-O`
file and the dated archive alike). Each export is journaled:
1. per feed, a `pending` row (file, byte offset, record) is committed, the line is written, and
   the row is marked `written`;
2. once every feed of the run has written the item, the article row is upserted and its pending
   rows removed, in one transaction (`claim`).
A feed that could not write the item (disk full, or never opened) leaves it unclaimed. At the end
of the run, and at the start of the next one after a kill, `repair` settles the pending rows by
one rule: an article whose line is complete in as many feeds as the run had (`export_feed_count`,
from the settings) is claimed; otherwise its lines are cut off every file that has one, and the
next run exports it again into all its feeds. So no file line is unknown to the state, no state
row lacks its line, and no feed misses an article for good.

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
from pathlib import Path
from typing import Any

from newscrawl.state.interface import (
    ExportRecord,
    KnownArticle,
    StateDamaged,
    StateLocked,
    StateUnwritable,
)
from newscrawl.state.journal import PendingLine, settle, truncate_at

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
    written INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (feed, id)
);
"""
TABLE_COLUMNS = {
    "articles": ("id", "url", "published", "content_hash", "revision", "first_seen", "last_seen"),
    "meta": ("key", "value"),
    "listings": ("listing", "complete", "updated"),
    "pending": ("feed", "offset", "id", "record", "written"),
}
# States made before the `written` column: the column is added when such a state is opened.
MIGRATIONS = {
    ("pending", "written"): "ALTER TABLE pending ADD COLUMN written INTEGER NOT NULL DEFAULT 0"
}


WAL_CHECKPOINT_PAGES = 256  # of 4 KiB: 1 MiB
WAL_SIZE_LIMIT = 1024 * 1024

# SQLite's answers that mean "this file is not a sound database", and "cannot write here".
DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT"})


# States open in this process, by real path: the `crawl` command takes the lock before Scrapy
# opens any feed, and the crawl's components then use the same open state.
_OPEN: dict[str, SqliteCrawlState] = {}


def open_state(path: str | os.PathLike[str], lock_timeout: float = 0.0) -> SqliteCrawlState:
    """The state at PATH, opened (and locked) now or earlier in this process."""
    key = os.path.realpath(path)
    if key not in _OPEN:
        _OPEN[key] = SqliteCrawlState(path, lock_timeout)
    return _OPEN[key]


def already_open(path: str | os.PathLike[str]) -> SqliteCrawlState | None:
    """The state at PATH if this process has it open (the `crawl` command locked it)."""
    return _OPEN.get(os.path.realpath(path))


class SqliteCrawlState:
    """The crawl state in one SQLite file, locked by one run at a time (see CrawlState)."""

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 0.0):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_path = f"{self.path}.lock"
            self._acquire(lock_timeout)
        except OSError as error:
            raise StateUnwritable(
                f"cannot write the crawl state {self.path}: {error.strerror or error}"
            ) from None
        try:
            self._connect()
        except sqlite3.Error as error:
            self._abandon()
            if getattr(error, "sqlite_errorname", "") in DAMAGED:
                raise StateDamaged(self.path, str(error)) from None
            raise StateUnwritable(f"cannot write the crawl state {self.path}: {error}") from None
        except StateDamaged:
            self._abandon()
            raise

    def _abandon(self) -> None:
        """Close what a failed open had opened, and free the lock."""
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
        self._release()

    def _connect(self) -> None:
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        # A run killed mid-write, a machine that stopped, a disk that lied: check the database
        # before trusting it, every time (it reads each page of the file once: cheap beside a
        # crawl), not only after an unclean stop, which a WAL file left beside it would tell.
        verdict = self.db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if verdict != "ok":
            raise StateDamaged(self.path, f"SQLite quick_check: {verdict}")
        self._check_tables()
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # Each export commits a few small transactions: by default the WAL grows to 4 MB (1000
        # pages) before a checkpoint, for a state of a few hundred KB. Checkpoint every 1 MB and
        # cut the WAL back to that size, so a long run keeps it small.
        self.db.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
        self.db.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        self.db.executescript(SCHEMA)
        self._migrate()
        self.repaired = self.repair()

    def _check_tables(self) -> None:
        """Another program's database at the state's path: refuse it before writing into it
        (a state made before a column was added is migrated instead)."""
        tables = {
            name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if tables and "articles" not in tables:
            raise StateDamaged(
                self.path, f"not a newscrawl state: tables {', '.join(sorted(tables))}"
            )
        for table in sorted(tables & TABLE_COLUMNS.keys()):
            columns = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            added = {column for (name, column) in MIGRATIONS if name == table}
            missing = sorted(set(TABLE_COLUMNS[table]) - columns - added)
            if missing:
                raise StateDamaged(
                    self.path, f"not a newscrawl state: table {table} has no column {missing[0]}"
                )

    def _migrate(self) -> None:
        for (table, column), statement in MIGRATIONS.items():
            columns = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in columns:
                self.db.execute(statement)

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
        self._release()

    def _release(self) -> None:
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
    def set_export_feed_count(self, count: int) -> None:
        """How many local feeds this run writes: an article is claimed once that many hold its
        line (known from the settings before the first item, so a feed that fails to open
        still counts)."""
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('export_feed_count', ?)",
            (str(count),),
        )

    def export_feed_count(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'export_feed_count'").fetchone()
        return int(row[0]) if row else 0

    def begin_export(self, feed: str, offset: int, record: ExportRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO pending (feed, offset, id, record) VALUES (?, ?, ?, ?)",
            (feed, offset, record.id, record.to_json()),
        )

    def line_written(self, feed: str, article_id: str) -> None:
        self.db.execute(
            "UPDATE pending SET written = 1 WHERE feed = ? AND id = ?", (feed, article_id)
        )

    def claim(self, record: ExportRecord, feeds: list[str], count: int) -> bool:
        """Claim the article if COUNT feeds (the run's) have written its line, FEEDS in this
        process (one transaction); False leaves its pending rows for `repair`."""
        with self.db:
            self.db.execute("BEGIN")
            (written,) = self.db.execute(
                "SELECT count(*) FROM pending WHERE id = ? AND written = 1", (record.id,)
            ).fetchone()
            if written < max(count, len(feeds)):
                return False
            self._upsert(record)
            self.db.execute("DELETE FROM pending WHERE id = ?", (record.id,))
        return True

    def finish_export(self, feed: str, record: ExportRecord) -> None:
        """A run with one feed: the line is written, the article claimed (one transaction)."""
        with self.db:
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

    # -- settling the journal ------------------------------------------------------------------
    def settle_unclaimed(self) -> dict[str, int]:
        """At the end of a run: settle what a failed feed left unclaimed (see `repair`)."""
        return self.repair()

    def repair(self) -> dict[str, int]:
        """Settle the exports a killed run (or, at the end of a run, a feed that failed) left
        pending; returns counts of lines by outcome."""
        rows = self.db.execute("SELECT feed, offset, id, record, written FROM pending").fetchall()
        entries = [
            PendingLine(feed, offset, id_, text, bool(w)) for feed, offset, id_, text, w in rows
        ]
        outcome = {"completed": 0, "cut": 0}
        for entry, claimed in settle(entries, self.export_feed_count()):
            if claimed:
                self._upsert(ExportRecord.from_json(entry.record))
            else:
                truncate_at(Path(entry.feed), entry.offset)
            self.abort_export(entry.feed, entry.id)
            outcome["completed" if claimed else "cut"] += 1
        return outcome


def _same_file(file: Any, path: str) -> bool:
    try:
        return os.fstat(file.fileno()).st_ino == os.stat(path).st_ino
    except OSError:
        return False
