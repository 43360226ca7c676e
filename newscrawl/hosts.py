"""Hosts as requests reach them: what a spider allows (`allowed_netlocs`) and the host guard
checks (newscrawl/middlewares/hostguard.py)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_key(scheme: str, host: str, port: int | None) -> tuple[str, int]:
    """A host as requests reach it: lower-case name, explicit port (http and https share a host
    name but not a default port, so both defaults count as the same site)."""
    return host.lower().rstrip("."), port or DEFAULT_PORTS.get(scheme, 0)


def netloc_keys(urls: Iterable[str]) -> set[tuple[str, int]]:
    """The hosts of URLS, as `allowed_netlocs` holds them."""
    keys = set()
    for url in urls:
        parts = urlsplit(url)
        host = parts.hostname or ""
        keys.add(host_key(parts.scheme, host, parts.port))
        if parts.port is None:  # the same site over the other scheme's default port
            keys |= {(host.lower(), port) for port in DEFAULT_PORTS.values()}
    return keys
