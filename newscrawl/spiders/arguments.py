"""Typed, validated spider arguments: bad values fail before any request, in one clear line.

Each spider declares its arguments once, as a typed model: a `SpiderArguments` dataclass whose
fields are each `declared(Argument)`, in the order help lists them. The -a values are read
through it once per crawl (`SpiderArguments.read`, which also refuses unknown names), with what
they decide (the window, the site's floor) and the combinations a spider cannot use refused;
`scrapy crawl SPIDER -h` lists it (`describe`). Our `crawl` command reads them before Scrapy
starts and hands the result to the spider Scrapy builds: a `urls_file` is read once. A new
argument is one more field, and it is validated and documented at once.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from types import ModuleType
from typing import Any, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawl.defaults import DATED_FEED, JOB_FEED
from newscrawl.sites import links, registry
from newscrawl.spiders.freshness import run_now

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ArgumentError(ValueError):
    """A spider argument has a value the spider cannot use."""


@dataclass(frozen=True)
class Argument:
    """One `-a NAME=VALUE` of a spider: how its value is read, and how help shows it."""

    name: str
    type: str  # what a value looks like, as help shows it
    default: str | None  # the value read when the argument is not given (None: nothing)
    meaning: str
    parse: Callable[[Any], Any]  # the value as given (or DEFAULT) -> the spider's value
    shown_default: str = ""  # help's default when DEFAULT does not say it ("open", "by host")

    @property
    def default_text(self) -> str:
        return self.shown_default or (self.default if self.default is not None else "none")


def parse_arguments(
    spider: str, declared: Sequence[Argument], given: Mapping[str, Any]
) -> dict[str, Any]:
    """The value of each declared argument, read from GIVEN (the -a values) or its default.
    A name that is not declared is refused: a typo must not silently crawl everything. Scrapy
    and Scrapyd pass their own keyword arguments (`name`, `_job`): those are not the spider's."""
    names = [argument.name for argument in declared]
    unknown = sorted(k for k in given if k not in names and not is_runner_argument(k))
    if unknown:
        close = difflib.get_close_matches(unknown[0], names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ArgumentError(
            f"unknown argument {unknown[0]!r}{hint}; this spider takes {', '.join(names)}"
            f" (scrapy crawl {spider} -h describes them)"
        )
    return {a.name: a.parse(given.get(a.name, a.default)) for a in declared}


def is_runner_argument(name: str) -> bool:
    """A keyword argument Scrapy or Scrapyd passes to every spider (`name`, `_job`)."""
    return name == "name" or name.startswith("_")


def describe(declared: Sequence[Argument], width: int = 80) -> str:
    """The arguments as `scrapy crawl SPIDER -h` lists them: name, type and default on one line,
    the meaning wrapped below."""
    name_width = max(len(a.name) for a in declared) + 2
    type_width = max(len(a.type) for a in declared) + 2
    indent = " " * (2 + name_width)
    lines = [f"  {'name':<{name_width}}{'type':<{type_width}}default"]
    for argument in declared:
        lines.append(
            f"  {argument.name:<{name_width}}{argument.type:<{type_width}}{argument.default_text}"
        )
        lines += textwrap.wrap(
            argument.meaning, width, initial_indent=indent, subsequent_indent=indent
        )
    return "\n".join(lines)


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
    return window_of(parse_day("since", since), parse_day("until", until))


def window_of(since: date | None, until: date | None) -> Window:
    window = Window(since, until)
    if window.since and window.until and window.since > window.until:
        raise ArgumentError(f"since {window.since} is after until {window.until}")
    return window


@dataclass(frozen=True)
class Floor:
    """The first day a site can have an article, and why."""

    day: date
    why: str


# The floor of `until` for every site: the first website went public on 1991-08-06, so no news
# site has an article older than that. A site module may declare a later first day (FIRST_DAY,
# FIRST_DAY_WHY), but only one it is sure of: a floor too late would refuse a real window. The
# Japan News declares none: it took that name on 2013-04-01 (it was The Daily Yomiuri), but how
# far back its archive goes is unknown (docs/site-japannews.md), and a large replica corpus
# starts years before 2013.
PUBLIC_WEB = Floor(date(1991, 8, 6), "the first website went public that day")


def site_floor(module: ModuleType | None) -> Floor:
    first_day = getattr(module, "FIRST_DAY", None)
    if first_day is None:
        return PUBLIC_WEB
    return Floor(first_day, getattr(module, "FIRST_DAY_WHY", "its site module says so"))


def check_floor(window: Window, floor: Floor) -> None:
    """A window that ends before the site can have had an article holds none: an error (a typo
    such as 1026 for 2026), not an empty run."""
    if window.until and window.until < floor.day:
        raise ArgumentError(
            f"until {window.until} is before any article of the site can exist: the floor is"
            f" {floor.day} ({floor.why})"
        )


def check_not_future(window: Window, today: date, zone: str) -> None:
    """A window that starts after today (in the site's zone) holds no article yet: an error (a
    typo such as 2062 for 2026), not a healthy empty run. Today itself is allowed."""
    if window.since and window.since > today:
        raise ArgumentError(f"since {window.since} is in the future (today is {today} in {zone})")


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


SITE_NAMES = ("generic", *registry.SITE_MODULES)


def parse_site_name(name: str | None) -> str | None:
    """A site module's name, 'generic', or None (the module registered for the URL's host)."""
    if name and name not in SITE_NAMES:
        raise ArgumentError(f"site: no site module {name!r}; known: {', '.join(SITE_NAMES)}")
    return name or None


def parse_site(name: str | None, host: str) -> ModuleType | None:
    """The site module named NAME ('generic': none), else the one registered for HOST."""
    return registry.pick(parse_site_name(name), host)  # a known name: never UnknownSite


# -- the arguments every spider takes -----------------------------------------------------------
MAX_PAGES = Argument(
    "max_pages",
    "integer >= 1",
    None,
    "Walk at most N pages of each listing.",
    parse_max_pages,
)
SINCE = Argument(
    "since",
    "date YYYY-MM-DD",
    None,
    "A backfill's first day, inclusive: a date in the site's time zone, not after today there.",
    lambda value: parse_day("since", value),
    shown_default="open",
)
UNTIL = Argument(
    "until",
    "date YYYY-MM-DD",
    None,
    f"A backfill's last day, inclusive. Not before {PUBLIC_WEB.day}, when the first website went"
    " public (or a later first day a site module declares).",
    lambda value: parse_day("until", value),
    shown_default="open",
)
JOB = Argument(
    "job",
    "name",
    None,
    "Names a backfill, which makes it resumable: its own state and one output file"
    " (data/jobs/NAME.jsonl). Letters, digits, '.', '_', '-'; at most 64.",
    parse_job,
)


# -- the model --------------------------------------------------------------------------------
def declared(argument: Argument) -> Any:
    """A field of a SpiderArguments model, read by ARGUMENT (whose name is the field's)."""
    return field(metadata={"argument": argument})


@dataclass(frozen=True)
class SpiderArguments:
    """A spider's -a values, read once. Every model has the fields max_pages, since, until and
    job; a spider's model adds its own, and what they decide (its base_url, time zone, floor)."""

    spider: str = field(default="", kw_only=True)  # the spider's name, for errors and help

    @classmethod
    def declaration(cls) -> tuple[Argument, ...]:
        """The arguments, in the order `-h` lists them."""
        declared = [(f.name, f.metadata["argument"]) for f in fields(cls) if f.metadata]
        for name, argument in declared:
            if name != argument.name:
                raise TypeError(f"{cls.__name__}.{name} is declared as {argument.name!r}")
        return tuple(argument for _, argument in declared)

    @classmethod
    def read(cls, given: Mapping[str, Any], spider: str) -> Self:
        """The arguments of SPIDER from GIVEN (its -a values); ArgumentError for a bad one."""
        return cls(**parse_arguments(spider, cls.declaration(), given), spider=spider)

    def __post_init__(self) -> None:
        window_of(self.since, self.until)  # since after until: refused first
        self.refuse_combinations()
        check_floor(self.window, self.floor)

    def refuse_combinations(self) -> None:
        """Raise ArgumentError for values that are each valid but not together."""

    # Every model declares max_pages, since, until and job (MAX_PAGES, SINCE, UNTIL, JOB)
    # among its fields, where its help lists them: not here, where they would come first.

    @property
    def name(self) -> str:
        return self.spider

    @property
    def window(self) -> Window:
        return window_of(self.since, self.until)

    @property
    def floor(self) -> Floor:
        """The first day the crawled site can have an article (a window's `until`)."""
        return PUBLIC_WEB

    @property
    def time_zone(self) -> str:
        """The site's time zone: where "today" is, for a window's `since`."""
        return "UTC"

    @property
    def backfill(self) -> bool:
        """A window or a named job: never touches the scheduled runs' state (a job keeps its
        own) and re-fetches nothing it has exported."""
        return bool(self.job) or not self.window.is_open

    def shown(self) -> dict[str, Any]:
        """The arguments as the run summary records them (and a job's resumption compares)."""
        raise NotImplementedError

    def run_feeds(self, feeds: dict[str, Any]) -> dict[str, Any]:
        """The feeds this run writes, given FEEDS: a job writes one output file for the whole
        job, appended by each resumption, instead of the dated file of each run."""
        if not self.job:
            return feeds
        feeds = dict(feeds)
        feeds.pop(DATED_FEED, None)
        feeds[JOB_FEED] = {
            "format": "jsonlines",
            "encoding": "utf-8",
            "overwrite": False,
            "store_empty": False,
        }
        return feeds

    def today(self, settings: Any = None) -> date:
        """Today in the site's time zone, by the run's clock (see `run_now`)."""
        try:
            now = run_now(settings)
        except ValueError as error:
            raise ArgumentError(f"NEWSCRAWL_NOW: {error}") from None
        return now.astimezone(ZoneInfo(self.time_zone)).date()

    def check_today(self, settings: Any = None) -> None:
        """Raise ArgumentError for a window that starts after today in the site's zone. With
        SETTINGS, "today" is NEWSCRAWL_NOW's day when it is set (a replay), else the clock's."""
        check_not_future(self.window, self.today(settings), self.time_zone)
