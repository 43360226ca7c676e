"""`newscrawl runs`: every run history found and read tolerantly, newest first, filters, JSON
lines, and an exit status a monitor can use (issue 14, item 3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newscrawl import runs
from newscrawl.cli import main
from tests.runs_data import REPLICA, record, write_history

T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """The real site's scheduled runs, a replica's, a named job of the replica, an unnamed
    backfill; the replica's history ends in a torn line."""
    root = tmp_path / ".newscrawl"
    write_history(root / "runs.jsonl", [record(at(0)), record(at(2), exported=5)])
    write_history(
        root / "hosts/127.0.0.1_8765/runs.jsonl",
        [record(at(1), base_url=REPLICA, healthy=False, failed=2), record(at(3), base_url=REPLICA)],
        torn=True,
    )
    write_history(
        root / "hosts/127.0.0.1_8765/jobs/q1/runs.jsonl",
        [record(at(4), 900, 40, base_url=REPLICA, job="q1", since="2023-01-01")],
    )
    write_history(root / "backfills.jsonl", [record(at(-1), since="2024-01-01")])
    (root / "state.sqlite").write_bytes(b"not a history")
    return root


def cli(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    try:
        status = main(["runs", *args])
    except SystemExit as exit:  # argparse's errors
        status = exit.code
    out, err = capsys.readouterr()
    return status, out.splitlines(), err.splitlines()


def starts(lines: list[str]) -> list[str]:
    return [json.loads(line)["start"] for line in lines]


def test_finds_every_history_of_all_hosts_and_jobs(state):
    names = [p.relative_to(state).as_posix() for p in runs.history_files(state)]
    assert names == [
        "backfills.jsonl",
        "hosts/127.0.0.1_8765/jobs/q1/runs.jsonl",
        "hosts/127.0.0.1_8765/runs.jsonl",
        "runs.jsonl",
    ]


def test_newest_first_across_files_with_host_job_and_file(capsys, state):
    status, out, _err = cli(capsys, "--state-dir", str(state), "--json")
    assert starts(out) == [f"2026-11-20T{hour:02d}:00:00Z" for hour in (10, 9, 8, 7, 6, 5)]
    first = json.loads(out[0])
    assert (first["host"], first["job"], first["exported"]) == ("127.0.0.1:8765", "q1", 40)
    assert first["file"] == str(state / "hosts/127.0.0.1_8765/jobs/q1/runs.jsonl")
    assert first["errors"]["failed_requests"] == 0  # the record as written, whole
    assert json.loads(out[-1])["host"] == "japannews.yomiuri.co.jp"
    assert status == 0  # the replica's unhealthy run is not its latest


def test_a_torn_line_is_skipped_and_counted(capsys, state):
    _status, out, err = cli(capsys, "--state-dir", str(state))
    assert len(out) == 1 + 6
    assert err == [
        f"newscrawl runs: skipped 1 unreadable line in {state}/hosts/127.0.0.1_8765/runs.jsonl"
    ]
    history = runs.load(state)
    assert history.skipped == {state / "hosts/127.0.0.1_8765/runs.jsonl": 1}


def test_table_row_shows_start_duration_status_counts_and_crawl(capsys, state, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    _, out, _ = cli(capsys, "--state-dir", str(state), "--host", "127.0.0.1:8765")
    header, newest, latest_scheduled, unhealthy = out
    assert header.split() == [
        "START", "(UTC)", "TOOK", "STATUS", "NEW", "UPD", "FAIL", "REF", "CRAWL"
    ]  # fmt: skip
    assert newest.split() == [
        "2026-11-20", "10:00", "15m00s", "ok", "0", "40", "0", "0", "0",
        "japannews@127.0.0.1:8765", "job=q1", "section=politics", "since=2023-01-01",
        "discover=listings",
    ]  # fmt: skip
    assert latest_scheduled.split()[:10] == [
        "2026-11-20", "09:00", "1m00s", "ok", "0", "10", "0", "0", "0", "japannews@127.0.0.1:8765"
    ]  # fmt: skip
    assert unhealthy.split()[2:9] == ["1m00s", "unhealthy", "1", "10", "0", "2", "0"]


def test_fits_80_columns_by_cutting_the_arguments(capsys, state, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = cli(capsys, "--state-dir", str(state))
    assert max(map(len, out)) <= 80
    assert any(line.endswith("…") for line in out)


@pytest.mark.parametrize(
    ("options", "count"),
    [
        (("--last", "2"), 2),
        (("--host", "127.0.0.1_8765"), 3),  # the folder name works too
        (("--host", "japannews.yomiuri.co.jp"), 3),
        (("--job", "q1"), 1),
        (("--host", "127.0.0.1:8765", "--job", "q1", "--last", "5"), 1),
    ],
)
def test_last_host_and_job_select_runs(capsys, state, options, count):
    _status, out, _ = cli(capsys, "--state-dir", str(state), "--json", *options)
    assert len(out) == count
    if "--last" in options and count == 2:
        assert starts(out) == ["2026-11-20T10:00:00Z", "2026-11-20T09:00:00Z"]


def test_exit_1_when_the_latest_run_of_a_crawl_is_unhealthy(capsys, state):
    write_history(state / "runs.jsonl", [record(at(5), healthy=False, failed=1)])
    status, _out, _ = cli(capsys, "--state-dir", str(state), "--json")
    assert status == 1
    # another crawl's old unhealthy run does not count; this one's latest does
    status, _, _ = cli(capsys, "--state-dir", str(state), "--host", "127.0.0.1:8765")
    assert status == 0
    write_history(state / "runs.jsonl", [record(at(6))])
    assert cli(capsys, "--state-dir", str(state))[0] == 0


def test_the_quick_starts_replica_runs_are_one_crawl_whatever_their_port(capsys, tmp_path):
    # scripts/offline-crawl.sh keeps one state in hosts/replica/, each run on a free port: a
    # failed run is over once a later one is healthy, and --host replica finds them all.
    history = tmp_path / "hosts/replica/runs.jsonl"
    write_history(history, [record(at(0), base_url="http://127.0.0.1:40001", healthy=False)])
    write_history(history, [record(at(1), base_url="http://127.0.0.1:40002")])
    status, out, _ = cli(capsys, "--state-dir", str(tmp_path), "--host", "replica")
    assert status == 0 and len(out) == 3 and all("japannews@replica " in line for line in out[1:])
    job = write_history(tmp_path / "hosts/replica/jobs/q1/runs.jsonl", [record(at(2), job="q1")])
    [run], _ = runs.read_history(job)
    assert (run.host, run.job) == ("replica", "q1")
    # a host's own folder keeps the host's name (not its folder's)
    own = write_history(
        tmp_path / "hosts/127.0.0.1_8765/runs.jsonl", [record(at(3), base_url=REPLICA)]
    )
    [run], _ = runs.read_history(own)
    assert run.host == "127.0.0.1:8765"


@pytest.mark.parametrize(
    ("arguments", "host", "job"),
    [
        ({}, "japannews.yomiuri.co.jp", None),
        ({"base_url": REPLICA}, "127.0.0.1:8765", None),
        ({"base_url": "http://Example.COM:8080"}, "Example.COM:8080", None),
        ({"base_url": REPLICA, "job": "q1", "since": "2023-01-01"}, "127.0.0.1:8765", "q1"),
        ({"since": "2024-01-01"}, "japannews.yomiuri.co.jp", None),
    ],
)
def test_finds_and_names_the_history_newscrawl_paths_writes(tmp_path, arguments, host, job):
    """runs.py repeats newscrawl/paths.py's layout (it must not import Scrapy): the history a
    crawl appends to is one `newscrawl runs` finds, as the crawl's host and job."""
    from newscrawl import paths, report, settings
    from newscrawl.extract import project_settings
    from newscrawl.sites import japannews
    from newscrawl.spiders.japannews import JapanNewsSpider

    assert runs.REAL_HOST == japannews.CANONICAL_HOST
    assert Path(runs.DEFAULT_STATE_DIR) == Path(paths.DEFAULT_STATE).parent
    assert report.DEFAULT_DATA_DIR == settings.NEWSCRAWL_DATA_DIR
    spider = JapanNewsSpider(**arguments)
    history = tmp_path / paths.summary_path(project_settings(), spider)
    line = record(at(0), base_url=spider.base_url, job=spider.job, since=arguments.get("since"))
    write_history(history, [line])
    assert runs.history_files(tmp_path / runs.DEFAULT_STATE_DIR) == [history]
    [run], _ = runs.read_history(history)
    assert (run.host, run.job) == (host, job)


def test_a_run_without_a_verdict_is_not_healthy(capsys, tmp_path):
    line = record(at(0)) | {"status": None, "exit_status": None}
    write_history(tmp_path / "runs.jsonl", [line])
    status, out, _ = cli(capsys, "--state-dir", str(tmp_path))
    assert status == 1 and "unknown ?" in out[1]


def test_last_counts_only_the_listed_crawls(capsys, state):
    # The replica's unhealthy run (hour 1) is listed but is not its crawl's latest
    status, out, _ = cli(capsys, "--state-dir", str(state), "--json", "--last", "5")
    assert status == 0 and "2026-11-20T07:00:00Z" in starts(out)


def test_file_reads_a_history_kept_elsewhere(capsys, tmp_path):
    elsewhere = write_history(tmp_path / "summary" / "custom.jsonl", [record(at(0))])
    status, out, _ = cli(capsys, "--state-dir", str(tmp_path / "none"), "--file", str(elsewhere))
    assert status == 0 and len(out) == 2


def test_host_and_job_from_the_path_when_the_record_lacks_them(tmp_path):
    line = record(at(0)) | {"arguments": None}
    path = write_history(tmp_path / "hosts/example.org/jobs/j/runs.jsonl", [line])
    [run], torn = runs.read_history(path)
    assert (run.host, run.job, torn) == ("example.org", "j", 0)


@pytest.mark.parametrize(
    ("setup", "options", "message"),
    [
        (None, ("--state-dir", "{tmp}/missing"), "no run history: {tmp}/missing is not a folder"),
        ("empty", ("--state-dir", "{tmp}"), "no runs yet: no runs.jsonl or backfills.jsonl"),
        ("blank", ("--state-dir", "{tmp}"), "no runs yet: the run histories below {tmp} are"),
        ("one", ("--state-dir", "{tmp}", "--host", "nope"), "no runs of host nope below {tmp}"),
        ("one", ("--state-dir", "{tmp}", "--job", "x"), "no runs of job x below"),
        (None, ("--file", "{tmp}/gone.jsonl"), "cannot read {tmp}/gone.jsonl: No such file"),
        (None, ("--last", "0"), "argument --last: expected a positive integer, got '0'"),
    ],
)
def test_nothing_to_show_or_bad_options_exit_2_with_one_line(
    capsys, tmp_path, setup, options, message
):
    if setup == "blank":
        (tmp_path / "runs.jsonl").write_text("\n")
    elif setup == "one":
        write_history(tmp_path / "runs.jsonl", [record(at(0))])
    status, out, err = cli(capsys, *(o.format(tmp=tmp_path) for o in options))
    assert status == 2 and out == []
    assert err[-1].startswith("newscrawl runs: error: ")
    assert message.format(tmp=tmp_path) in err[-1]
    assert len(err) == 1


def test_default_state_dir_missing_says_where_to_run(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _out, err = cli(capsys)
    assert status == 2
    assert err == [
        "newscrawl runs: error: no runs yet: no .newscrawl folder here (run this where the "
        "crawls run, or give --state-dir)"
    ]


def test_duration_reads_at_a_glance():
    assert [runs.duration(s) for s in (0, 9.4, 65, 3600 * 2 + 61, None, -1)] == [
        "0s", "9s", "1m05s", "2h01m", "?", "?"
    ]  # fmt: skip
