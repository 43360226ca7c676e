"""Scheduled runs against the replica: only what is new, updates caught, nothing lost, honest
exits."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newscrawl.sites.japannews import KNOWN_SUBSECTIONS
from newscrawl.state.sqlite import SqliteCrawlState
from tests.e2e.conftest import ROOT, crawl, replica, stat

SECTIONS = ("politics", "business", "society", "world")
ALL = "section=" + ",".join(SECTIONS)
CORPUS = ("--articles", "600", "--seed", "3")
WINDOW = timedelta(hours=48)
PAGE_SIZE = 10  # the replica's subsection listings


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def pick_times(records: list[dict]) -> tuple[datetime, datetime]:
    """T1 < T2, 36 hours apart, with revisions between them both inside and outside the
    revisit window of T2 (the corpus is deterministic: so is the choice)."""
    revisions = [(when(r["revised_at"]), when(r["published"])) for r in records if r["revised_at"]]
    for revised, _ in sorted(revisions):
        t2 = revised + timedelta(minutes=1)
        t1 = t2 - timedelta(hours=36)
        between = [(r, p) for r, p in revisions if t1 < r <= t2 and p <= t1]
        if any(t2 - p <= WINDOW for _, p in between) and any(t2 - p > WINDOW for _, p in between):
            return t1, t2
    raise AssertionError("the corpus has no suitable revisions")


def listing_bound(manifest: list[dict], new_ids: set[str]) -> int:
    """Listing requests allowed: per listing walked, the pages holding new articles plus one."""
    total = len(SECTIONS)  # each section archive: page 1 only
    for section in SECTIONS:
        subsections = set(KNOWN_SUBSECTIONS[section])
        subsections |= {r["subsection"] for r in manifest if r["section"] == section}
        for subsection in subsections:
            listed = sorted(
                (r for r in manifest if subsection in r["listed_under"]),
                key=lambda r: r["published"],
                reverse=True,
            )
            positions = [i for i, r in enumerate(listed) if r["id"] in new_ids]
            total += (math.ceil((max(positions) + 1) / PAGE_SIZE) if positions else 0) + 1
    return total


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three runs sharing one state: --now T1, then T2, then T2 again."""
    tmp = tmp_path_factory.mktemp("scheduled")
    state = ("-s", f"NEWSCRAWL_STATE={tmp / 'state.sqlite'}")
    with replica(*CORPUS) as full:
        t1, t2 = pick_times(full.manifest())
    results = {}
    for name, now in (("run1", t1), ("run2", t2), ("run3", t2)):
        with replica(*CORPUS, "--now", iso(now)) as server:
            results[name] = crawl(
                tmp / name,
                f"base_url={server.url}",
                ALL,
                # DEBUG: the log lists every URL fetched.
                settings=(state[1], f"NEWSCRAWL_NOW={iso(now)}", "LOG_LEVEL=DEBUG"),
            )
            results[name + "_manifest"] = server.manifest()
    results["t1"], results["t2"], results["tmp"] = t1, t2, tmp
    return results


def test_run1_exports_everything_published_by_t1(runs):
    result = runs["run1"]
    assert result.returncode == 0, result.log[-2000:]
    assert Counter(i["id"] for i in result.items) == Counter(r["id"] for r in runs["run1_manifest"])
    assert {i["revision"] for i in result.items} == {1}


