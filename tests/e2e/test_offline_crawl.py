"""The README's first command, `scripts/offline-crawl.sh`, is incremental: run twice, the second
run exports nothing and names the first run's file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import ROOT

# A subsection keeps the test short; without arguments the script crawls all of politics.
SMALL = ("-a", "section=politics/election")
EXPORTED = re.compile(r"offline-crawl: (\d+) articles \((\d+) new, 0 updated\) in (\S+)")


def offline_crawl(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """The script, copied into FOLDER with scrapy.cfg: it works in the folder it lives in (its
    parent), as in a checkout, and writes its data and state there."""
    (folder / "scripts").mkdir(exist_ok=True)
    shutil.copy(ROOT / "scripts" / "offline-crawl.sh", folder / "scripts")
    shutil.copy(ROOT / "scrapy.cfg", folder)
    env = {**os.environ, "PYTHON": sys.executable}
    return subprocess.run(
        [str(folder / "scripts" / "offline-crawl.sh"), *args],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=240,
    )


def test_a_second_run_exports_nothing_and_names_the_first_runs_file(tmp_path):
    first = offline_crawl(tmp_path, *SMALL)
    assert first.returncode == 0, first.stderr
    found = EXPORTED.fullmatch(first.stdout.splitlines()[-1])
    assert found, first.stdout
    count, new, name = int(found[1]), int(found[2]), found[3]
    assert name.startswith("data/hosts/replica/japannews/")
    assert count == new > 0
    assert len((tmp_path / name).read_text("utf-8").splitlines()) == count

    second = offline_crawl(tmp_path, *SMALL)
    assert second.returncode == 0, second.stderr
    last = second.stdout.splitlines()[-1]
    assert last == f"offline-crawl: 0 new articles; the last ones exported ({count}) are in {name}"
    # one file with lines: the first run's (an empty run leaves no file)
    files = [p for p in (tmp_path / "data").rglob("*.jsonl") if p.stat().st_size]
    assert files == [tmp_path / name]
    # the run history says which file each run wrote
    history = tmp_path / ".newscrawl/hosts/replica/runs.jsonl"
    runs = [json.loads(line) for line in history.read_text("utf-8").splitlines()]
    assert [run["feeds"] for run in runs] == [[{"uri": name, "items": count}], []]
    assert [run["exported"] for run in runs] == [count, 0]

    # A run killed while appending its line tears it: the next run still reports, and its own
    # line stays readable.
    with history.open("a", encoding="utf-8") as file:
        file.write('{"spider": "japannews", "argu')
    third = offline_crawl(tmp_path, *SMALL)
    assert third.returncode == 0, third.stderr
    assert third.stdout.splitlines()[-1] == last
    assert json.loads(history.read_text("utf-8").splitlines()[-1])["exported"] == 0


def test_an_unhealthy_run_says_so_on_its_last_line_and_exits_1(tmp_path):
    done = offline_crawl(tmp_path, "-a", "section=nosuch")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "offline-crawl: unhealthy run (exit status 1): no such section or subsection: nosuch;"
        " 0 new articles"
    )
