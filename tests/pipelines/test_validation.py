from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem

from newscrawl.items import ArticleItem
from newscrawl.pipelines.dedup import DedupPipeline
from newscrawl.pipelines.validation import ValidationPipeline


def good_item(**overrides) -> ArticleItem:
    fields = {
        "id": "japannews:216478",
        "site": "japannews",
        "url": "https://japannews.yomiuri.co.jp/politics/defense-security/20241013-216478/",
        "section": "politics",
        "subsection": "defense-security",
        "title": "Japan, U.S. Agree to Strengthen Extended Deterrence",
        "published": "2024-10-13T17:41:00+09:00",
        "published_utc": "2024-10-13T08:41:00Z",
        "published_date": "2024-10-13",
        "published_raw": "2024-10-13T17:41:00+09:00",
        "body": "WASHINGTON — Japan and the United States agreed on Saturday.",
        "crawled_at": "2024-10-14T00:00:00Z",
        "time_candidates": {"published": []},
    }
    fields.update(overrides)
    return ArticleItem(**fields)


def test_good_item_gets_defaults_and_loses_internal_fields(crawler):
    item = ValidationPipeline.from_crawler(crawler).process_item(good_item())
    assert "time_candidates" not in item
    assert item["authors"] == [] and item["images"] == [] and item["tags"] == []
    assert item["byline"] is None and item["modified"] is None and item["access"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"body": ""}, "body"),
        ({"id": None}, "id"),
        ({"url": "http://japannews.yomiuri.co.jp/politics/x/"}, "url"),
        ({"url": "https://japannews.yomiuri.co.jp/politics/x"}, "url"),
        ({"published": "2024-10-13T17:41:00Z"}, "published"),
        ({"section": "Politics"}, "section"),
        ({"access": "maybe"}, "access"),
        ({"crawled_at": "yesterday"}, "crawled_at"),
        # null published needs a flag that says why
        ({"published": None, "published_utc": None}, "flags"),
    ],
)
def test_bad_items_are_dropped_with_reason(crawler, overrides, field):
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=f"invalid {field}"):
        pipeline.process_item(good_item(**overrides))
    assert crawler.stats.get_value(f"newscrawl/validation/dropped/{field}") == 1
    assert crawler.stats.get_value("newscrawl/validation/dropped") == 1


def test_null_published_with_flag_is_kept(crawler):
    item = good_item(published=None, published_utc=None, flags=["published_date_only"])
    assert ValidationPipeline.from_crawler(crawler).process_item(item) is item


def test_dedup_keeps_the_first_of_each_id(crawler):
    pipeline = DedupPipeline.from_crawler(crawler)
    first = good_item()
    assert pipeline.process_item(first) is first
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(good_item(title="Another title"))
    other = good_item(id="japannews:216479")
    assert pipeline.process_item(other) is other
    assert crawler.stats.get_value("newscrawl/dedup/dropped") == 1
