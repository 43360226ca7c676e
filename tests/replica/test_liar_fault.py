"""The replica's `liar` fault (issue 13): UTF-8 article pages under a Content-Type naming
another charset, some with a Japanese paragraph; the manifest says the article is unchanged."""

from __future__ import annotations

import re

import pytest

from newscrawl.replica import faults as F
from newscrawl.replica.corpus import Corpus
from newscrawl.replica.faults import amend_records, parse_faults
from newscrawl.replica.server import Router

ORIGIN = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(articles=600, seed=1)


def test_liar_pages_stay_utf8_under_a_lying_header(corpus: Corpus) -> None:
    fault = parse_faults("liar")[0]
    router, plain = Router(corpus, (fault,)), Router(corpus)
    picked = [a for a in map(corpus.article, range(corpus.size)) if fault.picks_article(1, a)]
    assert {F.liar_charset(a.post_id) for a in picked} == set(F.LIAR_CHARSETS)
    japanese = 0
    for a in picked:
        response = router.handle(a.path, ORIGIN)
        assert response.charset == "utf-8"
        assert response.content_type == f"text/html; charset={F.liar_charset(a.post_id)}"
        assert re.search(r'<meta charset="utf-8">', response.body, re.IGNORECASE)
        if F.liar_japanese(1, a.post_id):
            japanese += 1
            normal = plain.handle(a.path, ORIGIN).body
            assert F.LIAR_JAPANESE in response.body and F.LIAR_JAPANESE not in normal
        else:
            assert response.body == plain.handle(a.path, ORIGIN).body
    assert 0 < japanese < len(picked)


def test_the_manifest_keeps_the_article_with_its_japanese_paragraph(corpus: Corpus) -> None:
    plain = {r["id"]: r for r in corpus.manifest_records()}
    records = list(amend_records(corpus.manifest_records(), parse_faults("liar", corpus.seed)))
    hit = [r for r in records if "liar" in r["faults"]]
    assert hit and all(r["expected_export"] for r in hit)
    for record in hit:
        body = plain[record["id"]]["body"]
        if F.liar_japanese(corpus.seed, int(record["id"].split(":")[1])):
            body += "\n\n" + F.LIAR_JAPANESE
        assert record["body"] == body
