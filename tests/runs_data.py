"""A week of made-up run histories and exported feeds, laid out as a crawl lays them out
(newscrawl/paths.py), for the tests of `newscrawl runs` and `newscrawl report`."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REAL = "https://japannews.yomiuri.co.jp"
REPLICA = "http://127.0.0.1:8765"
SECTIONS = ("politics", "business", "world", "society")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(
    start: datetime,
    seconds: float = 60,
    exported: int = 10,
    updated: int = 0,
    failed: int = 0,
    refused: int = 0,
    healthy: bool = True,
    base_url: str = REAL,
    section: str = "politics",
    job: str | None = None,
    since: str | None = None,
    spider: str = "japannews",
) -> dict[str, Any]:
    """A run summary line with the fields of newscrawl/extensions/summary.py."""
    return {
        "spider": spider,
        "arguments": {
            "section": section, "max_pages": None, "base_url": base_url, "since": since,
            "until": None, "discover": "listings", "job": job,
        },
        "start": iso(start),
        "end": iso(start + timedelta(seconds=seconds)),
        "status": "ok" if healthy else "unhealthy",
        "exit_status": 0 if healthy else 1,
        "reason": None if healthy else f"{failed} requests finally failed; limit 0%",
        "finish_reason": "finished",
        "exported": exported,
        "new": exported - updated,
        "updated": updated,
        "unchanged_skipped": 0,
        "dropped": {},
        "requests": {"listing": 3, "article": exported, "other": 1},
        "errors": {
            "failed_requests": failed, "failed_urls": [], "forbidden_by_robots": 0,
            "refused_requests": refused, "refused_urls": [], "vanished_requests": 0,
            "vanished_urls": [], "unread_listings": [], "unreachable_hosts": [],
            "gone_articles": 0, "not_article_pages": 0, "not_article_urls": [],
            "charset_damaged_pages": 0, "charset_damaged_urls": [], "feed_write_failures": 0,
            "log_errors": failed,
        },
    }  # fmt: skip


def write_history(path: Path, records: list[dict[str, Any]], torn: bool = False) -> Path:
    """Append RECORDS as JSON lines; TORN adds half a line, as a run killed while appending."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        for each in records:
            file.write(json.dumps(each) + "\n")
        if torn:
            file.write('{"spider": "japannews", "arguments": {"sec')
    return path


def item(
    crawled: datetime,
    section: str,
    number: int,
    authors: bool = True,
    published: bool = True,
    body_chars: int = 900,
) -> dict[str, Any]:
    """An exported article line, with the fields the report reads filled in."""
    day = crawled.strftime("%Y%m%d")
    return {
        "id": f"japannews:{number}",
        "site": "japannews",
        "url": f"{REAL}/{section}/{section}-government/{day}-{number}/",
        "section": section,
        "subsection": None,
        "title": f"Article {number}",
        "published": (crawled - timedelta(hours=3)).isoformat() if published else None,
        "authors": ["Takeo Maeda"] if authors else [],
        "body": ("word " * (body_chars // 5 + 1))[:body_chars],
        "crawled_at": iso(crawled),
        "revision": 1,
        "flags": [],
    }


def write_feed(path: Path, items: list[dict[str, Any]], torn: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        for each in items:
            file.write(json.dumps(each, ensure_ascii=False) + "\n")
        if torn:
            file.write('{"id": "japannews:1", "sit')
    return path


@dataclass
class Week:
    """What `make_week` wrote: every run (with its history file) and every exported item."""

    state: Path
    data: Path
    runs: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    old_runs: int = 0  # runs started before the 7-day window
    old_items: int = 0


def make_week(root: Path, now: datetime, seed: int = 7) -> Week:
    """Six days of runs of three crawls (the real site hourly-ish, a replica, a backfill job),
    one run before the 7-day window, and feeds of four sections. No data on the window's
    first day, so a midnight passing between writing and reporting changes no count."""
    rng = random.Random(seed)
    week = Week(root / ".newscrawl", root / "data")
    real, replica = week.state / "runs.jsonl", week.state / "hosts/127.0.0.1_8765/runs.jsonl"
    job = week.state / "jobs/politics-2023q1/runs.jsonl"
    # 01:00 UTC five days ago: the last run starts the day before today
    start = (now - timedelta(days=5)).replace(hour=1, minute=0, second=0, microsecond=0)
    number = 100000
    for i in range(12):
        moment = start + timedelta(hours=10 * i)
        bad = i == 7
        run = record(
            moment, seconds=rng.randint(20, 400), exported=rng.randint(0, 25),
            updated=rng.randint(0, 2), failed=3 if bad else 0, refused=rng.randint(0, 2),
            healthy=not bad,
        )  # fmt: skip
        week.runs.append((real, run))
        feed_items = []
        for _ in range(run["exported"]):
            number += 1
            feed_items.append(
                item(
                    moment + timedelta(seconds=rng.randint(1, 20)), rng.choice(SECTIONS), number,
                    authors=rng.random() < 0.7, published=rng.random() < 0.9,
                    body_chars=rng.choice((300, 800, 2000)),
                )
            )  # fmt: skip
        if feed_items:
            stamp = moment.strftime("%Y%m%dT%H%M%SZ")
            write_feed(
                week.data / f"japannews/{moment:%Y-%m-%d}/japannews-{stamp}.jsonl", feed_items
            )
            week.items += feed_items
    for i in range(3):
        moment = start + timedelta(days=i * 2, hours=3)
        week.runs.append((replica, record(moment, 5, 4, refused=1, base_url=REPLICA)))
    for i, healthy in enumerate((False, True)):
        moment = start + timedelta(days=1 + i, hours=6)
        run = record(moment, 1500, 40 * (1 - i), failed=1 - i, healthy=healthy,
                     job="politics-2023q1", since="2023-01-01")  # fmt: skip
        week.runs.append((job, run))
    old = record(now - timedelta(days=10), exported=3)
    write_history(real, [old])
    week.old_runs = 1
    old_items = [item(now - timedelta(days=10), "politics", n) for n in range(1, 4)]
    write_feed(week.data / f"japannews/{now - timedelta(days=10):%Y-%m-%d}/old.jsonl", old_items)
    week.old_items = len(old_items)
    for path in (real, replica, job):
        write_history(path, [r for p, r in week.runs if p == path], torn=path == replica)
    return week
