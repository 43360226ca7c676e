"""Which feeds the crawl state follows before it claims an article (issue 13, item 5)."""

from __future__ import annotations

from scrapy.settings import Settings

from newscrawl.extract import project_settings
from newscrawl.json_feeds import followed_feed_count, our_feeds


def settings_with(feeds: dict) -> Settings:
    settings = project_settings()
    settings.set("FEEDS", feeds, priority="cmdline")
    return settings


def test_local_regular_files_are_followed_streams_and_remote_feeds_are_not(tmp_path):
    lines = {"format": "jsonlines"}
    feeds = {
        "%(data_dir)s/%(name)s/%(run_date)s/%(name)s-%(run_time)s.jsonl": lines,  # dated
        str(tmp_path / "out.jsonl"): lines,  # -O, not there yet
        f"file://{tmp_path / 'file.jsonl'}": lines,
        "stdout:": lines,  # -o -
        "/dev/null": lines,  # a device (as /dev/stdout on a terminal)
        str(tmp_path / "out.jsonl.gz"): {**lines, "postprocessing": ["gzip"]},
        "s3://bucket/out.jsonl": lines,
        str(tmp_path / "out.csv"): {"format": "csv"},  # not our exporter
    }
    settings = settings_with(feeds)
    assert len(our_feeds(settings)) == 7
    assert followed_feed_count(settings) == 3
