from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newscrawl.commands.crawl import Command
from newscrawl.spiders.arguments import (
    PUBLIC_WEB,
    Argument,
    ArgumentError,
    Target,
    Window,
    check_floor,
    check_not_future,
    declared,
    parse_base_url,
    parse_max_pages,
    parse_sections,
    site_floor,
)
from newscrawl.spiders.japannews import JapanNewsArguments, JapanNewsSpider
from newscrawl.spiders.news import NewsSpider
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
        (["-a", "since=2062-01-01"], "since 2062-01-01 is in the future (today is "),
        (["-a", "until=1026-01-01"], "the floor is 1991-08-06"),
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


def test_an_unknown_argument_names_the_close_one_and_the_help():
    with pytest.raises(ArgumentError) as error:
        JapanNewsSpider(maxpages="3")
    assert "did you mean 'max_pages'?" in str(error.value)
    assert "scrapy crawl japannews -h" in str(error.value)


# -- windows that cannot hold an article --------------------------------------------------------
def test_since_today_is_allowed_and_tomorrow_is_in_the_future():
    today = date(2026, 12, 2)
    check_not_future(Window(since=today), today, "Asia/Tokyo")
    check_not_future(Window(until=date(2062, 1, 1)), today, "Asia/Tokyo")  # an open end
    with pytest.raises(ArgumentError) as error:
        check_not_future(Window(since=date(2062, 1, 5)), today, "Asia/Tokyo")
    assert str(error.value) == (
        "since 2062-01-05 is in the future (today is 2026-12-02 in Asia/Tokyo)"
    )


def test_until_before_the_floor_says_what_the_floor_is_and_why():
    check_floor(Window(until=PUBLIC_WEB.day), PUBLIC_WEB)
    check_floor(Window(since=date(1900, 1, 1)), PUBLIC_WEB)  # `since` may reach back freely
    with pytest.raises(ArgumentError) as error:
        check_floor(Window(until=date(1991, 8, 5)), PUBLIC_WEB)
    assert str(error.value) == (
        "until 1991-08-05 is before any article of the site can exist: the floor is 1991-08-06"
        " (the first website went public that day)"
    )


def test_a_site_module_may_declare_a_later_first_day():
    assert site_floor(None) == PUBLIC_WEB
    # The Japan News declares none: the depth of its archive is unknown.
    assert JapanNewsSpider().floor == PUBLIC_WEB
    module = SimpleNamespace(FIRST_DAY=date(2013, 4, 1), FIRST_DAY_WHY="renamed that day")
    assert site_floor(module).day == date(2013, 4, 1)
    with pytest.raises(ArgumentError, match=r"the floor is 2013-04-01 \(renamed that day\)"):
        check_floor(Window(until=date(2013, 3, 31)), site_floor(module))


def test_the_floor_is_checked_when_the_spider_is_made():
    with pytest.raises(ArgumentError, match="until 1026-01-01 is before"):
        JapanNewsSpider(until="1026-01-01")
    with pytest.raises(ArgumentError, match="until 1026-01-01 is before"):
        NewsSpider(url="https://news.example/politics/", until="1026-01-01")
    JapanNewsSpider(since="2000-01-01")  # the README's whole-archive backfill


def replay(now: str) -> Settings:
    return Settings({"NEWSCRAWL_NOW": now})


def test_today_is_the_replay_clock_in_the_site_zone():
    # 16:00 UTC is 01:00 the next day in Tokyo: that day is today for japannews, not for UTC.
    settings = replay("2026-12-02T16:00:00+00:00")
    JapanNewsSpider.validate_arguments({"since": "2026-12-03"}, settings)
    news = {"url": "https://news.example/politics/", "since": "2026-12-03", "tz": "UTC"}
    with pytest.raises(ArgumentError, match=r"today is 2026-12-02 in UTC\)"):
        NewsSpider.validate_arguments(news, settings)
    # A replay in the past refuses a window after it; one ahead of the clock allows it.
    with pytest.raises(ArgumentError, match=r"today is 2026-01-01 in Asia/Tokyo"):
        JapanNewsSpider.validate_arguments({"since": "2026-06-01"}, replay("2026-01-01T12:00"))
    JapanNewsSpider.validate_arguments({"since": "2099-06-01"}, replay("2099-06-01T12:00"))


def test_a_bad_replay_clock_is_one_line():
    with pytest.raises(ArgumentError, match="NEWSCRAWL_NOW: "):
        JapanNewsSpider.validate_arguments({"since": "2026-01-01"}, replay("yesterday"))


