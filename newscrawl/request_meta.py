"""The keys newscrawl keeps in a request's meta, shared by the spiders, middlewares, extensions
and the shared frontier, and the URL a request was asked for."""

from __future__ import annotations

from scrapy.http import Request, Response

KIND = "newscrawl_kind"  # "listing", "article" or absent (robots.txt, sitemaps index...)
WALK = "newscrawl_walk"  # the listing walk (its target, as text) an article or page belongs to
ARTICLE_KEY = "newscrawl_key"  # the article's key within its site (spiders/base.py `Listed.key`)
RETRY_AT = "newscrawl_retry_at"  # monotonic time before which the request is not sent
# Seconds robots.txt's Crawl-delay asks for between requests to the host (only when it says so):
# the shared frontier's politeness budget spaces the host's requests by it.
CRAWL_DELAY = "newscrawl_crawl_delay"


def asked_url(request: Request | Response) -> str:
    """The URL the spider asked for: the first of a redirect chain, not a hop's."""
    return (request.meta.get("redirect_urls") or [request.url])[0]
