"""Pages on an article URL that are not the article: a bot check, a login wall, a soft 404,
the section's listing."""

from __future__ import annotations

from typing import Any

from newscrawl.replica import impostors
from newscrawl.replica.corpus import Article
from newscrawl.replica.faults.framework import Handler, Request, register
from newscrawl.replica.faults.selection import PickedFault, picked_article, point
from newscrawl.replica.pages import Site
from newscrawl.replica.response import Response


class _Impostor(PickedFault):
    """Its article URLs answer 200 with a page that is not the article, on every request: a
    correct crawl exports none of them, and must not record them as done (the next run fetches
    them again)."""

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not picked_article(self, request, response):
            return response
        return Response(200, self.page(request.site, response.subject))

    def page(self, site: Site, a: Article) -> str:
        raise NotImplementedError

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


@register
class Interstitial(_Impostor):
    """A Cloudflare-style bot check ("Just a moment...", "Checking if the site connection is
    secure"): no site chrome, no article."""

    name = "interstitial"

    def page(self, site: Site, a: Article) -> str:
        return impostors.interstitial(site, a)


@register
class Wall(_Impostor):
    """A login wall in the site's chrome: the headline, the lead and a "Log in to read this
    article" form. Half of them (seeded per article) keep og:title, og:type article and
    article:published_time, as walls built on the article template do."""

    name = "wall"

    @staticmethod
    def keeps_meta(seed: int, post_id: int) -> bool:
        return point(seed, "wall-meta", post_id) < 0.5

    def page(self, site: Site, a: Article) -> str:
        return impostors.wall(site, a, self.keeps_meta(site.corpus.seed, a.post_id))


@register
class Soft404(_Impostor):
    """The theme's "Page not found" page, answered with 200."""

    name = "soft404"

    def page(self, site: Site, a: Article) -> str:
        return site.not_found()


@register
class SectionPage(_Impostor):
    """Page 1 of the article's section listing, on the article's URL."""

    name = "sectionpage"

    def page(self, site: Site, a: Article) -> str:
        return impostors.section_page(site, a)
