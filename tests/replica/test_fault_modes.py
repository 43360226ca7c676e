"""The fault modes of issue 5: which pages each hits (seeded, fixed, disjoint), what it does to
them through the router, what the manifest says, and the transport faults over real sockets."""

from __future__ import annotations

import gzip
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import pytest
from parsel import Selector

from newscrawl.replica import faults as F
from newscrawl.replica.corpus import Article, Corpus, collapse
from newscrawl.replica.faults import BANDS, amend_records, bad_date_variant, parse_faults
from newscrawl.replica.response import RESET, STALL, TRUNCATE
from newscrawl.replica.server import Router, make_server
from tests.replica.test_server import fetch

ORIGIN = "http://127.0.0.1:9"
ARTICLE_FAULTS = tuple(BANDS)  # the faults that hit a share of articles
ONCE = ("flaky", "throttle", "reset", "stall", "truncate", "empty")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(articles=300, seed=1)


def hit(corpus: Corpus, name: str, seed: int = 1) -> list[Article]:
    fault = parse_faults(name, seed)[0]
    assert isinstance(fault, F.PickedFault)
    return [a for a in map(corpus.article, range(corpus.size)) if fault.picks_article(seed, a)]


def manifest(corpus: Corpus, names: str) -> list[dict]:
    return list(amend_records(corpus.manifest_records(), parse_faults(names, corpus.seed)))


# ----- selection and manifest -------------------------------------------------------------------


def test_every_article_fault_hits_the_politics_walk_and_slow_ones_stay_rare(corpus: Corpus) -> None:
    records = manifest(corpus, ",".join(ARTICLE_FAULTS))
    politics = Counter(f for r in records if r["section"] == "politics" for f in r["faults"])
    assert all(politics[name] >= 1 for name in ARTICLE_FAULTS), politics
    overall = Counter(f for r in records for f in r["faults"])
    for name in ("throttle", "stall"):
        assert 0.02 <= overall[name] / len(records) <= 0.04, overall
    # the bands do not overlap: an article suffers one of these faults at most
    assert max(len(r["faults"]) for r in records) == 1


def test_selection_is_fixed_and_depends_on_the_seed() -> None:
    one, again, two = Corpus(200, seed=1), Corpus(200, seed=1), Corpus(200, seed=2)
    for name in ("flaky", "down", "charset", "baddates"):
        picked = [a.post_id for a in hit(one, name)]
        assert picked and picked == [a.post_id for a in hit(again, name)]
        assert picked != [a.post_id for a in hit(two, name, seed=2)]
    # the manifest of a seed names the same articles the router hits for that seed
    for name in ("down", "charset", "notitle"):
        named = [r["id"] for r in manifest(two, name) if name in r["faults"]]
        assert named == [f"japannews:{a.post_id}" for a in hit(two, name, seed=2)]


def test_manifest_contract(corpus: Corpus) -> None:
    plain = list(corpus.manifest_records())
    assert all(r["faults"] == [] and r["expected_export"] for r in plain)
    for names in ("flaky,throttle,reset,stall,truncate,empty,charset,separators,loop", "redesign"):
        records = manifest(corpus, names)
        assert all(r["expected_export"] for r in records)
    for name in ("down", "bomb", "private", "notitle"):
        for record, base in zip(manifest(corpus, name), plain, strict=True):
            affected = record.pop("faults") == [name]
            assert record.pop("expected_export") is not affected
            assert record == {
                k: v for k, v in base.items() if k not in ("faults", "expected_export")
            }
    variants = Counter()
    for record, base in zip(manifest(corpus, "baddates"), plain, strict=True):
        if record["faults"] != ["baddates"]:
            assert record == base
            continue
        variant = bad_date_variant(1, int(record["id"].split(":")[1]))
        variants[variant] += 1
        nulls = {"published": None, "published_utc": None, "modified": None}
        expected = base | {"faults": ["baddates"]} | (nulls if variant != "naive" else {})
        assert record == expected
    assert set(variants) == {"impossible", "missing", "naive"}
    for record, base in zip(manifest(corpus, "redesign"), plain, strict=True):
        assert record["layout"] == "unknown" and record["access"] is None
        assert record["faults"] == (["redesign"] if base["layout"] == "2024" else [])
        if record["modified"] is None:
            assert record["description"] is None
    assert {r["modified"] is None for r in manifest(corpus, "redesign") if r["faults"]} == {
        True,
        False,
    }


# ----- through the router -------------------------------------------------------------------


