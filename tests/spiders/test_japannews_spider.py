"""The spider's routing on real Scrapy responses (no network)."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Request
from twisted.python.failure import Failure

from newscrawl.exceptions import HostUnreachable, IncompleteBody, RefusedRequest
from newscrawl.spiders.arguments import Target
from newscrawl.spiders.freshness import Freshness, FreshnessPolicy
from newscrawl.spiders.japannews import JapanNewsSpider

ARCHIVE = b"""<html><body><main><ul>
<li class="clearfix"><a href="/editorial/political-pulse/20241013-9/"><h2>Pulse</h2></a></li>
<li class="clearfix"><a href="/politics/newsubsection/20241013-8/"><h2>Vote</h2></a></li>
</ul></main></body></html>"""


def test_section_archive_walks_subsections_of_its_own_section_only(crawler):
    spider = JapanNewsSpider.from_crawler(crawler, base_url="http://127.0.0.1:1")
    spider.freshness = FreshnessPolicy(state=None)
    spider.known_tolerance = 0
    response = HtmlResponse("http://127.0.0.1:1/politics/", body=ARCHIVE, encoding="utf-8")
    urls = [r.url for r in spider.parse_section_archive(response, section="politics")]
    # The 2024 menu's five, plus the one the archive lists an article from; not political-pulse.
    listings = [u for u in urls if u.count("/") == 5]
    assert listings == [
        f"http://127.0.0.1:1/politics/{s}/"
        for s in (
            "politics-government",
            "defense-security",
            "election",
            "political-series",
            "g7-summit",
            "newsubsection",
        )
    ]
    # Its own article is requested; the other section's is not.
    assert "http://127.0.0.1:1/politics/newsubsection/20241013-8/" in urls
    assert not any("political-pulse" in u for u in urls)


def listing_page(*paths: str) -> bytes:
    items = "".join(f'<li class="clearfix"><a href="{p}"><h2>x</h2></a></li>' for p in paths)
    return f"<html><body><main><ul>{items}</ul></main></body></html>".encode()


def test_window_walk_reaches_an_article_below_a_wholly_older_page(crawler):
    """A re-ordered listing: page 2 is wholly older than the window, page 3 is not."""
    spider = JapanNewsSpider.from_crawler(
        crawler, base_url="http://127.0.0.1:1", since="2024-10-10", until="2024-10-12"
    )
    spider.freshness = FreshnessPolicy(state=None)
    spider.known_tolerance, spider.window_tolerance = 0, 2
    walk = spider._walk(Target("politics", "election"))
    pages = [
        ("/politics/election/20241011-100/", "/politics/election/20241009-99/"),
        ("/politics/election/20241009-98/", "/politics/election/20241008-97/"),
        ("/politics/election/20241010-96/", "/politics/election/20241007-95/"),
        ("/politics/election/20241006-94/",),
        ("/politics/election/20241005-93/",),
    ]
    fetched, asked_next = [], 0
    for number, paths in enumerate(pages, start=1):
        url = f"http://127.0.0.1:1/politics/election/page/{number}/"
        response = HtmlResponse(url, body=listing_page(*paths), encoding="utf-8")
        requests = list(spider.parse_listing(response, walk=walk, page=number))
        fetched += [r.url for r in requests if r.callback == spider.parse_article]
        if not any(r.callback == spider.parse_listing for r in requests):
            break
        asked_next += 1
    assert fetched == [
        "http://127.0.0.1:1/politics/election/20241011-100/",
        "http://127.0.0.1:1/politics/election/20241010-96/",
    ]
    assert asked_next == 4  # pages 4 and 5 are two wholly older pages in a row: the end


def failed(request_url: str, error: Exception, **meta) -> Failure:
    failure = Failure(error)
    failure.request = Request(request_url, meta={"newscrawl_kind": "article", **meta})
    return failure


ARTICLE_URL = "http://127.0.0.1:1/politics/election/20241013-7/"


@pytest.mark.parametrize(
    ("error", "counted"),
    [
        # Content-Length announced too much; too much arrived without one (empty message)
        (
            DownloadCancelledError(
                "Expected to receive 20971520 bytes which is larger than "
                "download max size (16777216) in request <GET x>."
            ),
            "refused",
        ),
        (DownloadCancelledError(""), "refused"),
        (RefusedRequest("private", "http://127.0.0.1:2/x"), "refused"),
        # issue 13: a loop and a chain too long are refused alike, and listed
        (RefusedRequest("loop", ARTICLE_URL), "refused"),
        (IgnoreRequest("max redirections reached"), "refused"),
        (HostUnreachable("connection refused", ARTICLE_URL), "failed"),
        (IncompleteBody("truncated", ARTICLE_URL), "failed"),
        (DownloadTimeoutError("took too long"), "failed"),
    ],
)
def test_failures_refusals_and_gone_articles_are_told_apart(crawler, error, counted):
    spider = JapanNewsSpider.from_crawler(crawler, base_url="http://127.0.0.1:1")
    spider.request_failed(failed(ARTICLE_URL, error))
    stats = crawler.stats.get_stats()
    keys = {
        "refused": "newscrawl/requests/refused",
        "gone": "newscrawl/articles/gone",
        "failed": "newscrawl/requests/failed",
    }
    assert {name for name, key in keys.items() if stats.get(key)} == {counted}
    if isinstance(error, DownloadCancelledError):
        assert stats["newscrawl/bodies/too_large"] == 1
        assert stats["newscrawl/requests/refused_urls"] == [f"{ARTICLE_URL} (too_large)"]


def test_a_refused_redirect_is_listed_under_the_article_it_came_from(crawler):
    spider = JapanNewsSpider.from_crawler(crawler, base_url="http://127.0.0.1:1")
    internal = "http://127.0.0.1:2/politics/election/20241013-7/"
    spider.request_failed(
        failed(internal, RefusedRequest("private", internal), redirect_urls=[ARTICLE_URL])
    )
    listed = crawler.stats.get_value("newscrawl/requests/refused_urls")
    assert listed == [f"{ARTICLE_URL} (private at {internal})"]


@pytest.mark.parametrize(
    ("page", "tolerance", "next_page"),
    [
        (("new", "known", "known"), 0, False),  # what follows is older, hence known too
        (("new", "known", "known"), 1, False),
        (("new", "known", "known"), 2, True),  # the tolerance absorbs re-ordering
        (("known", "new"), 0, True),  # a new one last: more may follow
        (("known", "known"), 0, False),
    ],
)
def test_a_walk_ends_after_a_page_that_ends_with_known_articles(
    crawler, page, tolerance, next_page
):
    spider = JapanNewsSpider.from_crawler(crawler, base_url="http://127.0.0.1:1")
    spider.freshness = FreshnessPolicy(state=None)
    spider.known_tolerance, spider.window_tolerance = tolerance, 2
    walk = spider._walk(Target("politics", "election"))
    walk.trust_known = True  # an earlier walk of this listing was complete
    paths = [f"/politics/election/20241011-{100 - i}/" for i in range(len(page))]
    fresh = {
        100 - i: Freshness.NEW if kind == "new" else Freshness.KNOWN for i, kind in enumerate(page)
    }
    spider._judge = fresh.__getitem__
    response = HtmlResponse(
        "http://127.0.0.1:1/politics/election/", body=listing_page(*paths), encoding="utf-8"
    )
    requests = list(spider.parse_listing(response, walk=walk, page=1))
    articles = [r for r in requests if r.callback == spider.parse_article]
    assert len(articles) == page.count("new")
    assert any(r.callback == spider.parse_listing for r in requests) is next_page
