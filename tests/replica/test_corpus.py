"""The replica's corpus: determinism, laziness, the --now cut-off, and page/manifest agreement."""

from __future__ import annotations

import collections
import itertools
import json
import re
import time
from datetime import datetime

import pytest
from parsel import Selector

from newscrawl.replica.corpus import JST, Corpus, parse_now
from newscrawl.replica.pages import Site

ORIGIN = "http://127.0.0.1:8765"
ARTICLE_PATH = re.compile(r"^https://japannews\.yomiuri\.co\.jp/[a-z-]+/[a-z0-9-]+/\d{8}-\d+/$")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(articles=300, seed=7)


@pytest.fixture(scope="module")
def records(corpus: Corpus) -> list[dict]:
    return list(corpus.manifest_records())


def _collapse(text: str) -> str:
    return " ".join(text.split())


def test_same_seed_same_manifest_and_pages() -> None:
    a, b = Corpus(articles=120, seed=3), Corpus(articles=120, seed=3)
    assert list(a.manifest_records()) == list(b.manifest_records())
    for i in (0, 57, 119):
        assert Site(a, ORIGIN).article(a.article(i)) == Site(b, ORIGIN).article(b.article(i))


def test_other_seed_differs() -> None:
    a = [r["title"] for r in Corpus(articles=50, seed=1).manifest_records()]
    b = [r["title"] for r in Corpus(articles=50, seed=2).manifest_records()]
    assert a != b


def test_large_corpus_is_lazy() -> None:
    started = time.perf_counter()
    big = Corpus(articles=100_000, seed=1)
    assert time.perf_counter() - started < 3.0
    article = big.article(54_321)
    # generating one article built no other
    assert big.article.cache_info().currsize == 1  # type: ignore[attr-defined]
    assert article.index == 54_321
    assert big._ids[54_321] == article.post_id


def test_manifest_shape(records: list[dict]) -> None:
    ids = [int(r["id"].split(":")[1]) for r in records]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    gaps = {b - a for a, b in itertools.pairwise(ids)}
    assert gaps <= {1, 2, 3}
    published = [r["published"] for r in records]
    assert published == sorted(published)
    for r in records:
        assert ARTICLE_PATH.match(r["url"]), r["url"]
        assert r["url"].endswith(f"-{r['id'].split(':')[1]}/")
        assert r["published"].endswith(":00+09:00") and r["published_utc"].endswith(":00Z")
        assert r["body"] and "\n\n\n" not in r["body"]
        assert all("\n" not in block for block in r["body"].split("\n\n"))
        assert r["layout"] in ("2024", "unknown")
        assert r["subsection"] in r["listed_under"]
        if r["layout"] == "2024":
            assert r["tags"] == [] and r["modified"] >= r["published"]


def test_mix_of_cases(records: list[dict]) -> None:
    layouts = collections.Counter(r["layout"] for r in records)
    assert 10 <= layouts["unknown"] <= 60
    sections = collections.Counter(r["section"] for r in records)
    assert 0.2 < sections["politics"] / len(records) < 0.4
    assert any(r["subsection"] == "g7-summit" for r in records)
    assert any(len(r["listed_under"]) == 2 for r in records)
    assert any(r["byline"] is None for r in records)
    assert any(r["byline"] == "The Yomiuri Shimbun" and r["authors"] == [] for r in records)
    assert any(len(r["authors"]) >= 2 for r in records)
    assert any(len(r["images"]) == 2 for r in records)
    assert any(r["modified"] and r["modified"] > r["published"] for r in records)
    assert any(r["access"] == "premium" for r in records)
    assert any(r["layout"] == "unknown" and r["description"] is None for r in records)


def test_now_hides_later_articles() -> None:
    full = Corpus(articles=200, seed=1)
    cut_at = full.published_at(120)
    early = Corpus(articles=200, seed=1, now=cut_at)
    later = Corpus(articles=200, seed=1, now=full.published_at(150))
    early_urls = [r["url"] for r in early.manifest_records()]
    later_urls = [r["url"] for r in later.manifest_records()]
    assert len(early_urls) == 121
    assert set(early_urls) < set(later_urls)
    assert early.index_of_post(full.article(130).post_id) is None


def test_now_without_offset_is_japan_time() -> None:
    assert parse_now("2026-10-01T09:00") == datetime(2026, 10, 1, 9, 0, tzinfo=JST)
    assert parse_now("2026-10-01T00:00:00Z").utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def _story_blocks(page: str, layout: str) -> list[str]:
    sel = Selector(text=page)
    if layout == "2024":
        nodes = sel.css("#p-article-block > p:not(.byline):not(.postdate), #p-article-block > h2")
    else:
        nodes = sel.css("div.c-article__body > p, div.c-article__body > h2")
    return [_collapse("".join(n.css("::text").getall())) for n in nodes]


def test_pages_match_manifest(corpus: Corpus, records: list[dict]) -> None:
    for record in records[::7]:
        article = corpus.article(corpus.index_of_post(int(record["id"].split(":")[1])))
        page = Site(corpus, ORIGIN).article(article)
        blocks = record["body"].split("\n\n")
        found = _story_blocks(page, record["layout"])
        assert found[: len(blocks)] == blocks
        sel = Selector(text=page)
        assert _collapse(sel.css("h1::text").get()) == record["title"]
        assert sel.css('link[rel="canonical"]::attr(href)').get().endswith(article.path)
        if record["layout"] == "2024":
            assert "<div id=p-article-block>" in page
            assert sel.css("p.byline::text").get() == record["byline"]
            assert (
                sel.css('meta[property="article:published_time"]::attr(content)').get()
                == (record["published"])
            )
            assert len(sel.css("h1")) == 1
            assert "\u2002" in sel.css("p.postdate::text").get()
            og = sel.css('meta[property="og:description"]::attr(content)').get()
            assert og == f"<p>{record['description']}</p>\n"
            ld = json.loads(sel.css('script[type="application/ld+json"]::text').get())
            assert ld["@type"] == "BlogPosting"
            assert ld["datePublished"][:16] == record["published"][:16]
            captions = sel.css("figure.horizontal_s figcaption")
            assert [c.css("span::text").get() for c in captions] == [
                im["credit"] for im in record["images"]
            ]
        else:
            assert "p-article-block" not in page and "bloc_2" not in page
            assert "POPULAR ARTICLE" in page and "JN ACCESS RANKING" in page
            has_meta = record["description"] is not None
            assert bool(sel.css('meta[property="og:title"]')) is has_meta
            assert bool(sel.css('script[type="application/ld+json"]')) is has_meta
