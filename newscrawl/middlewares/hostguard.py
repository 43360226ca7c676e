"""Requests go only to the site being crawled.

Every request, redirected ones and robots.txt included, passes here before anything is sent.
Refused, and counted under `newscrawl/guard/refused/<reason>`:
- `scheme`: anything but http and https (file:, data:, ftp:, javascript: ...);
- `private`: a literal private, loopback, link-local or reserved address, unless it is the host
  the user configured (`base_url` pointing at the offline replica on 127.0.0.1);
- `offsite`: any other host than the spider's `allowed_netlocs` (host and port), or, for a spider
  without them, outside its `allowed_domains`;
- `loop`: a redirect back to a URL already in this redirect chain.
Scrapy's own offsite middleware skips `dont_filter` requests and redirects; this one never does.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from newscrawl.exceptions import RefusedRequest
from newscrawl.hosts import DEFAULT_PORTS, host_key
from newscrawl.stats import GUARD_REFUSED, GUARD_REFUSED_PREFIX

logger = logging.getLogger(__name__)

_NUMERIC_HOST = re.compile(r"(?i)(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}")


def is_internal_address(host: str) -> bool:
    """A literal IP address no public web site lives at, in any form a resolver accepts
    (`127.0.0.1`, `[::1]`, `2130706433`, `0x7f.1`, `127.1`), or localhost."""
    address = _ip_literal(host.strip("[]"))
    if address is None:
        return host.lower().rstrip(".") == "localhost"
    return not address.is_global


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # inet_aton reads the old numeric forms (decimal, octal, hex, fewer than four parts) that
    # getaddrinfo resolves too; a name with letters beyond hex digits never gets here.
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


class HostGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        reason = self.refusal(request, self.crawler.spider)
        if reason is None:
            return
        self.stats.inc_value(GUARD_REFUSED)
        self.stats.inc_value(GUARD_REFUSED_PREFIX + reason)
        origin = (request.meta.get("redirect_urls") or [request.url])[0]
        logger.warning("refused (%s): %s (reached from %s)", reason, request.url, origin)
        raise RefusedRequest(reason, request.url)

    def refusal(self, request: Request, spider: Spider) -> str | None:
        """Why REQUEST must not be sent, or None."""
        parts = urlparse_cached(request)
        if parts.scheme not in DEFAULT_PORTS:
            return "scheme"
        if request.url in request.meta.get("redirect_urls", ()):
            return "loop"
        host = parts.hostname or ""
        allowed = getattr(spider, "allowed_netlocs", None)
        if allowed:
            if host_key(parts.scheme, host, parts.port) in allowed:
                return None
            return "private" if is_internal_address(host) else "offsite"
        if is_internal_address(host):
            return "private"
        domains = [d.lower() for d in getattr(spider, "allowed_domains", None) or [] if d]
        if domains and not any(host == d or host.endswith("." + d) for d in domains):
            return "offsite"
        return None
