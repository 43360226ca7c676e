"""The issue's floor: a politics crawl of the default replica equals the manifest."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from jsonschema import Draft202012Validator

from newscrawl.items import ARTICLE_FIELDS, article_schema
from tests.e2e.conftest import crawl

FURNITURE = [
    "POPULAR ARTICLE",
    "JN ACCESS RANKING",
    "Latest Articles",
    "Popular Articles",
    "Add TheJapanNews to your Google News feed.",
    "Please disable the ad blocking feature.",
    "This website uses cookies",
    "Users accessing this site from EEA countries",
    "Weekly Edition",
    "Our weekly ePaper",
    "The Japan News - by The Yomiuri Shimbun",
]


@pytest.fixture(scope="module")
def politics(default_replica, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("politics")
    result = crawl(tmp, f"base_url={default_replica.url}")
    manifest = {r["url"]: r for r in default_replica.manifest()}
    return result, manifest


def test_crawl_exits_cleanly(politics):
    result, _ = politics
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log


def test_every_politics_article_exactly_once_and_nothing_else(politics):
    result, manifest = politics
    urls = Counter(item["url"] for item in result.items)
    expected = {url for url, record in manifest.items() if record["section"] == "politics"}
    assert len(expected) >= 300
    assert {r["subsection"] for r in manifest.values() if r["url"] in expected} >= {
        "politics-government",
        "defense-security",
        "election",
        "political-series",
        "g7-summit",
    }
    assert max(urls.values()) == 1
    assert set(urls) == expected


def test_fields_equal_the_manifest(politics):
    result, manifest = politics
    for item in result.items:
        record = manifest[item["url"]]
        for field in ("id", "section", "subsection", "title", "published", "authors", "body"):
            assert item[field] == record[field], (field, item["url"])
        for field in ("published_utc", "modified", "byline", "images", "tags", "access"):
            assert item[field] == record[field], (field, item["url"])


def test_every_line_is_strict_json_valid_against_the_schema(politics):
    result, _ = politics
    validator = Draft202012Validator(article_schema())
    for line in result.lines:
        item = json.loads(line, parse_constant=pytest.fail)
        assert list(item) == list(ARTICLE_FIELDS)
        assert not list(validator.iter_errors(item)), line[:200]


def test_no_furniture_in_any_line(politics):
    result, _ = politics
    for line in result.lines:
        for furniture in FURNITURE:
            assert furniture not in line, (furniture, line[:200])


def test_both_layouts_were_crawled(politics):
    result, manifest = politics
    layouts = Counter(manifest[item["url"]]["layout"] for item in result.items)
    assert layouts["2024"] > 0 and layouts["unknown"] > 0
    fallback = [item for item in result.items if "fallback_layout" in item["flags"]]
    assert len(fallback) == layouts["unknown"]
