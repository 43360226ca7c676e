from __future__ import annotations

from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from newscrawl import settings as project_settings


def project_crawler(**overrides: Any) -> Crawler:
    """A crawler with the project's settings (and OVERRIDES) and a spider attached."""
    values = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    crawler = get_crawler(Spider, {**values, **overrides})
    crawler.spider = Spider.from_crawler(crawler, "test")
    return crawler


@pytest.fixture
def crawler() -> Crawler:
    return project_crawler()
