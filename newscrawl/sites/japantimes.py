"""The Japan Times (www.japantimes.co.jp): the second site module, and a small one on purpose.

What is publicly known of the site and relied on here: articles live at dated URLs
(/news/2024/10/13/japan/politics/some-slug/; also /business/, /opinion/, /sports/, /life/,
/culture/ ...), titles end in " - The Japan Times", times are Japan time. Its markup beyond that
(class names, bylines) is not known to this project, so the module reads only the URL, the title
and the publication meta, and the `news` spider's generic path (newscrawl.sites.generic) reads
authors, body, description and any time this module does not find.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newscrawl.page import Page
from newscrawl.sites import links
from newscrawl.text import clean_text

SITE = "japantimes"
ORIGIN = "https://www.japantimes.co.jp"
HOSTS = frozenset({"www.japantimes.co.jp", "japantimes.co.jp"})
TIME_ZONE = "Asia/Tokyo"
KEEP_OFFSET = True  # times keep the offset the page gives, as for any site of the news spider

ARTICLE_PATH = re.compile(
    r"^/(?P<kind>[a-z]+)/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/"
    r"(?P<sections>(?:[a-z0-9-]+/)*)(?P<slug>[a-z0-9-]+)/?$"
)
TITLE_SUFFIX = re.compile(r"\s*[-|–—]\s*The Japan Times\s*$")


def article_key(url: str) -> int | None:
    """Its URLs carry no post ID: the number derived from the canonical URL (so the bare host
    and www. give one id); None for other pages."""
    return links.url_key(canonical_url(url)) if ARTICLE_PATH.match(urlsplit(url).path) else None


def canonical_url(url: str) -> str:
    """https, the real host, a trailing slash."""
    path = urlsplit(url).path
    return ORIGIN + (path if path.endswith("/") else path + "/")


def parse_article(page: str | bytes | HtmlElement | Page, url: str) -> dict[str, Any]:
    """URL, section, subsection, title and the publication meta; the rest is left to the
    generic path. PAGE is anything Page.of takes (a Page is read as it is)."""
    page = Page.of(page, url)
    match = ARTICLE_PATH.match(urlsplit(url).path)
    sections = [s for s in (match["sections"] if match else "").split("/") if s]
    title = clean_text(page.meta("og:title") or "")
    return {
        "url": canonical_url(url),
        # /news/.../japan/politics/slug/: section "japan", subsection "politics"
        "section": sections[0] if sections else (match["kind"] if match else None),
        "subsection": sections[1] if len(sections) > 1 else None,
        "title": TITLE_SUFFIX.sub("", title) or None,
        "time_candidates": {
            "published": _candidates(page.meta("article:published_time")),
            "modified": [],
        },
    }


def _candidates(value: str | None) -> list[tuple[str, str]]:
    return [("meta:article:published_time", value)] if value else []
