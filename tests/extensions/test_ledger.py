"""The request ledger (issue 13, "no request may vanish"): an article or listing request the engine
scheduled and the spider never saw end is counted, listed and taints its walk."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request

from newscrawl.extensions.health import Thresholds, assess
from newscrawl.extensions.ledger import RequestLedger, SettledMiddleware
from newscrawl.request_ends import settle
from tests.extensions.test_health import HEALTHY

URL = "http://127.0.0.1:1/politics/election/20241013-7/"
LISTING = "http://127.0.0.1:1/politics/election/page/2/"


@pytest.fixture
def ledger(crawler: Crawler) -> RequestLedger:
    crawler.spider = SimpleNamespace(tainted_walks=set())
    return RequestLedger.from_crawler(crawler)


def article(url: str = URL, **meta: object) -> Request:
    return Request(
        url, meta={"newscrawl_kind": "article", "newscrawl_walk": "politics/election"} | meta
    )


def schedule(crawler: Crawler, request: Request) -> None:
    crawler.signals.send_catch_log(signals.request_scheduled, request=request, spider=None)


def close(crawler: Crawler, reason: str = "finished") -> None:
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason=reason)


def test_a_request_scheduled_and_never_seen_by_the_spider_vanished(crawler, ledger):
    schedule(crawler, article())
    schedule(crawler, Request(LISTING, meta={"newscrawl_kind": "listing"}))
    close(crawler)
    stats = crawler.stats.get_stats()
    assert stats["newscrawl/requests/vanished"] == 2
    assert stats["newscrawl/requests/vanished_urls"] == [f"{URL} (article)", f"{LISTING} (listing)"]
    assert stats["newscrawl/listing/unread"] == [f"{LISTING} (vanished)"]
    assert crawler.spider.tainted_walks == {"politics/election"}
    verdict = assess(HEALTHY | stats, Thresholds())
    assert verdict.exit_status == 1 and "2 requests vanished" in verdict.reason


def test_redirects_and_retries_are_one_entry_settled_by_the_last_hop(crawler, ledger):
    first = article()
    schedule(crawler, first)
    hop = first.replace(url=URL + "?hop=1")
    hop.meta["redirect_urls"] = [URL]
    schedule(crawler, hop)
    schedule(crawler, hop.replace())  # a retry of the hop: the same request again
    assert len(ledger.open) == 1
    settle(crawler, hop)  # the errback sees the hop, keyed by the article's URL
    close(crawler)
    assert crawler.stats.get_value("newscrawl/requests/vanished") is None


def test_a_response_that_reaches_the_callback_settles_its_request(crawler, ledger):
    request = article()
    schedule(crawler, request)
    SettledMiddleware.from_crawler(crawler).process_spider_input(
        HtmlResponse(URL, body=b"<html></html>", request=request)
    )
    close(crawler)
    assert crawler.stats.get_value("newscrawl/requests/vanished") is None


def test_only_articles_and_listings_and_only_finished_runs_count(crawler, ledger):
    schedule(crawler, Request("http://127.0.0.1:1/robots.txt"))  # no newscrawl_kind
    assert not ledger.open
    schedule(crawler, article())
    close(crawler, "shutdown")  # stopped: its queue is left unfetched by design
    assert crawler.stats.get_value("newscrawl/requests/vanished") is None


def test_a_request_scheduled_twice_needs_both_ends(crawler, ledger):
    """A component that schedules a copy of an article request: one end settles one copy."""
    request = article()
    schedule(crawler, request)
    schedule(crawler, request.replace(dont_filter=True))
    settle(crawler, request)
    close(crawler)
    assert crawler.stats.get_value("newscrawl/requests/vanished") == 1
