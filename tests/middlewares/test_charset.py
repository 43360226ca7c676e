from __future__ import annotations

import codecs

import pytest
from jsonschema import Draft202012Validator
from scrapy.http import HtmlResponse, Request

from newscrawl import charset
from newscrawl.charset import UNLABELED, codec
from newscrawl.items import ArticleItem, article_schema
from newscrawl.middlewares.charset import DAMAGED_META, CharsetMiddleware
from newscrawl.middlewares.charsetflag import FLAG, CharsetFlagMiddleware
from tests.middlewares.conftest import project_crawler
from tests.pipelines.test_schema_check import GOOD

URL = "http://127.0.0.1:8765/politics/politics-government/20240101-1/"
TEXT = "The café’s owner said “¥3,000 is too much” — Élysée talks resumed."
UTF8 = {"Content-Type": "text/html; charset=UTF-8"}

# The header × real encoding matrix: text each real encoding can write, Japanese included.
TEXTS = {
    "utf-8": "The Parties’ plan costs ¥20 billion — 政府は来年度予算案を閣議決定した。",
    "shift_jis": "政府は来年度予算案を閣議決定した。「日本の経済」",
    "euc-jp": "東京の天気は晴れ、気温は二十度です。",
    "cp1252": TEXT,
    "iso-8859-2": "Zażółć gęślą jaźń — Łódź, Kraków i Gdańsk.".replace("—", "-"),
    "koi8-r": "Привет, мир! Москва и Санкт-Петербург.",
    "gbk": "政府决定预算案，中国经济稳定增长。",
}
# What lying servers send, then a truthful UTF-8 header and no charset at all.
HEADERS = ("Shift_JIS", "windows-1252", "ISO-8859-1", "GBK", "ISO-8859-2", "KOI8-R", "UTF-8", None)


def page(charset_meta: str, text: str, encoding: str, headers=UTF8) -> HtmlResponse:
    body = f"<html><head>{charset_meta}</head><body><p>{text}</p></body></html>"
    return HtmlResponse(URL, body=body.encode(encoding), headers=headers, request=Request(URL))


def matrix_page(real: str, header: str | None, declared: bool, body: bytes | None = None):
    meta = f'<meta charset="{real}">' if declared else ""
    markup = f"<html><head>{meta}</head><body><p>{TEXTS[real]}</p></body></html>"
    content_type = f"text/html; charset={header}" if header else "text/html"
    data = body if body is not None else markup.encode(real)
    return HtmlResponse(
        URL, body=data, headers={"Content-Type": content_type}, request=Request(URL)
    )


_crawler = project_crawler()  # one for the module: a crawler costs more than a matrix cell


def run(response: HtmlResponse) -> tuple[HtmlResponse, dict]:
    crawler = _crawler
    crawler.stats.clear_stats()
    result = CharsetMiddleware.from_crawler(crawler).process_response(response.request, response)
    return result, crawler.stats.get_stats()


def damaged(response: HtmlResponse) -> bool:
    return bool(response.meta.get(DAMAGED_META))


# ----- the replica's `charset` fault and the other existing behaviour --------------------------


def test_a_cp1252_page_behind_a_utf8_header_is_read_as_it_declares() -> None:
    raw = page('<meta charset="windows-1252">', TEXT, "cp1252")
    assert "\ufffd" in raw.text  # what Scrapy alone would export
    result, stats = run(raw)
    assert result.css("p::text").get() == TEXT
    assert stats["newscrawl/charset/repaired"] == 1
    assert not damaged(result)


def test_the_http_equiv_form_counts_too() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    result, _ = run(page(meta, TEXT, "cp1252"))
    assert result.css("p::text").get() == TEXT


def test_a_utf8_page_under_a_utf8_header_is_untouched_whatever_its_meta_says() -> None:
    raw = page('<meta charset="windows-1252">', TEXT, "utf-8")
    result, stats = run(raw)
    assert result is raw and result.css("p::text").get() == TEXT
    assert "newscrawl/charset/repaired" not in stats and not damaged(result)


