"""The entries of sitemaps and RSS or Atom feeds: the article links they list, with their dates,
read safely (no entities, no network)."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, recover=True, remove_comments=True
)


@dataclass(frozen=True)
class Link:
    url: str
    date: str | None = None  # lastmod or pubDate, as written


def _root(xml: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(xml, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(xml: bytes) -> tuple[list[Link], list[Link]]:
    """(sub-sitemaps of an index, page URLs of a urlset): each with its lastmod."""
    root = _root(xml)
    if root is None:
        return [], []
    kind = _local(root.tag)
    entries = [entry for entry in root if _local(entry.tag) in {"sitemap", "url"}]
    links = [link for entry in entries if (link := _link(entry, "loc", "lastmod"))]
    return (links, []) if kind == "sitemapindex" else ([], links)


def parse_rss(xml: bytes) -> list[Link]:
    """The items of an RSS 2.0 feed (or Atom entries), newest first as the feed lists them."""
    root = _root(xml)
    if root is None:
        return []
    links = []
    for item in root.iter():
        if _local(item.tag) == "item":
            links.append(_link(item, "link", "pubDate"))
        elif _local(item.tag) == "entry":
            href = next((e.get("href") for e in item if _local(e.tag) == "link"), None)
            date = next((e.text for e in item if _local(e.tag) in {"published", "updated"}), None)
            links.append(Link(href.strip(), date) if href else None)
    return [link for link in links if link]


def _link(entry: etree._Element, url_tag: str, date_tag: str) -> Link | None:
    url = date = None
    for child in entry:
        if _local(child.tag) == url_tag and child.text:
            url = child.text.strip()
        elif _local(child.tag) == date_tag and child.text:
            date = child.text.strip()
    return Link(url, date) if url else None
