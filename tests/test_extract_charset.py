"""`newscrawl extract` reads saved bytes by the crawl's charset rule (issue 13): valid UTF-8 is
UTF-8 whatever the page's meta says, and a page no charset reads cleanly is flagged."""

from __future__ import annotations

from newscrawl.charset import FLAG
from newscrawl.extract import extract_item
from tests.conftest import FIXTURES

PAGE = FIXTURES / "japannews/article-2024-byline-photo.html"
URL = "https://japannews.yomiuri.co.jp/politics/defense-security/20241013-216478/"
OPENING = "WASHINGTON — Japan and the United States"


def saved(meta: str, tail: bytes = b"") -> bytes:
    page = PAGE.read_bytes().replace(b'<meta charset="UTF-8">', meta.encode(), 1)
    return page.replace(b"</body>", tail + b"</body>", 1)


def test_a_saved_utf8_page_with_a_lying_meta_reads_as_utf8(crawler):
    item = extract_item(saved('<meta charset="windows-1252">'), URL, crawler)
    assert item["body"].startswith(OPENING), item["body"][:60]
    assert FLAG not in item["flags"]


def test_a_saved_page_with_damaged_bytes_is_flagged(crawler):
    item = extract_item(saved('<meta charset="UTF-8">', "政".encode()[:2]), URL, crawler)
    assert item["body"].startswith(OPENING)
    assert FLAG in item["flags"]
