"""Loops: ghost entries in listings whose URLs redirect in a circle, and listings whose last
page links back to page 1."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from newscrawl.replica import chrome, words
from newscrawl.replica.corpus import SUB_CODE, SUBSECTIONS, Corpus
from newscrawl.replica.faults.framework import Fault, Handler, Request, register
from newscrawl.replica.faults.selection import point
from newscrawl.replica.pages import Site
from newscrawl.replica.response import Response

GHOST_SHARE = 0.35  # share of listing pages with a ghost entry
_GHOST_PATH = re.compile(r"/[a-z0-9-]+/[a-z0-9-]+/\d{8}-(\d+)/")


def ghost_id(corpus: Corpus, index: int, sub_slug: str) -> int:
    """The post ID of the ghost entry placed next to article `index` in a listing of `sub_slug`:
    above every post ID of the corpus, and telling its subsection and date."""
    return corpus.last_post_id + 1 + index * len(SUBSECTIONS) + SUB_CODE[sub_slug]


def ghost_path(corpus: Corpus, post_id: int) -> str | None:
    """The article-like path of a ghost post ID, None when `post_id` is no ghost."""
    rest = post_id - corpus.last_post_id - 1
    if rest < 0:
        return None
    index, code = divmod(rest, len(SUBSECTIONS))
    if index >= corpus.visible:
        return None
    sub = SUBSECTIONS[code]
    return f"/{sub.section}/{sub.slug}/{corpus.published_at(index):%Y%m%d}-{post_id}/"


@register
class Loop(Fault):
    """Some listing pages hold a ghost entry whose URL redirects (301) to `/?p=<its ID>`, which
    redirects back: a permanent loop. The last page of every listing links "next" to page 1."""

    name = "loop"

    def respond(self, request: Request, inner: Handler) -> Response:
        parts, corpus, origin = urlsplit(request.target), request.site.corpus, request.site.origin
        if parts.path == "/":
            value = parse_qs(parts.query).get("p", [""])[0]
            path = ghost_path(corpus, int(value)) if value.isdigit() else None
            if path is not None:
                return _moved(origin + path)
        elif (match := _GHOST_PATH.fullmatch(parts.path)) and ghost_path(
            corpus, int(match[1])
        ) == parts.path:
            return _moved(f"{origin}/?p={match[1]}")
        response = inner()
        if response.kind != "listing":
            return response
        listing, page = response.subject
        extra = None
        if point(corpus.seed, "loop", parts.path) < GHOST_SHARE:
            extra = self._ghost(request.site, listing, page, parts.path)
        body = request.site.listing(listing, page, extra, loop_back=True)
        return replace(response, body=body)

    @staticmethod
    def _ghost(site: Site, listing: Any, page: int, path: str) -> tuple[int, str] | None:
        start = (page - 1) * listing.per_page
        items = listing.items[start : start + listing.per_page]
        if not items:
            return None
        corpus = site.corpus
        k = int(point(corpus.seed, "loop-ghost", path) * len(items))
        neighbour = corpus.article(items[k])
        segments = listing.root.strip("/").split("/")
        sub_slug = segments[1] if len(segments) == 2 else neighbour.subsection.slug
        post_id = ghost_id(corpus, neighbour.index, sub_slug)
        sec = SUBSECTIONS[SUB_CODE[sub_slug]].section
        rng = random.Random(f"replica-ghost/{corpus.seed}/{post_id}")
        actor, topic = rng.choice(words.ACTORS[sec]), rng.choice(words.TOPICS[sec])
        verb = rng.choice(words.VERB_PHRASES[sec]).lower()
        title = f"{actor} Weighs Options on {topic}"
        excerpt = f"{actor} is expected to {verb} as the {topic.lower()} draws near."
        entry = chrome.list_entry(
            f"{site.origin}{ghost_path(corpus, post_id)}",
            site.origin + chrome.NOIMAGE,
            chrome.esc(title),
            chrome.esc(excerpt),
            chrome.long_date(neighbour.published),
        )
        return k, entry


def _moved(location: str) -> Response:
    return Response(301, "", headers={"Location": location})
