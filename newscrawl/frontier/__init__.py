"""A shared frontier: several crawler processes, on one machine or many, share one crawl.

Off unless NEWSCRAWL_FRONTIER names a Redis server (`redis://host:6379/0`). Then (see
docs/redis-frontier.md):
- scrapy-redis's scheduler and duplicate filter hold the crawl's requests in Redis, so every
  request is fetched by one worker only (newscrawl.frontier.scheduler);
- a request a worker takes from the queue is leased to it until its response is handled (its
  items exported); a worker whose heartbeat expires has its leases put back in the queue by a
  live one, so a killed worker loses nothing;
- the crawl state of scheduled runs moves to the same Redis (newscrawl.state.redis, which also
  names this worker and the crawl's Redis keys), with the same interface and the same export
  journal as the SQLite state.

Redis is imported only when the setting is on: a single-machine run needs no server and no
package beyond the core dependencies.
"""
