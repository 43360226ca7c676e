"""An article page of any site read into item fields: the site module's fields where it read
them, the generic path's for the rest, both from one parse of the page (newscrawl.page.Page).
Used by the `news` spider and by `newscrawl extract`."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newscrawl.page import Page
from newscrawl.sites import generic, links, registry

# Fields a module may leave empty for the generic path to fill in.
GENERIC_FIELDS = ("title", "authors", "body", "description")
SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")


def article_fields(
    page: str | bytes | HtmlElement | Page,
    url: str,
    site_module: ModuleType | None,
    tz: str,
    site_name: str,
    key: int | None = None,
    section: str | None = None,
) -> dict[str, Any]:
    """The item fields of an article page, without `listing_url` and `crawled_at`.

    Times stay raw candidates for the timestamps pipeline (the module's first), read in zone TZ
    when they name none. KEY is the article's identity (its URL's when None); SECTION the walked
    section (the module's, else the first segment of the URL, when None). The generic body
    (trafilatura, the costly reader) is read only when the module found none."""
    page = Page.of(page, url)
    exact = site_module.parse_article(page, url) if site_module is not None else {}
    fields = _generic_fields(page, url, tz, with_body=not exact.get("body"))
    if site_module is not None:
        _merge(fields, exact)
        fields["keep_offset"] = site_module.KEEP_OFFSET
    if key is None:
        key = (site_module.article_key(url) if site_module else None) or links.url_key(url)
    fields["id"] = f"{site_name}:{key}"
    fields["site"] = site_name
    fields["section"] = fields.get("section") or section or first_segment(fields["url"])
    return fields


def _generic_fields(page: Page, url: str, tz: str, with_body: bool) -> dict[str, Any]:
    found = generic.parse_article(page, url, tz, with_body=with_body)
    return {
        "url": found["url"],
        "subsection": None,
        "title": found["title"],
        "authors": found["authors"],
        "byline": None,
        "description": found["description"],
        "body": found["body"],
        "images": [],
        "tags": [],
        "access": None,
        "flags": [],
        # Lists of their own (generic.parse_article copies the page's): the module's go in front.
        "time_candidates": found["time_candidates"],
        "time_zone": tz,
        "keep_offset": True,
        "generic_text": True,
    }


def _merge(fields: dict[str, Any], exact: dict[str, Any]) -> None:
    """The module's fields over the generic ones; an empty one leaves the generic value."""
    for name, value in exact.items():
        if name == "time_candidates":
            for kind in ("published", "modified"):
                fields["time_candidates"][kind][:0] = value.get(kind, [])
        elif name in {"id", "site"}:
            continue  # the spider's: one identity per crawl
        elif value not in (None, "", []) or name not in GENERIC_FIELDS:
            fields[name] = value
    fields["generic_text"] = not exact.get("body")


def site_name(site_module: ModuleType | None, url: str) -> str:
    """The items' `site`: the module's name, else the host's name without www. and the like,
    letters and digits only ("www.example.co.uk" -> "example"). Never a module's name: a
    generic read of a site that has a module must not pass for the module's exact one."""
    if site_module is not None:
        return site_module.SITE
    host = registry.HOST_PREFIX.sub("", (urlsplit(url).hostname or "").lower())
    first = host if host.replace(".", "").isdigit() else host.split(".")[0]
    name = SLUG_CHARACTERS.sub("", first) or "site"
    return f"{name}web" if name in registry.SITE_MODULES else name


def section_slug(url: str) -> str:
    """A section's name: the last segment of its URL's path ("politics"); "news" for the root."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    slug = SLUG_CHARACTERS.sub("-", segments[-1].lower()).strip("-") if segments else ""
    return slug or "news"


def first_segment(url: str) -> str:
    """An article's section when no section was walked: the first segment of its path."""
    first = next((s for s in urlsplit(url).path.split("/") if s), "")
    return section_slug(f"http://host/{first}/") if first else "news"
