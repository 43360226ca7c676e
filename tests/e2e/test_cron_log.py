"""The crontab recipe's runs: a run with nothing new writes one line to the cron log (its
verdict), a run with trouble its warnings too, and Scrapy's full log goes to a dated file.

The command line is the README's crontab line ("Scheduled runs"), against the replica:

    mkdir -p logs && scrapy crawl japannews -s NEWSCRAWL_CONTACT=ops@example.org \\
      -s LOG_FILE=logs/japannews-$(date +%F).log -s NEWSCRAWL_STDERR_LEVEL=WARNING \\
      >> logs/cron.log 2>&1
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, replica

# The recipe's flags, as the README shows them (with the date `date +%F` gives).
RECIPE = (
    "-s",
    "NEWSCRAWL_CONTACT=ops@example.org",
    "-s",
    f"LOG_FILE=logs/japannews-{date.today().isoformat()}.log",
    "-s",
    "NEWSCRAWL_STDERR_LEVEL=WARNING",
)
SCREENFUL = 24  # lines a scheduled run with nothing new may write to the cron log, at most
COLUMNS = 100  # each at most this wide (the verdict line is under 80)


def scheduled_run(folder: Path, base_url: str) -> tuple[int, list[str]]:
    """One run of the recipe in FOLDER (the crontab's `cd`): exit status, and the lines it
    added to logs/cron.log (stdout and stderr, appended)."""
    (folder / "logs").mkdir(exist_ok=True)
    cron_log = folder / "logs" / "cron.log"
    before = cron_log.read_text("utf-8") if cron_log.exists() else ""
    command = [sys.executable, "-m", "scrapy", "crawl", "japannews", *RECIPE]
    command += ["-a", f"base_url={base_url}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    with cron_log.open("a", encoding="utf-8") as out:
        status = subprocess.run(
            command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=120
        ).returncode
    return status, cron_log.read_text("utf-8")[len(before) :].splitlines()


@pytest.fixture(scope="module")
def small_replica():
    with replica("--articles", "200") as server:
        yield server


def test_a_run_with_nothing_new_writes_one_line_and_the_full_log_to_its_file(
    small_replica, tmp_path
):
    first_status, first = scheduled_run(tmp_path, small_replica.url)
    status, lines = scheduled_run(tmp_path, small_replica.url)
    assert first_status == 0 and status == 0, first + lines
    assert re.search(r" INFO: newscrawl: healthy run: [1-9]\d* new, 0 updated articles$", first[-1])
    assert len(lines) <= SCREENFUL and all(len(line) <= COLUMNS for line in lines), lines
    assert lines == [lines[-1]] and len(lines[-1]) < 80
    assert lines[-1].endswith("INFO: newscrawl: healthy run: 0 new, 0 updated articles")
    # Scrapy's full log of both runs, at INFO, appended to the day's file.
    full = (tmp_path / RECIPE[3].removeprefix("LOG_FILE=")).read_text("utf-8")
    assert full.count("[scrapy.core.engine] INFO: Spider opened") == 2
    assert full.count("INFO: Dumping Scrapy stats") == 2
    assert full.rstrip().endswith("newscrawl: healthy run: 0 new, 0 updated articles")


def test_warnings_still_reach_the_cron_log(tmp_path):
    with replica("--articles", "200", "--faults", "offsite") as server:
        status, lines = scheduled_run(tmp_path, server.url)
    assert status == 0, lines
    refused = [line for line in lines if "WARNING: article request refused (offsite)" in line]
    assert refused and " INFO: newscrawl: healthy run: " in lines[-1]
    assert all(" WARNING: " in line for line in lines[:-1])
