"""Issue 13, item 3: a lying charset header never garbles text.

Two real crawls, run at once:
- `scrapy crawl japannews` of every section against `replica --faults liar`: UTF-8 article pages
  (`<meta charset="utf-8">`, Japanese in their JSON-LD, some with a Japanese paragraph) under a
  Content-Type naming Shift_JIS, windows-1252, ISO-8859-1, GBK, ISO-8859-2 or KOI8-R;
- `scrapy crawl news -a urls_file=...` against a small server started here on 127.0.0.1 that
  serves the header × real encoding matrix (Japanese, Chinese, Cyrillic, Polish, French text),
  with and without a page declaration, and two pages with damaged bytes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from newscrawl.charset import FLAG
from newscrawl.replica.faults import LIAR_JAPANESE
from newscrawl.replica.verify import verify
from tests.e2e.conftest import Crawl, crawl, replica, stat

SECTIONS = ("politics", "business", "society", "world")
LYING = ("Shift_JIS", "windows-1252", "ISO-8859-1", "GBK", "ISO-8859-2", "KOI8-R")
HEADERS = (*LYING, "UTF-8", None)
TEXTS = {  # what each real encoding can write
    "utf-8": "The Parties’ plan costs ¥20 billion — 政府は来年度予算案を閣議決定した。",
    "shift_jis": "政府は来年度予算案を閣議決定した。「日本の経済」",
    "euc-jp": "東京の天気は晴れ、気温は二十度です。",
    "cp1252": "The café’s owner said “¥3,000 is too much” — Élysée talks resumed.",
    "iso-8859-2": "Zażółć gęślą jaźń - Łódź, Kraków i Gdańsk.",
    "koi8-r": "Привет, мир! Москва и Санкт-Петербург.",
    "gbk": "政府决定预算案，中国经济稳定增长。",
}
FILLER = (
    "Officials said the plan would be reviewed by a panel of outside experts next month. "
    "The proposal drew mixed reactions from lawmakers in both chambers of the legislature."
)


@dataclass(frozen=True)
class Cell:
    """One page of the matrix: its text's real encoding, the header's charset (None: no
    charset), whether the page declares its encoding, and whether a few bytes are damaged."""

    real: str
    header: str | None
    declared: bool
    damaged: bool = False

    @property
    def path(self) -> str:
        header = (self.header or "none").lower()
        name = f"{self.real}-under-{header}-{'declared' if self.declared else 'undeclared'}"
        return f"/news/2024/10/13/{name}{'-damaged' if self.damaged else ''}-story/"

    @property
    def title(self) -> str:
        return f"Report {self.real}: {TEXTS[self.real]}"

    def page(self) -> bytes:
        meta = f'<meta charset="{self.real}">' if self.declared else ""
        ld = {"@type": "NewsArticle", "headline": self.title, "author": {"name": "Taro Yamada"}}
        head = (
            f"<!DOCTYPE html><html><head>{meta}<title>{self.title}</title>"
            f'<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{self.title}">'
            '<meta property="article:published_time" content="2024-10-13T08:00:00+09:00">'
            '<script type="application/ld+json">'
            f"{json.dumps({'@context': 'https://schema.org', **ld}, ensure_ascii=False)}"
            "</script></head>"
        )
        story = "".join(f"<p>{p}</p>" for p in self.paragraphs())
        body = f"<body><article><h1>{self.title}</h1>{story}</article>"
        data = (head + body).encode(self.real)
        if self.damaged:  # a character cut in half: the first byte(s) of a multi-byte one
            data += b"<p>Cut: " + "政".encode(self.real)[:-1] + b"</p>"
        return data + b"</body></html>"

    def paragraphs(self) -> list[str]:
        return [FILLER, TEXTS[self.real], FILLER, f"{TEXTS[self.real]} {FILLER}"]

    def content_type(self) -> str:
        return f"text/html; charset={self.header}" if self.header else "text/html"


CELLS = (
    # UTF-8 pages, declared or not, under every header
    *(Cell("utf-8", header, declared) for header in HEADERS for declared in (True, False)),
    # pages in another charset that declare it, under every header
    *(Cell(real, header, True) for real in TEXTS if real != "utf-8" for header in HEADERS),
    # pages in another charset that do not declare it, under a truthful header
    Cell("shift_jis", "Shift_JIS", False),
    Cell("koi8-r", "KOI8-R", False),
    Cell("gbk", "GBK", False),
)
DAMAGED = (
    Cell("utf-8", "Shift_JIS", True, damaged=True),  # damaged UTF-8 under a lying header
    Cell("shift_jis", "UTF-8", True, damaged=True),  # damaged Shift_JIS under a lying header
)


class MatrixHandler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, Cell]] = {cell.path: cell for cell in (*CELLS, *DAMAGED)}

    def do_GET(self) -> None:
        cell = self.pages.get(self.path)
        body = cell.page() if cell else b"not found"
        self.send_response(200 if cell else 404)
        self.send_header("Content-Type", cell.content_type() if cell else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Runs:
    liar: Crawl
    manifest: list[dict]
    matrix: Crawl
    origin: str
    summary: dict  # the matrix run's line in runs.jsonl


def liar_crawl(tmp: Path) -> tuple[Crawl, list[dict]]:
    with replica("--articles", "120", "--faults", "liar") as server:
        result = crawl(tmp, f"base_url={server.url}", f"section={','.join(SECTIONS)}")
        return result, server.manifest()


def matrix_crawl(tmp: Path, origin: str) -> Crawl:
    urls = tmp / "urls.txt"
    urls.write_text("".join(f"{origin}{cell.path}\n" for cell in (*CELLS, *DAMAGED)), "utf-8")
    return crawl(tmp, f"urls_file={urls}", "tz=Asia/Tokyo", spider="news")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), MatrixHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    liar_tmp, matrix_tmp = tmp_path_factory.mktemp("liar"), tmp_path_factory.mktemp("matrix")
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            liar = pool.submit(liar_crawl, liar_tmp)
            matrix = pool.submit(matrix_crawl, matrix_tmp, origin)
            (liar_result, manifest), matrix_result = liar.result(), matrix.result()
    finally:
        server.shutdown()
        server.server_close()
    summary_line = (matrix_tmp / "state" / "runs.jsonl").read_text("utf-8").splitlines()[-1]
    yield Runs(liar_result, manifest, matrix_result, origin, json.loads(summary_line))


def test_liar_articles_are_exported_exactly_and_unflagged(runs):
    liar = [r for r in runs.manifest if "liar" in r["faults"] and r["expected_export"]]
    assert {r["section"] for r in liar} == set(SECTIONS)
    assert any(LIAR_JAPANESE in r["body"] for r in liar)  # the Japanese paragraph is there
    assert runs.liar.returncode == 0, runs.liar.log[-2000:]
    items = runs.liar.items
    for section in SECTIONS:
        lines = "\n".join(
            line for line, i in zip(runs.liar.lines, items, strict=True) if i["section"] == section
        )
        check = verify(lines, runs.manifest, section)
        assert check.exact, (section, check.lost[:3], check.mismatched[:3], check.unexpected[:3])
    assert not [i["url"] for i in items if FLAG in i["flags"]]
    assert stat(runs.liar.log, "newscrawl/charset/repaired") == len(liar)
    assert stat(runs.liar.log, "newscrawl/charset/damaged") is None


def test_every_matrix_page_reads_right_and_unflagged(runs):
    assert runs.matrix.returncode == 0, runs.matrix.log[-2000:]
    items = {i["url"]: i for i in runs.matrix.items}
    wrong = []
    for cell in CELLS:
        item = items.get(runs.origin + cell.path)
        if item is None:
            wrong.append((cell, "not exported"))
        elif item["title"] != cell.title or item["body"] != "\n\n".join(cell.paragraphs()):
            wrong.append((cell, item["title"], item["body"][:200]))
        elif FLAG in item["flags"]:
            wrong.append((cell, item["flags"]))
    assert wrong == [], wrong[:5]


def test_damaged_pages_are_flagged_counted_and_listed(runs):
    items = {i["url"]: i for i in runs.matrix.items}
    urls = [runs.origin + cell.path for cell in DAMAGED]
    for cell, url in zip(DAMAGED, urls, strict=True):
        item = items[url]
        assert FLAG in item["flags"], (cell, item["flags"])
        assert TEXTS[cell.real] in item["body"], (cell, item["body"][:200])  # read as declared
    assert stat(runs.matrix.log, "newscrawl/charset/damaged") == len(DAMAGED)
    errors = runs.summary["errors"]
    assert errors["charset_damaged_pages"] == len(DAMAGED)
    assert sorted(errors["charset_damaged_urls"]) == sorted(urls)
