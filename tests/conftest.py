from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.crawler import Crawler

from newscrawl.extract import pipeline_crawler

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def crawler() -> Crawler:
    """An unstarted crawler with the project settings and a real stats collector."""
    return pipeline_crawler()
