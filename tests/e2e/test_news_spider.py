"""`scrapy crawl news` end to end: real subprocess crawls of two differently built local sites.

- the second test site (`newscrawl replica --site japantimes`): WordPress-style dated URLs,
  ?page=N pagination without rel=next, a JSON-LD @graph, feeds, sitemaps with lastmod,
  furniture in the body, zone-less times on a share of pages;
- the replica of The Japan News, through the generic path and through its site module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Crawl, Replica, crawl, replica, stat

FURNITURE = ("Related:", "Sign up for our free daily newsletter", "Share this article", "Kyodo")
SECTION = "japan/politics"


@pytest.fixture(scope="module")
def second_site() -> Iterator[Replica]:
    with replica("--site", "japantimes", "--articles", "120") as server:
        yield server


@pytest.fixture(scope="module")
def truth(second_site: Replica) -> dict[str, dict]:
    return {record["path"]: record for record in second_site.manifest()}


def news(tmp_path: Path, *args: str, **kwargs):
    return crawl(tmp_path, *args, spider="news", **kwargs)


def by_path(items: list[dict]) -> dict[str, dict]:
    paths = [urlsplit(item["url"]).path for item in items]
    assert len(paths) == len(set(paths)), "an article was exported twice"
    return dict(zip(paths, items, strict=True))


@pytest.fixture(scope="module")
def generic_run(second_site: Replica, tmp_path_factory) -> tuple[Path, Crawl]:
    """The generic path's crawl of one section into a fresh state, and its folder: one test
    reads what it exported, another crawls again on its state."""
    tmp = tmp_path_factory.mktemp("generic")
    return tmp, news(tmp, f"url={second_site.url}/news/{SECTION}/", "tz=Asia/Tokyo")


def test_generic_path_exports_every_section_article_exactly(generic_run, truth):
    _, result = generic_run
    assert result.returncode == 0, result.log[-3000:]
    got = by_path(result.items)
    wanted = {path for path, record in truth.items() if record["section"] == SECTION}
    assert set(got) == wanted
    assumed = 0
    for path, item in got.items():
        record = truth[path]
        assert item["title"] == record["title"]
        assert item["published"] == record["published"]  # the page's offset, to the second
        assert item["authors"] == record["authors"]
        assert item["body"] == record["body"]
        assert not any(line in item["body"] for line in FURNITURE)
        assert ("published_zone_assumed" in item["flags"]) == record["zone_assumed"]
        assumed += record["zone_assumed"]
        assert item["site"] == "127001" and item["section"] == "politics"
        assert item["subsection"] is None and item["id"].startswith("127001:")
    assert assumed >= 3  # the zone-less pages were among them, read in -a tz
    # ?page=N without rel=next was followed to the last page, and no further
    assert stat(result.log, "newscrawl/listing/pages") >= 4
    assert stat(result.log, "newscrawl/listing/end/last_page") == 1


def test_second_run_fetches_nothing_known(generic_run, second_site):
    tmp, first = generic_run  # the first run, on the same state
    assert first.returncode == 0 and first.items
    args = (f"url={second_site.url}/news/{SECTION}/", "tz=Asia/Tokyo")
    again = news(tmp, *args, output="again.jsonl", settings=("NEWSCRAWL_REVISIT_HOURS=0",))
    assert again.returncode == 0, again.log[-3000:]
    assert again.items == []
    assert stat(again.log, "newscrawl/articles/requested") is None
    # page 1 showed only known articles: the walk ended there (an earlier walk was complete)
    assert stat(again.log, "newscrawl/listing/pages") <= 2


def test_site_module_gives_canonical_urls_and_sections(tmp_path, second_site, truth):
    result = news(tmp_path, f"url={second_site.url}/news/{SECTION}/", "site=japantimes")
    assert result.returncode == 0, result.log[-3000:]
    got = by_path(result.items)
    assert set(got) == {p for p, r in truth.items() if r["section"] == SECTION}
    for path, item in got.items():
        assert item["url"] == "https://www.japantimes.co.jp" + path
        assert (item["section"], item["subsection"]) == ("japan", "politics")
        assert item["site"] == "japantimes" and item["id"].startswith("japantimes:")
        # what the module leaves out, the generic path fills in
        assert item["authors"] == truth[path]["authors"]
        assert item["body"] == truth[path]["body"]
        assert item["published"] == truth[path]["published"]  # the module's zone: Asia/Tokyo


def test_sitemaps_backfill_reads_only_the_window(tmp_path, second_site, truth):
    result = news(
        tmp_path,
        f"url={second_site.url}/news/{SECTION}/",
        "tz=Asia/Tokyo",
        "discover=sitemaps",
        "since=2024-10-10",
        "until=2024-10-11",
    )
    assert result.returncode == 0, result.log[-3000:]
    wanted = {
        path
        for path, record in truth.items()
        if record["section"] == SECTION and "2024-10-10" <= record["published"][:10] <= "2024-10-11"
    }
    assert wanted and set(by_path(result.items)) == wanted
    # dates in the URLs and lastmod kept the crawl to the window: one request per article
    assert stat(result.log, "newscrawl/articles/requested") == len(wanted)


def test_feeds_only_give_the_latest(tmp_path, second_site, truth):
    result = news(tmp_path, f"url={second_site.url}/news/{SECTION}/", "discover=feeds")
    assert result.returncode == 0, result.log[-3000:]
    newest = sorted((r["published"], p) for p, r in truth.items() if r["section"] == SECTION)[-10:]
    assert set(by_path(result.items)) == {p for _, p in newest}


def test_urls_file(tmp_path, second_site, truth):
    paths = sorted(truth)[:5]
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# articles to fetch\n\n" + "".join(f"{second_site.url}{p}\n" for p in paths), "utf-8"
    )
    result = news(tmp_path, f"urls_file={listing}", "tz=Asia/Tokyo")
    assert result.returncode == 0, result.log[-3000:]
    got = by_path(result.items)
    assert set(got) == set(paths)
    for path, item in got.items():
        assert item["title"] == truth[path]["title"]
        assert item["section"] == "news"  # the first segment of the URL: no section was walked


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give -a url="),
        (("url=ftp://example.com/",), "url: expected an http(s) section URL"),
        (("url=https://example.com/politics/", "tz=Mars/Base"), "tz: 'Mars/Base' is not"),
        (("url=https://example.com/politics/", "site=nosuch"), "site: no site module"),
        (("url=https://example.com/politics/", "discover=rss"), "discover: expected"),
        (("urls_file=/nonexistent/urls.txt",), "urls_file: cannot read"),
    ],
)
def test_bad_arguments_fail_in_one_line(tmp_path, args, message):
    result = news(tmp_path, *args, output=None, timeout=60)
    assert result.returncode == 2
    errors = [line for line in result.log.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and message in errors[0], result.log[-2000:]


def test_bad_line_in_urls_file_is_named(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("https://example.com/a-long-article-slug-here/\nnot a url\n", "utf-8")
    result = news(tmp_path, f"urls_file={listing}", output=None, timeout=60)
    assert result.returncode == 2
    assert "urls_file: line 2 is not an http(s) URL: 'not a url'" in result.log


@pytest.fixture(scope="module")
def japan_news() -> Iterator[Replica]:
    with replica("--articles", "300") as server:
        yield server


def test_replica_through_its_site_module_equals_japannews(tmp_path, japan_news):
    """`news` with the japannews module gives what the `japannews` spider gives."""
    section = f"url={japan_news.url}/politics/"
    through_news = news(tmp_path / "news", section, "site=japannews")
    assert through_news.returncode == 0, through_news.log[-3000:]
    own = crawl(tmp_path / "own", f"base_url={japan_news.url}")
    assert own.returncode == 0
    fields = ("id", "url", "title", "published", "authors", "body", "section", "subsection")
    mine = {i["id"]: tuple(i[f] for f in fields) for i in through_news.items}
    theirs = {i["id"]: tuple(i[f] for f in fields) for i in own.items}
    # the section page lists the section's newest articles; each is exported exactly as
    # japannews exports it
    assert mine and set(mine) <= set(theirs)
    assert all(mine[key] == theirs[key] for key in mine)


def test_replica_through_the_generic_path(tmp_path, japan_news):
    result = news(tmp_path, f"url={japan_news.url}/politics/", "tz=Asia/Tokyo")
    assert result.returncode == 0, result.log[-3000:]
    truth = {urlsplit(r["url"]).path: r for r in japan_news.manifest()}
    got = by_path(result.items)
    assert got and all(path in truth for path in got)  # articles only: no attachment pages
    titles = sum(item["title"] == truth[path]["title"] for path, item in got.items())
    authors = sum(item["authors"] == truth[path]["authors"] for path, item in got.items())
    bodies = sum(item["body"] == truth[path]["body"] for path, item in got.items())
    assert titles == len(got) and authors >= 0.9 * len(got) and bodies >= 0.95 * len(got)
    # JSON-LD gives seconds that the page's own date line does not: same minute, same offset
    for path, item in got.items():
        assert item["published"][:16] == truth[path]["published"][:16]
        assert item["published"][19:] == "+09:00"


def test_manifest_of_the_second_site_is_json_lines(second_site):
    records = second_site.manifest()
    assert len(records) == 120
    assert all(json.loads(json.dumps(r)) == r for r in records)
