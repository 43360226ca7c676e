"""With the log in a file, stderr gets the records at NEWSCRAWL_STDERR_LEVEL and the verdict."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from scrapy.settings import Settings

from newscrawl.extensions.health import VERDICT
from newscrawl.extensions.stderrlog import LevelOrVerdict, stderr_handler, stderr_level
from tests.e2e.conftest import ROOT


def record(level: int, verdict: bool = False) -> logging.LogRecord:
    made = logging.LogRecord("x", level, __file__, 1, "message", None, None)
    if verdict:
        setattr(made, VERDICT, True)
    return made


def test_records_at_the_level_and_the_verdict_pass():
    keep = LevelOrVerdict(logging.WARNING)
    assert keep.filter(record(logging.WARNING)) and keep.filter(record(logging.ERROR))
    assert not keep.filter(record(logging.INFO))
    assert keep.filter(record(logging.INFO, verdict=True))


def test_one_line_per_record_with_time_and_level():
    settings = Settings({"LOG_DATEFORMAT": "%H:%M", "NEWSCRAWL_STDERR_LEVEL": " warning"})
    handler = stderr_handler(stderr_level(settings), settings)
    line = handler.format(record(logging.WARNING))
    assert line.endswith(" WARNING: message") and "\n" not in line


def test_a_bad_level_is_refused_and_empty_is_none():
    with pytest.raises(ValueError, match="NEWSCRAWL_STDERR_LEVEL: not a log level: 'LOUD'"):
        stderr_level(Settings({"NEWSCRAWL_STDERR_LEVEL": "LOUD"}))
    assert stderr_level(Settings({"NEWSCRAWL_STDERR_LEVEL": ""})) is None


def test_a_bad_level_on_the_command_line_is_one_line_and_status_2(tmp_path):
    """A crontab's typo must reach the cron log: with LOG_FILE set, a traceback in the log file
    and nothing on stderr would leave it silent."""
    command = [sys.executable, "-m", "scrapy", "crawl", "japannews"]
    command += ["-s", f"LOG_FILE={tmp_path}/run.log", "-s", "NEWSCRAWL_STDERR_LEVEL=WARNNG"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "scrapy crawl: error: NEWSCRAWL_STDERR_LEVEL: not a log level: 'WARNNG' (DEBUG, INFO,"
        " WARNING, ERROR or CRITICAL; empty: none)"
    ]
    assert not (tmp_path / "run.log").exists()
