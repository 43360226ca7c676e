"""The site modules the `news` spider knows, by name and by host.

A site module is a module (or a package, as The Japan News') of selectors and quirks. It has:
- `SITE`: its name (the items' `site`, the prefix of their ids);
- `HOSTS`: the hosts it reads (the spider picks it for a URL on one of them);
- `TIME_ZONE`: the zone of the site's times that name none (an IANA name);
- `KEEP_OFFSET`: True when `published` and `modified` keep the offset the page gives, False
  when they are exported in Japan time (The Japan News, as its own spider exports them);
- `article_key(url) -> int | None`: the article's post ID, or None when the URL is not one
  of the site's article pages;
- `parse_article(page, url) -> dict`: the fields it reads exactly, from PAGE as
  newscrawl.page.Page.of takes it (a Page is read as it is: one parse per response). Whatever
  it leaves out or empty, the generic path (newscrawl.sites.generic) fills in.
- optionally `strip_furniture(lines) -> (kept, removed)`: the site's page furniture in text,
  line by line (LINES stripped, none blank; REMOVED counts the lines by kind). The boilerplate
  pipeline applies it to every item of the site's HOSTS, whichever path read the page.
- optionally `FIRST_DAY` (a date) and `FIRST_DAY_WHY`: the first day the site can have an
  article, when that is sure; a backfill's `until` before it is refused. Without it the floor
  is the public web's first day (newscrawl.spiders.arguments.PUBLIC_WEB).
"""

from __future__ import annotations

import re
from importlib import import_module
from types import ModuleType

SITE_MODULES: dict[str, str] = {
    "japannews": "newscrawl.sites.japannews",
    "japantimes": "newscrawl.sites.japantimes",
}
# Host prefixes that name no site ("www.", "m.", "english." ...).
HOST_PREFIX = re.compile(r"^(?:www\d*|m|amp|english|en)\.")


class UnknownSite(KeyError):
    """No site module by that name."""


def by_name(name: str) -> ModuleType:
    """The site module called NAME; KeyError when there is none."""
    return import_module(SITE_MODULES[name])


def pick(name: str | None, host: str) -> ModuleType | None:
    """The site module named NAME ('generic': none), else the one that reads HOST, if any.
    Raises UnknownSite for a NAME that is neither."""
    if name == "generic":
        return None
    if name:
        if name not in SITE_MODULES:
            raise UnknownSite(name)
        return by_name(name)
    return for_host(host)


def for_host(host: str) -> ModuleType | None:
    """The site module that reads HOST, if any."""
    host = host.lower()
    for name in SITE_MODULES:
        module = by_name(name)
        if host in module.HOSTS:
            return module
    return None
