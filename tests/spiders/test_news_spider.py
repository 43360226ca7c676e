"""The `news` spider's routing on real Scrapy responses (no network): arguments, feeds, windows,
redirected articles."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request, XmlResponse

from newscrawl.spiders.arguments import ArgumentError
from newscrawl.spiders.freshness import FreshnessPolicy
from newscrawl.spiders.news import NewsSpider

SECTION = "https://news.example/politics/"
STORY = "".join(
    f"<p>Paragraph {n} tells the council's budget story at some length for the reader.</p>"
    for n in range(6)
)


def page(published: str) -> bytes:
    return (
        "<html><head><title>Council Votes on Budget</title>"
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><article><h1>Council Votes on Budget</h1>{STORY}</article></body></html>"
    ).encode()


def spider_for(crawler, **arguments) -> NewsSpider:
    spider = NewsSpider.from_crawler(crawler, **{"url": SECTION, **arguments})
    spider.freshness = FreshnessPolicy(state=None)
    spider.known_tolerance = 0
    spider.window_tolerance = 2
    return spider


def article_response(url: str, body: bytes, requested: str | None = None) -> HtmlResponse:
    request = Request(requested or url, meta={"newscrawl_key": 7})
    return HtmlResponse(url, body=body, encoding="utf-8", request=request)


def test_an_undated_url_outside_the_window_is_judged_by_its_page(crawler):
    spider = spider_for(crawler, since="2024-10-10", until="2024-10-11", tz="Asia/Tokyo")
    url = "https://news.example/politics/council-votes-on-budget/"
    older = article_response(url, page("2024-10-09T23:30:00+09:00"))
    assert list(spider.parse_article(older, SECTION, None)) == []
    assert crawler.stats.get_value("newscrawl/window/skipped_after_fetch_older") == 1
    # 2024-10-09T15:30Z is 10-10 in Tokyo: the site's zone decides the day
    inside = article_response(url, page("2024-10-09T15:30:00Z"))
    assert len(list(spider.parse_article(inside, SECTION, None))) == 1


def test_an_article_that_redirects_to_another_page_is_not_exported(crawler):
    spider = spider_for(crawler)
    listed = "https://news.example/politics/council-votes-on-budget/"
    home = article_response("https://news.example/", page("2024-10-09T10:00:00Z"), listed)
    assert list(spider.parse_article(home, SECTION, None)) == []
    assert crawler.stats.get_value("newscrawl/articles/not_article/redirected") == 1


def test_feeds_only_reads_the_section_page_for_its_feeds_and_walks_nothing(crawler):
    spider = spider_for(crawler, discover="feeds")
    (request,) = list(spider.first_requests())
    assert request.callback == spider.parse_feed_links and not spider.walked
    head = '<link rel="alternate" type="application/rss+xml" href="/politics/feed/">'
    response = HtmlResponse(SECTION, body=f"<html><head>{head}</head></html>".encode())
    assert [r.url for r in spider.parse_feed_links(response)] == [SECTION + "feed/"]


FEED = b"""<rss version="2.0"><channel>
<item><link>https://news.example/politics/council-votes-on-budget/</link>
<pubDate>Sun, 13 Oct 2024 09:00:00 +0900</pubDate></item>
<item><link>https://elsewhere.example/politics/another-long-story-here/</link>
<pubDate>Sun, 13 Oct 2024 08:00:00 +0900</pubDate></item>
</channel></rss>"""


def test_a_feed_that_cannot_reach_the_window_says_so(crawler):
    spider = spider_for(crawler, discover="feeds", since="2024-08-01", until="2024-08-31")
    response = XmlResponse(SECTION + "feed/", body=FEED)
    assert list(spider.parse_feed(response)) == []
    reasons = crawler.stats.get_value("newscrawl/discovery/incomplete")
    assert reasons == [f"{SECTION}feed/ reaches back only to 2024-10-13"]


def test_a_feed_item_on_another_host_is_not_requested(crawler):
    spider = spider_for(crawler, discover="feeds")
    urls = [r.url for r in spider.parse_feed(XmlResponse(SECTION + "feed/", body=FEED))]
    assert urls == ["https://news.example/politics/council-votes-on-budget/"]


def test_urls_file_is_read_once_per_url_with_a_bom(crawler, tmp_path):
    listing = tmp_path / "urls.txt"
    url = "https://news.example/politics/council-votes-on-budget/"
    listing.write_text(f"\ufeff{url}\n# a comment\n\n{url}\n", "utf-8")
    spider = NewsSpider.from_crawler(crawler, urls_file=str(listing))
    assert spider.file_urls == [url]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"url": "https://news.example:99999/politics/"}, "url: bad port"),
        ({"url": SECTION, "discover": "links,rss"}, "discover: expected a comma list"),
        ({"url": SECTION, "tz": "Nowhere/City"}, "tz: 'Nowhere/City' is not"),
    ],
)
def test_bad_arguments(arguments, message):
    with pytest.raises(ArgumentError, match=message):
        NewsSpider(**arguments)


def test_urls_file_on_two_hosts_is_refused(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "https://news.example/politics/council-votes-on-budget/\n"
        "https://other.example/politics/another-long-story-here/\n",
        "utf-8",
    )
    with pytest.raises(ArgumentError, match=r"line 2 is on other\.example, not news\.example"):
        NewsSpider(urls_file=str(listing))


def test_a_generic_read_of_a_site_with_a_module_has_its_own_site_name():
    spider = NewsSpider(url="https://japannews.yomiuri.co.jp/politics/", site="generic")
    assert spider.module is None and spider.site_name == "japannewsweb"
    assert NewsSpider(url="https://japannews.yomiuri.co.jp/politics/").site_name == "japannews"
