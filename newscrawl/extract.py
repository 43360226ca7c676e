"""`newscrawl extract PAGE --url URL [--site NAME] [--tz ZONE]`: the item a crawl would export
for one saved page: `japannews`'s for The Japan News, `news`'s (its site module, else the generic
path) for any other site. `newscrawl extract --batch LIST`: the same for every page a JSON-lines
LIST names, in one process with one pipeline set."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler, load_object

from newscrawl import charset
from newscrawl.exporters import escape_line_separators
from newscrawl.items import ARTICLE_FIELDS, ArticleItem
from newscrawl.page import Page
from newscrawl.pipelines.dedup import DedupPipeline
from newscrawl.sites import japannews, pagekind, reader
from newscrawl.spiders.arguments import ArgumentError, parse_site, parse_site_name, parse_tz
from newscrawl.spiders.japannews import JapanNewsSpider
from newscrawl.times import utc_now


def read_page(page: str) -> bytes:
    if page == "-":
        return sys.stdin.buffer.read()
    return Path(page).read_bytes()


class Extractor:
    """The crawl's path from a saved page to its item: the page check, the readers and the item
    pipelines of CRAWLER (default: a crawler with the project settings), built once here and
    reused by every extract(), so a batch costs no more per page than the extraction itself."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.pipelines = _pipelines(crawler or pipeline_crawler())

    def extract(
        self, page: bytes, url: str, site_name: str | None = None, tz: str | None = None
    ) -> dict[str, Any]:
        """Parse and run the item pipelines, in their configured order. SITE_NAME and TZ are the
        `news` spider's `site` and `tz` arguments.

        Raises DropItem when the crawl would drop the page (with the same reason); ArgumentError
        for a bad SITE_NAME or TZ.
        """
        text, reading = charset.decode(page)  # the crawl's rule: the bytes' charset, not a claim
        parsed = Page.of(text, url)  # one parse for the check and the readers, as the spiders
        if http_url_problem(url):
            url = own_url(parsed, url)
            parsed = Page.of(parsed.tree, url)
        if why := pagekind.classify(parsed):  # as the spiders refuse it
            raise DropItem(f"not an article ({why})")
        item: Any = ArticleItem(
            **_fields(parsed, url, site_name, tz), listing_url=None, crawled_at=utc_now()
        )
        if not reading.clean:
            item["flags"] = [*item.get("flags", []), charset.FLAG]
        for pipeline in self.pipelines:
            item = pipeline.process_item(item)
        return {name: item.get(name) for name in ARTICLE_FIELDS}


def extract_item(
    page: bytes,
    url: str,
    crawler: Crawler | None = None,
    site_name: str | None = None,
    tz: str | None = None,
) -> dict[str, Any]:
    """The item of one saved page, as Extractor(CRAWLER).extract(): the pipelines are built for
    this call (about 30 µs with a given CRAWLER; a new crawler costs about 5 ms)."""
    return Extractor(crawler).extract(page, url, site_name=site_name, tz=tz)


def _fields(page: Page, url: str, site_name: str | None, tz: str | None) -> dict[str, Any]:
    site_module = parse_site(site_name, urlsplit(url).hostname or "")
    if site_module is japannews and tz is None:  # as the japannews spider reads it
        return japannews.parse_article(page, url)
    zone = parse_tz(tz, site_module.TIME_ZONE if site_module else "UTC")
    return reader.article_fields(page, url, site_module, zone, reader.site_name(site_module, url))


def pipeline_crawler() -> Crawler:
    """A crawler that is never started: it carries the project settings and a stats collector."""
    crawler = Crawler(JapanNewsSpider, project_settings())
    crawler.stats = load_object(crawler.settings["STATS_CLASS"])(crawler)
    return crawler


def project_settings() -> Settings:
    """This project's settings wherever the command runs (get_project_settings() needs scrapy.cfg
    in the current folder, and silently falls back to Scrapy's defaults without it)."""
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    return settings


