"""'(UPDATE 1)' revisions: scheduled per article, shown once the replica's now reaches them."""

from __future__ import annotations

import json
from datetime import timedelta
from xml.sax.saxutils import escape

import pytest
from parsel import Selector

from newscrawl.replica.chrome import esc
from newscrawl.replica.corpus import REVISION_SHARE, Corpus, iso_jst, manifest_record
from newscrawl.replica.feeds_and_sitemaps import month_sitemap
from newscrawl.replica.pages import Site
from newscrawl.replica.server import Router
from tests.conftest import FIXTURES

ORIGIN = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(articles=3000, seed=4)


def _scheduled(c: Corpus) -> list[int]:
    return [i for i in range(c.size) if c.revision(i) is not None]


def _meta(page: str, prop: str) -> str | None:
    return Selector(text=page).css(f'meta[property="{prop}"]::attr(content)').get()


def _ld(page: str) -> dict:
    return json.loads(Selector(text=page).css('script[type="application/ld+json"]::text').get())


def test_schedule_is_deterministic_and_independent_of_now(corpus: Corpus) -> None:
    again = Corpus(articles=3000, seed=4, now=corpus.published_at(1000))
    assert [corpus.revision(i) for i in range(3000)] == [again.revision(i) for i in range(3000)]
    assert _scheduled(corpus) != _scheduled(Corpus(articles=3000, seed=5))


def test_share_and_delays(corpus: Corpus) -> None:
    scheduled = _scheduled(corpus)
    assert 0.5 * REVISION_SHARE < len(scheduled) / corpus.size < 1.5 * REVISION_SHARE
    delays = [corpus.revision(i).at - corpus.published_at(i) for i in scheduled]  # type: ignore[union-attr]
    assert all(timedelta(hours=1) < d <= timedelta(hours=96) for d in delays)
    assert any(d <= timedelta(hours=48) for d in delays)
    assert any(d > timedelta(hours=48) for d in delays)


def _revised_2024(c: Corpus) -> int:
    """A 2024-layout article whose revision shows at the corpus' reference now."""
    return next(
        i
        for i in _scheduled(c)
        if c.article(i).layout == "2024" and c.article(i).revised_at is not None
    )


def test_invisible_just_before_visible_just_after(corpus: Corpus) -> None:
    i = _revised_2024(corpus)
    at = corpus.revision(i).at  # type: ignore[union-attr]
    before = Corpus(articles=3000, seed=4, now=at - timedelta(seconds=1))
    after = Corpus(articles=3000, seed=4, now=at)
    old, new = before.article(i), after.article(i)
    assert old.revised_at is None and new.revised_at == at
    assert new.title == old.title + " (UPDATE 1)" or new.title.endswith(" (UPDATE 2)")
    assert new.blocks[:-1] == old.blocks
    assert new.blocks[-1].text.startswith("This article has been updated")

    old_page, new_page = Site(before, ORIGIN).article(old), Site(after, ORIGIN).article(new)
    assert Selector(text=new_page).css("h1::text").get() == new.title
    assert new.blocks[-1].text in new_page and new.blocks[-1].text not in old_page
    assert _meta(new_page, "article:modified_time") == iso_jst(at)
    assert _meta(old_page, "article:modified_time") != iso_jst(at)
    assert _ld(new_page)["dateModified"] == iso_jst(at)
    assert _ld(new_page)["headline"] == new.title
    # the date line and publication times never move
    assert _meta(new_page, "article:published_time") == _meta(old_page, "article:published_time")

    old_rec, new_rec = manifest_record(old), manifest_record(new)
    assert old_rec["revised_at"] is None and new_rec["revised_at"] == iso_jst(at)
    assert new_rec["revised_at"].endswith(":00+09:00")
    assert new_rec["title"] == new.title and new_rec["modified"] == iso_jst(at)
    assert new_rec["body"] == old_rec["body"] + "\n\n" + new.blocks[-1].text
    changed = {k for k in new_rec if new_rec[k] != old_rec[k]}
    assert changed == {"title", "body", "modified", "revised_at"}


def test_before_the_revision_the_page_is_unchanged() -> None:
    c = Corpus(articles=600, seed=2)
    i = next(i for i in _scheduled(c) if c.article(i).revised_at is not None)
    at = c.revision(i).at  # type: ignore[union-attr]
    early = Corpus(articles=600, seed=2, now=at - timedelta(minutes=1))
    page = Site(early, ORIGIN).article(early.article(i))
    assert "(UPDATE 1)" not in Selector(text=page).css("h1::text").get()
    assert early.article(i).revised_at is None


def test_listings_feeds_and_sitemaps_show_the_visible_headline() -> None:
    base = Corpus(articles=400, seed=3)
    late = Corpus(articles=400, seed=3, now=base.published_at(399) + timedelta(days=5))
    a = next(late.article(i) for i in range(399, 0, -1) if late.revision(i))
    assert a.revised_at is not None and a.title.endswith(")")
    router = Router(late)
    listing = router.handle(f"/{a.section.slug}/{a.subsection.slug}/", ORIGIN).body
    feed = router.handle(f"/{a.section.slug}/{a.subsection.slug}/feed/", ORIGIN).body
    assert f"<h2>{esc(a.title)}</h2>" in listing
    assert f"<title>{escape(a.title)}</title>" in feed
    month = month_sitemap(late, ORIGIN, a.published.year, a.published.month) or ""
    entry = month[month.index(a.path) :]
    assert entry.split("<lastmod>")[1].split("<")[0] == iso_jst(a.revised_at)
    # listings keep publication order
    records = list(late.manifest_records())
    assert [r["published"] for r in records] == sorted(r["published"] for r in records)


def test_now_after_the_last_article_shows_every_revision() -> None:
    base = Corpus(articles=200, seed=1)
    late = Corpus(articles=200, seed=1, now=base.published_at(199) + timedelta(days=10))
    assert late.visible == 200
    records = list(late.manifest_records())
    revised = [r for r in records if r["revised_at"] is not None]
    assert len(revised) == len(_scheduled(base)) > 0
    for r in revised:  # the modified time moves only where the layout prints one
        has_meta = r["layout"] == "2024" or r["description"] is not None
        assert r["modified"] == (r["revised_at"] if has_meta else None)
        assert r["title"].endswith(("(UPDATE 1)", "(UPDATE 2)"))
    assert Router(late).handle("/", ORIGIN).status == 200
    # the default reference now hides the newest articles' later revisions
    assert sum(r["revised_at"] is not None for r in base.manifest_records()) < len(revised)


def test_saved_fixture_articles_show_no_revision_by_default() -> None:
    records = {r["url"]: r for r in Corpus(articles=1500, seed=1).manifest_records()}
    for expected in sorted((FIXTURES / "japannews").glob("replica-*.expected.json")):
        want = json.loads(expected.read_text("utf-8"))
        record = records[want["url"]]
        assert record["revised_at"] is None, want["url"]
        assert (record["title"], record["body"]) == (want["title"], want["body"])
