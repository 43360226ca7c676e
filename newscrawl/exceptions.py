"""Why newscrawl refuses a request or a response. The spider's errback tells refusals (a safety
rule did its job) from failures (the site could not be read)."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class RefusedRequest(IgnoreRequest):
    """A request newscrawl will not send, or a response it will not read.

    `reason` is a short stats key: offsite, private, scheme, loop, too_large.
    """

    def __init__(self, reason: str, url: str, detail: str = "") -> None:
        self.reason = reason
        self.url = url
        super().__init__(f"refused ({reason}{': ' + detail if detail else ''}): {url}")


class IncompleteBody(IgnoreRequest):
    """A response body that is empty or cut short, still so after every retry."""

    def __init__(self, reason: str, url: str) -> None:
        self.reason = reason
        self.url = url
        super().__init__(f"incomplete body ({reason}) after retries: {url}")


class HostUnreachable(IgnoreRequest):
    """A request not sent because its host could not be reached at all (its robots.txt met a
    refused connection, a DNS failure, a timeout): a failure of the host, not a refusal."""

    def __init__(self, cause: str, url: str) -> None:
        self.cause = cause
        self.url = url
        super().__init__(f"host unreachable ({cause}): {url}")
