"""AutoThrottle leaves the hosts we run ourselves alone, through Scrapy's public meta key."""

from __future__ import annotations

from scrapy.http import Request
from scrapy.utils.test import get_crawler

from newscrawl.extensions.throttle import DONT_ADJUST, AutoThrottle


def throttle() -> AutoThrottle:
    return AutoThrottle(get_crawler(settings_dict={"AUTOTHROTTLE_ENABLED": True}))


def test_loopback_responses_do_not_adjust_the_delay():
    extension = throttle()
    for url in ("http://127.0.0.1:8765/politics/", "http://localhost/", "http://[::1]:80/"):
        request = Request(url)
        extension.request_reached(request, spider=None)
        assert request.meta[DONT_ADJUST] is True


def test_the_sites_responses_do():
    extension = throttle()
    request = Request("https://japannews.yomiuri.co.jp/politics/")
    extension.request_reached(request, spider=None)
    assert DONT_ADJUST not in request.meta
    # A redirect from the replica to the site copies the meta: decided by the host alone.
    hop = Request("https://japannews.yomiuri.co.jp/", meta={DONT_ADJUST: True})
    extension.request_reached(hop, spider=None)
    assert DONT_ADJUST not in hop.meta
