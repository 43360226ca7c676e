"""A page's bytes or text parsed into an lxml tree, once, the way the crawl decodes responses."""

from __future__ import annotations

from lxml import etree, html

from newscrawl import charset

_UTF8_PARSER = html.HTMLParser(encoding="utf-8")


def parse_tree(page: str | bytes | html.HtmlElement) -> html.HtmlElement:
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
