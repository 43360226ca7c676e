"""The page's <meta>, <link> and JSON-LD <script> elements, found in one walk of the tree."""

from __future__ import annotations

from lxml import html


class MetaIndex:
    """What a page declares about itself: meta contents by property and by name, link hrefs by
    rel, article:tag values and the JSON-LD scripts."""

    __slots__ = ("_links", "_names", "_properties", "json_ld_scripts", "meta_tags")

    def __init__(self, tree: html.HtmlElement) -> None:
        properties: dict[str, str] = {}
        names: dict[str, str] = {}
        links: dict[str, str] = {}
        self.json_ld_scripts: list[html.HtmlElement] = []
        # article:tag values, all of them in page order (blank ones included), raw.
        self.meta_tags: list[str] = []
        # The whole document, whatever element TREE is (as XPath's //meta searches it).
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

    def meta(self, key: str) -> str | None:
        """The first non-blank content of <meta property=KEY>, else of <meta name=KEY>,
        stripped."""
        return self._properties.get(key) or self._names.get(key)

    def link(self, rel: str) -> str | None:
        """The first non-blank href of <link rel=REL>, stripped."""
        return self._links.get(rel)
