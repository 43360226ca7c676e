"""What a host's answer says of the host, for every component that keeps its politeness: the
retry middleware and the outage breaker on one machine, the shared budget of a frontier."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.http import Request, Response

# The finish reason of a run stopped because its host is down (middlewares/breaker.py).
SITE_UNAVAILABLE = "site_unavailable"
# Answers whose Retry-After holds the whole host.
RETRY_AFTER_STATUSES = frozenset({429, 503})


def counts_as_error(status: int) -> bool:
    """Whether an answer of this HTTP status counts towards the outage breaker (download errors
    other than our own refusals, IgnoreRequest, count too)."""
    return status >= 500 or status == 429


def retry_after_seconds(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent
    or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


def asked_wait(request: Request, response: Response, cap: float) -> float | None:
    """The seconds a 429 or 503 answer asks the whole host to wait (its Retry-After, at most
    CAP); None when it asks nothing, or when REQUEST is not to be retried."""
    if response.status not in RETRY_AFTER_STATUSES or request.meta.get("dont_retry"):
        return None
    wait = retry_after_seconds(response.headers.get("Retry-After"))
    return None if wait is None else min(wait, cap)
