from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from newscrawl.middlewares.charset import CharsetMiddleware
from tests.middlewares.conftest import project_crawler

URL = "http://127.0.0.1:8765/politics/politics-government/20240101-1/"
TEXT = "The café’s owner said “¥3,000 is too much” — Élysée talks resumed."
UTF8 = {"Content-Type": "text/html; charset=UTF-8"}


def page(charset_meta: str, text: str, encoding: str, headers=UTF8) -> HtmlResponse:
    body = f"<html><head>{charset_meta}</head><body><p>{text}</p></body></html>"
    return HtmlResponse(URL, body=body.encode(encoding), headers=headers, request=Request(URL))


def run(response: HtmlResponse) -> tuple[HtmlResponse, dict]:
    crawler = project_crawler()
    result = CharsetMiddleware.from_crawler(crawler).process_response(response.request, response)
    return result, crawler.stats.get_stats()


def test_a_cp1252_page_behind_a_utf8_header_is_read_as_it_declares() -> None:
    raw = page('<meta charset="windows-1252">', TEXT, "cp1252")
    assert "\ufffd" in raw.text  # what Scrapy alone would export
    result, stats = run(raw)
    assert result.css("p::text").get() == TEXT
    assert stats["newscrawl/charset/repaired"] == 1


def test_the_http_equiv_form_counts_too() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    result, _ = run(page(meta, TEXT, "cp1252"))
    assert result.css("p::text").get() == TEXT


def test_a_page_valid_in_its_header_charset_is_untouched() -> None:
    # the meta tag lies here, the header does not: the header wins, as in browsers
    raw = page('<meta charset="windows-1252">', TEXT, "utf-8")
    result, stats = run(raw)
    assert result is raw and result.css("p::text").get() == TEXT
    assert "newscrawl/charset/repaired" not in stats


def test_undecodable_without_a_declaration_is_counted_and_left_to_scrapy() -> None:
    raw = page("", TEXT, "cp1252")
    result, stats = run(raw)
    assert result is raw
    assert stats["newscrawl/charset/undecodable"] == 1


def test_a_utf8_page_with_one_damaged_character_stays_utf8() -> None:
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
    assert result is raw and result.css("p::text").get() == TEXT
    assert stats["newscrawl/charset/damaged"] == 1