def test_the_future_is_checked_by_the_clock_without_settings():
    with pytest.raises(ArgumentError, match="since 2062-01-01 is in the future"):
        JapanNewsSpider.validate_arguments({"since": "2062-01-01"})


def test_other_ways_of_starting_a_crawl_check_the_window_too(crawler):
    with pytest.raises(ArgumentError, match="since 2062-01-01 is in the future"):
        JapanNewsSpider.from_crawler(crawler, since="2062-01-01")


# -- `scrapy crawl SPIDER -h`: the arguments, from the declaration that reads them -------------
def crawl_help(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def argument_lines(text: str, spider: str) -> list[str]:
    """The name/type/default lines of SPIDER's arguments table in a help text."""
    table = text.split(f"Arguments of {spider} (-a NAME=VALUE)", 1)[1].split("\n\n", 1)[0]
    return [line for line in table.splitlines() if line.startswith("  ") and line[2] != " "]


@pytest.mark.parametrize("spider", [JapanNewsSpider, NewsSpider])
def test_help_lists_every_declared_argument_with_its_type_and_default(spider):
    text = crawl_help(spider.name, "-h")
    assert text.startswith("Usage\n=====\n  scrapy crawl [options] <spider>")  # Scrapy's help
    assert "--overwrite-output FILE" in text and "Global Options" in text
    rows = argument_lines(text, spider.name)[1:]  # the column heads first
    declared = spider.Arguments.declaration()
    assert [row.split()[0] for row in rows] == [a.name for a in declared]
    for row, argument in zip(rows, declared, strict=True):
        assert argument.type in row and row.rstrip().endswith(argument.default_text)
    assert "Exit Statuses" in text
    for status in ("0  healthy", "1  unhealthy", "2  bad command line", "3  another run holds"):
        assert f"\n  {status}" in text


def test_help_without_a_spider_lists_every_spider():
    text = crawl_help("-h")
    assert "Arguments of japannews" in text and "Arguments of news" in text
    assert crawl_help("--help") == text


def test_help_into_a_pipe_that_closes_early_is_no_error():
    """`scrapy crawl japannews -h | head -1`: no BrokenPipeError traceback, status 0 (`true`
    reads nothing: the pipe is closed before the help is written)."""
    shell = f"{sys.executable} -m scrapy crawl japannews -h | true"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_validation_and_help_read_one_declaration(monkeypatch):
    """A new declared argument is read by the spider and listed by -h at once."""
    argument = Argument("probe", "word", "off", "A probe.", lambda value: f"read {value}")

    @dataclass(frozen=True)
    class Probed(JapanNewsArguments):
        probe: str = declared(argument)

    monkeypatch.setattr(JapanNewsSpider, "Arguments", Probed)
    assert JapanNewsSpider(probe="on").args.probe == "read on"
    command = Command()
    command.settings = get_project_settings()
    command.add_options(argparse.ArgumentParser(conflict_handler="resolve"))
    rows = argument_lines(command.help_text(["japannews"]), "japannews")
    assert rows[-1].split() == ["probe", "word", "off"]


COUNTED_CRAWL = """
import atexit, sys
from newscrawl.spiders import arguments, news

counts = {"reads": 0, "builds": 0}
read, build = arguments.read_urls_file, news.NewsSpider.__init__

def counted_read(path):
    counts["reads"] += 1
    return read(path)

def counted_build(self, *args, **kwargs):
    counts["builds"] += 1
    build(self, *args, **kwargs)

news.read_urls_file = arguments.read_urls_file = counted_read
news.NewsSpider.__init__ = counted_build
atexit.register(lambda: print(counts, file=sys.stderr))
from scrapy.cmdline import execute
execute(sys.argv[1:])
"""


def test_a_crawl_reads_its_arguments_and_builds_its_spider_once(tmp_path):
    """Our `crawl` reads the -a values up front (one-line errors) and hands what it read to the
    spider Scrapy builds: one read of a urls_file, one spider, per crawl."""
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/news/2026/12/01/one/\n", encoding="utf-8")
    command = [sys.executable, "-c", COUNTED_CRAWL, "scrapy", "crawl", "news"]
    command += ["-a", f"urls_file={urls}", "-s", "NEWSCRAWL_STATE=", "-s", "RETRY_TIMES=0"]
    command += ["-s", f"NEWSCRAWL_DATA_DIR={tmp_path}/data", "-s", "LOG_LEVEL=ERROR"]
    command += ["-s", f"NEWSCRAWL_SUMMARY={tmp_path}/runs.jsonl"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1, done.stderr  # nothing answers on port 9: unhealthy
    assert "{'reads': 1, 'builds': 1}" in done.stderr
