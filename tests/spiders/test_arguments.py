from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from newscrawl.spiders.arguments import (
    ArgumentError,
    Target,
    parse_base_url,
    parse_max_pages,
    parse_sections,
)
from newscrawl.spiders.japannews import JapanNewsSpider
from tests.e2e.conftest import ROOT


@pytest.mark.parametrize(
    ("value", "targets"),
    [
        ("politics", (Target("politics"),)),
        ("politics/defense-security", (Target("politics", "defense-security"),)),
        ("politics,business", (Target("politics"), Target("business"))),
        (
            " politics , politics/election/ ,politics",
            (Target("politics"), Target("politics", "election")),
        ),
    ],
)
def test_sections(value, targets):
    assert parse_sections(value) == targets


@pytest.mark.parametrize("value", ["", ",", "Politics", "politics/a/b", "../etc", "politics/x y"])
def test_bad_sections(value):
    with pytest.raises(ArgumentError, match="section"):
        parse_sections(value)


@pytest.mark.parametrize(("value", "pages"), [(None, None), ("", None), ("3", 3), (2, 2)])
def test_max_pages(value, pages):
    assert parse_max_pages(value) == pages


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_bad_max_pages(value):
    with pytest.raises(ArgumentError, match="max_pages"):
        parse_max_pages(value)


def test_base_url():
    assert parse_base_url("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    for bad in ("127.0.0.1:8765", "ftp://example.com", "http://", "http://host:99999"):
        with pytest.raises(ArgumentError, match="base_url"):
            parse_base_url(bad)


def test_unknown_argument_is_refused():
    with pytest.raises(ArgumentError, match="maxpages"):
        JapanNewsSpider(maxpages="3")
    assert JapanNewsSpider(_job="scrapyd-job-id").targets == (Target("politics"),)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "max_pages=zero"], "max_pages"),
        (["-a", "section=Politics!"], "section"),
        (["-a", "base_url=nowhere"], "base_url"),
        (["-a", "maxpages=3"], "unknown argument"),
        (["-a", "job=q1", "-a", "since=2023-01-01"], "-O would keep only the last resumption"),
    ],
)
def test_crawl_with_bad_argument_fails_in_one_line_with_status_2(tmp_path, args, message):
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "japannews", "-O", str(out), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"since": "2023-13-01"}, "since: expected a date"),
        ({"until": "March 2023"}, "until: expected a date"),
        ({"since": "2023-03-02", "until": "2023-03-01"}, "is after until"),
        ({"discover": "rss"}, "discover: expected one of listings, sitemaps, feeds"),
        ({"job": "../etc"}, "job:"),
        ({"job": "x" * 65}, "job:"),
        ({"discover": "sitemaps", "section": "politics/election"}, "cannot backfill a subsection"),
    ],
)
def test_bad_backfill_arguments(args, message):
    with pytest.raises(ArgumentError, match=message):
        JapanNewsSpider(**args)


def test_backfill_arguments():
    spider = JapanNewsSpider(since="2023-01-01", until="2023-03-31", job="q1-2023")
    assert spider.backfill and spider.job == "q1-2023"
    assert spider.window.position(date(2023, 4, 1)) == "newer"
    assert not JapanNewsSpider().backfill
