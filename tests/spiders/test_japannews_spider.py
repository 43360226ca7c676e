"""The spider's routing on real Scrapy responses (no network)."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from newscrawl.spiders.freshness import FreshnessPolicy
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
