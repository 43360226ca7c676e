"""What every crawl state offers: the CrawlState Protocol, the records it takes and gives, and
its errors. The SQLite state (newscrawl.state.sqlite, one machine) and the Redis state
(newscrawl.state.redis, a shared frontier) both satisfy it; the spider, the pipelines, the
exporter and the extensions only use what is named here."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable


class StateLocked(RuntimeError):
    """Another run holds the state."""


class StateUnwritable(RuntimeError):
    """The state's folder or file cannot be written (a bad location: exit status 2)."""


class StateDamaged(RuntimeError):
    """The state file is not a sound SQLite database (exit status 1, with what to do)."""

    def __init__(self, path: Path, detail: str) -> None:
        detail = " ".join(detail.split())  # quick_check's report spans lines: the error is one
        super().__init__(
            f"the crawl state {path} is damaged ({detail}): move it aside"
            f" (mv {path} {path}.damaged; the same for {path.name}-wal and -shm if there)"
            " and run again; the new state starts empty, so that run exports every article it"
            " lists again"
        )


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


@runtime_checkable
class CrawlState(Protocol):
    """The crawl state of scheduled runs: which articles were exported, with which content,
    which listing walks were complete, and the journal of the exports in flight."""

    path: str | os.PathLike[str]  # what the logs call the state
    repaired: dict[str, int]  # what opening it settled of an interrupted run's exports

    def close(self) -> None: ...

    # -- reading --------------------------------------------------------------------------
    def known(self, article_id: str) -> KnownArticle | None: ...

    def count(self) -> int: ...

    def job_arguments(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """The arguments the job was started with; recorded now if this is its first run."""
        ...

    # -- listings -------------------------------------------------------------------------
    def listing_complete(self, listing: str) -> bool: ...

    def start_listing(self, listing: str) -> None: ...

    def complete_listings(self, listings: list[str]) -> None: ...

    # -- the export journal (newscrawl.state.journal) -------------------------------------
    def set_export_feed_count(self, count: int) -> None:
        """How many local feeds this run writes: an article is claimed once that many hold
        its line."""
        ...

    def begin_export(self, feed: str, offset: int, record: ExportRecord) -> None: ...

    def line_written(self, feed: str, article_id: str) -> None: ...

    def claim(self, record: ExportRecord, feeds: list[str], count: int) -> bool:
        """Claim the article if COUNT feeds have written its line, FEEDS in this process;
        False leaves its journal entries to be settled."""
        ...

    def finish_export(self, feed: str, record: ExportRecord) -> None:
        """A run with one feed: the line is written, the article claimed."""
        ...

    def abort_export(self, feed: str, article_id: str) -> None: ...

    def touch(self, article_id: str, seen_at: str) -> None:
        """An unchanged article was seen again."""
        ...

    def settle_unclaimed(self) -> dict[str, int]:
        """At the end of a run: settle what a failed feed left unclaimed."""
        ...

    def repair(self) -> dict[str, int]:
        """Settle what a killed run left in the journal; counts of lines by outcome."""
        ...