def test_run2_exports_exactly_the_new_and_the_revised_within_the_window(runs):
    result, t2 = runs["run2"], runs["t2"]
    assert result.returncode == 0, result.log[-2000:]
    before = {r["id"]: r for r in runs["run1_manifest"]}
    after = runs["run2_manifest"]
    new = {r["id"] for r in after if r["id"] not in before}
    # Known after run 1, revised since: inside or outside the revisit window of T2.
    revised = [
        r
        for r in after
        if r["id"] in before and r["revised_at"] and when(r["revised_at"]) > runs["t1"]
    ]
    revised_inside = {r["id"] for r in revised if t2 - when(r["published"]) <= WINDOW}
    revised_outside = {r["id"] for r in revised if t2 - when(r["published"]) > WINDOW}
    assert new and revised_inside and revised_outside
    exported = Counter(i["id"] for i in result.items)
    assert max(exported.values()) == 1
    assert {i["id"] for i in result.items if i["revision"] == 1} == new
    assert {i["id"] for i in result.items if i["revision"] == 2} == revised_inside
    assert not revised_outside & set(exported)
    shown = {r["id"]: r for r in after}
    for item in result.items:  # the revised version, as the replica shows it now
        assert item["title"] == shown[item["id"]]["title"]
        assert item["body"] == shown[item["id"]]["body"]
    # Requests: each new article, plus the known ones inside the revisit window, once.
    window = sum(1 for r in before.values() if t2 - when(r["published"]) <= WINDOW)
    assert stat(result.log, "newscrawl/requests/kind/article") <= len(new) + window
    assert stat(result.log, "newscrawl/requests/kind/listing") <= listing_bound(after, new)

    # Articles outside the window were not fetched: the log lists every fetched URL.
    def fetched(article_id: str) -> bool:
        return f"/{shown[article_id]['url'].split('/', 3)[3]}>" in result.log

    assert all(fetched(i) for i in new | revised_inside)
    assert not any(fetched(i) for i in revised_outside)


def test_run3_with_nothing_new_exports_nothing_and_exits_0(runs):
    result, t2 = runs["run3"], runs["t2"]
    assert result.returncode == 0, result.log[-2000:]
    assert result.items == []
    manifest = runs["run3_manifest"]
    window = sum(1 for r in manifest if t2 - when(r["published"]) <= WINDOW)
    assert stat(result.log, "newscrawl/requests/kind/article") <= window
    assert stat(result.log, "newscrawl/requests/kind/listing") <= listing_bound(manifest, set())
    assert "newscrawl: healthy run" in result.log.splitlines()[-1]


def test_run_summary_has_one_line_per_run(runs):
    lines = (runs["tmp"] / "runs.jsonl").read_text("utf-8").splitlines()
    summaries = [json.loads(line) for line in lines]
    assert [s["status"] for s in summaries] == ["ok", "ok", "ok"]
    assert summaries[0]["new"] == len(runs["run1"].items)
    assert summaries[1]["updated"] == sum(1 for i in runs["run2"].items if i["revision"] == 2)
    assert summaries[2]["exported"] == 0 and summaries[2]["unchanged_skipped"] > 0
    for summary in summaries:
        assert summary["requests"]["listing"] > 0
        assert summary["start"] <= summary["end"]
        assert set(summary) >= {"dropped", "errors", "exit_status", "reason", "arguments"}


def test_state_agrees_with_the_files(runs):
    lines = [json.loads(line) for name in ("run1", "run2", "run3") for line in runs[name].lines]
    latest = {}
    for item in lines:
        latest[item["id"]] = max(latest.get(item["id"], 0), item["revision"])
    db = sqlite3.connect(runs["tmp"] / "state.sqlite")
    rows = dict(db.execute("SELECT id, revision FROM articles"))
    assert rows == latest
    assert db.execute("SELECT count(*) FROM pending").fetchone()[0] == 0


