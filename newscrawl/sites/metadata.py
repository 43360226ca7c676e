"""Site-independent readers: meta tags, JSON-LD and the generic main-text extractor.

They are the fallback chain a site module uses when its own selectors find nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import trafilatura
from lxml import etree, html

from newscrawl import charset
from newscrawl.text import clean_text

ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"}
)


_UTF8_PARSER = html.HTMLParser(encoding="utf-8")


def parse_html(page: str | bytes | html.HtmlElement) -> html.HtmlElement:
    """Parse a page once (a page parsed already is given back as it is, so that readers of one
    page share its tree). Bytes are decoded as the crawl decodes responses (`newscrawl.charset`:
    BOM, valid UTF-8, then the page's charset declaration). An empty page gives an empty
    document, never an error."""
    if isinstance(page, html.HtmlElement):
        return page
    if isinstance(page, bytes):
        page, _ = charset.decode(page)
    # lxml refuses str input that carries an XML encoding declaration: hand it UTF-8 bytes.
    data = page.encode("utf-8")
    # NUL is never text (HTML parsers drop it); libxml2 would turn it into U+FFFD in the story.
    # (Looked for in the bytes: faster, and no other character's UTF-8 holds a zero byte.)
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
    try:
        return html.fromstring(data, parser=_UTF8_PARSER)
    except etree.ParserError:  # nothing but whitespace or comments
        return html.fromstring("<html><body></body></html>")


class PageIndex:
    """The page's <meta>, <link> and JSON-LD <script> elements, found in one walk of the tree.

    Its readers give what the functions below give (they walk the tree on each call)."""

    __slots__ = ("_links", "_names", "_properties", "json_ld_scripts", "meta_tags")

    def __init__(self, tree: html.HtmlElement) -> None:
        properties: dict[str, str] = {}
        names: dict[str, str] = {}
        links: dict[str, str] = {}
        self.json_ld_scripts: list[html.HtmlElement] = []
        # article:tag values, all of them in page order (blank ones included), raw.
        self.meta_tags: list[str] = []
        # XPath's //meta searches the whole document, whatever element TREE is.
        for element in tree.getroottree().getroot().iter("meta", "link", "script"):
            tag = element.tag
            if tag == "meta":
                content = element.get("content")
                if content is None:
                    continue
                key = element.get("property")
                if key == "article:tag":
                    self.meta_tags.append(content)
                if not (content := content.strip()):
                    continue
                if key is not None and key not in properties:
                    properties[key] = content
                key = element.get("name")
                if key is not None and key not in names:
                    names[key] = content
            elif tag == "link":
                rel, href = element.get("rel"), (element.get("href") or "").strip()
                if rel is not None and href and rel not in links:
                    links[rel] = href
            elif element.get("type") == "application/ld+json":
                self.json_ld_scripts.append(element)
        self._properties, self._names, self._links = properties, names, links

    def meta_content(self, key: str) -> str | None:
        """As meta_content(tree, key)."""
        return self._properties.get(key) or self._names.get(key)

    def link_href(self, rel: str) -> str | None:
        """As link_href(tree, rel)."""
        return self._links.get(rel)

    def article_json_ld(self) -> dict[str, Any]:
        """As article_json_ld(tree)."""
        return _article_object(_json_ld_of(self.json_ld_scripts))


def meta_content(tree: html.HtmlElement, key: str) -> str | None:
    """content of <meta property=key> or <meta name=key>, whitespace-cleaned."""
    for attr in ("property", "name"):
        for value in tree.xpath(f"//meta[@{attr}=$key]/@content", key=key):
            if value.strip():
                return value.strip()
    return None


def link_href(tree: html.HtmlElement, rel: str) -> str | None:
    for value in tree.xpath("//link[@rel=$rel]/@href", rel=rel):
        if value.strip():
            return value.strip()
    return None


def json_ld_objects(tree: html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, @graph members and nested lists flattened."""
    yield from _json_ld_of(tree.xpath("//script[@type='application/ld+json']"))


def _json_ld_of(scripts: list[html.HtmlElement]) -> Iterator[dict[str, Any]]:
    for script in scripts:
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _flatten(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])


def article_json_ld(tree: html.HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object typed as an article, or {}."""
    return _article_object(json_ld_objects(tree))


def _article_object(objects: Iterator[dict[str, Any]]) -> dict[str, Any]:
    for obj in objects:
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
            return obj
    return {}


def ld_text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def generic_blocks(tree: html.HtmlElement, url: str) -> list[str]:
    """Main-text blocks (paragraphs, headings, list items) found by trafilatura, in page order."""
    xml = trafilatura.extract(
        tree,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
    )
    if not xml:
        return []
    doc = etree.fromstring(xml.encode("utf-8"))
    blocks = []
    for element in doc.iterfind(".//main//*"):
        if element.tag in _BLOCK_TAGS and element.getparent().tag not in _BLOCK_TAGS:
            text = clean_text("".join(element.itertext()))
            if text:
                blocks.append(text)
    return blocks


# trafilatura's XML names for text blocks; a block inside a block is part of its parent.
_BLOCK_TAGS = frozenset({"p", "head", "item", "quote"})
