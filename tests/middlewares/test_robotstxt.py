"""The robots.txt middleware hands robots.txt's Crawl-delay to the shared frontier's budget
(request meta `CRAWL_DELAY`), for the user agent the crawl sends, and only when it says one."""

from __future__ import annotations

from scrapy.http import Request
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from newscrawl.middlewares.robotstxt import RobotsTxtMiddleware
from newscrawl.request_meta import CRAWL_DELAY

ROBOTS = b"User-agent: newscrawl\nCrawl-delay: 2.5\nAllow: /\n\nUser-agent: *\nAllow: /\n"


def middleware() -> RobotsTxtMiddleware:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "USER_AGENT": "newscrawl/1.0"})
    return RobotsTxtMiddleware(crawler)


def test_a_crawl_delay_for_our_agent_goes_into_the_request() -> None:
    request = Request("http://example.org/politics/")
    middleware().process_request_2(ProtegoRobotParser(ROBOTS, None), request)
    assert request.meta[CRAWL_DELAY] == 2.5


def test_no_crawl_delay_for_our_agent_sets_nothing() -> None:
    request = Request("http://example.org/politics/", headers={"User-Agent": "otherbot/2"})
    middleware().process_request_2(ProtegoRobotParser(ROBOTS, None), request)
    assert CRAWL_DELAY not in request.meta
