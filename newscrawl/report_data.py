"""The numbers behind `newscrawl report`: the exported data counted per day and section, the
window of days, the runs in it, and what the report is of (`Sources`).

A day is a UTC calendar day: for a run, the day it started; for an exported article, the day
it was fetched (`crawled_at`).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from newscrawl.runs import REAL_HOST, Run, folder_name, parse_time

LONG_BODY = 500  # characters: a body shorter than this is likely a teaser or a broken extraction


class ReportError(Exception):
    """A source or the output cannot be used: one line, exit status 2."""


# -- the exported data --------------------------------------------------------------------------
@dataclass
class Coverage:
    """How many of a day's items have each field worth having."""

    items: int = 0
    authors: int = 0
    published: int = 0
    long_body: int = 0


@dataclass
class DataCounts:
    files: int = 0
    items: int = 0
    unreadable: int = 0  # lines that are no JSON object (a torn line of a killed run)
    undated: int = 0  # items without a readable crawled_at
    outside: int = 0  # items fetched before the window
    by_section: Counter[tuple[str, str]] = field(default_factory=Counter)  # (day, section)
    by_day: dict[str, Coverage] = field(default_factory=dict)


def data_files(data_dir: Path, host: str | None = None, job: str | None = None) -> list[Path]:
    """The JSON lines files below DATA_DIR, of HOST (`hosts/<host>/`; the real site's lie
    outside `hosts/`) and JOB (`jobs/<job>.jsonl`) if given."""
    found = []
    for folder, _, names in os.walk(data_dir):
        for name in names:
            path = Path(folder) / name
            if name.endswith(".jsonl") and _wanted(path.relative_to(data_dir).parts, host, job):
                found.append(path)
    return sorted(found)


def _wanted(parts: tuple[str, ...], host: str | None, job: str | None) -> bool:
    if host is not None:
        under_hosts = len(parts) > 2 and parts[0] == "hosts"
        if folder_name(host) == REAL_HOST:  # its data lies outside hosts/ (newscrawl/paths.py)
            if under_hosts:
                return False
        elif not (under_hosts and folder_name(parts[1]) == folder_name(host)):
            return False
    if job is not None:
        return len(parts) > 1 and parts[-2] == "jobs" and parts[-1] == f"{job}.jsonl"
    return True


def count_items(files: Iterable[Path], since: date | None = None) -> DataCounts:
    counts = DataCounts()
    for path in files:
        counts.files += 1
        try:
            with path.open(encoding="utf-8", errors="replace") as file:
                for line in file:  # one line at a time: a feed may be large
                    count_line(line, counts, since)
        except OSError as error:
            raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    return counts


def count_line(line: str, counts: DataCounts, since: date | None) -> None:
    if not line.strip():
        return
    try:
        item = json.loads(line)
    except ValueError:
        item = None
    if not isinstance(item, dict):
        counts.unreadable += 1
        return
    day = _day(item.get("crawled_at"))
    if day is None:
        counts.undated += 1
        return
    if since is not None and day < since.isoformat():
        counts.outside += 1
        return
    counts.items += 1
    counts.by_section[day, str(item.get("section") or "(none)")] += 1
    coverage = counts.by_day.setdefault(day, Coverage())
    coverage.items += 1
    coverage.authors += bool(item.get("authors"))
    coverage.published += item.get("published") is not None
    coverage.long_body += len(item.get("body") or "") > LONG_BODY


def _day(value: Any) -> str | None:
    moment = parse_time(value)
    return moment.astimezone(UTC).date().isoformat() if moment else None


# -- the window ---------------------------------------------------------------------------------
def window_start(days: int, today: date) -> date | None:
    """The first day of the last DAYS days up to TODAY; None (everything) for 0."""
    return today - timedelta(days=days - 1) if days > 0 else None


def day_axis(since: date | None, today: date, counts: DataCounts) -> list[str]:
    """Every day of the window (empty ones too, so a gap shows); without a window, the days
    from the first to the last with data."""
    if since is None:
        if not counts.by_day:
            return []
        first, last = min(counts.by_day), max(counts.by_day)
        since, today = date.fromisoformat(first), date.fromisoformat(last)
    return [(since + timedelta(days=i)).isoformat() for i in range((today - since).days + 1)]


def runs_since(runs: Iterable[Run], since: date | None) -> list[Run]:
    """The runs started in the window, oldest first (a chart reads left to right)."""
    kept = [
        r for r in runs if since is None or (r.start and r.start.astimezone(UTC).date() >= since)
    ]
    return sorted(kept, key=lambda r: (r.start or datetime.min.replace(tzinfo=UTC), r.line))


# -- what the report is of ---------------------------------------------------------------------
@dataclass
class Sources:
    state_dir: Path
    data_dir: Path
    host: str | None
    job: str | None
    days: int
    generated: datetime
