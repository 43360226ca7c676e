"""With the log in a file, stderr gets the records at NEWSCRAWL_STDERR_LEVEL and the verdict."""

from __future__ import annotations

import logging

import pytest
from scrapy.settings import Settings

from newscrawl.extensions.health import VERDICT
from newscrawl.extensions.stderrlog import LevelOrVerdict, stderr_handler


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
    handler = stderr_handler("warning", Settings({"LOG_DATEFORMAT": "%H:%M"}))
    line = handler.format(record(logging.WARNING))
    assert line.endswith(" WARNING: message") and "\n" not in line


def test_a_bad_level_is_refused():
    with pytest.raises(ValueError, match="NEWSCRAWL_STDERR_LEVEL"):
        stderr_handler("LOUD", Settings())