def test_once_faults_misbehave_on_the_first_request_only(corpus: Corpus) -> None:
    plain = Router(corpus)
    for name in ONCE:
        router = Router(corpus, parse_faults(name))
        a = hit(corpus, name)[0]
        first, second, third = (router.handle(a.path, ORIGIN) for _ in range(3))
        normal = plain.handle(a.path, ORIGIN)
        assert (second.status, second.body, second.delivery) == (200, normal.body, "")
        assert third.body == normal.body
        if name == "flaky":
            assert first.status == 500 and "500 Internal Server Error" in first.body
        elif name == "throttle":
            assert first.status == 429 and first.headers == {"Retry-After": "2"}
        elif name == "empty":
            assert (first.status, first.body) == (200, "")
        else:
            expected = {"reset": RESET, "stall": STALL, "truncate": TRUNCATE}[name]
            assert first.delivery == expected and first.body == normal.body
        # an article outside the band is never touched
        other = next(
            corpus.article(i) for i in range(300) if corpus.article(i) not in hit(corpus, name)
        )
        assert router.handle(other.path, ORIGIN).body == plain.handle(other.path, ORIGIN).body


def _listing_paths(corpus: Corpus) -> list[str]:
    paths = ["/latestnews/", "/politics/", "/business/", "/society/", "/world/"]
    paths += [f"/politics/page/{n}/" for n in range(2, 9)] + [
        f"/latestnews/page/{n}/" for n in range(2, 31)
    ]
    return paths


def test_once_faults_hit_listing_pages_too_but_never_robots_or_feeds(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults(",".join(ONCE)))
    plain = Router(corpus)
    assert plain.handle("/politics/", ORIGIN).kind == "listing"
    broken = 0
    for path in _listing_paths(corpus):
        first = router.handle(path, ORIGIN)
        if (first.status, first.body, first.delivery) != (200, plain.handle(path, ORIGIN).body, ""):
            broken += 1
        assert router.handle(path, ORIGIN).body == plain.handle(path, ORIGIN).body
    assert broken >= 3
    for path in ("/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/feed/", "/politics/feed/"):
        for _ in range(2):
            response = router.handle(path, ORIGIN)
            assert (response.status, response.delivery) == (200, "")


def test_once_is_thread_safe(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("flaky"))
    a = hit(corpus, "flaky")[0]
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda: statuses.append(router.handle(a.path, ORIGIN).status))
        for _ in range(16)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 15 + [500]


def test_down_bomb_private_stay(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("down,bomb,private"))
    for _ in range(2):
        a = hit(corpus, "down")[0]
        down = router.handle(a.path, ORIGIN)
        assert down.status == 503 and "Retry-After" not in down.headers
        b = hit(corpus, "bomb")[0]
        bomb = router.handle(b.path, ORIGIN)
        assert bomb.status == 200 and bomb.headers == {"Content-Encoding": "gzip"}
        assert bomb.content_type.startswith("text/html") and bomb.data is F.bomb_body()
        p = hit(corpus, "private")[0]
        private = router.handle(p.path, ORIGIN)
        assert private.status == 302
        assert private.headers == {"Location": f"{F.Private.PLACEHOLDER}{p.path}"}


def test_bomb_expands_past_100_mib_in_bounded_steps() -> None:
    data = F.bomb_body()
    assert len(data) < 1_000_000
    unpacker = zlib.decompressobj(31)
    total, pending = 0, data
    while pending or not unpacker.eof:
        chunk = unpacker.decompress(pending, 4 * 2**20)
        pending = unpacker.unconsumed_tail
        total += len(chunk)
        if not chunk and not pending:
            break
    assert unpacker.eof and total == F.BOMB_SIZE > 100 * 2**20


def test_robots5xx(corpus: Corpus) -> None:
    router, plain = Router(corpus, parse_faults("robots5xx")), Router(corpus)
    assert router.handle("/robots.txt", ORIGIN).status == 500
    for path in ("/", "/sitemap.xml", corpus.article(3).path):
        assert router.handle(path, ORIGIN).body == plain.handle(path, ORIGIN).body


def _texts(sel: Selector) -> dict[str, object]:
    def text(css: str) -> list[str]:
        return [" ".join("".join(e.css("::text").getall()).split()) for e in sel.css(css)]

    ld = sel.css('script[type="application/ld+json"]::text').getall()
    metas = {
        m.attrib.get("property") or m.attrib.get("name"): m.attrib.get("content")
        for m in sel.css("meta[content]")
    }
    return {
        "title": text("title"),
        "h1": text("h1"),
        "byline": text("p.byline, .c-article__author"),
        "date": text("p.postdate, .c-article__date, .c-article__time"),
        "paragraphs": text("#p-article-block > p, .c-article__body > p"),
        "ld": [json.loads(x) for x in ld],
        "meta": metas,
    }


