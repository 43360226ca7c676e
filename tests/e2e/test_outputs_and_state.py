"""Issue 13, items 1, 5, 8, 9 and 10: what a run writes, and where, when the machine misbehaves.

Real `scrapy crawl` subprocesses against the replica. A full disk and read-only folders are real
too: a tiny tmpfs or a read-only bind mount, in a mount namespace of the crawl's own
(`unshare`, see conftest), so the test leaves the machine as it was. Each scenario is a short
sequence of crawls; the scenarios run side by side once (`runs`), and the tests read them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from newscrawl.replica.verify import expected_records
from tests.e2e.conftest import (
    Crawl,
    Replica,
    claimed,
    crawl,
    full_disk,
    lines_by_id,
    read_only,
    replica,
    stat,
)

SECTION = "politics/g7-summit"
DAMAGES = ("garbage", "torn", "foreign")


# -- the scenarios -------------------------------------------------------------------------------
def overwrite_and_append(server: Replica, tmp: Path) -> dict[str, Any]:
    """Item 1 (and 9: the first crawl names a remote-control job folder)."""
    jobs = tmp / "remote-control-jobs"
    base = (f"base_url={server.url}", f"section={SECTION}")
    first = crawl(tmp, *base, settings=(f"REMOTE_CONTROL_JOBS_DIR={jobs}",))
    again = crawl(tmp, *base)
    (tmp / "append").mkdir()
    (tmp / "append" / "kept.jsonl").write_text(first.text, "utf-8")
    # a state of its own: this run exports the articles again, after the file's earlier lines
    appended = crawl(tmp / "append", *base, output="kept.jsonl", append=True)
    return {"first": first, "again": again, "appended": appended, "jobs": jobs, "tmp": tmp}


def full_disk_then_room(server: Replica, tmp: Path) -> dict[str, Any]:
    """Item 5: the dated feed on a 64 KiB tmpfs that fills up mid-run, -O on the real disk."""
    data, copy = tmp / "full", tmp / "full-copy"
    base = (f"base_url={server.url}", "section=politics")
    first = crawl(tmp, *base, settings=(f"NEWSCRAWL_DATA_DIR={data}",),
                  launcher=full_disk(data, copy, 64))  # fmt: skip
    after_first = claimed(tmp / "state" / "state.sqlite")
    second = crawl(tmp, *base, settings=(f"NEWSCRAWL_DATA_DIR={tmp / 'roomy'}",))
    return {"first": first, "second": second, "after_first": after_first,
            "archived": lines_by_id(copy), "roomy": lines_by_id(tmp / "roomy"),
            "state": claimed(tmp / "state" / "state.sqlite")}  # fmt: skip


def watched_wal(_: Replica, tmp: Path) -> dict[str, Any]:
    """Item 5: the WAL's size, sampled during a crawl of about 250 articles."""
    wal = tmp / "state" / "state.sqlite-wal"
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], wal.stat().st_size if wal.exists() else 0)
            done.wait(0.01)

    with replica("--articles", "800") as server:
        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            result = crawl(tmp, f"base_url={server.url}", "section=politics")
        finally:
            done.set()
            watcher.join()
    return {"result": result, "peak": peak[0]}


def bad_locations(server: Replica, tmp: Path) -> dict[str, Any]:
    """Item 8: -O into a read-only folder; the state in a read-only folder."""
    base = (f"base_url={server.url}", f"section={SECTION}")
    output = crawl(tmp / "output", *base, output="ro/out.jsonl",
                   launcher=read_only(tmp / "output" / "ro"))  # fmt: skip
    state = tmp / "ro-state" / "state.sqlite"
    state_run = crawl(tmp / "state-run", *base, settings=(f"NEWSCRAWL_STATE={state}",),
                      launcher=read_only(state.parent))  # fmt: skip
    # a path through a file below the feeds' templates: the dated feed's, a job's
    (tmp / "dated").mkdir()
    (tmp / "dated" / "japannews").write_text("a file, not a folder")
    dated = crawl(tmp / "dated-run", *base, settings=(f"NEWSCRAWL_DATA_DIR={tmp / 'dated'}",))
    (tmp / "job").mkdir()
    (tmp / "job" / "jobs").write_text("a file, not a folder")
    job = crawl(tmp / "job-run", *base, "job=week", "since=2024-01-01", output=None,
                settings=(f"NEWSCRAWL_DATA_DIR={tmp / 'job'}",))  # fmt: skip
    return {"output": output, "state": state_run, "dated": dated, "job": job, "tmp": tmp}


def damaged_states(server: Replica, tmp: Path) -> dict[str, Any]:
    """Item 8: one good state, damaged three ways, each crawled with."""
    base = (f"base_url={server.url}", f"section={SECTION}")
    good = crawl(tmp / "good", *base)
    runs = {"good": good}
    for damage in DAMAGES:
        state = tmp / damage / "state" / "state.sqlite"
        state.parent.mkdir(parents=True)
        shutil.copy(tmp / "good" / "state" / "state.sqlite", state)
        damage_state(state, damage)
        before = state.read_bytes()
        runs[damage] = (crawl(tmp / damage, *base), state, before)
    return runs


def damage_state(state: Path, damage: str) -> None:
    if damage == "garbage":
        state.write_bytes(os.urandom(8192))
    elif damage == "torn":  # a page of the tables overwritten, as a failing disk does
        data = bytearray(state.read_bytes())
        data[4096:8192] = bytes(4096)
        state.write_bytes(bytes(data))
    else:  # another program's database at the state's path
        state.unlink()
        db = sqlite3.connect(state)
        db.execute("CREATE TABLE articles (name TEXT)")
        db.commit()
        db.close()


