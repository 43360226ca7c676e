"""Which listings the spider walks, and where its output goes, on a small replica."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.e2e.conftest import crawl, replica, stat


@pytest.fixture(scope="module")
def small():
    with replica("--articles", "400", "--seed", "7") as server:
        yield server, server.manifest()


def urls(records, section=None, listed_under=None):
    return {
        r["url"]
        for r in records
        if (section is None or r["section"] == section)
        and (listed_under is None or listed_under in r["listed_under"])
    }


def test_one_subsection_includes_articles_cross_listed_there(small, tmp_path):
    server, manifest = small
    result = crawl(tmp_path, f"base_url={server.url}", "section=politics/election")
    assert result.returncode == 0, result.log[-2000:]
    want = urls(manifest, listed_under="election")
    assert {r["subsection"] for r in manifest if r["url"] in want} > {"election"}, (
        "no cross-listing"
    )
    assert Counter(i["url"] for i in result.items) == Counter(want)


def test_comma_list_of_sections(small, tmp_path):
    server, manifest = small
    result = crawl(tmp_path, f"base_url={server.url}", "section=politics,business")
    assert result.returncode == 0
    want = urls(manifest, "politics") | urls(manifest, "business")
    assert Counter(i["url"] for i in result.items) == Counter(want)
    assert {i["section"] for i in result.items} == {"politics", "business"}


def test_cross_listed_article_is_requested_once(small, tmp_path):
    server, manifest = small
    result = crawl(tmp_path, f"base_url={server.url}", "section=politics")
    cross_listed = [
        r for r in manifest if r["section"] == "politics" and len(r["listed_under"]) > 1
    ]
    assert cross_listed
    assert stat(result.log, "newscrawl/articles/listed_again") >= len(cross_listed)
    requested = stat(result.log, "newscrawl/articles/requested")
    assert requested == len(urls(manifest, "politics")) == len(result.items)
    # Attachment pages and other sections' articles linked from listings were never fetched.
    assert stat(result.log, "newscrawl/articles/not_article") is None


def test_max_pages_stops_each_listing(small, tmp_path):
    server, manifest = small
    result = crawl(
        tmp_path, f"base_url={server.url}", "section=politics/politics-government", "max_pages=2"
    )
    assert stat(result.log, "newscrawl/listing/pages") == 2
    assert stat(result.log, "newscrawl/listing/end/max_pages") == 1
    newest = sorted(
        (r for r in manifest if "politics-government" in r["listed_under"]),
        key=lambda r: r["published"],
        reverse=True,
    )
    assert {i["url"] for i in result.items} == {r["url"] for r in newest[:20]}


def test_default_feed_is_a_dated_file_under_the_data_folder(small, tmp_path):
    server, manifest = small
    result = crawl(tmp_path, f"base_url={server.url}", "section=politics/g7-summit", output=None)
    assert result.returncode == 0
    files = list((tmp_path / "data" / "japannews").glob("*/japannews-*Z.jsonl"))
    assert len(files) == 1
    day, name = files[0].parent.name, files[0].name
    assert name.startswith(f"japannews-{day.replace('-', '')}T")
    lines = files[0].read_text("utf-8").splitlines()
    assert {json.loads(line)["url"] for line in lines} == urls(manifest, listed_under="g7-summit")


def test_now_hides_later_articles(small, tmp_path):
    _, full = small
    times = sorted(r["published"] for r in full)
    cutoff = times[len(times) // 2]  # half the corpus is "not yet published"
    with replica("--articles", "400", "--seed", "7", "--now", cutoff) as server:
        manifest = server.manifest()
        result = crawl(tmp_path, f"base_url={server.url}", "section=politics")
    assert 0 < len(manifest) < len(full)
    assert all(r["published"] <= cutoff for r in manifest)
    assert {i["url"] for i in result.items} == urls(manifest, "politics")
