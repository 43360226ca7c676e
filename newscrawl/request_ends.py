"""How the spider tells that it saw a request end (its callback got the response, or its
errback the failure): the request ledger (extensions/ledger.py) and the backfill progress
listen for `request_settled`."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import Request

# Sent by the spider's errback and by the ledger's SettledMiddleware: the spider saw this end.
request_settled = object()


def settle(crawler: Crawler, request: Request) -> None:
    """Tell the ledger (when there is one) that the spider saw REQUEST end."""
    crawler.signals.send_catch_log(request_settled, request=request)
