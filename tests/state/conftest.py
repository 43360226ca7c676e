"""The Redis state's tests use the shared frontier's test server (tests/frontier/conftest.py)."""

from __future__ import annotations

from tests.frontier.conftest import redis_url, server

__all__ = ["redis_url", "server"]
