"""Typed, validated spider arguments: bad values fail before any request, in one clear line."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

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
