"""How a listing walk ends on a site unlike the replica: no pagination markup at all.

A plain static server (python -m http.server) serves hand-made listing pages: the walk must end
at a 404, or at a page that repeats articles already seen, without any next-page link to trust.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.e2e.conftest import crawl, stat

TEMPLATE = (FIXTURES / "japannews/article-2024-byline-photo.html").read_text("utf-8")
TEMPLATE_PATH = "/politics/defense-security/20241013-216478/"


def write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")


def listing(*paths: str) -> str:
    items = "".join(
        f'<li class="clearfix"><a href="{p}"><h2>Story</h2><p>October 13, 2024</p></a></li>'
        for p in paths
    )
    return f"<html><body><main><ul>{items}</ul></main></body></html>"


def article(path: str) -> str:
    return TEMPLATE.replace(TEMPLATE_PATH, path)


@pytest.fixture(scope="module")
def static_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    election = [f"/politics/election/2024101{n}-30{n}/" for n in range(4)]
    courts = [f"/politics/crime-courts/2024101{n}-40{n}/" for n in range(3)]
    write(root, "/politics/election/", listing(*election[:2]))
    write(root, "/politics/election/page/2/", listing(*election[2:]))
    # crime-courts answers page 2 with page 1 again (out-of-range pages on some sites).
    write(root, "/politics/crime-courts/", listing(*courts[:2]))
    write(root, "/politics/crime-courts/page/2/", listing(*courts[:2]))
    write(root, "/politics/crime-courts/page/3/", listing(courts[2]))
    for path in election + courts:
        write(root, path, article(path))
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        port = int(line.split(" port ")[1].split()[0])
        yield f"http://127.0.0.1:{port}", election, courts
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_walk_ends_at_404(static_site, tmp_path):
    url, election, _ = static_site
    result = crawl(tmp_path, f"base_url={url}", "section=politics/election")
    assert result.returncode == 0, result.log[-2000:]
    assert {i["url"] for i in result.items} == {
        f"https://japannews.yomiuri.co.jp{p}" for p in election
    }
    assert stat(result.log, "newscrawl/listing/pages") == 2
    assert stat(result.log, "newscrawl/listing/end/not_found") == 1


def test_walk_ends_at_a_page_with_no_new_articles(static_site, tmp_path):
    url, _, courts = static_site
    result = crawl(tmp_path, f"base_url={url}", "section=politics/crime-courts")
    assert {i["url"] for i in result.items} == {
        f"https://japannews.yomiuri.co.jp{p}" for p in courts[:2]
    }
    assert stat(result.log, "newscrawl/listing/pages") == 2
    assert stat(result.log, "newscrawl/listing/end/no_new_articles") == 1
