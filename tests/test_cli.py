from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, modules_loaded
from tests.e2e.conftest import ROOT

PAGE = FIXTURES / "japannews/article-2024-byline-photo.html"
URL = "https://japannews.yomiuri.co.jp/politics/defense-security/20241013-216478/"


def newscrawl(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newscrawl", *args],
        capture_output=True,
        input=stdin,
        cwd=ROOT,
        timeout=60,
    )


def test_extract_prints_one_json_object():
    done = newscrawl("extract", str(PAGE), "--url", URL)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    item = json.loads(lines[0])
    assert item["id"] == "japannews:216478"
    assert item["authors"] == ["Takeo Maeda", "Tatsuya Tanoue"]


def test_extract_reads_standard_input():
    done = newscrawl("extract", "-", "--url", URL, stdin=PAGE.read_bytes())
    assert done.returncode == 0
    assert json.loads(done.stdout)["title"] == "Japan, U.S. Agree to Strengthen Extended Deterrence"


@pytest.mark.parametrize("path", ["/nonexistent/page.html", "/"])
def test_extract_unreadable_file_is_one_line_and_status_2(path):
    done = newscrawl("extract", path, "--url", URL)
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newscrawl extract: error: cannot read")


def test_extract_page_without_article_says_why_and_status_1(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>nothing here</p></body></html>")
    done = newscrawl("extract", str(page), "--url", URL)
    assert done.returncode == 1
    assert "would drop this page" in done.stderr.decode()


def test_extract_refuses_a_bot_check_as_the_crawl_does(tmp_path):
    """Issue 13, item 4: `newscrawl extract` applies the spiders' not-an-article rule."""
    page = tmp_path / "moment.html"
    page.write_text(
        "<html><head><title>Just a moment...</title></head><body><h1>japannews.yomiuri.co.jp</h1>"
        "<p>Checking if the site connection is secure</p></body></html>"
    )
    done = newscrawl("extract", str(page), "--url", URL)
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode().strip() == (
        "newscrawl extract: a crawl would drop this page: not an article (interstitial)"
    )


def test_extract_runs_the_pipelines_from_any_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "newscrawl", "extract", str(PAGE), "--url", URL],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    item = json.loads(done.stdout)
    assert item["published"] == "2024-10-13T17:41:00+09:00"  # the timestamps pipeline ran
    assert item["revision"] == 1


@pytest.mark.parametrize("url", ["not a url", "ftp://x/y/", "http://[::1"])
def test_extract_bad_url_is_status_2(url):
    done = newscrawl("extract", str(PAGE), "--url", url)
    assert done.returncode == 2
    assert b"not an http(s) URL" in done.stderr


GENERIC = FIXTURES / "generic/zoneless_tokyo.html"
GENERIC_URL = "https://tokyobayherald.example/business/2023/08/21/port-record"


def test_extract_any_site_uses_the_generic_path_and_tz():
    expected = json.loads((FIXTURES / "generic/zoneless_tokyo.expected.json").read_text("utf-8"))
    done = newscrawl("extract", str(GENERIC), "--url", GENERIC_URL, "--tz", "Asia/Tokyo")
    assert done.returncode == 0, done.stderr
    item = json.loads(done.stdout)
    assert item["site"] == "tokyobayherald" and item["section"] == "business"
    assert item["title"] == expected["title"]
    assert item["published"] == expected["published"]
    assert "published_zone_assumed" in item["flags"]
    assert item["body"] == expected["body"]
    # without --tz the site's zone is unknown: UTC, and still flagged as assumed
    utc = json.loads(newscrawl("extract", str(GENERIC), "--url", GENERIC_URL).stdout)
    assert utc["published"] == "2023-08-21T09:00:00+00:00"


@pytest.mark.parametrize(
    ("option", "message"),
    [(("--tz", "Nowhere/City"), "tz: 'Nowhere/City'"), (("--site", "nosuch"), "site: no site")],
)
def test_extract_bad_site_or_tz_is_one_line(option, message):
    done = newscrawl("extract", str(GENERIC), "--url", GENERIC_URL, *option)
    assert done.returncode == 2
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_extract_japan_news_through_the_news_path_stays_japan_time(tmp_path):
    """The japannews module exports Japan time through `news` too, whatever offset the page
    wrote; a generic read of its host is labelled apart from the module's."""
    page = tmp_path / "page.html"
    html = PAGE.read_text("utf-8").replace("2024-10-13T17:41:00+09:00", "2024-10-13T08:41:00Z")
    page.write_text(html, "utf-8")
    done = newscrawl("extract", str(page), "--url", URL, "--tz", "Asia/Tokyo")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["published"] == "2024-10-13T17:41:00+09:00"
    generic = newscrawl("extract", str(PAGE), "--url", URL, "--site", "generic")
    assert generic.returncode == 0, generic.stderr
    item = json.loads(generic.stdout)
    assert item["site"] == "japannewsweb" and item["id"].startswith("japannewsweb:")


@pytest.mark.parametrize(
    "argv",
    [[], ["runs", "--bogus"], ["report"], ["extract", "page.html"], ["replica", "--port", "x"]],
)
def test_a_bad_command_line_of_any_subcommand_is_one_line_and_status_2(argv, capsys):
    from newscrawl.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "error:" in err and "-h)" in err


def test_the_replica_command_loads_without_scrapy() -> None:
    """The tests and `.ci/run` start the replica many times: it must not pay for Scrapy's and
    Twisted's imports (about 0.5 s of CPU a start), which it never uses."""
    code = (
        "from newscrawl import cli\ncli.build_parser().parse_args(['replica', '--articles', '3'])"
    )
    assert modules_loaded(code, "scrapy", "twisted", "lxml") == []
