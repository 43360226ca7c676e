from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.crawler import Crawler

from newscrawl.extract import pipeline_crawler

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def crawler() -> Crawler:
    """An unstarted crawler with the project settings and a real stats collector."""
    return pipeline_crawler()


def modules_loaded(code: str, *names: str) -> list[str]:
    """The modules among NAMES (a package counts with its submodules) that a new interpreter
    has imported once it has run CODE."""
    probe = (
        f"{code}\nimport json, sys\nnames = {names!r}\n"
        "print(json.dumps([m for m in sorted(sys.modules)"
        " if any(m == n or m.startswith(n + '.') for n in names)]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