def _pipelines(crawler: Crawler) -> list[Any]:
    ordered = sorted(crawler.settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
    classes = [load_object(path) for path, order in ordered if order is not None]
    # "One item per id" is a rule over a crawl run's items; an extracted page stands alone (two
    # saved copies of one article in a batch both come out, each as the single-page command
    # prints it). For one page the dedup pipeline never drops: leaving it out changes nothing.
    return [build_from_crawler(cls, crawler) for cls in classes if cls is not DedupPipeline]


def run_extract(page: str, url: str, site_name: str | None = None, tz: str | None = None) -> int:
    try:
        content = read_page(page)
    except OSError as error:
        print(
            f"newscrawl extract: error: cannot read {page}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    try:
        item = extract_item(content, url, site_name=site_name, tz=tz)
    except ArgumentError as error:
        print(f"newscrawl extract: error: {error}", file=sys.stderr)
        return 2
    except DropItem as reason:
        print(f"newscrawl extract: a crawl would drop this page: {reason}", file=sys.stderr)
        return 1
    print(json_line(item))
    return 0


def http_url_problem(value: str) -> str | None:
    """Why VALUE is no http(s) URL with a host, or None when it is one."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
        return f"not an http(s) URL: {value!r}"
    return None


def own_url(page: Page, given: str) -> str:
    """The http(s) URL the page names for itself (its canonical link, else og:url), standing in
    for a GIVEN address that is none (a collection's page id). Raises ArgumentError."""
    for candidate in (page.link("canonical"), page.meta("og:url")):
        if candidate and not http_url_problem(candidate.strip()):
            return candidate.strip()
    reason = http_url_problem(given)
    raise ArgumentError(f"{reason}, and the page names no canonical URL of its own")


# -- `--batch LIST` -------------------------------------------------------------------------------
class UnreadableLine(Exception):
    """A line of a batch LIST that names no page to extract: the reason, and its URL if any."""

    def __init__(self, reason: str, url: str | None = None) -> None:
        super().__init__(reason)
        self.url = url


def run_batch(
    listing: str,
    site_name: str | None = None,
    tz: str | None = None,
    crawler: Crawler | None = None,
) -> int:
    """Print one JSON line per line of LISTING ('-': standard input): 0 when every line was
    read, 1 when not, 2 when LISTING cannot be opened or a default SITE_NAME or TZ is bad."""
    try:
        parse_site_name(site_name)  # the defaults are checked once, as the single-page form
        if tz is not None:
            parse_tz(tz, "UTC")
    except ArgumentError as error:
        print(f"newscrawl extract: error: {error}", file=sys.stderr)
        return 2
    try:
        lines, base = _open_list(listing)
    except OSError as error:
        print(
            f"newscrawl extract: error: cannot read {listing}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    with lines:
        try:
            every_line_read = write_batch(lines, base, Extractor(crawler), site_name, tz)
        except BrokenPipeError:
            # The reader stopped reading (`| head`): stop quietly, as other command-line tools;
            # not every line was read. Standard output is pointed at /dev/null so that the
            # interpreter's last flush at exit does not fail on the closed pipe again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return 0 if every_line_read else 1


def _open_list(listing: str) -> tuple[BinaryIO, Path]:
    """The lines of LISTING as bytes, and the folder its relative page paths start from."""
    if listing == "-":  # a handle of its own: closing it leaves the process's stdin open
        return os.fdopen(os.dup(sys.stdin.fileno()), "rb"), Path.cwd()
    return Path(listing).open("rb"), Path(listing).parent


def write_batch(
    lines: Iterable[bytes],
    base: Path,
    extractor: Extractor,
    site_name: str | None,
    tz: str | None,
) -> bool:
    """Print one record per non-blank line, flushed (a long batch streams); report each line
    that could not be read on standard error. True when every line was read."""
    every_line_read = True
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():  # a blank line is no record: nothing to answer
            continue
        try:
            record = batch_record(extractor, raw, base, site_name, tz)
        except Exception as unread:  # UnreadableLine, or one page's bug: the batch goes on
            every_line_read = False
            reason = " ".join(str(unread).split())  # one line, whatever the reason held
            if not isinstance(unread, UnreadableLine):
                reason = f"{type(unread).__name__}: {reason}"
            record = {"url": getattr(unread, "url", None), "error": reason, "line": number}
            print(f"newscrawl extract: line {number}: {reason}", file=sys.stderr)
        print(json_line(record), flush=True)
    return every_line_read


def json_line(record: dict[str, Any]) -> str:
    """RECORD as one JSON line; text a page holds that UTF-8 cannot write (a lone surrogate
    from a JSON-LD escape) is written as a JSON escape instead of failing the line."""
    line = escape_line_separators(json.dumps(record, ensure_ascii=False))
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return escape_line_separators(json.dumps(record))
    return line


def batch_record(
    extractor: Extractor, raw: bytes, base: Path, site_name: str | None, tz: str | None
) -> dict[str, Any]:
    """The item of the page line RAW names, or {"url", "error"} when the crawl would drop it.
    SITE_NAME and TZ serve a line that gives none; a relative page path starts from BASE.
    Raises UnreadableLine."""
    request = _batch_request(raw)
    url = request["url"]
    path = base / request["page"]  # an absolute path stays as it is
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UnreadableLine(f"cannot read {path}: {error.strerror or error}", url) from None
    try:
        return extractor.extract(
            content, url, site_name=request.get("site") or site_name, tz=request.get("tz") or tz
        )
    except ArgumentError as error:
        raise UnreadableLine(str(error), url) from None
    except DropItem as reason:
        return {"url": url, "error": str(reason)}


def _batch_request(raw: bytes) -> dict[str, Any]:
    """The fields of one LIST line, checked: "page", "url" (an http(s) URL, or else the page
    must name its own: see own_url), optional "site" and "tz" (strings; null is the same as
    absent). Raises UnreadableLine."""
    try:
        # -sig: a list saved with a BOM; the line end stripped, so an error's column is right
        request = json.loads(raw.decode("utf-8-sig").rstrip("\r\n"))
    except UnicodeDecodeError:
        raise UnreadableLine("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UnreadableLine(f"not JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(request, dict):
        raise UnreadableLine("not a JSON object")
    url = request.get("url")
    shown = url if isinstance(url, str) else None
    for name in ("page", "url", "site", "tz"):
        value = request.get(name)
        if value is None and name in {"page", "url"}:
            raise UnreadableLine(f'no "{name}"', shown)
        if value is not None and not (isinstance(value, str) and value):
            raise UnreadableLine(f'"{name}" is not a non-empty string', shown)
    return request