def test_an_ascii_page_is_untouched() -> None:
    raw = page('<meta charset="koi8-r">', "Plain words.", "ascii", {"Content-Type": "text/html"})
    result, stats = run(raw)
    assert result is raw and not damaged(result)
    assert not any(key.startswith("newscrawl/charset/") for key in stats)


def test_an_undeclared_page_that_reads_in_no_charset_is_damaged_and_flagged() -> None:
    raw = page("", TEXT, "cp1252")  # under a UTF-8 header: no hint of cp1252 anywhere
    result, stats = run(raw)
    assert stats["newscrawl/charset/damaged"] == 1
    assert stats["newscrawl/charset/damaged_urls"] == [URL]
    assert damaged(result)


def test_a_utf8_page_with_one_damaged_character_stays_utf8_and_is_flagged() -> None:
    # an excerpt cut in the middle of a character, and an old meta tag that lies
    body = (
        (
            '<html><head><meta charset="windows-1252"></head><body>'
            f"<p>{TEXT}</p><p>Cut here: caf\u00e9"
        ).encode()
        + "\u2019".encode()[:2]
        + b"...</p></body></html>"
    )
    raw = HtmlResponse(URL, body=body, headers=UTF8, request=Request(URL))
    result, stats = run(raw)
    assert result.css("p::text").get() == TEXT
    assert stats["newscrawl/charset/damaged"] == 1 and "newscrawl/charset/repaired" not in stats
    assert damaged(result)


# ----- the header × real encoding matrix (issue 13) -------------------------------------------


@pytest.mark.parametrize("header", HEADERS)
def test_a_utf8_page_reads_right_under_any_header(header) -> None:
    for declared in (True, False):
        result, stats = run(matrix_page("utf-8", header, declared))
        assert result.css("p::text").get() == TEXTS["utf-8"], (header, declared, result.text)
        assert not damaged(result) and "newscrawl/charset/damaged" not in stats
        lying = header not in ("UTF-8", None)
        assert stats.get("newscrawl/charset/repaired", 0) == int(lying), (header, declared)


@pytest.mark.parametrize("real", [name for name in TEXTS if name != "utf-8"])
def test_a_page_that_declares_its_charset_reads_right_under_any_header(real) -> None:
    for header in HEADERS:
        result, _ = run(matrix_page(real, header, declared=True))
        assert result.css("p::text").get() == TEXTS[real], (real, header, result.text)
        assert not damaged(result), (real, header)


@pytest.mark.parametrize("real", [name for name in TEXTS if name != "utf-8"])
def test_an_undeclared_page_reads_in_its_header_or_is_flagged(real) -> None:
    """Without a declaration only the header tells a non-UTF-8 page's charset: a right header
    reads right; a wrong one (or none: windows-1252, as browsers assume) gives that charset's
    clean reading or the flag, never replacement characters without the flag."""
    for header in HEADERS:
        result, stats = run(matrix_page(real, header, declared=False))
        text = result.css("p::text").get()
        if codec(header or "windows-1252") == codec(real):
            assert text == TEXTS[real] and not damaged(result), (real, header, text)
        elif not damaged(result):
            expected = codecs.decode(result.body, codec(header) or UNLABELED)
            assert result.text == expected and "\ufffd" not in expected, (real, header)
        else:
            assert stats["newscrawl/charset/damaged"] == 1, (real, header)


def test_an_unlabeled_page_in_no_clean_charset_is_flagged() -> None:
    # no header charset, no declaration, not UTF-8, and not windows-1252 (0x81 is no character)
    result, stats = run(matrix_page("shift_jis", None, declared=False))
    assert damaged(result) and stats["newscrawl/charset/damaged"] == 1


