"""Site-independent readers: meta tags, JSON-LD and the generic main-text extractor.

They are the fallback chain a site module uses when its own selectors find nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import trafilatura
from lxml import etree, html
from w3lib.encoding import html_to_unicode

from newscrawl.text import clean_text

ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"}
)


_UTF8_PARSER = html.HTMLParser(encoding="utf-8")


def parse_html(page: str | bytes) -> html.HtmlElement:
    """Parse a page once. Bytes are decoded as Scrapy decodes responses (BOM, then the page's
    charset declaration, then UTF-8). An empty page gives an empty document, never an error."""
    if isinstance(page, bytes):
        _, page = html_to_unicode(None, page, default_encoding="utf-8")
    # NUL is never text (HTML parsers drop it); libxml2 would turn it into U+FFFD in the story.
    if "\x00" in page:
        page = page.replace("\x00", "")
    # lxml refuses str input that carries an XML encoding declaration: hand it UTF-8 bytes.
    try:
        return html.fromstring(page.encode("utf-8"), parser=_UTF8_PARSER)
    except etree.ParserError:  # nothing but whitespace or comments
        return html.fromstring("<html><body></body></html>")


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
    for script in tree.xpath("//script[@type='application/ld+json']"):
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
    for obj in json_ld_objects(tree):
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
