"""The replica's URL routing, exercised in-process (no sockets)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from newscrawl.replica.corpus import JST, Corpus
from newscrawl.replica.server import Router

ORIGIN = "http://127.0.0.1:9"
REAL = "https://japannews.yomiuri.co.jp"


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(Corpus(articles=400, seed=5))


def _links(body: str) -> list[str]:
    return re.findall(r'<li class="clearfix"><a href="([^"]+)"', body)


def test_cross_listed_article_appears_in_both_listings(router: Router) -> None:
    records = list(router.corpus.manifest_records())
    crossed = next(r for r in records if len(r["listed_under"]) == 2)
    url = crossed["url"].replace(REAL, ORIGIN)
    for sub in crossed["listed_under"]:
        found, page = False, 1
        while not found:
            path = f"/{crossed['section']}/{sub}/" + (f"page/{page}/" if page > 1 else "")
            response = router.handle(path, ORIGIN)
            assert response.status == 200, path
            found, page = url in _links(response.body), page + 1
    # only the canonical (primary subsection) path answers
    other = url.replace(f"/{crossed['subsection']}/", f"/{crossed['listed_under'][1]}/")
    assert router.handle(other.removeprefix(ORIGIN), ORIGIN).status == 404


def test_section_archive_lists_each_article_once(router: Router) -> None:
    records = [r for r in router.corpus.manifest_records() if r["section"] == "world"]
    seen: list[str] = []
    page = 1
    while True:
        path = "/world/" + (f"page/{page}/" if page > 1 else "")
        response = router.handle(path, ORIGIN)
        if response.status == 404:
            break
        assert '<ul class="sub-category">' in response.body
        links = _links(response.body)
        assert len(links) <= 12
        seen += links
        page += 1
    assert seen == [r["url"].replace(REAL, ORIGIN) for r in reversed(records)]


def test_listing_traps_inside_main(router: Router) -> None:
    body = router.handle("/politics/politics-government/", ORIGIN).body
    main = body[body.index("<main") : body.index("</main>")]
    assert re.search(r'href="[^"]+/attachment/\d+/">Photo</a>', main)
    ranked = re.findall(r'class="ranking_2 ranking">.*?</div>', main, re.S)[0]
    assert re.search(rf'href="{ORIGIN}/(business|society|world)/', ranked)


def test_nothing_published_yet() -> None:
    empty = Router(Corpus(articles=50, seed=1, now=datetime(2001, 1, 1, tzinfo=JST)))
    for path in ("/", "/feed/", "/sitemap.xml", "/sitemap-news.xml", "/latestnews/", "/world/"):
        assert empty.handle(path, ORIGIN).status == 200, path
    assert empty.handle("/latestnews/page/2/", ORIGIN).status == 404


def test_shortlink_and_unknown_paths(router: Router) -> None:
    record = next(iter(router.corpus.manifest_records()))
    post_id = record["id"].split(":")[1]
    response = router.handle(f"/?p={post_id}", ORIGIN)
    assert response.status == 301
    assert response.headers["Location"] == record["url"].replace(REAL, ORIGIN)
    for path in ("/politics/page/0/", "/politics/page/01/", "/politics/nope/", "/wp-admin/"):
        assert router.handle(path, ORIGIN).status == 404, path