@pytest.mark.parametrize("header", HEADERS)
def test_a_damaged_utf8_page_stays_utf8_under_any_header_and_is_flagged(header) -> None:
    cut = "政".encode()[:2]  # the first two of its three bytes
    good = f'<html><head><meta charset="utf-8"></head><body><p>{TEXTS["utf-8"]}</p>'
    body = good.encode() + b"<div>" + cut + "府</div></body></html>".encode()
    result, stats = run(matrix_page("utf-8", header, True, body=body))
    assert result.css("p::text").get() == TEXTS["utf-8"], (header, result.text)
    assert result.css("div::text").get() == "\ufffd府"
    assert damaged(result) and stats["newscrawl/charset/damaged"] == 1


def test_a_damaged_shift_jis_page_reads_as_declared_and_is_flagged() -> None:
    good = f'<html><head><meta charset="shift_jis"></head><body><p>{TEXTS["shift_jis"]}</p>'
    body = good.encode("shift_jis") + b"<div>\x82</div></body></html>"  # a lone lead byte
    for header in ("Shift_JIS", "UTF-8", None):
        result, _ = run(matrix_page("shift_jis", header, True, body=body))
        assert result.css("p::text").get() == TEXTS["shift_jis"], (header, result.text)
        assert damaged(result), header


def test_a_cp1252_page_with_an_undefined_byte_reads_as_declared_and_is_flagged() -> None:
    good = f'<html><head><meta charset="windows-1252"></head><body><p>{TEXT}</p>'
    body = good.encode("cp1252") + b"<div>x\x81y</div></body></html>"  # 0x81: no cp1252 char
    result, _ = run(matrix_page("cp1252", "UTF-8", True, body=body))
    assert result.css("p::text").get() == TEXT
    assert damaged(result)


# ----- the flag on the items ------------------------------------------------------------------


def flagged_items(mark: bool) -> list[ArticleItem]:
    crawler = _crawler
    response = page('<meta charset="utf-8">', TEXT, "utf-8")
    if mark:
        response.meta[DAMAGED_META] = True
    items = [ArticleItem(flags=["fallback_body"]), ArticleItem(flags=[])]
    middleware = CharsetFlagMiddleware.from_crawler(crawler)
    return list(middleware.process_spider_output(response, items))


def test_items_read_from_a_damaged_page_carry_the_flag() -> None:
    first, second = flagged_items(mark=True)
    assert first["flags"] == ["fallback_body", FLAG] and second["flags"] == [FLAG]
    assert [item["flags"] for item in flagged_items(mark=False)] == [["fallback_body"], []]


def test_the_schema_knows_the_flag() -> None:
    validator = Draft202012Validator(article_schema())
    assert not list(validator.iter_errors({**GOOD, "flags": [FLAG]}))


JAPANESE = "日本政府は防衛費の増額を決定した。首相は記者会見で説明した。" * 3
GERMAN = "Die Regierung kündigte neue Maßnahmen an. Größere Änderungen folgen." * 3


@pytest.mark.parametrize(
    ("text", "real", "header"),
    [
        (JAPANESE, "shift_jis", "KOI8-R"),  # box-drawing characters
        (JAPANESE, "shift_jis", "windows-1252"),
        (JAPANESE, "euc_jp", "windows-1252"),  # runs of Latin-1 letters and symbols
        (JAPANESE, "euc_jp", "ISO-8859-2"),
        (JAPANESE, "gbk", "ISO-8859-1"),
        (GERMAN, "cp1252", "KOI8-R"),  # Latin words with Cyrillic letters inside
    ],
)
def test_an_undeclared_page_misread_by_its_header_is_flagged(text, real, header):
    """No declaration in the page, a header naming the wrong charset: the header's reading
    decodes without error, but is no text: flagged, never passed as clean."""
    body = f"<html><body><p>{text}</p></body></html>".encode(real)
    assert not charset.choose_for(body, f"text/html; charset={header}").clean


@pytest.mark.parametrize(("text", "real"), [(GERMAN, "cp1252"), (JAPANESE, "shift_jis")])
def test_an_undeclared_page_under_its_right_header_reads_cleanly(text, real):
    body = f"<html><body><p>{text}</p></body></html>".encode(real)
    reading = charset.choose_for(body, f"text/html; charset={real}")
    assert reading.clean and codecs.decode(body, reading.encoding) == body.decode(real)
