from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.frontier.redis_server import IN_CI, REDIS_SERVER, redis_server


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if REDIS_SERVER is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    with redis_server(Path(tmp_path_factory.mktemp("redis"))) as url:
        yield url


@pytest.fixture
def server(redis_url: str):
    """A client of the test server, on an empty database."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()
