"""What each fault of the reliability table is, and what newscrawl does about it: the fault
table of docs/faults.md is written from these rows and the measured exit statuses
(`python benchmarks/reliability.py --write`). Every replica fault and every machine scenario of
benchmarks/reliability.py needs a row here, or the script stops.

Each row: (what the site or the machine does, what newscrawl does, where it is counted).
"""

from __future__ import annotations

ROWS: dict[str, tuple[str, str, str]] = {
    # -- the site: transient -------------------------------------------------------------------
    "flaky": ("500 once", "retries after its backoff (1, 2, 4 s)", "`retry/reason_count/...`"),
    "reset": (
        "a connection reset mid-body, once",
        "retries after its backoff",
        "`retry/reason_count/...`",
    ),
    "throttle": (
        "429 with `Retry-After`, once",
        "the whole host waits at least that long, then retries",
        "`newscrawl/retry_after/honoured`",
    ),
    "stall": (
        "headers, then no body, once",
        "gives up after `DOWNLOAD_TIMEOUT` (15 s) per attempt, then retries; a URL that stalls"
        " every time costs at most 4 × 15 s + 1 + 2 + 4 s of backoff, and other requests go on",
        "`retry/reason_count/scrapy.exceptions.DownloadTimeoutError`",
    ),
    "truncate": (
        "a gzip body cut short behind a valid Content-Length, once",
        "never parses it; retries it like a 500; after the last retry the URL is a failure",
        "`newscrawl/bodies/truncated`",
    ),
    "empty": ("an empty 200, once", "retries it like a 500", "`newscrawl/bodies/empty`"),
    # -- the site: for good ----------------------------------------------------------------------
    "down": (
        "503 for good on some articles",
        "retries, then lists the URL in the run summary's `failed_urls`",
        "`newscrawl/requests/failed`",
    ),
    "outage": (
        "503 with `Retry-After: 1` on every request",
        "after `NEWSCRAWL_BREAKER_ERRORS` (10) errors in a row from the host, stops the run"
        " (finish reason `site_unavailable`); the next run resumes",
        "`newscrawl/breaker/tripped`",
    ),
    "robots5xx": (
        "robots.txt answering 500",
        "crawls nothing that run (RFC 9309: disallow everything)",
        "`newscrawl/robotstxt/disallow_all`",
    ),
    "bomb": (
        "a gzip bomb (128 KiB that expands to 128 MiB)",
        "stops reading at `DOWNLOAD_MAXSIZE` (16 MiB; memory stays bounded by it) and refuses"
        " the URL",
        "`newscrawl/bodies/too_large`, `newscrawl/requests/refused/too_large`",
    ),
    "private": (
        "a redirect to a private or loopback address (an internal service on another port)",
        "refuses it before anything is sent; no robots.txt of that host is fetched either",
        "`newscrawl/guard/refused/private`, `newscrawl/requests/refused/private`",
    ),
    "offsite": (
        "a redirect of an article to another host",
        "refuses it before anything is sent (Scrapy's own offsite filter, which drops such a"
        " redirect without a trace, is off); listed by the article's URL",
        "`newscrawl/requests/refused/offsite`, `refused_urls`",
    ),
    "scheme": (
        "a redirect of an article to a `file:` URL",
        "does not follow it; listed by the article's URL",
        "`newscrawl/requests/refused/scheme`, `refused_urls`",
    ),
    "chain": (
        "a redirect chain longer than `REDIRECT_MAX_TIMES` (5)",
        "ends the chain; refused and listed by the article's URL, like a loop",
        "`newscrawl/requests/refused/redirects`, `refused_urls`",
    ),
    "loop": (
        "a redirect loop; a listing whose last page links back to page 1",
        "stops at the first URL seen twice in a chain (refused and listed, like a long chain);"
        " a listing walk ends at a page with nothing new",
        "`newscrawl/requests/refused/loop`, `refused_urls`",
    ),
    "biglisting": (
        "a listing page over `DOWNLOAD_MAXSIZE`",
        "refuses it; the walk of that listing is incomplete: not recorded complete, walked"
        " again next run, and the run names the listing",
        "`newscrawl/listing/unread`, `unread_listings`",
    ),
    "charset": (
        "a windows-1252 page that says so, under a UTF-8 header",
        "reads the page in the charset the page declares",
        "`newscrawl/charset/repaired`",
    ),
    "liar": (
        "a UTF-8 page under a header naming Shift_JIS, windows-1252, ISO-8859-1, GBK, ISO-8859-2"
        " or KOI8-R",
        "reads bytes that are valid UTF-8 as UTF-8, else in the page's own charset, else the"
        " header's, whichever reads cleanly; a page no charset reads cleanly is exported with"
        " `charset_damaged` in `flags`",
        "`newscrawl/charset/repaired`, `newscrawl/charset/damaged`",
    ),
    "baddates": (
        "impossible, missing or zone-less dates",
        "never invents a time: impossible ones are refused, a time without zone is Japan time,"
        " otherwise `published` is null and `flags` says why",
        "`newscrawl/timestamps/...`",
    ),
    "notitle": (
        "an article without a title",
        "drops it (the schema requires a title)",
        "`newscrawl/validation/dropped/title`",
    ),
    "separators": (
        "U+2028, U+2029, NUL or `<script>` inside paragraphs",
        "whitespace becomes one space, control characters and script text go; the exporter"
        " escapes U+2028, U+2029 and U+0085",
        "",
    ),
    "redesign": (
        "every article in a new layout",
        "the fallbacks (metadata, trafilatura) read it",
        "`flags: fallback_layout`",
    ),
    "blank": (
        "every article URL answering the theme's chrome with no article",
        "exports none of them; not an article (`no_article`), fetched again next run",
        "`newscrawl/articles/not_article/no_article`",
    ),
    "interstitial": (
        'a bot check ("Just a moment...") on an article\'s URL',
        "does not export it and does not mark it done: listed, fetched again next run",
        "`newscrawl/articles/not_article/interstitial`, `not_article_urls`",
    ),
    "wall": (
        "a login or subscribe wall on an article's URL",
        "does not export it and does not mark it done: listed, fetched again next run",
        "`newscrawl/articles/not_article/login_wall`, `not_article_urls`",
    ),
    "soft404": (
        "an error page answered with 200",
        "does not export it and does not mark it done: listed, fetched again next run",
        "`newscrawl/articles/not_article/error_page`, `not_article_urls`",
    ),
    "sectionpage": (
        "a section listing served on an article's URL",
        "does not export it and does not mark it done: listed, fetched again next run",
        "`newscrawl/articles/not_article/listing`, `not_article_urls`",
    ),
    # -- the machine and the run around the crawl -------------------------------------------------
    "unreachable host": (
        "a host that refuses the connection",
        "says so: every request fails with the cause, robots.txt is not blamed",
        "`newscrawl/requests/failed`, `newscrawl/hosts/unreachable`, `unreachable_hosts`",
    ),
    "unknown host name": (
        "a host name that does not resolve",
        "says so: every request fails with the cause (DNS lookup failed)",
        "`newscrawl/requests/failed`, `newscrawl/hosts/unreachable`",
    ),
    "a request dropped silently": (
        "a middleware that drops a request without an errback (here Scrapy's offsite filter,"
        " switched back on, under `offsite`)",
        "the request ledger finds every article or listing request that ended neither in the"
        " spider's callback nor its errback",
        "`newscrawl/requests/vanished`, `vanished_urls`",
    ),
    "-O twice, nothing new": (
        "a second `-O FILE` run with nothing new",
        "FILE holds exactly this run's items: none (Scrapy's semantics); `-o` appends; the dated"
        " feed leaves no empty file",
        "",
    ),
    "full disk under the dated feed": (
        "the disk of the dated feed fills up mid-run (`-O` on another disk)",
        "claims an article only when every local feed holds its line, cuts the others' lines"
        " of what it could not claim; the next run exports those again into every feed",
        "`newscrawl/feed/write_failed`, `newscrawl/feed/unclaimed`",
    ),
    "read-only output folder": (
        "`-O` into a read-only folder",
        "one line and exit status 2 before the first request",
        "",
    ),
    "read-only state folder": (
        "the crawl state in a read-only folder",
        "one line and exit status 2 before the first request",
        "",
    ),
    "damaged state": (
        "a crawl state file that is not a sound SQLite database",
        "one line naming the file and what to do, exit status 1, before the first request"
        " (SQLite's `quick_check` at every open)",
        "",
    ),
}
