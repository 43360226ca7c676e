"""A page's bytes or text parsed into an lxml tree, once, the way the crawl decodes responses."""

from __future__ import annotations

from lxml import etree, html

from newscrawl import charset

_UTF8_PARSER = html.HTMLParser(encoding="utf-8")
# C0 controls other than tab, line feed, form feed and carriage return are never text, and XML
# forbids them: libxml2 turns each into U+FFFD inside the story, and trafilatura then loses
# the whole body of some pages. (Bytes: no other character's UTF-8 holds a byte below 0x20.)
# Deleted with bytes.translate: one C loop, several times cheaper than a regex search.
_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\x0c\r")


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
    data = page.encode("utf-8").translate(None, _CONTROLS)
    try:
        return html.fromstring(data, parser=_UTF8_PARSER)
    except etree.ParserError:  # nothing but whitespace or comments
        return html.fromstring("<html><body></body></html>")
