"""Under Scrapyd: the project deploys with `scrapyd-deploy`, runs as Scrapyd jobs, and its feeds,
crawl state and exit statuses behave as docs/scrapyd.md says.

Two real Scrapyd daemons listen on loopback, each in its own temporary folder, which is also the
working directory of its jobs:
- `items`: with `items_dir`. Scrapyd's feed (`-s FEEDS=...`) replaces the project's dated one; the
  jobs get the crawl state with `setting=NEWSCRAWL_STATE=...`.
- `plain`: without `items_dir` (Scrapyd's default). The project's dated feed and its default crawl
  state land in Scrapyd's working directory.

`scrapyd-deploy` builds the egg in the project folder (`build/`, `*.egg-info`, after a
`setup.py clean -a`), so it runs in a copy of the project's packaging files: the checkout stays
untouched and two test runs never share a build folder. The deploy target is a personal
`[deploy:e2e]` in `$XDG_CONFIG_HOME/scrapy.cfg`; the project's `scrapy.cfg` is copied as it is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawl.replica.verify import expected_records, verify
from tests.e2e.conftest import ROOT, Replica, replica

CORPUS = ("--articles", "300")  # 100 politics articles: a job takes about 3 s
PACKAGING = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md")
# What listjobs.json says of a finished job, a failed one included: no exit status.
FINISHED_FIELDS = {"id", "project", "spider", "start_time", "end_time", "log_url", "items_url"}


@dataclass
class Scrapyd:
    url: str
    home: Path  # its working directory, and that of its jobs
    env: dict[str, str]
    process: subprocess.Popen

    def log(self) -> str:
        """Scrapyd's own log: job starts and ends, and each job's stderr."""
        return (self.home / "scrapyd.log").read_text("utf-8", errors="replace")

    def get(self, path: str, **params: str) -> dict:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}/{path.lstrip('/')}{query}", timeout=10) as reply:
            return json.loads(reply.read())

    def text(self, path: str) -> str:
        with urllib.request.urlopen(f"{self.url}/{path.lstrip('/')}", timeout=10) as reply:
            return reply.read().decode("utf-8")

    def schedule(self, *, settings: tuple[str, ...] = (), **arguments: str) -> str:
        """schedule.json of japannews; SETTINGS are NAME=VALUE, ARGUMENTS spider arguments."""
        fields = [("project", "newscrawl"), ("spider", "japannews")]
        fields += [("setting", setting) for setting in settings]
        fields += list(arguments.items())
        data = urllib.parse.urlencode(fields).encode()
        with urllib.request.urlopen(f"{self.url}/schedule.json", data, timeout=10) as reply:
            answer = json.loads(reply.read())
        assert answer["status"] == "ok", answer
        return answer["jobid"]

    def wait(self, *jobs: str, timeout: float = 60) -> dict[str, dict]:
        """The listjobs.json entries of JOBS once all of them are finished."""
        deadline = time.monotonic() + timeout
        while True:
            finished = {job["id"]: job for job in self.get("listjobs.json")["finished"]}
            if all(job in finished for job in jobs):
                return {job: finished[job] for job in jobs}
            assert time.monotonic() < deadline, f"jobs not finished: {self.log()[-3000:]}"
            time.sleep(0.1)

    def ended(self, job: str) -> str:
        """Scrapyd's line about how JOB's process ended."""
        lines = [line for line in self.log().splitlines() if f"job='{job}'" in line]
        ends = [line for line in lines if "Process finished:" in line or "Process died:" in line]
        assert len(ends) == 1, lines
        return ends[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a daemon (its jobs inherit it): no PYTHONPATH that could shadow the egg,
    no SCRAPY_* or SCRAPYD_* variable, and a HOME without a user's ~/.scrapyd.conf or .netrc."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name != "PYTHONPATH" and not name.startswith(("SCRAPY_", "SCRAPYD_"))
    }
    return {**env, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


@contextmanager
def scrapyd(home: Path, *, items: bool) -> Iterator[Scrapyd]:
    """A Scrapyd on a free loopback port, with its folders in HOME (also its working directory),
    polling every 0.1 s; killed with its jobs at the end."""
    home.mkdir(parents=True)
    env = clean_env(home)
    for attempt in range(3):  # the free port may be taken before Scrapyd binds it
        port = free_port()
        (home / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {port}\n"
            f"eggs_dir = {home / 'eggs'}\n"
            f"logs_dir = {home / 'logs'}\n"
            f"items_dir = {home / 'items' if items else ''}\n"
            f"dbs_dir = {home / 'dbs'}\n"
            "max_proc = 2\n"
            "poll_interval = 0.1\n",
            "utf-8",
        )
        with open(home / "scrapyd.log", "wb") as log:
            # its own session: the teardown ends Scrapyd and the jobs it spawned, by group id
            process = subprocess.Popen(
                [sys.executable, "-m", "scrapyd"],
                cwd=home,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        daemon = Scrapyd(f"http://127.0.0.1:{port}", home, env, process)
        try:
            if _answers(daemon, timeout=30):
                yield daemon
                return
            assert attempt < 2 and "Address already in use" in daemon.log(), daemon.log()
        finally:
            _stop(process)


def _answers(daemon: Scrapyd, timeout: float) -> bool:
    """True once daemonstatus.json answers; False if Scrapyd exits first."""
    deadline = time.monotonic() + timeout
    while daemon.process.poll() is None:
        try:
            if daemon.get("daemonstatus.json")["status"] == "ok":
                return True
        except OSError:
            pass
        assert time.monotonic() < deadline, daemon.log()
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
            # jobs still running when Scrapyd went: same group
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue
        return


def deploy(daemon: Scrapyd, project: Path) -> dict:
    """`scrapyd-deploy e2e` from PROJECT, the target being DAEMON; its answer."""
    config = daemon.home / ".config"
    config.mkdir(exist_ok=True)
    (config / "scrapy.cfg").write_text(f"[deploy:e2e]\nurl = {daemon.url}/\n", "utf-8")
    command = Path(sys.executable).with_name("scrapyd-deploy")
    done = subprocess.run(
        [str(command), "e2e"],
        cwd=project,
        env=daemon.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


def host_folder(server: Replica) -> str:
    """The folder newscrawl.paths gives a crawl of the replica: 127.0.0.1_<port>."""
    return urlsplit(server.url).netloc.replace(":", "_")


def summaries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of what `scrapyd-deploy` packs: the packaging files and the package."""
    folder = tmp_path_factory.mktemp("project")
    for name in PACKAGING:
        shutil.copy2(ROOT / name, folder / name)
    shutil.copytree(
        ROOT / "newscrawl",
        folder / "newscrawl",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    return folder


@pytest.fixture(scope="module")
def politics() -> Iterator[tuple[Replica, list[dict]]]:
    with replica(*CORPUS) as server:
        yield server, server.manifest()


@pytest.fixture(scope="module")
def items_daemon(tmp_path_factory, project) -> Iterator[tuple[Scrapyd, dict]]:
    with scrapyd(tmp_path_factory.mktemp("scrapyd") / "items", items=True) as daemon:
        yield daemon, deploy(daemon, project)


@pytest.fixture(scope="module")
def items_runs(items_daemon, politics, tmp_path_factory):
    """Job 1 crawls politics into a fresh state; then, side by side, job 2 does it again (nothing
    new), job 3 crawls a replica in outage (retries off, to be quick) and job 4 has a bad
    argument."""
    daemon, _ = items_daemon
    server, _ = politics
    state = tmp_path_factory.mktemp("items-state")
    settings = (f"NEWSCRAWL_STATE={state / 'state.sqlite'}",)
    first = daemon.schedule(settings=settings, section="politics", base_url=server.url)
    daemon.wait(first)
    with replica(*CORPUS, "--faults", "outage") as down:
        second = daemon.schedule(settings=settings, base_url=server.url)
        failed = daemon.schedule(
            settings=(f"NEWSCRAWL_STATE={state / 'outage' / 'state.sqlite'}", "RETRY_TIMES=0"),
            base_url=down.url,
        )
        bad = daemon.schedule(settings=settings, max_pages="zero", base_url=server.url)
        jobs = daemon.wait(first, second, failed, bad)
    return daemon, state, jobs, (first, second, failed, bad)


@pytest.fixture(scope="module")
def plain_runs(tmp_path_factory, project, politics):
    """A Scrapyd without items_dir gets two identical jobs at once, with no setting at all: the
    project's defaults, relative to Scrapyd's working directory."""
    server, _ = politics
    with scrapyd(tmp_path_factory.mktemp("scrapyd") / "plain", items=False) as daemon:
        deploy(daemon, project)
        jobs = [daemon.schedule(base_url=server.url) for _ in range(2)]
        finished = daemon.wait(*jobs)
        yield daemon, finished, {job: daemon.ended(job) for job in jobs}


def test_deploy_uploads_an_egg_that_holds_the_package_and_its_schema(items_daemon):
    daemon, answer = items_daemon
    assert answer["status"] == "ok" and answer["project"] == "newscrawl"
    # docs/scrapyd.md quotes this answer: two spiders
    assert sorted(daemon.get("listspiders.json", project="newscrawl")["spiders"]) == [
        "japannews",
        "news",
    ]
    assert answer["spiders"] == 2
    # The job runner's own way to activate the deployed egg: the package and its JSON Schema
    # (package data, read with importlib.resources) come from the egg, not from the checkout.
    code = (
        "from scrapyd.runner import project_environment\n"
        "with project_environment('newscrawl'):\n"
        "    import newscrawl, newscrawl.items\n"
        "    print(newscrawl.__file__)\n"
        "    print(newscrawl.items.article_schema()['properties']['id']['type'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=daemon.home,
        env=daemon.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    module, id_type = done.stdout.split()
    assert Path(module).is_relative_to(daemon.home / "eggs" / "newscrawl"), module
    assert ".egg" in module and id_type == "string"


def test_job_exports_every_politics_article_once_into_items_dir(items_runs, politics):
    daemon, state, jobs, (first, *_) = items_runs
    _, manifest = politics
    job = jobs[first]
    assert "Process finished:" in daemon.ended(first)
    assert job["items_url"] == f"/items/newscrawl/japannews/{first}.jl"
    path = daemon.home / "items" / "newscrawl" / "japannews" / f"{first}.jl"
    text = path.read_text("utf-8")
    assert daemon.text(job["items_url"]) == text
    check = verify(text, manifest, "politics")
    assert check.exact, check
    assert check.exported == len(expected_records(manifest, "politics")) > 50
    assert text.endswith("\n") and len(text.split("\n")) == check.exported + 1
    # Scrapyd's -s FEEDS replaced the project's dated feed: no second file, in data/ or anywhere
    assert not (daemon.home / "data").exists()
    # the other jobs' files are empty (Scrapy's semantics for a feed the user names, see below)
    assert [p for p in (daemon.home / "items").rglob("*.jl") if p.stat().st_size] == [path]
    # the state claimed what reached Scrapyd's file
    run = summaries(state / "runs.jsonl")[0]
    assert (run["status"], run["exit_status"], run["exported"]) == ("ok", 0, check.exported)


def test_second_job_exports_nothing_new(items_runs):
    daemon, state, jobs, (_, second, *_) = items_runs
    assert "Process finished:" in daemon.ended(second)
    # A feed Scrapyd names holds exactly this job's items: none (only the project's own dated
    # feed skips an empty file)
    assert jobs[second]["items_url"] == f"/items/newscrawl/japannews/{second}.jl"
    assert (daemon.home / "items" / "newscrawl" / "japannews" / f"{second}.jl").read_bytes() == b""
    run = summaries(state / "runs.jsonl")[1]
    assert (run["status"], run["exit_status"], run["exported"]) == ("ok", 0, 0)
    assert run["unchanged_skipped"] > 0


def test_failed_job_is_listed_as_finished_and_its_logs_say_why(items_runs):
    daemon, state, jobs, (_, _, failed, _) = items_runs
    job = jobs[failed]
    # listjobs.json and status.json know no exit status: a failed job is "finished" like any other
    assert set(job) == FINISHED_FIELDS
    assert daemon.text(job["items_url"]) == ""  # an empty items file, as for nothing new
    assert daemon.get("status.json", job=failed)["currstate"] == "finished"
    # Scrapyd's own log has the exit status ...
    assert "[scrapyd.launcher#error] Process died: exitstatus=1 " in daemon.ended(failed)
    # ... the job's log (log_url) the verdict, as its last line ...
    log = daemon.text(job["log_url"])
    last = log.rstrip("\n").splitlines()[-1]
    assert "ERROR: newscrawl: unhealthy run, exit status 1: no listing page could be read" in last
    # ... and the run summary beside the state the whole story
    [run] = summaries(state / "outage" / "runs.jsonl")
    assert (run["status"], run["exit_status"], run["finish_reason"]) == ("unhealthy", 1, "finished")
    assert run["reason"].startswith("no listing page could be read")


def test_job_with_a_bad_argument_exits_2_before_any_log(items_runs):
    daemon, state, jobs, (*_, bad) = items_runs
    assert "Process died: exitstatus=2 " in daemon.ended(bad)
    assert re.search(
        r"/stderr\] scrapy crawl japannews: error: max_pages: expected a positive integer,"
        r" got 'zero'",
        daemon.log(),
    )
    assert set(jobs[bad]) == FINISHED_FIELDS
    assert jobs[bad]["log_url"] is None and jobs[bad]["items_url"] is None
    assert len(summaries(state / "runs.jsonl")) == 2  # jobs 1 and 2 only


def test_plain_job_writes_the_dated_feed_and_state_in_scrapyd_folder(plain_runs, politics):
    daemon, jobs, _ = plain_runs
    server, manifest = politics
    folder = host_folder(server)
    feeds = sorted(
        (daemon.home / "data" / "hosts" / folder / "japannews").glob("*/japannews-*.jsonl")
    )
    assert len(feeds) == 1, feeds
    check = verify(feeds[0].read_text("utf-8"), manifest, "politics")
    assert check.exact, check
    assert all(job["items_url"] is None for job in jobs.values())
    assert not (daemon.home / "items").exists()
    state = daemon.home / ".newscrawl" / "hosts" / folder
    assert (state / "state.sqlite").is_file()
    assert [run["exported"] for run in summaries(state / "runs.jsonl")] == [check.exported]


def test_a_second_job_on_the_same_state_at_once_exits_3(plain_runs):
    daemon, jobs, ends = plain_runs
    statuses = sorted(
        "ok" if "Process finished:" in line else re.search(r"exitstatus=(\d+)", line)[1]
        for line in ends.values()
    )
    assert statuses == ["3", "ok"], ends
    [locked] = [job for job, line in ends.items() if "exitstatus=3" in line]
    # the job has no log: the lock is taken before Scrapy logs a line (as for a bad argument) ...
    assert jobs[locked]["log_url"] is None
    # ... the refusal went to stderr, which Scrapyd logs as its own
    assert re.search(
        r"/stderr\] scrapy crawl japannews: error: another run \(pid \d+\) is using the state ",
        daemon.log(),
    )
