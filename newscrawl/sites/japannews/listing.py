"""The Japan News: listing pages (a section's or subsection's archive) and the links they hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from newscrawl.page import Page
from newscrawl.sites.japannews.furniture import IN_CHROME
from newscrawl.sites.japannews.urls import CATEGORY_PATH, NOT_SUBSECTIONS, article_path
from newscrawl.text import text_of

LISTING_ITEMS = "//li[contains(concat(' ',normalize-space(@class),' '),' clearfix ')]"
LISTING_DATE = re.compile(
    r"^(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d+\s+(?:minute|hour|day)s?\s+ago)$"
)
_IN_CHROME = etree.XPath(IN_CHROME)


@dataclass
class ListingEntry:
    url: str
    title: str | None = None
    date_raw: str | None = None


@dataclass
class ListingPage:
    entries: list[ListingEntry] = field(default_factory=list)
    subsections: set[tuple[str, str]] = field(default_factory=set)


def parse_listing(page: str | bytes | html.HtmlElement | Page, url: str) -> ListingPage:
    """Article links (with their listing dates) and subsection links of a listing page.

    The next page is not read from the page: its markup is unknown, and WordPress always answers
    /page/N+1/ (the spider walks that until a 404 or a page with nothing new)."""
    tree = Page.of(page, url).tree
    result = ListingPage(entries=_listing_entries(tree, url))
    for href in tree.xpath("//a/@href"):
        path = urlsplit(urljoin(url, href)).path
        match = CATEGORY_PATH.match(path)
        if match and match["subsection"] not in NOT_SUBSECTIONS:
            result.subsections.add((match["section"], match["subsection"]))
    return result


def _listing_entries(tree: html.HtmlElement, url: str) -> list[ListingEntry]:
    entries = [
        entry for li in tree.xpath(LISTING_ITEMS) if (entry := _listing_item(li, url)) is not None
    ]
    if entries:
        return entries
    # Fallback when the item markup changed: every article link in the page's main content.
    scope = tree.xpath("//main") or [tree]
    seen: set[str] = set()
    for anchor in scope[0].xpath(f".//a[@href][not({IN_CHROME})]"):
        link = urljoin(url, anchor.get("href"))
        if article_path(link) and link not in seen:
            seen.add(link)
            entries.append(ListingEntry(url=link, title=text_of(anchor) or None))
    return entries


def _listing_item(li: html.HtmlElement, url: str) -> ListingEntry | None:
    if _IN_CHROME(li):
        return None
    for href in li.xpath(".//a/@href"):
        link = urljoin(url, href)
        if article_path(link):
            title = li.xpath(".//h2")
            dates = [t for t in (text_of(p) for p in li.xpath(".//p")) if LISTING_DATE.match(t)]
            return ListingEntry(
                url=link,
                title=text_of(title[0]) if title else None,
                date_raw=dates[0] if dates else None,
            )
    return None
