"""Sitemaps and feeds are parsed without entity expansion and without network or file access."""

from __future__ import annotations

from pathlib import Path

from newscrawl.sites.feed_entries import parse_rss, parse_sitemap

URL = "https://japannews.yomiuri.co.jp/politics/politics-government/20240101-1/"


def test_a_billion_laughs_sitemap_is_not_expanded() -> None:
    lol = (
        '<?xml version="1.0"?>\n<!DOCTYPE urlset [\n<!ENTITY a "lollollollollollollollollol">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
        + "]>\n"
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{URL}</loc><lastmod>&j;</lastmod></url></urlset>"
    )
    _, links = parse_sitemap(lol.encode())
    assert [link.url for link in links] == [URL]
    assert len(links[0].date or "") < 1000  # 10**9 "lol"s if it were expanded


def test_an_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        f"<rss><channel><item><link>{URL}</link><pubDate>&x;</pubDate></item></channel></rss>"
    )
    links = parse_rss(xml.encode())
    assert [link.url for link in links] == [URL]
    assert "TOP-SECRET" not in repr(links)
