from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.http import Request

from newscrawl.exceptions import RefusedRequest
from newscrawl.hosts import netloc_keys
from newscrawl.middlewares.hostguard import HostGuardMiddleware
from tests.middlewares.conftest import project_crawler

REPLICA = "http://127.0.0.1:8765"
REAL = "https://japannews.yomiuri.co.jp"


def spider_for(base_url: str) -> Spider:
    spider = Spider("guarded")
    spider.allowed_netlocs = netloc_keys([base_url])
    return spider


def guard_for(spider: Spider) -> HostGuardMiddleware:
    crawler = project_crawler()
    crawler.spider = spider
    return HostGuardMiddleware.from_crawler(crawler)


def refusal(url: str, spider: Spider, **meta) -> str | None:
    try:
        guard_for(spider).process_request(Request(url, meta=meta))
    except RefusedRequest as refused:
        assert refused.url == Request(url).url
        return refused.reason
    return None


@pytest.mark.parametrize(
    ("base", "url", "reason"),
    [
        (REPLICA, f"{REPLICA}/politics/", None),
        (REPLICA, "http://127.0.0.1:8765/robots.txt", None),
        (REPLICA, "http://127.0.0.1:9999/internal/", "private"),  # another port: another service
        (REPLICA, "http://localhost:8765/", "private"),
        (REPLICA, "http://169.254.169.254/latest/meta-data/", "private"),
        (REPLICA, "http://10.0.0.7/", "private"),
        (REPLICA, "http://[::1]:8765/", "private"),
        (REPLICA, "https://japannews.yomiuri.co.jp/politics/", "offsite"),
        (REPLICA, "ftp://127.0.0.1:8765/file", "scheme"),
        (REPLICA, "file:///etc/passwd", "scheme"),
        (REPLICA, "data:text/html,<p>hi</p>", "scheme"),
        (REAL, f"{REAL}/politics/", None),
        (REAL, "http://japannews.yomiuri.co.jp/politics/", None),  # before the https redirect
        (REAL, "https://JapanNews.Yomiuri.co.jp./x/", None),
        (REAL, "https://japannews.yomiuri.co.jp:8443/x/", "offsite"),
        (REAL, "https://the-japan-news.com/x/", "offsite"),
        (REAL, "https://japannews.yomiuri.co.jp.evil.example/x/", "offsite"),
        (REAL, "http://192.168.1.1/", "private"),
    ],
)
def test_only_the_configured_site_is_reached(base: str, url: str, reason: str | None) -> None:
    assert refusal(url, spider_for(base)) == reason


def test_a_redirect_back_into_its_own_chain_is_a_loop() -> None:
    spider = spider_for(REPLICA)
    a, b = f"{REPLICA}/politics/x/20240101-1/", f"{REPLICA}/?p=1"
    assert refusal(b, spider, redirect_urls=[a]) is None
    assert refusal(a, spider, redirect_urls=[a, b]) == "loop"


def test_without_allowed_netlocs_allowed_domains_and_public_addresses_rule() -> None:
    spider = Spider("generic", allowed_domains=["example.com"])
    assert refusal("https://news.example.com/a/", spider) is None
    assert refusal("https://example.com.evil.net/a/", spider) == "offsite"
    assert refusal("http://127.0.0.1/", spider) == "private"
    assert refusal("http://172.16.0.1/", spider) == "private"
    open_spider = Spider("anything")
    assert refusal("https://example.org/", open_spider) is None
    assert refusal("http://[fe80::1]/", open_spider) == "private"
    # numeric forms that resolve to loopback or private addresses
    for host in ("2130706433", "0x7f.1", "017700000001", "127.1", "0x0a000001", "0"):
        assert refusal(f"http://{host}:8765/", open_spider) == "private", host
        assert refusal(f"http://{host}:8765/", spider_for(REPLICA)) == "private", host
    assert refusal("http://[::ffff:127.0.0.1]/", open_spider) == "private"
    assert refusal("http://8.8.8.8/", open_spider) is None
    assert refusal("http://cafe/", open_spider) is None  # a name, not a number


def test_refusals_are_counted_by_reason() -> None:
    guard = guard_for(spider_for(REPLICA))
    for url in ("http://127.0.0.1:1/", "https://example.com/", "file:///x"):
        with pytest.raises(RefusedRequest):
            guard.process_request(Request(url))
    stats = guard.stats.get_stats()
    assert stats["newscrawl/guard/refused"] == 3
    assert stats["newscrawl/guard/refused/private"] == 1
    assert stats["newscrawl/guard/refused/offsite"] == 1
    assert stats["newscrawl/guard/refused/scheme"] == 1