def test_charset_sends_cp1252_with_a_matching_meta(corpus: Corpus) -> None:
    router, plain = Router(corpus, parse_faults("charset")), Router(corpus)
    picked = hit(corpus, "charset")
    assert {a.layout for a in picked} == {"2024", "unknown"}
    for a in picked:
        response = router.handle(a.path, ORIGIN)
        normal = plain.handle(a.path, ORIGIN)
        assert response.charset == "cp1252" and response.content_type == "text/html; charset=UTF-8"
        raw = response.body.encode("cp1252")  # every character is writable
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # a crawler trusting the header sees garbage
        head = re.search(r"<head>\s*(<[^>]+>)", response.body)
        assert head and head[1] == '<meta charset="windows-1252">'
        assert _texts(Selector(text=raw.decode("cp1252"))) == _texts(Selector(text=normal.body))


def test_separators_keep_the_text(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("separators"))
    for a in hit(corpus, "separators"):
        body = router.handle(a.path, ORIGIN).body
        for char in ("\u2028", "\u2029", "\x00", "<script>window.dataLayer"):
            assert char in body
        sel = Selector(text=body.replace("\x00", "\ufffd"))
        blocks = sel.css("#p-article-block > p:not(.byline):not(.postdate), #p-article-block > h2")
        blocks = blocks or sel.css(".c-article__body > p, .c-article__body > h2")
        story = [b for b in blocks.getall()][: len(a.blocks)]
        for markup, block in zip(story, a.blocks, strict=True):
            markup = re.sub(r"<script>.*?</script>", "", markup).replace("\ufffd", "")
            assert collapse(markup.replace("\u2028", " ").replace("\u2029", " ")) == block.text


def test_baddates_variants(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("baddates"))
    seen = set()
    for a in hit(corpus, "baddates"):
        variant = bad_date_variant(1, a.post_id)
        seen.add((variant, a.layout))
        page = router.handle(a.path, ORIGIN).body
        found = _texts(Selector(text=page))
        metas = {k: v for k, v in found["meta"].items() if k and k.startswith("article:")}
        ld = found["ld"][0] if found["ld"] else {}
        times = [ld.get("datePublished"), ld.get("dateModified"), *metas.values()]
        times = [t for t in times if t]
        if variant == "missing":
            assert not times and not found["date"] and " JST" not in page
        elif variant == "impossible":
            assert all("-02-30T25:61:" in t for t in times)
            assert found["date"] and all(d.startswith("25:61 JST,") for d in found["date"])
            assert "February 30" in found["date"][0]
        else:
            pairs = [
                (ld.get("datePublished"), a.published),
                (ld.get("dateModified"), a.modified),
                (metas.get("article:published_time"), a.published.replace(second=0)),
                (metas.get("article:modified_time"), a.modified.replace(second=0)),
            ]
            for t, true in pairs:
                if t is not None:  # Japan time, written without its offset
                    assert datetime.fromisoformat(t) == true.replace(tzinfo=None)
            if metas:
                assert metas["article:published_time"].endswith(":00")
    assert {v for v, _ in seen} == {"impossible", "missing", "naive"}
    # listings keep the date
    listing = router.handle("/latestnews/", ORIGIN).body
    assert re.search(r"<p>[A-Z][a-z]+ \d{1,2}, \d{4}</p>", listing)


def test_notitle(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("notitle"))
    for a in hit(corpus, "notitle"):
        page = router.handle(a.path, ORIGIN).body
        found = _texts(Selector(text=page))
        assert found["title"] == ["The Japan News"] and found["h1"] == []
        assert "og:title" not in found["meta"]
        assert all("headline" not in ld for ld in found["ld"])
        assert a.title.replace("&", "&amp;") not in page.split("bloc_3")[0]


def test_redesign_puts_every_article_in_the_unknown_layout(corpus: Corpus) -> None:
    router = Router(corpus, parse_faults("redesign"))
    for i in range(0, 300, 7):
        page = router.handle(corpus.article(i).path, ORIGIN).body
        assert "p-article-block" not in page and 'class="c-article__headline"' in page


