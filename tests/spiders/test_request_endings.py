"""Issue 13: every way an article or listing request ends without a page is counted under one
rule, by the URL the spider asked for; a listing page lost makes its walk incomplete; a host
that cannot be reached is a failure, not robots.txt."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.exceptions import HostUnreachable, RefusedRequest
from newscrawl.extensions.health import Thresholds, assess
from newscrawl.spiders.arguments import Target
from newscrawl.spiders.base import Walk
from newscrawl.spiders.japannews import JapanNewsSpider
from tests.extensions.test_health import HEALTHY

BASE = "http://127.0.0.1:1"
ARTICLE = f"{BASE}/politics/election/20241013-7/"
LISTING = f"{BASE}/politics/election/page/2/"


@pytest.fixture
def spider(crawler) -> JapanNewsSpider:
    return JapanNewsSpider.from_crawler(crawler, base_url=BASE)


def fail(spider: JapanNewsSpider, request: Request, error: Exception) -> dict:
    failure = Failure(error)
    failure.request = request
    spider.request_failed(failure)
    return spider.crawler.stats.get_stats()


def test_a_redirect_to_a_file_url_is_refused_under_the_article_url(spider):
    hop = Request(f"{ARTICLE}?x", meta={"newscrawl_kind": "article", "redirect_urls": [ARTICLE]})
    response = HtmlResponse(hop.url, status=302, headers={"Location": "file:///etc/passwd"})
    stats = fail(spider, hop, HttpError(response))
    assert stats["newscrawl/requests/refused/scheme"] == 1
    assert stats["newscrawl/requests/refused_urls"] == [f"{ARTICLE} (scheme at {hop.url})"]
    assert "newscrawl/requests/failed" not in stats


def test_a_chain_too_long_and_a_loop_are_refused_alike(spider):
    for error in (IgnoreRequest("max redirections reached"), RefusedRequest("loop", ARTICLE)):
        fail(spider, Request(ARTICLE, meta={"newscrawl_kind": "article"}), error)
    stats = spider.crawler.stats.get_stats()
    assert stats["newscrawl/requests/refused"] == 2
    assert stats["newscrawl/requests/refused_urls"] == [
        f"{ARTICLE} (redirects)",
        f"{ARTICLE} (loop)",
    ]
    assert "newscrawl/articles/gone" not in stats


def test_a_listing_page_lost_leaves_its_walk_incomplete_and_the_run_unhealthy(spider):
    walk = Walk(Target("politics", "election"))
    request = spider._listing_request(walk, page=2)
    assert request.meta["newscrawl_walk"] == "politics/election"
    stats = fail(spider, request, RefusedRequest("too_large", request.url))
    assert stats["newscrawl/listing/unread"] == [f"{request.url} (too_large)"]
    assert spider.tainted_walks == {"politics/election"}
    # within the refused share: only the incomplete walk makes the run unhealthy
    verdict = assess(HEALTHY | stats, Thresholds())
    assert verdict.exit_status == 1
    assert verdict.reason == (
        f"the listing {request.url} could not be read (too_large): its walk is incomplete"
    )


def test_an_unreachable_host_fails_its_requests_and_is_named(spider):
    request = Request(f"{BASE}/politics/", meta={"newscrawl_kind": "listing"})
    stats = fail(spider, request, HostUnreachable("connection refused", request.url))
    assert stats["newscrawl/requests/failed"] == 1
    assert stats["newscrawl/requests/failed_urls"] == [
        f"{request.url} (host unreachable: connection refused)"
    ]
    assert "newscrawl/requests/forbidden_by_robots" not in stats
    stats |= {
        "finish_reason": "finished",
        "newscrawl/hosts/unreachable": ["127.0.0.1:1 (connection refused)"],
    }
    verdict = assess(stats, Thresholds())
    assert verdict.reason == (
        "the host 127.0.0.1:1 was unreachable (connection refused): no listing page could be read"
    )