def history_of_a_replica(server: Replica, tmp: Path) -> dict[str, Any]:
    """Item 10: incremental mode off, started in a folder of its own."""
    cwd = tmp / "project"
    cwd.mkdir()
    result = crawl(tmp, f"base_url={server.url}", f"section={SECTION}",
                   settings=("NEWSCRAWL_STATE=",), cwd=cwd)  # fmt: skip
    return {"result": result, "cwd": cwd}


SCENARIOS: dict[str, Callable[[Replica, Path], dict[str, Any]]] = {
    "watched_wal": watched_wal,  # the longest first
    "full_disk_then_room": full_disk_then_room,
    "overwrite_and_append": overwrite_and_append,
    "damaged_states": damaged_states,
    "bad_locations": bad_locations,
    "history_of_a_replica": history_of_a_replica,
}


@pytest.fixture(scope="module")
def site():
    with replica("--articles", "150") as server:
        yield server, server.manifest()


@pytest.fixture(scope="module")
def runs(site, tmp_path_factory) -> dict[str, dict[str, Any]]:
    server, _ = site
    with ThreadPoolExecutor(2) as pool:
        futures = {
            name: pool.submit(scenario, server, tmp_path_factory.mktemp(name))
            for name, scenario in SCENARIOS.items()
        }
        return {name: future.result() for name, future in futures.items()}


def one_line_error(result: Crawl) -> str:
    lines = result.log.splitlines()
    assert len(lines) == 1 and lines[0].startswith("scrapy crawl japannews: error: "), lines
    return lines[0]


# -- item 1: -O overwrites, -o appends ---------------------------------------------------------
def test_dash_capital_o_holds_exactly_this_runs_items(runs):
    run = runs["overwrite_and_append"]
    first, again, appended = run["first"], run["again"], run["appended"]
    assert first.returncode == 0 and first.items
    assert again.returncode == 0 and again.text == ""  # the file is there, and empty
    dated = list((run["tmp"] / "data").rglob("*.jsonl"))
    assert len(dated) == 1  # the project's dated feed left no empty file
    assert appended.returncode == 0 and appended.text.startswith(first.text)  # -o appends
    assert len(appended.lines) == 2 * len(first.lines)


# -- item 5: several feeds, one of them on a full disk -----------------------------------------
def test_full_disk_under_the_dated_feed_loses_no_article_of_the_archive(runs, site):
    _, manifest = site
    run = runs["full_disk_then_room"]
    expected = {r["id"] for r in expected_records(manifest, "politics").values()}
    first, second, archived = run["first"], run["second"], run["archived"]
    assert first.returncode == 1, first.log[-2000:]
    assert "feed could not be written" in first.log.splitlines()[-1]
    assert 0 < len(archived) < len(expected)  # the disk filled up on the way
    # Claimed exactly what every feed holds: the -O file kept only the claimed lines too.
    assert run["after_first"] == set(archived) == {item["id"] for item in first.items}
    assert stat(first.log, "newscrawl/feed/unclaimed") > 0
    # The next run, with room, completes the archive: every article once over both runs.
    assert second.returncode == 0, second.log[-2000:]
    archive = archived + run["roomy"]
    assert set(archive) == expected and max(archive.values()) == 1
    assert run["state"] == expected
    assert {item["id"] for item in second.items} == expected - set(archived)


def test_the_state_journal_stays_small_during_a_long_run(runs):
    """The WAL is checkpointed every MiB; SQLite's default lets it reach 4 MiB first."""
    run = runs["watched_wal"]
    assert run["result"].returncode == 0 and len(run["result"].items) > 200
    assert 0 < run["peak"] <= 1.25 * 2**20, run["peak"]


# -- item 8: bad locations and damaged state fail before the first request ---------------------
def test_bad_output_and_state_locations_fail_fast_in_one_line(runs):
    run = runs["bad_locations"]
    for name in ("output", "state"):
        result = run[name]
        assert result.returncode == 2, (name, result.log[-2000:])
        line = one_line_error(result)
        assert "Read-only file system" in line, line
    assert "/output/ro" in run["output"].log and "/ro-state" in run["state"].log
    for name, folder in (("dated", "dated/japannews"), ("job", "job/jobs")):
        line = one_line_error(run[name])
        assert run[name].returncode == 2 and line.endswith(f"{run['tmp'] / folder} is not a folder")
    assert not list(run["tmp"].rglob("*.jsonl"))  # nothing started


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_state_is_named_with_what_to_do(runs, damage):
    run = runs["damaged_states"]
    assert run["good"].returncode == 0
    result, state, before = run[damage]
    assert result.returncode == 1, result.log[-2000:]
    line = one_line_error(result)
    assert f"the crawl state {state} is damaged" in line
    assert f"mv {state} {state}.damaged" in line
    assert state.read_bytes() == before  # left as found, for whoever looks into it


# -- item 9: no remote-control server, no token files ------------------------------------------
def test_no_remote_control_server_and_no_token_files(runs):
    run = runs["overwrite_and_append"]
    log = run["first"].log
    assert "Remote control" not in log
    assert "RemoteControl" not in log.split("Enabled extensions", 1)[1].split("]", 1)[0]
    assert not run["jobs"].exists() or not any(run["jobs"].iterdir())


# -- item 10: a test host's runs stay out of the real site's run history -----------------------
def test_replica_runs_never_reach_the_real_sites_run_history(runs, site):
    server, _ = site
    run = runs["history_of_a_replica"]
    result, cwd = run["result"], run["cwd"]
    assert result.returncode == 0 and result.items
    host = server.url.split("//", 1)[1].replace(":", "_")
    history = cwd / ".newscrawl" / "hosts" / host / "runs.jsonl"
    assert json.loads(history.read_text("utf-8"))["exported"] == len(result.items)
    assert not (cwd / ".newscrawl" / "runs.jsonl").exists()