def test_loop_ghosts_and_last_pages(corpus: Corpus) -> None:
    router, plain = Router(corpus, parse_faults("loop")), Router(corpus)
    ghosts = 0
    for path in [*_listing_paths(corpus), "/politics/election/", "/politics/election/page/2/"]:
        page = router.handle(path, ORIGIN).body
        normal = plain.handle(path, ORIGIN).body
        extra = page.count('<li class="clearfix">') - normal.count('<li class="clearfix">')
        assert extra in (0, 1)
        if not extra:
            continue
        ghosts += 1
        urls = Selector(text=page).css("li.clearfix > a::attr(href)").getall()
        known = set(Selector(text=normal).css("li.clearfix > a::attr(href)").getall())
        (ghost,) = [u for u in urls if u not in known]
        match = re.fullmatch(rf"{ORIGIN}/([a-z-]+)/([a-z0-9-]+)/(\d{{8}})-(\d+)/", ghost)
        assert match, ghost
        if path.startswith("/politics/"):
            assert match[1] == "politics"
        if path.startswith("/politics/election/"):
            assert match[2] == "election"
        post_id = int(match[4])
        assert corpus.index_of_post(post_id) is None
        assert plain.handle(ghost[len(ORIGIN) :], ORIGIN).status == 404
        first = router.handle(ghost[len(ORIGIN) :], ORIGIN)
        assert (first.status, first.headers["Location"]) == (301, f"{ORIGIN}/?p={post_id}")
        back = router.handle(f"/?p={post_id}", ORIGIN)
        assert (back.status, back.headers["Location"]) == (301, ghost)
    assert ghosts >= 2
    # the last page of a listing links "next" back to page 1, in the head and the pagination
    listed = len(corpus.section_latest("politics"))
    last = router.handle(f"/politics/page/{-(-listed // 12)}/", ORIGIN).body
    sel = Selector(text=last)
    assert sel.css('link[rel="next"]::attr(href)').get() == f"{ORIGIN}/politics/"
    assert sel.css("a.next.page-numbers::attr(href)").get() == f"{ORIGIN}/politics/"
    # real articles and every other page stay as they were
    a = corpus.article(5)
    assert router.handle(a.path, ORIGIN).body == plain.handle(a.path, ORIGIN).body
    assert (
        router.handle(f"/?p={a.post_id}", ORIGIN).headers
        == plain.handle(f"/?p={a.post_id}", ORIGIN).headers
    )


def test_all_recoverable_faults_together(corpus: Corpus) -> None:
    names = "flaky,throttle,reset,stall,truncate,empty,charset,separators,loop"
    router, plain = Router(corpus, parse_faults(names)), Router(corpus)
    for i in range(0, 300, 3):
        a = corpus.article(i)
        for _ in range(2):
            response = router.handle(a.path, ORIGIN)
        assert response.status == 200 and response.delivery == ""
        if response.charset == "utf-8" and "\u2028" not in response.body:
            assert response.body == plain.handle(a.path, ORIGIN).body
    stay = Router(corpus, parse_faults("private,bomb,baddates,notitle"))
    statuses = Counter(stay.handle(corpus.article(i).path, ORIGIN).status for i in range(300))
    assert statuses[302] and statuses[200] == 300 - statuses[302]


# ----- over sockets ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(corpus: Corpus) -> Iterator[tuple[int, Corpus]]:
    names = "reset,stall,truncate,flaky,throttle,empty,bomb"
    srv = make_server(corpus, 0, faults=parse_faults(names))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1], corpus
    srv.shutdown()
    srv.server_close()


