"""Fault modes: the registry, the router under faults, and `newscrawl replica --faults`."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from parsel import Selector

from newscrawl.replica.corpus import Corpus
from newscrawl.replica.faults import FAULTS, UnknownFault, parse_faults
from newscrawl.replica.server import Router
from tests.e2e.conftest import manifest as e2e_manifest
from tests.replica.test_server import fetch

ORIGIN = "http://127.0.0.1:9"
REAL = "https://japannews.yomiuri.co.jp"
BANNER = re.compile(
    r"^newscrawl replica: serving http://127\.0\.0\.1:(\d+)/ \(60 articles, seed 1\)(.*)$"
)


ALL = (
    "baddates, biglisting, blank, bomb, chain, charset, crawldelay, down, empty, flaky, "
    "interstitial, liar, "
    "loop, notitle, offsite, outage, private, redesign, reset, robots5xx, scheme, sectionpage, "
    "separators, soft404, stall, throttle, truncate, wall"
)


def test_registry_and_parsing() -> None:
    assert ", ".join(sorted(FAULTS)) == ALL
    assert [f.name for f in parse_faults("blank,outage")] == ["blank", "outage"]
    assert [f.name for f in parse_faults(" outage , blank,outage")] == ["outage", "blank"]
    assert parse_faults("") == ()
    with pytest.raises(UnknownFault, match=rf"^unknown fault 'x'; known: {ALL}$"):
        parse_faults("blank,x")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(articles=200, seed=1)


def test_blank_article_pages_hold_no_article(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("blank"))
    for i in (0, 77, 199):
        a = corpus.article(i)
        response = router.handle(a.path, ORIGIN)
        assert response.status == 200
        sel = Selector(text=response.body)
        assert not sel.css("h1") and "<h1" not in response.body
        assert not sel.css('meta[property^="article:"], meta[property^="og:"]')
        assert not sel.css('script[type="application/ld+json"]')
        assert "postdate" not in response.body and " JST," not in response.body
        assert a.blocks[0].text not in response.body
        assert sel.css("header#header") and sel.css("footer#footer")  # the chrome stays
    # everything but article pages is as without the fault
    plain = Router(corpus)
    for path in ("/", "/robots.txt", "/sitemap.xml", "/politics/", "/feed/", "/latestnews/"):
        assert router.handle(path, ORIGIN).body == plain.handle(path, ORIGIN).body, path
    a = next(corpus.article(i) for i in range(200) if corpus.article(i).images)
    attachment = f"{a.path}attachment/{a.images[0].attachment_id}/"
    assert router.handle(attachment, ORIGIN).body == plain.handle(attachment, ORIGIN).body


def test_outage_answers_503_everywhere(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("outage"))
    for path in ("/robots.txt", "/", corpus.article(5).path, "/no/such/", "/?p=1"):
        response = router.handle(path, ORIGIN)
        assert response.status == 503 and response.headers == {"Retry-After": "1"}, path
        assert "503 Service Unavailable" in response.body


def _manifest(*args: str) -> list[dict]:
    cmd = [sys.executable, "-m", "newscrawl", "replica", "--articles", "60", "--manifest", *args]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8")
    return [json.loads(line) for line in out.splitlines()]


def test_manifest_says_what_to_export() -> None:
    plain = _manifest()
    assert all(r["expected_export"] is True for r in plain)
    assert all(r["faults"] == [] for r in plain)
    for faults in ("blank", "outage", "blank,outage", "robots5xx"):
        faulty = _manifest("--faults", faults)
        assert all(r.pop("expected_export") is False for r in faulty)
        assert all(r.pop("faults") == faults.split(",") for r in faulty)
        assert faulty == [
            {k: v for k, v in r.items() if k not in ("expected_export", "faults")} for r in plain
        ]


def test_the_end_to_end_tests_manifest_is_the_commands() -> None:
    """tests/e2e builds manifests in its own process: the same records as the command's."""
    for args in (
        # 38 of the 60 articles published by then, 15 of them with a fault
        ("--seed", "3", "--now", "2026-10-30T12:00", "--faults", "baddates,private,wall"),
        ("--site", "japantimes"),
    ):
        records = _manifest(*args)
        assert records and e2e_manifest("--articles", "60", *args) == records, args


def test_unknown_fault_is_a_one_line_error() -> None:
    for extra in (["--faults", "x"], ["--faults", "blank,x", "--manifest"]):
        cmd = [sys.executable, "-m", "newscrawl", "replica", "--port", "0", *extra]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr == f"newscrawl replica: error: unknown fault 'x'; known: {ALL}\n"


@contextmanager
def _serve(faults: str) -> Iterator[tuple[str, str]]:
    cmd = [sys.executable, "-m", "newscrawl", "replica", "--port", "0", "--articles", "60"]
    proc = subprocess.Popen(
        [*cmd, "--faults", faults], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline().rstrip("\n")  # type: ignore[union-attr]
        match = BANNER.match(line)
        assert match, (line, proc.poll())
        yield f"http://127.0.0.1:{match[1]}", match[2]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert proc.stderr.read() == ""  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def manifest() -> list[dict]:
    return _manifest()


def test_served_blank(manifest: list[dict]) -> None:
    with _serve("blank") as (origin, tail):
        assert tail == " faults: blank"
        article = fetch(manifest[-1]["url"].replace(REAL, origin))
        assert article.status == 200 and "<h1" not in article.text
        listing = fetch(f"{origin}/latestnews/")
        assert listing.status == 200
        assert listing.text.count('<li class="clearfix">') == 10
        assert manifest[-1]["url"].replace(REAL, origin) in listing.text


def test_served_outage() -> None:
    with _serve("outage") as (origin, tail):
        assert tail == " faults: outage"
        for path in ("/robots.txt", "/latestnews/", "/politics/politics-government/"):
            reply = fetch(origin + path)
            assert reply.status == 503, path
            assert reply.headers["Retry-After"] == "1"
            assert reply.headers["Content-Type"].startswith("text/html")


def test_served_combination_parses() -> None:
    with _serve("blank,outage") as (origin, tail):
        assert tail == " faults: blank,outage"
        assert fetch(f"{origin}/robots.txt").status == 503
