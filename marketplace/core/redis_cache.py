"""The cache every app server shares, on Redis (REDIS_URL), that a failing Redis does not
turn into errors for visitors.

Django's RedisCache raises when Redis does not answer, and Wagtail reads the default cache
for every page it links (its sites' root paths): a stopped Redis would answer every
visitor with a 500. `FailSoftRedisCache` is Django's RedisCache that then behaves as an
empty cache keeping nothing: reads miss, writes are dropped, add() adds nothing. It logs a
warning and leaves Redis alone for RETRY_SECONDS, so that a hung Redis costs a process one
socket timeout (TIMEOUT_SECONDS) every RETRY_SECONDS, not one per cache call. Meanwhile
the page cache, finding no generation, keeps and serves no page (core.page_cache), the
rate limits count in the database (ratelimits.counter), and /health/ready answers
"degraded" (200): every server shares the one Redis, and a 503 would take all of them
out of the load balancer although each serves without it (`SERVES_WITHOUT_IT`).

`run()` gives other code (the rate limits' Lua scripts) the same connections and the
same rule.
"""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds a request waits for Redis at most, to connect and then for each answer. Redis
# answers in well under a millisecond: past this it is hung or unreachable.
TIMEOUT_SECONDS = 0.5
# Seconds a process leaves Redis alone after a failure: then one call tries it again.
RETRY_SECONDS = 5.0

# Servers (LOCATION) → time.monotonic() until which they are left alone. Shared by the
# threads of a process (Django's caches are one object per thread).
_resting_until: dict[str, float] = {}


def redis_cache_settings(url: str) -> dict[str, Any]:
    """The CACHES entry for a Redis at `url` (redis://host:port/db)."""
    return {
        "BACKEND": "marketplace.core.redis_cache.FailSoftRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": TIMEOUT_SECONDS,
            "socket_timeout": TIMEOUT_SECONDS,
        },
    }


def _where(servers: list[str]) -> str:
    """host:port/db of each server, for the logs: never the password a URL may hold."""
    places = []
    for server in servers:
        parts = urlsplit(server)
        places.append(f"{parts.hostname}:{parts.port or 6379}{parts.path}")
    return ", ".join(places)


class FailSoftRedisCache(RedisCache):
    # The site serves its visitors while this cache fails (base.health reads it).
    SERVES_WITHOUT_IT = True

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self._location = ",".join(self._servers)

    def resting(self) -> bool:
        """Whether Redis failed less than RETRY_SECONDS ago (in this process)."""
        return time.monotonic() < _resting_until.get(self._location, 0.0)

    def _rest(self, error: RedisError) -> None:
        _resting_until[self._location] = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "Redis at %s failed (%s: %s): the shared cache keeps nothing for %s s",
            _where(self._servers),
            type(error).__name__,
            error,
            RETRY_SECONDS,
        )

    def run(
        self,
        key: str,
        command: Callable[[Redis, str], T],
        fallback: Callable[[], T],
    ) -> T:
        """command(client, stored key) for the server of `key` (the key as stored: with
        KEY_PREFIX and version); fallback() when Redis fails or is resting."""
        if self.resting():
            return fallback()
        stored = self.make_and_validate_key(key)
        try:
            # Django's client for the key's server (RedisCache has no public accessor).
            return command(self._cache.get_client(stored, write=True), stored)
        except RedisError as error:
            self._rest(error)
            return fallback()

    def _soft(self, failed: T, operation: Callable[[], T]) -> T:
        if self.resting():
            return failed
        try:
            return operation()
        except RedisError as error:
            self._rest(error)
            return failed

    # Django's cache API, answering as an empty cache that keeps nothing when Redis fails.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(False, functools.partial(super().add, key, value, timeout, version))

    def get(self, key, default=None, version=None):
        return self._soft(default, functools.partial(super().get, key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft(None, functools.partial(super().set, key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(False, functools.partial(super().touch, key, timeout, version))

    def delete(self, key, version=None):
        return self._soft(False, functools.partial(super().delete, key, version))

    def get_many(self, keys, version=None):
        return self._soft({}, functools.partial(super().get_many, keys, version))

    def has_key(self, key, version=None):
        return self._soft(False, functools.partial(super().has_key, key, version))

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._soft(missing, functools.partial(super().incr, key, delta, version))
        if value is missing:  # what Django's API says of a key the cache does not hold
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys not stored, as Django's API says.
        return self._soft(list(data), functools.partial(super().set_many, data, timeout, version))

    def delete_many(self, keys, version=None):
        self._soft(None, functools.partial(super().delete_many, keys, version))

    def clear(self):
        return self._soft(False, super().clear)
