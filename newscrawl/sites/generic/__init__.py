"""Generic article extraction for any news site: title, times, authors, body, description.

One reader a job, each a function of the page (newscrawl.page.Page: parsed once, its meta,
JSON-LD and time candidates read once) and the site's time zone: title.py, times.py,
authors.py, body.py; the furniture rules the body leaves out are in furniture.py.
"""

from __future__ import annotations

from typing import Any

from lxml import html

from newscrawl.page import Page
from newscrawl.sites import links
from newscrawl.sites.generic.authors import authors
from newscrawl.sites.generic.body import body
from newscrawl.sites.generic.times import first_time
from newscrawl.sites.generic.title import title
from newscrawl.text import strip_markup


def parse_article(
    page: str | bytes | html.HtmlElement | Page, url: str, tz: str = "UTC", with_body: bool = True
) -> dict[str, Any]:
    """The article of PAGE: "title", "published" (ISO 8601 with offset, or None when only a
    date is known: "published_date"), "published_zone_assumed" (the page named no zone and TZ
    was taken), "modified", "authors" (people only), "body" (paragraphs joined by a blank
    line), "description", "time_candidates" ({"published": [(source, raw), ...], "modified":
    [...]}, every raw candidate in trust order, as Page.time_candidates gives them) and
    "sources" (where each field was found), and "url" (the page's canonical URL on its host,
    see links.canonical). Without WITH_BODY the body is not read (trafilatura is not run): ""."""
    page = Page.of(page, url)
    head = title(page, url)
    # Raw, in trust order, for the timestamps pipeline (which gives the crawl's `published`).
    candidates = page.time_candidates
    first = first_time(candidates["published"], tz)
    last = first_time(candidates["modified"], tz)
    people, authors_source = authors(page)
    description, description_source = _description(page)
    blocks = body(page, head.value, page.site_names, people) if with_body else []
    return {
        "title": head.value,
        "published": first.value,
        "published_date": first.date if first.value is None else first.value[:10],
        "published_zone_assumed": first.zone_assumed,
        "modified": last.value,
        "authors": people,
        "body": "\n\n".join(blocks),
        "description": description,
        "time_candidates": {kind: list(found) for kind, found in candidates.items()},
        "url": links.canonical(page.tree, url),
        "sources": {
            "title": head.source,
            "published": first.source,
            "modified": last.source,
            "authors": authors_source,
            "body": "trafilatura" if blocks else None,
            "description": description_source,
        },
    }


def _description(page: Page) -> tuple[str | None, str | None]:
    for source, value in (
        ("meta:og:description", page.meta("og:description")),
        ("meta:description", page.meta("description")),
        ("json-ld:description", next(iter(page.ld_values("description")), None)),
    ):
        if isinstance(value, str) and (text := strip_markup(value)):
            return text, source
    return None, None
