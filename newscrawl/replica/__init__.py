"""Offline, deterministic imitation of The Japan News (japannews.yomiuri.co.jp) for tests.

- `corpus.Corpus(articles, seed, now)`: the lazy article corpus, with "(UPDATE 1)" revisions shown
  once `now` reaches them; `manifest_records()` is the ground truth a crawl is checked against.
- `pages.Site`: HTML of articles (2024 theme and an unknown 2026-style layout), listings, home.
- `feeds`: RSS feeds, sitemaps, robots.txt.  `server`: routing and the HTTP server.
- `faults`: named fault modes (`--faults flaky,throttle,...`; `--help` lists them) that change
  article pages, wrap the router, ask the server for broken deliveries (reset, stall, truncated
  gzip) and amend the manifest (`faults`, `expected_export`); `internal`: the internal service
  the `private` fault redirects to.
- `cli`: `python -m newscrawl replica [--port P] [--articles N] [--seed S] [--now T]
  [--faults NAMES] [--manifest]`.
"""
