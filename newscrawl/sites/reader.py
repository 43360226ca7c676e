"""An article page of any site read into item fields: the site module's fields where it read
them, the generic path's for the rest. Used by the `news` spider and by `newscrawl extract`."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newscrawl.sites import generic, links, registry

# Fields a module may leave empty for the generic path to fill in.
GENERIC_FIELDS = ("title", "authors", "body", "description")
SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")


def article_fields(
    page: str | bytes | HtmlElement,
    url: str,
    module: ModuleType | None,
    tz: str,
    site_name: str,
    key: int | None = None,
    section: str | None = None,
) -> dict[str, Any]:
    """The item fields of an article page, without `listing_url` and `crawled_at`.

    Times stay raw candidates for the timestamps pipeline (the module's first), read in zone TZ
    when they name none. KEY is the article's identity (its URL's when None); SECTION the walked
    section (the module's, else the first segment of the URL, when None)."""
    fields = _generic_fields(page, url, tz)
    if module is not None:
        _merge(fields, module.parse_article(page, url))
        fields["keep_offset"] = module.KEEP_OFFSET
    if key is None:
        key = (module.article_key(url) if module else None) or links.url_key(url)
    fields["id"] = f"{site_name}:{key}"
    fields["site"] = site_name
    fields["section"] = fields.get("section") or section or first_segment(fields["url"])
    return fields


def _generic_fields(page: str | bytes | HtmlElement, url: str, tz: str) -> dict[str, Any]:
    found = generic.parse_article(page, url, tz)
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
        "time_candidates": {
            "published": list(found["time_candidates"]["published"]),
            "modified": list(found["time_candidates"]["modified"]),
        },
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


def site_name(module: ModuleType | None, url: str) -> str:
    """The items' `site`: the module's name, else the host's name without www. and the like,
    letters and digits only ("www.example.co.uk" -> "example"). Never a module's name: a
    generic read of a site that has a module must not pass for the module's exact one."""
    if module is not None:
        return module.SITE
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