def raw_get(port: int, path: str, gzip_ok: bool = True, timeout: float = 5) -> tuple[dict, bytes]:
    """GET over a fresh socket; read until EOF. Returns (headers with ':status'), body bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        extra = "Accept-Encoding: gzip\r\n" if gzip_ok else ""
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {":status": lines[0].split()[1]}
    headers.update(line.split(": ", 1) for line in lines[1:])
    return headers, body


def test_reset_drops_the_connection_mid_body(server: tuple[int, Corpus]) -> None:
    port, corpus = server
    a = hit(corpus, "reset")[0]
    headers, body = raw_get(port, a.path)
    assert headers[":status"] == "200"
    assert 0 < len(body) < int(headers["Content-Length"])
    headers, body = raw_get(port, a.path)
    assert len(body) == int(headers["Content-Length"])
    assert gzip.decompress(body).decode("utf-8").startswith("<!DOCTYPE html>")


def test_truncate_is_a_framed_broken_gzip_stream(server: tuple[int, Corpus]) -> None:
    port, corpus = server
    a, b = hit(corpus, "truncate")[:2]
    headers, body = raw_get(port, a.path)
    assert headers["Content-Encoding"] == "gzip" and len(body) == int(headers["Content-Length"])
    unpacker = zlib.decompressobj(31)
    unpacker.decompress(body)
    assert not unpacker.eof
    headers, body = raw_get(port, a.path)
    assert gzip.decompress(body).endswith(b"</html>\n")
    # a client without gzip gets a reset instead
    headers, body = raw_get(port, b.path, gzip_ok=False)
    assert "Content-Encoding" not in headers and len(body) < int(headers["Content-Length"])


def test_stall_sends_headers_and_no_body(server: tuple[int, Corpus]) -> None:
    port, corpus = server
    a = hit(corpus, "stall")[0]
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.sendall(f"GET {a.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: " in head
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            body += sock.recv(65536)
        assert body == b"" and time.monotonic() - started >= 0.9
    headers, body = raw_get(port, a.path)
    assert len(body) == int(headers["Content-Length"])


def test_bomb_and_empty_over_http(server: tuple[int, Corpus]) -> None:
    port, corpus = server
    a = hit(corpus, "bomb")[0]
    for gzip_ok in (True, False):
        headers, body = raw_get(port, a.path, gzip_ok=gzip_ok)
        assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"].startswith(
            "text/html"
        )
        assert body == F.bomb_body()
    e = hit(corpus, "empty")[0]
    headers, body = raw_get(port, e.path)
    assert (headers[":status"], headers["Content-Length"], body) == ("200", "0", b"")


def test_stalled_requests_end_when_the_server_stops(corpus: Corpus) -> None:
    srv = make_server(corpus, 0, faults=parse_faults("stall"))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    a = hit(corpus, "stall")[1]
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) as sock:
        sock.sendall(f"GET {a.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.2)
        started = time.monotonic()
        srv.shutdown()
        srv.server_close()
        data = b""
        while chunk := sock.recv(65536):  # EOF soon after the stop, not after 120 s
            data += chunk
        assert time.monotonic() - started < 3 and data.startswith(b"HTTP/1.1 200")


# ----- the command ------------------------------------------------------------------------------

BANNER = re.compile(
    r"^newscrawl replica: serving http://127\.0\.0\.1:(\d+)/ \(200 articles, seed 1\)(.*)$"
)
LOG = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z (GET|HEAD) (\S+) (\d{3})$")


def _run(*args: str) -> tuple[subprocess.Popen, int, str]:
    cmd = [sys.executable, "-m", "newscrawl", "replica", "--port", "0", "--articles", "200"]
    proc = subprocess.Popen(
        [*cmd, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    line = proc.stdout.readline().rstrip("\n")  # type: ignore[union-attr]
    match = BANNER.match(line)
    assert match, (line, proc.poll())
    return proc, int(match[1]), match[2]


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=5) == 0
    return proc.stderr.read()  # type: ignore[union-attr]


def test_private_redirects_to_an_internal_service_that_reports_visits() -> None:
    corpus = Corpus(200, seed=1)
    a = hit(corpus, "private")[0]
    proc, port, tail = _run("--faults", "private,down")
    try:
        match = re.fullmatch(r" faults: private,down internal: (http://127\.0\.0\.1:(\d+))/", tail)
        assert match and int(match[2]) != port, tail
        reply = fetch(f"http://127.0.0.1:{port}{a.path}")
        assert reply.status == 302 and reply.headers["Location"] == match[1] + a.path
        internal = fetch(reply.headers["Location"])
        assert internal.status == 200 and internal.body == b"internal\n"
    finally:
        stderr = _stop(proc)
    assert stderr == f"newscrawl replica: internal service reached: GET {a.path}\n"


def test_verbose_log_has_millisecond_times_method_path_status() -> None:
    corpus = Corpus(200, seed=1)
    a = hit(corpus, "throttle")[0]
    proc, port, tail = _run("--faults", "throttle", "--verbose")
    try:
        assert tail == " faults: throttle"
        first = fetch(f"http://127.0.0.1:{port}{a.path}")
        assert first.status == 429 and first.headers["Retry-After"] == "2"
        time.sleep(0.3)
        assert fetch(f"http://127.0.0.1:{port}{a.path}").status == 200
    finally:
        stderr = _stop(proc)
    lines = [LOG.match(line) for line in stderr.splitlines()]
    assert all(lines) and [(m[2], m[3], m[4]) for m in lines] == [  # type: ignore[index]
        ("GET", a.path, "429"),
        ("GET", a.path, "200"),
    ]
    t0, t1 = (datetime.fromisoformat(m[1]) for m in lines)  # type: ignore[index]
    assert 0.25 <= (t1 - t0).total_seconds() < 3


def test_help_lists_every_fault() -> None:
    cmd = [sys.executable, "-m", "newscrawl", "replica", "--help"]
    text = " ".join(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split())
    for name in F.FAULTS:
        assert f"{name} (" in text, name
