"""A bare Scrapy spider: the floor that benchmarks/crawl_throughput.py measures `japannews` against.

    scrapy runspider benchmarks/bare_spider.py -a base_url=http://127.0.0.1:PORT \
        -a section=politics,business -a menu=politics/election,... -O bare.jsonl

It requests the pages the `japannews` spider requests on a fresh crawl, and nothing more:
robots.txt, page 1 of each section archive, every page of each subsection listing (the
subsections of MENU plus those the archive links to or lists articles from, `/page/N/` until a
404) and every article listed in `li.clearfix` items of the section being walked, once (Scrapy's
own duplicate filter). It yields one field per article, `{"url": ...}`: no parsing of the
article, no pipelines, Scrapy's own feed export. It imports nothing from newscrawl, so it runs
with Scrapy's defaults except the settings given with `-s` (the benchmark passes the project's
concurrency, download slots, reactor, robots.txt and log level).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

# /<section>/<subsection>/<YYYYMMDD>-<post ID>/ and /<section>/<subsection>/
ARTICLE = re.compile(r"^/(?P<section>[a-z0-9-]+)/(?P<subsection>[a-z0-9-]+)/\d{8}-\d+/?$")
CATEGORY = re.compile(r"^/(?P<section>[a-z0-9-]+)/(?P<subsection>[a-z0-9-]+)/?$")
NOT_SUBSECTIONS = frozenset({"page", "feed", "attachment", "amp", "embed"})


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(
        self, base_url: str, section: str = "politics", menu: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.sections = [s for s in section.split(",") if s]
        self.menu = [tuple(m.split("/", 1)) for m in menu.split(",") if "/" in m]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for section in self.sections:
            yield scrapy.Request(
                f"{self.base_url}/{section}/", self.parse_archive, cb_kwargs={"section": section}
            )

    def parse_archive(self, response: Response, section: str) -> Iterator[scrapy.Request]:
        subsections = {sub: None for sec, sub in self.menu if sec == section}
        for href in response.css("a::attr(href)").getall():
            match = CATEGORY.match(urlsplit(response.urljoin(href)).path)
            if match and match["section"] == section and match["subsection"] not in NOT_SUBSECTIONS:
                subsections.setdefault(match["subsection"])
        for href in self._articles(response, section):
            match = ARTICLE.match(urlsplit(href).path)
            subsections.setdefault(match["subsection"])
            yield scrapy.Request(href, self.parse_article)
        for sub in subsections:
            yield self._listing(section, sub, 1)

    def _listing(self, section: str, sub: str, page: int) -> scrapy.Request:
        url = f"{self.base_url}/{section}/{sub}/" + (f"page/{page}/" if page > 1 else "")
        return scrapy.Request(
            url, self.parse_listing, cb_kwargs={"section": section, "sub": sub, "page": page}
        )

    def parse_listing(
        self, response: Response, section: str, sub: str, page: int
    ) -> Iterator[scrapy.Request]:
        """A listing page: its articles, then the next page (past the last one: a 404, which
        Scrapy's HttpErrorMiddleware drops)."""
        hrefs = self._articles(response, section)
        for href in hrefs:
            yield scrapy.Request(href, self.parse_article)
        if hrefs:
            yield self._listing(section, sub, page + 1)

    @staticmethod
    def _articles(response: Response, section: str) -> list[str]:
        """Article links of the listing's items that belong to SECTION."""
        links = []
        for href in response.css("li.clearfix a::attr(href)").getall():
            url = response.urljoin(href)
            match = ARTICLE.match(urlsplit(url).path)
            if match and match["section"] == section:
                links.append(url)
        return links

    def parse_article(self, response: Response) -> Iterator[dict[str, str]]:
        yield {"url": response.url}
