"""Which pages a fault hits: a fixed point in [0, 1) per article or page, and each
article-level fault's band of that interval."""

from __future__ import annotations

import hashlib
from typing import Any

from newscrawl.replica.corpus import Article
from newscrawl.replica.faults.framework import Fault, Request
from newscrawl.replica.response import Response


def point(seed: int, salt: str, key: object) -> float:
    """A fixed pseudo-random point in [0, 1) for (seed, salt, key)."""
    digest = hashlib.sha256(f"{seed}:{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


# Share of articles per fault, laid end to end over [0, 1) in this order. throttle and stall
# cost a crawler seconds each: they stay rare.
SHARES: tuple[tuple[str, float], ...] = (
    ("flaky", 0.06),
    ("reset", 0.03),
    ("throttle", 0.03),
    ("truncate", 0.05),
    ("empty", 0.03),
    ("stall", 0.03),
    ("down", 0.04),
    ("bomb", 0.04),
    ("private", 0.04),
    ("charset", 0.10),  # of which only articles with non-ASCII cp1252 text
    ("separators", 0.06),
    ("baddates", 0.12),
    ("notitle", 0.05),
    # issue 13: requests that end without a page (redirects off the site or too long)
    ("offsite", 0.03),
    ("scheme", 0.02),
    ("chain", 0.03),
    # issue 13: pages on an article URL that are not the article
    ("interstitial", 0.03),
    ("wall", 0.03),
    ("soft404", 0.03),
    ("sectionpage", 0.02),
    # issue 13: UTF-8 pages under a Content-Type header naming another charset
    ("liar", 0.06),
)


def _bands() -> dict[str, tuple[float, float]]:
    bands, low = {}, 0.0
    for name, share in SHARES:
        bands[name] = (low, low + share)
        low += share
    return bands


BANDS: dict[str, tuple[float, float]] = _bands()


def in_band(name: str, seed: int, salt: str, key: object) -> bool:
    low, high = BANDS[name]
    return low <= point(seed, salt, key) < high


def record_post_id(record: dict[str, Any]) -> int:
    return int(str(record["id"]).rsplit(":", 1)[1])


def _record_text(record: dict[str, Any]) -> str:
    return "\n".join((record["title"], record["byline"] or "", record["body"]))


def _article_text(a: Article) -> str:
    return "\n".join((a.title, a.byline or "", *(b.text for b in a.blocks)))


class PickedFault(Fault):
    """A fault that hits the articles in its band (`BANDS[name]`)."""

    def picks(self, seed: int, post_id: int, text: str) -> bool:
        """Whether the article (post ID, visible text) is hit; `text` for faults that care."""
        return in_band(self.name, seed, "article", post_id)

    def picks_article(self, seed: int, a: Article) -> bool:
        return self.picks(seed, a.post_id, _article_text(a))

    def amend(self, record: dict[str, Any]) -> None:
        if self.picks(self.seed, record_post_id(record), _record_text(record)):
            record["faults"].append(self.name)
            self.amend_hit(record)

    def amend_hit(self, record: dict[str, Any]) -> None:
        pass


def picked_article(fault: PickedFault, request: Request, response: Response) -> bool:
    if response.kind != "article" or not isinstance(response.subject, Article):
        return False
    return fault.picks_article(request.site.corpus.seed, response.subject)
