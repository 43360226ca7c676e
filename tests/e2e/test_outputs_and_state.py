"""Issue 13, items 1, 5, 8, 9 and 10: what a run writes, and where, when the machine misbehaves.

Real `scrapy crawl` subprocesses against the replica. A full disk and read-only folders are real
too: a tiny tmpfs or a read-only bind mount, in a mount namespace of the crawl's own
(`unshare`), so the test needs no privileges beyond what CI has and leaves the machine as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from newscrawl.replica.verify import expected_records
from tests.e2e.conftest import crawl, replica, stat

SECTION = "politics/g7-summit"


@pytest.fixture(scope="module")
def site():
    with replica("--articles", "150") as server:
        yield server, server.manifest()


def namespace(script: str, *args: str) -> tuple[str, ...]:
    """A launcher: run SCRIPT (sh; $0 is ARGS[0], then $1...) in a mount namespace of its own;
    the script runs the crawl command ("$@" once it has shifted its own arguments away)."""
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    return (*unshare, "sh", "-c", script, *args)


def full_disk(folder: Path, copy: Path, size_kb: int) -> tuple[str, ...]:
    """FOLDER on a SIZE_KB tmpfs during the crawl; what it held is copied to COPY after."""
    folder.mkdir(parents=True, exist_ok=True)
    copy.mkdir(parents=True, exist_ok=True)
    script = (
        'mount -t tmpfs -o size="$2"k tmpfs "$0" || exit 99; shift 2;'
        ' "$@"; status=$?; cp -a "$0"/. "$COPY"/; exit $status'
    )
    return namespace(f"COPY='{copy}'; {script}", str(folder), "", str(size_kb))


def read_only(folder: Path) -> tuple[str, ...]:
    folder.mkdir(parents=True, exist_ok=True)
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 99; "$@"'
    return namespace(script, str(folder))


def lines_by_id(folder: Path) -> Counter[str]:
    ids: Counter[str] = Counter()
    for path in folder.rglob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            ids[json.loads(line)["id"]] += 1
    return ids


def claimed(state: Path) -> set[str]:
    db = sqlite3.connect(state)
    try:
        return {row[0] for row in db.execute("SELECT id FROM articles")}
    finally:
        db.close()


# -- item 1: -O overwrites, -o appends ---------------------------------------------------------
def test_dash_capital_o_holds_exactly_this_runs_items(site, tmp_path):
    server, _ = site
    first = crawl(tmp_path, f"base_url={server.url}", f"section={SECTION}")
    assert first.returncode == 0 and first.items
    again = crawl(tmp_path, f"base_url={server.url}", f"section={SECTION}")
    assert again.returncode == 0
    assert (tmp_path / "out.jsonl").exists() and again.text == ""  # empty: nothing new
    assert len(list((tmp_path / "data").rglob("*.jsonl"))) == 1  # no empty dated file
    # -o appends: the earlier lines stay
    (tmp_path / "kept.jsonl").write_text(first.text, "utf-8")
    appended = crawl(tmp_path, f"base_url={server.url}", f"section={SECTION}", output="kept.jsonl",
                     append=True)  # fmt: skip
    assert appended.returncode == 0 and appended.text == first.text


# -- item 5: several feeds, one of them on a full disk -----------------------------------------
def test_full_disk_under_the_dated_feed_loses_no_article_of_the_archive(site, tmp_path):
    server, manifest = site
    expected = {r["id"] for r in expected_records(manifest, "politics").values()}
    state = tmp_path / "state" / "state.sqlite"
    data, copy = tmp_path / "full", tmp_path / "full-copy"
    first = crawl(
        tmp_path,
        f"base_url={server.url}",
        "section=politics",
        settings=(f"NEWSCRAWL_DATA_DIR={data}",),
        launcher=full_disk(data, copy, 64),
    )
    assert first.returncode == 1, first.log[-2000:]
    assert "feed could not be written" in first.log.splitlines()[-1]
    archived = lines_by_id(copy)
    assert 0 < len(archived) < len(expected)  # the disk filled up on the way
    # Claimed exactly what every feed holds: the -O file kept only the claimed lines too.
    assert claimed(state) == set(archived) == {item["id"] for item in first.items}
    assert stat(first.log, "newscrawl/feed/unclaimed") > 0
    # The next run, with room, completes the archive: every article once over both runs.
    second = crawl(tmp_path, f"base_url={server.url}", "section=politics",
                   settings=(f"NEWSCRAWL_DATA_DIR={tmp_path / 'roomy'}",))  # fmt: skip
    assert second.returncode == 0, second.log[-2000:]
    archive = archived + lines_by_id(tmp_path / "roomy")
    assert set(archive) == expected and max(archive.values()) == 1
    assert claimed(state) == expected
    assert {item["id"] for item in second.items} == expected - set(archived)


def test_the_state_journal_stays_small_during_a_long_run(tmp_path):
    """The WAL is checkpointed every MiB; SQLite's default lets it reach 4 MiB first."""
    state = tmp_path / "state" / "state.sqlite"
    wal = Path(f"{state}-wal")
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], wal.stat().st_size if wal.exists() else 0)
            done.wait(0.02)

    with replica("--articles", "1500") as server:
        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            result = crawl(tmp_path, f"base_url={server.url}", "section=politics")
        finally:
            done.set()
            watcher.join()
    assert result.returncode == 0 and len(result.items) > 400
    assert 0 < peak[0] <= 1.25 * 2**20, peak[0]