# -- nothing lost --------------------------------------------------------------------------------
def test_sigkill_then_a_normal_run_loses_nothing_and_duplicates_nothing(tmp_path):
    rng = random.Random()
    settings = [f"NEWSCRAWL_STATE={tmp_path / 'state.sqlite'}", f"NEWSCRAWL_DATA_DIR={tmp_path}"]
    with replica(*CORPUS) as server:
        manifest = {r["id"] for r in server.manifest() if r["section"] == "politics"}
        command = [sys.executable, "-m", "scrapy", "crawl", "japannews"]
        command += ["-a", f"base_url={server.url}"]
        for setting in settings:
            command += ["-s", setting]
        killed = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        target = rng.randint(5, len(manifest) - 5)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and killed.poll() is None:
            if _lines(tmp_path) >= target:
                break
            time.sleep(0.01)
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
        first = _lines(tmp_path)
        assert 0 < first < len(manifest), "the kill came too late to test anything"
        time.sleep(1.1)  # the next run's dated file gets another name
        result = crawl(
            tmp_path / "run2",
            f"base_url={server.url}",
            output=None,
            settings=tuple(
                [f"NEWSCRAWL_STATE={tmp_path / 'state.sqlite'}", f"NEWSCRAWL_DATA_DIR={tmp_path}"]
            ),
        )
    assert result.returncode == 0, result.log[-2000:]
    ids = Counter()
    for path in tmp_path.glob("japannews/*/*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            ids[json.loads(line)["id"]] += 1  # every line complete and valid JSON
    assert set(ids) == manifest
    assert max(ids.values()) == 1
    db = sqlite3.connect(tmp_path / "state.sqlite")
    assert {row[0] for row in db.execute("SELECT id FROM articles")} == manifest


def _lines(folder: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in folder.glob("japannews/*/*.jsonl"))


# -- honest exit status ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    with replica("--articles", "200") as server:
        yield server


def test_feed_on_a_full_disk_fails_the_run(small, tmp_path):
    output = "/dev/full:jsonlines"
    result = crawl(tmp_path, f"base_url={small.url}", "section=politics/g7-summit", output=output)
    assert result.returncode == 1
    assert "feed could not be written" in result.log.splitlines()[-1]


def test_feed_through_a_file_stops_before_the_first_request(small, tmp_path):
    """Issue 13, item 8: an output that cannot be made is one line and exit status 2."""
    (tmp_path / "afile").write_text("a file, not a folder")
    result = crawl(
        tmp_path, f"base_url={small.url}", "section=politics/g7-summit", output="afile/out.jsonl"
    )
    assert result.returncode == 2
    assert result.log.splitlines() == [
        f"scrapy crawl japannews: error: cannot make the folder {tmp_path / 'afile'}:"
        f" {tmp_path / 'afile'} is not a folder"
    ]
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("blank", "were not articles (no_article: "), ("outage", "no listing page could be read")],
)
def test_faulty_site_fails_the_run(tmp_path, fault, reason):
    # The verdict is what this test reads, not the retries' pace: a tenth of the shipped
    # backoff (the outage's Retry-After: 1 still holds each retry a second).
    quick_retries = ("NEWSCRAWL_RETRY_BACKOFF=0.1",)
    with replica("--articles", "200", "--faults", fault) as server:
        result = crawl(
            tmp_path, f"base_url={server.url}", "section=politics/election", settings=quick_retries
        )
    assert result.returncode == 1
    assert reason in result.log.splitlines()[-1]
    assert result.items == []


def test_second_run_on_a_busy_state_is_refused_and_touches_no_file(small, tmp_path):
    path = tmp_path / "state" / "state.sqlite"
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "japannews:1"}\n')  # the other run's output
    holder = SqliteCrawlState(path)
    try:
        result = crawl(tmp_path, f"base_url={small.url}", "section=politics/g7-summit")
    finally:
        holder.close()
    assert result.returncode == 3
    last = result.log.splitlines()[-1]
    assert "another run" in last and str(os.getpid()) in last
    assert stat(result.log, "downloader/request_count") is None
    assert out.read_text() == '{"id": "japannews:1"}\n'
    assert not (tmp_path / "data").exists()


def test_unknown_section_next_to_a_good_one_fails_the_run(small, tmp_path):
    result = crawl(tmp_path, f"base_url={small.url}", "section=politics/g7-summit,nosuch")
    assert result.returncode == 1
    assert "no such section or subsection: nosuch" in result.log.splitlines()[-1]
    assert result.items  # the good section was still crawled and exported
