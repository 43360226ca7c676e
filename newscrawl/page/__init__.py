"""The page object: one parse per response, and what every reader of a page needs, computed once.

Site modules, the generic reader and the page classifier read the same Page: its tree, meta
index, JSON-LD, site names, time candidates and trafilatura's main text are cached properties
of the page itself (nothing is kept between pages).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from lxml import etree, html

from newscrawl.page import maintext
from newscrawl.page.jsonld import (
    ARTICLE_TYPES,
    articles_first,
    is_article,
    ld_name,
    ld_types,
    objects,
)
from newscrawl.page.meta import MetaIndex
from newscrawl.page.time_candidates import Candidates, date_lines, time_candidates
from newscrawl.page.tree import parse_tree

__all__ = ["ARTICLE_TYPES", "Page", "parse_tree"]

# JSON-LD types whose name is the site's (or its publisher's).
SITE_TYPES = frozenset({"WebSite", "Organization", "NewsMediaOrganization"})


class Page:
    """A parsed page and its URL (the one it was fetched from; "" when unknown)."""

    def __init__(self, tree: html.HtmlElement, url: str = "") -> None:
        self.tree = tree
        self.url = url

    @classmethod
    def of(cls, page: str | bytes | html.HtmlElement | Page, url: str = "") -> Page:
        """PAGE as a Page: a Page is given back as it is, anything else parsed once."""
        if isinstance(page, Page):
            return page
        return cls(parse_tree(page), url)

    def __repr__(self) -> str:
        return f"Page({self.url!r})"

    @cached_property
    def root(self) -> html.HtmlElement:
        """The document's root element (<html>), whatever element the tree is."""
        return self.tree.getroottree().getroot()

    @cached_property
    def _index(self) -> MetaIndex:
        return MetaIndex(self.root)

    def meta(self, key: str) -> str | None:
        """The content of <meta property=KEY>, else of <meta name=KEY>: the first non-blank,
        stripped."""
        return self._index.meta(key)

    def link(self, rel: str) -> str | None:
        """The href of the first <link rel=REL> that has one, stripped."""
        return self._index.link(rel)

    @property
    def meta_tags(self) -> list[str]:
        """Every article:tag content in page order, raw (blank ones included)."""
        return self._index.meta_tags

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page at any depth, read leniently (newscrawl.page.jsonld)."""
        return objects(self._index.json_ld_scripts)

    @cached_property
    def ld_by_trust(self) -> list[dict[str, Any]]:
        """The JSON-LD objects, article objects first."""
        return articles_first(self.json_ld)

    def ld_values(self, key: str) -> list[Any]:
        """KEY's values: article objects' first, then any other object's (empty ones left out)."""
        return [o[key] for o in self.ld_by_trust if o.get(key)]

    @cached_property
    def article_ld(self) -> dict[str, Any]:
        """The first JSON-LD object typed as an article, or {}."""
        return next((o for o in self.json_ld if is_article(o)), {})

    @cached_property
    def site_names(self) -> frozenset[str]:
        """The site's and publisher's names, lowercased: og:site_name, JSON-LD publisher,
        WebSite and Organization names."""
        names = {self.meta("og:site_name")}
        names.update(ld_name(v) for v in self.ld_values("publisher"))
        names.update(ld_name(o) for o in self.json_ld if ld_types(o) & SITE_TYPES)
        return frozenset(n.lower() for n in names if n)

    @cached_property
    def date_lines(self) -> list[str]:
        """The page's short visible lines that name a month, a day and a year."""
        return date_lines(self.root)

    @cached_property
    def time_candidates(self) -> dict[str, Candidates]:
        """{"published": [(source, raw), ...], "modified": [...]}, raw, in order of trust."""
        return time_candidates(self.tree, self.ld_values, self.meta, self.date_lines, self.url)

    @cached_property
    def _main_body(self) -> etree._Element | None:
        return maintext.main_body(self.tree, self.url)

    @cached_property
    def main_blocks(self) -> list[str]:
        """trafilatura's main-text blocks in page order (newscrawl.page.maintext)."""
        return maintext.blocks(self._main_body)

    @cached_property
    def main_blocks_split(self) -> list[str]:
        """main_blocks, each also cut where two line breaks in a row stand."""
        return maintext.blocks(self._main_body, split_breaks=True)