# -- item 8: bad locations and damaged state fail before the first request ---------------------
def test_bad_output_and_state_locations_fail_fast_in_one_line(site, tmp_path):
    server, _ = site
    base = (f"base_url={server.url}", f"section={SECTION}")
    ro_out, ro_state = tmp_path / "output" / "ro-out", tmp_path / "ro-state"
    cases = {
        "output": dict(output="ro-out/out.jsonl", launcher=read_only(ro_out)),
        "state": dict(
            settings=(f"NEWSCRAWL_STATE={ro_state / 'state.sqlite'}",),
            launcher=read_only(ro_state),
        ),
    }
    with ThreadPoolExecutor(2) as pool:
        runs = {
            name: pool.submit(crawl, tmp_path / name, *base, **options)
            for name, options in cases.items()
        }
        results = {name: future.result() for name, future in runs.items()}
    for name, result in results.items():
        assert result.returncode == 2, (name, result.log[-2000:])
        lines = result.log.splitlines()
        assert len(lines) == 1 and lines[0].startswith("scrapy crawl japannews: error: "), lines
        assert "Read-only file system" in lines[0], lines
        assert not (tmp_path / name / "data").exists()  # nothing started
    assert "ro-out" in results["output"].log and "ro-state" in results["state"].log


@pytest.mark.parametrize("damage", ["garbage", "torn", "foreign"])
def test_a_damaged_state_is_named_with_what_to_do(site, tmp_path, damage):
    server, _ = site
    state = tmp_path / "state" / "state.sqlite"
    first = crawl(tmp_path, f"base_url={server.url}", f"section={SECTION}")
    assert first.returncode == 0
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
    before = state.read_bytes()
    result = crawl(tmp_path, f"base_url={server.url}", f"section={SECTION}")
    assert result.returncode == 1, result.log[-2000:]
    lines = result.log.splitlines()
    assert len(lines) == 1, lines
    assert f"the crawl state {state} is damaged" in lines[0]
    assert f"mv {state} {state}.damaged" in lines[0]
    assert state.read_bytes() == before  # left as found, for whoever looks into it


# -- item 9: no remote-control server, no token files ------------------------------------------
def test_no_remote_control_server_and_no_token_files(site, tmp_path):
    server, _ = site
    jobs = tmp_path / "remote-control-jobs"
    result = crawl(tmp_path, f"base_url={server.url}", f"section={SECTION}",
                   settings=(f"REMOTE_CONTROL_JOBS_DIR={jobs}",))  # fmt: skip
    assert result.returncode == 0
    assert "Remote control" not in result.log
    assert "RemoteControl" not in result.log.split("Enabled extensions", 1)[1].split("]", 1)[0]
    assert not jobs.exists() or not any(jobs.iterdir())


# -- item 10: a test host's runs stay out of the real site's run history -----------------------
def test_replica_runs_never_reach_the_real_sites_run_history(site, tmp_path):
    server, _ = site
    cwd = tmp_path / "project"
    cwd.mkdir()
    result = crawl(tmp_path, f"base_url={server.url}", f"section={SECTION}",
                   settings=("NEWSCRAWL_STATE=",), cwd=cwd)  # fmt: skip
    assert result.returncode == 0 and result.items
    host = server.url.split("//", 1)[1].replace(":", "_")
    history = cwd / ".newscrawl" / "hosts" / host / "runs.jsonl"
    assert json.loads(history.read_text("utf-8"))["exported"] == len(result.items)
    assert not (cwd / ".newscrawl" / "runs.jsonl").exists()
