"""`newscrawl extract --batch LIST` (issue 16): one process, one pipeline set, one JSON line out
per line in, in order. Most cases share one real batch run (each process costs a start-up)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from newscrawl.cli import main
from newscrawl.extract import extract_item, pipeline_crawler, run_batch
from tests.conftest import FIXTURES
from tests.test_cli import newscrawl

PAGE = FIXTURES / "japannews/article-2024-byline-photo.html"
URL = "https://japannews.yomiuri.co.jp/politics/defense-security/20241013-216478/"
GENERIC = FIXTURES / "generic/zoneless_tokyo.html"
GENERIC_URL = "https://tokyobayherald.example/business/2023/08/21/port-record"
MOMENT_URL = "https://japannews.yomiuri.co.jp/world/20241014-216500/"
# A bot check the crawl refuses (as tests/test_cli.py's single-page case).
MOMENT = (
    "<html><head><title>Just a moment...</title></head><body><h1>japannews.yomiuri.co.jp</h1>"
    "<p>Checking if the site connection is secure</p></body></html>"
)


def without_clock(item: dict[str, Any]) -> dict[str, Any]:
    """ITEM without `crawled_at`, the one field that differs between two extractions."""
    return {name: value for name, value in item.items() if name != "crawled_at"}


def saved_pages(folder: Path) -> Path:
    """FOLDER/pages/ holding the Japan News fixture and a bot check."""
    pages = folder / "pages"
    pages.mkdir(parents=True)
    (pages / "article.html").write_bytes(PAGE.read_bytes())
    (pages / "moment.html").write_text(MOMENT, "utf-8")
    return pages


def line(**fields: Any) -> str:
    return json.dumps(fields)


ARTICLE = line(page="pages/article.html", url=URL, site="japannews")
GENERIC_SITE = ("--site", "generic")
LIST_LINES = [
    ARTICLE,  # 1: the site module's item, as the single-page command prints it
    line(page="pages/article.html", url=URL),  # 2: --site generic applies
    "",  # 3: blank: no record
    '{"page": "pages/article.html", "url": ',  # 4: not JSON
    line(page="pages/missing.html", url="https://example.com/missing"),  # 5: no such file
    line(page="pages/moment.html", url=MOMENT_URL),  # 6: a page the crawl drops
    line(page=str(GENERIC), url=GENERIC_URL, tz="Asia/Tokyo"),  # 7: absolute path, own tz
    line(page="pages/moment.html", url="ftp://example.com/a"),  # 8: no http(s) URL anywhere
    line(page="pages/article.html", url=URL, site="nosuch"),  # 9: no such site module
    '["not", "an", "object"]',  # 10
    line(url=URL),  # 11: no page
    ARTICLE,  # 12: the same page again: each line stands alone, no duplicate drop
    line(page="pages/article.html", url="saved::article", site="japannews"),  # 13: own URL
]
UNREADABLE = {
    4: "not JSON: Expecting value (column 39)",
    5: "cannot read ",
    8: "not an http(s) URL: 'ftp://example.com/a', and the page names no canonical URL",
    9: "site: no site module 'nosuch'",
    10: "not a JSON object",
    11: 'no "page"',
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess:
    """One `newscrawl extract --batch LIST --site generic` run, from a folder other than the
    LIST's (so relative page paths must start from the LIST's folder)."""
    root = tmp_path_factory.mktemp("batch")
    saved_pages(root / "saved")
    listing = root / "saved" / "list.jsonl"
    listing.write_text("\n".join(LIST_LINES) + "\n", "utf-8")
    (root / "elsewhere").mkdir()
    return subprocess.run(
        [sys.executable, "-m", "newscrawl", "extract", "--batch", str(listing), *GENERIC_SITE],
        capture_output=True,
        cwd=root / "elsewhere",
        timeout=120,
    )


@pytest.fixture(scope="module")
def records(batch: subprocess.CompletedProcess) -> dict[int, dict[str, Any]]:
    """The output records by the number of the LIST line they answer (blank lines have none)."""
    numbers = [n for n, text in enumerate(LIST_LINES, start=1) if text.strip()]
    out = batch.stdout.decode("utf-8").splitlines()
    assert len(out) == len(numbers), batch.stderr
    return dict(zip(numbers, map(json.loads, out), strict=True))


def test_a_batch_with_unreadable_lines_still_answers_every_line_and_exits_1(batch, records):
    assert batch.returncode == 1
    assert sorted(records) == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]


def test_an_item_line_is_what_the_single_page_command_prints(records):
    single = newscrawl("extract", str(PAGE), "--url", URL)
    assert single.returncode == 0, single.stderr
    item = json.loads(single.stdout)
    assert without_clock(records[1]) == without_clock(item)
    assert records[1]["id"] == "japannews:216478"
    assert without_clock(records[12]) == without_clock(item)  # a repeated page is no duplicate
    # A line whose url is no address (a collection's page id) is read at the page's own.
    assert without_clock(records[13]) == without_clock(item)


def test_the_command_line_site_is_the_default_and_a_line_may_give_its_own(records):
    generic = extract_item(PAGE.read_bytes(), URL, site_name="generic")
    assert without_clock(records[2]) == without_clock(generic)
    assert records[2]["site"] == "japannewsweb"  # the generic read of the host, not the module


def test_an_absolute_path_and_a_line_tz(records):
    expected = json.loads((FIXTURES / "generic/zoneless_tokyo.expected.json").read_text("utf-8"))
    assert records[7]["published"] == expected["published"]
    assert records[7]["published"].endswith("+09:00")
    assert records[7]["body"] == expected["body"]


def test_a_page_the_crawl_drops_is_an_error_line_without_a_line_number(records):
    assert records[6] == {"url": MOMENT_URL, "error": "not an article (interstitial)"}


def test_unreadable_lines_say_why_on_stdout_and_stderr(batch, records):
    for number, reason in UNREADABLE.items():
        assert records[number]["line"] == number
        assert records[number]["error"].startswith(reason), records[number]
        assert set(records[number]) == {"url", "error", "line"}
    assert records[4]["url"] is None and records[10]["url"] is None
    assert records[5]["url"] == "https://example.com/missing"
    assert records[8]["url"] == "ftp://example.com/a"
    assert records[11]["url"] == URL
    assert "saved/pages/missing.html: No such file or directory" in records[5]["error"]
    err = batch.stderr.decode("utf-8").splitlines()
    assert err == [
        f"newscrawl extract: line {number}: {records[number]['error']}" for number in UNREADABLE
    ]


def test_a_list_on_stdin_reads_paths_from_the_current_folder_and_a_drop_keeps_status_0(tmp_path):
    saved_pages(tmp_path)
    listing = "\n".join([ARTICLE, line(page="pages/moment.html", url=MOMENT_URL)])
    done = subprocess.run(
        [sys.executable, "-m", "newscrawl", "extract", "--batch", "-"],
        input=listing.encode(),
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    first, second = map(json.loads, done.stdout.decode("utf-8").splitlines())
    assert first["id"] == "japannews:216478"
    assert second == {"url": MOMENT_URL, "error": "not an article (interstitial)"}


def test_a_reader_that_stops_early_gets_no_traceback_and_status_1(tmp_path):
    saved_pages(tmp_path)
    listing = tmp_path / "list.jsonl"
    # about 150 KB of items: more than a pipe holds, so the writer meets the closed pipe
    listing.write_text((ARTICLE + "\n") * 100, "utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "newscrawl", "extract", "--batch", str(listing)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert json.loads(process.stdout.readline())["id"] == "japannews:216478"  # streamed
        process.stdout.close()
        err = process.stderr.read()
        assert process.wait(timeout=60) == 1
    assert err == b""


class CountingPipeline:
    """A pipeline that counts its instances and the items it sees."""

    built: ClassVar[list[CountingPipeline]] = []

    def __init__(self) -> None:
        self.items = 0
        CountingPipeline.built.append(self)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CountingPipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        self.items += 1
        return item


def test_a_batch_builds_its_pipelines_once(tmp_path, capsys):
    """The cost of a line is the extraction only: no crawler or pipelines per line."""
    saved_pages(tmp_path)
    listing = tmp_path / "list.jsonl"
    listing.write_text((ARTICLE + "\n") * 3, "utf-8")
    crawler = pipeline_crawler()
    pipelines = {**crawler.settings.getdict("ITEM_PIPELINES"), CountingPipeline: 50}
    crawler.settings.set("ITEM_PIPELINES", pipelines)
    CountingPipeline.built.clear()
    assert run_batch(str(listing), crawler=crawler) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert [counting.items for counting in CountingPipeline.built] == [3]


def test_a_list_that_cannot_be_opened_is_one_line_and_status_2(tmp_path, capsys):
    for listing in (tmp_path / "none.jsonl", tmp_path):
        assert main(["extract", "--batch", str(listing)]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith(f"newscrawl extract: error: cannot read {listing}: ")
        assert len(err.splitlines()) == 1


def test_a_bad_default_tz_is_one_line_and_status_2(tmp_path, capsys):
    listing = tmp_path / "list.jsonl"
    listing.write_text(ARTICLE + "\n", "utf-8")
    assert main(["extract", "--batch", str(listing), "--tz", "Nowhere/City"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "tz: 'Nowhere/City'" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "page.html", "--batch", "list.jsonl"],
        ["extract", "--batch", "list.jsonl", "--url", URL],
        ["extract", "--url", URL],
    ],
)
def test_batch_replaces_page_and_url(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "error:" in err and "-h)" in err


def test_text_utf8_cannot_write_is_escaped_and_the_batch_goes_on(tmp_path, capsys):
    # A JSON-LD "\ud800" escape gives a lone surrogate: the line is written with JSON escapes.
    story = "<p>" + "The harbour bridge reopened on Monday after two years of repairs. " * 4
    lone = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline":'
        ' "Bridge \\ud800 reopens", "datePublished": "2024-10-13T09:00:00+09:00"}</script>'
        f"</head><body><article><h1>Bridge reopens</h1>{story}</p></article></body></html>"
    )
    (tmp_path / "lone.html").write_text(lone, "utf-8")
    listing = tmp_path / "list.jsonl"
    listing.write_text(
        line(page="lone.html", url="https://bay.example/2024/10/13/bridge/")
        + "\n"
        + line(page=str(GENERIC), url=GENERIC_URL)
        + "\n",
        "utf-8",
    )
    assert run_batch(str(listing), site_name="generic") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert "error" not in json.loads(out[0]) and json.loads(out[1])["title"]
