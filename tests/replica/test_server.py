"""The replica served by `python -m newscrawl replica`, talked to over HTTP."""

from __future__ import annotations

import gzip
import json
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

ARTICLES = 200
BANNER = re.compile(
    r"^newscrawl replica: serving http://127\.0\.0\.1:(\d+)/ \(200 articles, seed 1\)$"
)
REAL = "https://japannews.yomiuri.co.jp"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    cmd = [sys.executable, "-m", "newscrawl", "replica", "--port", "0", "--articles", str(ARTICLES)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().rstrip("\n")  # type: ignore[union-attr]
        match = BANNER.match(line)
        assert match, (line, proc.poll())
        yield f"http://127.0.0.1:{match[1]}"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert proc.stderr.read() == ""  # type: ignore[union-attr]  # quiet by default


@pytest.fixture(scope="module")
def manifest() -> list[dict]:
    cmd = [sys.executable, "-m", "newscrawl", "replica", "--articles", str(ARTICLES), "--manifest"]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8")
    return [json.loads(line) for line in out.splitlines()]


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Reply:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with OPENER.open(request, timeout=5) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


def local(origin: str, record: dict) -> str:
    return record["url"].replace(REAL, origin)


def test_listing_pages_and_past_the_end(origin: str, manifest: list[dict]) -> None:
    listed = [r for r in manifest if "politics-government" in r["listed_under"]]
    pages = -(-len(listed) // 10)
    first = fetch(f"{origin}/politics/politics-government/")
    assert first.status == 200
    assert first.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert int(first.headers["Content-Length"]) == len(first.body)
    assert first.text.count('<li class="clearfix">') == 10
    newest = local(origin, listed[-1])
    assert f'<li class="clearfix"><a href="{newest}">' in first.text
    assert 'class="next page-numbers"' in first.text and 'rel="next"' in first.text
    last = fetch(f"{origin}/politics/politics-government/page/{pages}/")
    assert last.status == 200 and 'class="next page-numbers"' not in last.text
    assert fetch(f"{origin}/politics/politics-government/page/{pages + 1}/").status == 404
    one = fetch(f"{origin}/politics/politics-government/page/1/")
    assert one.status == 301
    assert one.headers["Location"] == f"{origin}/politics/politics-government/"


def test_article_pages(origin: str, manifest: list[dict]) -> None:
    record = next(r for r in manifest if r["layout"] == "2024")
    url = local(origin, record)
    reply = fetch(url)
    assert reply.status == 200
    assert "<div id=p-article-block>" in reply.text
    assert f'<link rel="canonical" href="{url}" />' in reply.text
    slashless = fetch(url.rstrip("/"))
    assert slashless.status == 301 and slashless.headers["Location"] == url
    unknown = next(r for r in manifest if r["layout"] == "unknown")
    assert fetch(local(origin, unknown)).status == 200
    wrong_date = re.sub(r"/\d{8}-", "/19990101-", url)
    assert fetch(wrong_date).status == 404
    assert fetch(f"{origin}/no/such/page/").status == 404


def test_attachment_page_is_not_an_article(origin: str, manifest: list[dict]) -> None:
    record = next(r for r in manifest if r["images"] and r["layout"] == "2024")
    page = fetch(local(origin, record)).text
    href = re.search(r'<a class="zoom" href="([^"]+)"', page)[1]  # type: ignore[index]
    attachment = fetch(href)
    assert attachment.status == 200
    assert "p-article-block" not in attachment.text and "postdate" not in attachment.text


def test_robots_and_sitemaps(origin: str, manifest: list[dict]) -> None:
    robots = fetch(f"{origin}/robots.txt")
    assert robots.status == 200 and "User-agent: *" in robots.text
    assert "Disallow: /wp-admin/" in robots.text and f"Sitemap: {origin}/sitemap.xml" in robots.text
    index = fetch(f"{origin}/sitemap.xml")
    assert index.headers["Content-Type"].startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(index.body).findall("s:sitemap/s:loc", ns)]
    assert f"{origin}/sitemap-news.xml" in locs
    urls: list[str] = []
    for loc in locs:
        if "sitemap-pt-post-" in loc:  # type: ignore[operator]
            tree = ET.fromstring(fetch(loc).body)  # type: ignore[arg-type]
            urls += [e.text for e in tree.findall("s:url/s:loc", ns)]  # type: ignore[misc]
    assert sorted(urls) == sorted(local(origin, r) for r in manifest)


def test_feed_parses(origin: str, manifest: list[dict]) -> None:
    reply = fetch(f"{origin}/politics/feed/")
    assert reply.headers["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(reply.body).findall("channel/item")
    politics = [r for r in manifest if r["section"] == "politics"]
    assert len(items) == min(20, len(politics))
    assert items[0].findtext("link") == local(origin, politics[-1])
    assert items[0].findtext("pubDate").endswith("+0900")  # type: ignore[union-attr]
    guid = items[0].find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"


def test_gzip_and_head(origin: str) -> None:
    plain = fetch(f"{origin}/latestnews/")
    zipped = fetch(f"{origin}/latestnews/", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    head = fetch(f"{origin}/latestnews/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len(plain.body))


def test_manifest_body_is_in_the_page(origin: str, manifest: list[dict]) -> None:
    for record in manifest[::25]:
        page = fetch(local(origin, record)).text
        # story text, once tags are dropped and whitespace collapsed, is in the page as HTML text
        flat = " ".join(re.sub(r"<[^>]+>", "", page).split())
        for block in record["body"].split("\n\n"):
            escaped = block.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert escaped in flat, (record["url"], block)


def test_bad_arguments() -> None:
    for extra in (["--articles", "0"], ["--now", "yesterday"]):
        cmd = [sys.executable, "-m", "newscrawl", "replica", *extra]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        assert done.returncode == 2
        assert done.stderr.startswith("newscrawl replica: error: ")
        assert done.stderr.count("\n") == 1


def test_a_busy_port_is_one_line_and_exit_status_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for site in ("japannews", "japantimes"):
            cmd = [sys.executable, "-m", "newscrawl", "replica", "--site", site]
            done = subprocess.run(
                [*cmd, "--port", str(port)], capture_output=True, text=True, timeout=30
            )
            assert done.returncode == 2
            assert done.stderr == (
                f"newscrawl replica: error: port {port} on 127.0.0.1 is in use (pick another"
                " with --port, or --port 0 for a free one)\n"
            )
            assert done.stdout == ""
