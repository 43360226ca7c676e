"""The Japan News (japannews.yomiuri.co.jp): URLs, selectors, page parsing and page furniture.

Everything here is a pure function of (page, url) so that saved pages can be tested and
`newscrawl extract` gives what a crawl gives. Facts and how sure they are: docs/site-japannews.md
(copied from the shared site notes). The module interface of newscrawl.sites.registry, and what
the `japannews` spider reads, by job:
- urls: the sections, article and listing URLs (SITE, HOSTS, article_key, canonical_url ...);
- listing: parse_listing(), the links of a section's archive;
- article: parse_article(), with byline (the byline, date line and authors) and body (the
  story's paragraphs and photos);
- furniture: the page chrome and strip_furniture(), the site's furniture lines in text.
"""

from __future__ import annotations

from newscrawl.sites.japannews.article import parse_article
from newscrawl.sites.japannews.byline import parse_authors
from newscrawl.sites.japannews.furniture import strip_furniture
from newscrawl.sites.japannews.listing import ListingEntry, ListingPage, parse_listing
from newscrawl.sites.japannews.urls import (
    ARTICLE_PATH,
    CANONICAL_HOST,
    HOSTS,
    KNOWN_SUBSECTIONS,
    ORIGIN,
    SITE,
    article_key,
    article_path,
    canonical_url,
    listing_url,
    site_url,
    url_date,
)

TIME_ZONE = "Asia/Tokyo"
KEEP_OFFSET = False  # times are exported in Japan time, whatever offset the page wrote

__all__ = [
    "ARTICLE_PATH",
    "CANONICAL_HOST",
    "HOSTS",
    "KEEP_OFFSET",
    "KNOWN_SUBSECTIONS",
    "ORIGIN",
    "SITE",
    "TIME_ZONE",
    "ListingEntry",
    "ListingPage",
    "article_key",
    "article_path",
    "canonical_url",
    "listing_url",
    "parse_article",
    "parse_authors",
    "parse_listing",
    "site_url",
    "strip_furniture",
    "url_date",
]
