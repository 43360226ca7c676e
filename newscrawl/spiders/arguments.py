"""Typed, validated spider arguments: bad values fail before any request, in one clear line."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawl.sites import links, registry

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ArgumentError(ValueError):
    """A spider argument has a value the spider cannot use."""


@dataclass(frozen=True)
class Target:
    """One listing to walk: a whole section, or one subsection of it."""

    section: str
    subsection: str | None = None

    def __str__(self) -> str:
        return f"{self.section}/{self.subsection}" if self.subsection else self.section


def parse_sections(value: str) -> tuple[Target, ...]:
    """'politics', 'politics/defense-security' or a comma list of either."""
    targets: list[Target] = []
    for part in (p.strip().strip("/") for p in str(value).split(",")):
        if not part:
            continue
        slugs = part.split("/")
        if len(slugs) > 2 or not all(SLUG.match(s) for s in slugs):
            raise ArgumentError(
                f"section: {part!r} is not a section slug ('politics') or section/subsection"
                " ('politics/defense-security')"
            )
        target = Target(*slugs)
        if target not in targets:
            targets.append(target)
    if not targets:
        raise ArgumentError("section: give at least one section, e.g. -a section=politics")
    return tuple(targets)


def parse_max_pages(value: str | int | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        pages = int(str(value).strip())
    except ValueError:
        raise ArgumentError(f"max_pages: expected a positive integer, got {value!r}") from None
    if pages < 1:
        raise ArgumentError(f"max_pages: expected a positive integer, got {value!r}")
    return pages


def parse_base_url(value: str) -> str:
    """An http(s) origin such as https://japannews.yomiuri.co.jp or http://127.0.0.1:8765."""
    parts = urlsplit(str(value).strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ArgumentError(
            f"base_url: expected an http(s) URL like http://127.0.0.1:8765, got {value!r}"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ArgumentError(f"base_url: bad port in {value!r}") from None
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DISCOVERY = ("listings", "sitemaps", "feeds")


@dataclass(frozen=True)
class Window:
    """A backfill's Japan-date window, both ends inclusive; either may be open."""

    since: date | None = None
    until: date | None = None

    def position(self, day: date) -> str:
        """'newer', 'inside' or 'older' than the window."""
        if self.until and day > self.until:
            return "newer"
        if self.since and day < self.since:
            return "older"
        return "inside"

    @property
    def is_open(self) -> bool:
        return self.since is None and self.until is None


def parse_day(name: str, value: str | None) -> date | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ArgumentError(f"{name}: expected a date YYYY-MM-DD, got {value!r}") from None


def parse_window(since: str | None, until: str | None) -> Window:
    window = Window(parse_day("since", since), parse_day("until", until))
    if window.since and window.until and window.since > window.until:
        raise ArgumentError(f"since {window.since} is after until {window.until}")
    return window


def parse_job(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not JOB_NAME.match(str(value)):
        raise ArgumentError(
            f"job: {value!r} is not a job name (letters, digits, '.', '_', '-'; at most 64)"
        )
    return str(value)


def parse_discovery(value: str | None) -> str:
    value = (value or "listings").strip()
    if value not in DISCOVERY:
        raise ArgumentError(f"discover: expected one of {', '.join(DISCOVERY)}, got {value!r}")
    return value


# -- the news spider's arguments ----------------------------------------------------------------
NEWS_DISCOVERY = ("links", "feeds", "sitemaps")
MAX_FILE_URLS = 100_000


def parse_section_url(value: str) -> str:
    """An http(s) section URL, normalized (no fragment, no tracking parameters)."""
    url = str(value).strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ArgumentError(f"url: expected an http(s) section URL, got {value!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ArgumentError(f"url: bad port in {value!r}") from None
    return links.normalize(url)


def read_urls_file(path: str) -> list[str]:
    """The article URLs of a plain file, one per line, once each; blank lines and lines starting
    with # are skipped. All on one host: one run reads one site (its items' `site`, its state)."""
    urls: dict[str, None] = {}
    host = None
    try:
        with open(path, encoding="utf-8-sig") as lines:
            for number, line in enumerate(lines, start=1):
                url = _file_url(line.strip(), number)
                if url is None:
                    continue
                here = urlsplit(url).hostname
                host = host or here
                if here != host:
                    raise ArgumentError(
                        f"urls_file: line {number} is on {here}, not {host}: one run reads one"
                        " site (split the file by host)"
                    )
                urls.setdefault(url)
                if len(urls) > MAX_FILE_URLS:
                    raise ArgumentError(f"urls_file: more than {MAX_FILE_URLS} URLs in {path}")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ArgumentError(f"urls_file: cannot read {path}: {reason}") from None
    if not urls:
        raise ArgumentError(f"urls_file: {path} lists no URL")
    return list(urls)


def _file_url(line: str, number: int) -> str | None:
    if not line or line.startswith("#"):
        return None
    parts = urlsplit(line)
    if parts.scheme not in {"http", "https"} or not parts.hostname or " " in line:
        raise ArgumentError(f"urls_file: line {number} is not an http(s) URL: {line[:80]!r}")
    return line


def parse_tz(value: str | None, default: str) -> str:
    """An IANA time zone name."""
    name = (value or default).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ArgumentError(
            f"tz: {name!r} is not a time zone name (IANA, e.g. Asia/Tokyo, UTC)"
        ) from None
    return name


def parse_news_discovery(value: str | None) -> tuple[str, ...]:
    """A comma list of links, feeds, sitemaps."""
    parts = tuple(dict.fromkeys(p.strip() for p in str(value or "").split(",") if p.strip()))
    if not parts or any(p not in NEWS_DISCOVERY for p in parts):
        raise ArgumentError(
            f"discover: expected a comma list of {', '.join(NEWS_DISCOVERY)}, got {value!r}"
        )
    return parts


def parse_site(name: str | None, host: str) -> ModuleType | None:
    """The site module named NAME ('generic': none), else the one registered for HOST."""
    try:
        return registry.pick(name, host)
    except registry.UnknownSite:
        known = ", ".join(["generic", *registry.SITE_MODULES])
        raise ArgumentError(f"site: no site module {name!r}; known: {known}") from None
