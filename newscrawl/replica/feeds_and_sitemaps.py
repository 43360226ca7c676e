"""Machine-readable resources of the replica: WordPress RSS 2.0 feeds, sitemaps, robots.txt."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from newscrawl.replica.corpus import JST, Article, Corpus, iso_jst

FEED_ITEMS = 20
NEWS_WINDOW = timedelta(hours=48)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(corpus: Corpus, origin: str, self_path: str, title: str, items: Sequence[int]) -> str:
    """A WordPress-style RSS 2.0 feed of the newest visible items."""
    articles = [corpus.article(i) for i in items[:FEED_ITEMS]]
    build = articles[0].modified if articles else corpus.reference_now
    channel_title = f"{title} &#8211; The Japan News" if title else "The Japan News"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
        '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
        '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n\t>\n\n<channel>\n',
        f"\t<title>{channel_title}</title>\n",
        f'\t<atom:link href="{origin}{self_path}" rel="self" type="application/rss+xml" />\n',
        f"\t<link>{origin}/</link>\n",
        "\t<description>Breaking News from Japan and Asia</description>\n",
        f"\t<lastBuildDate>{format_datetime(build.astimezone(JST))}</lastBuildDate>\n",
        "\t<language>en-US</language>\n",
        "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n",
        "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n",
    ]
    out.extend(_rss_item(origin, a) for a in articles)
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def _rss_item(origin: str, a: Article) -> str:
    return (
        "\t<item>\n"
        f"\t\t<title>{escape(a.title)}</title>\n"
        f"\t\t<link>{origin}{a.path}</link>\n"
        f"\t\t<dc:creator>{_cdata(a.cms_user)}</dc:creator>\n"
        f"\t\t<pubDate>{format_datetime(a.published)}</pubDate>\n"
        f"\t\t<category>{_cdata(a.subsection.label)}</category>\n"
        f'\t\t<guid isPermaLink="false">{origin}/?p={a.post_id}</guid>\n'
        f"\t\t<description>{_cdata(f'<p>{a.excerpt(200)}</p>')}</description>\n"
        "\t</item>\n"
    )


def _months(corpus: Corpus) -> list[tuple[int, int]]:
    """Months (JST) holding visible articles, newest first."""
    if corpus.visible == 0:
        return []
    first, last = corpus.published_at(0), corpus.published_at(corpus.visible - 1)
    months, y, m = [], last.year, last.month
    while (y, m) >= (first.year, first.month):
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return months


def _month_range(corpus: Corpus, year: int, month: int) -> range:
    start = datetime(year, month, 1, tzinfo=JST)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=JST)
    lo, hi = corpus.first_index_at(start), corpus.first_index_at(end)
    return range(lo, min(hi, corpus.visible))


def sitemap_index(corpus: Corpus, origin: str) -> str:
    rows = []
    for y, m in _months(corpus):
        span = _month_range(corpus, y, m)
        if not span:
            continue
        lastmod = iso_jst(max(corpus.article(i).modified for i in span[-5:]))
        rows.append(
            f"\t<sitemap>\n\t\t<loc>{origin}/sitemap-pt-post-{y:04d}-{m:02d}.xml</loc>\n"
            f"\t\t<lastmod>{lastmod}</lastmod>\n\t</sitemap>\n"
        )
    rows.append(f"\t<sitemap>\n\t\t<loc>{origin}/sitemap-news.xml</loc>\n\t</sitemap>\n")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(rows)
        + "</sitemapindex>\n"
    )


def month_sitemap(corpus: Corpus, origin: str, year: int, month: int) -> str | None:
    """The post sitemap of one month, or None when that month has no visible article."""
    if not 1 <= month <= 12:
        return None
    span = _month_range(corpus, year, month)
    if not span:
        return None
    rows = []
    for i in reversed(span):
        a = corpus.article(i)
        rows.append(
            f"\t<url>\n\t\t<loc>{origin}{a.path}</loc>\n"
            f"\t\t<lastmod>{iso_jst(a.modified)}</lastmod>\n\t</url>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(rows)
        + "</urlset>\n"
    )


def news_sitemap(corpus: Corpus, origin: str) -> str:
    """Google News sitemap: articles published in the 48 hours before the reference time."""
    lo = corpus.first_index_at(corpus.reference_now - NEWS_WINDOW)
    rows = []
    for i in reversed(range(lo, corpus.visible)):
        a = corpus.article(i)
        rows.append(
            f"\t<url>\n\t\t<loc>{origin}{a.path}</loc>\n\t\t<news:news>\n"
            "\t\t\t<news:publication>\n\t\t\t\t<news:name>The Japan News</news:name>\n"
            "\t\t\t\t<news:language>en</news:language>\n\t\t\t</news:publication>\n"
            f"\t\t\t<news:publication_date>{iso_jst(a.published)}</news:publication_date>\n"
            f"\t\t\t<news:title>{escape(a.title)}</news:title>\n"
            "\t\t</news:news>\n\t</url>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "".join(rows)
        + "</urlset>\n"
    )


def robots(origin: str) -> str:
    return (
        "User-agent: *\n"
        "Disallow: /wp-admin/\n"
        "Allow: /wp-admin/admin-ajax.php\n\n"
        f"Sitemap: {origin}/sitemap.xml\n"
        f"Sitemap: {origin}/sitemap-news.xml\n"
    )
