"""Atomic counters for rate limits: `counter().take(key, limit, seconds)`.

A window starts with the first request of a key and lasts `seconds`; `take()` counts a
request in it only while fewer than `limit` were counted, and says whether it did. The
check and the count are one step, so twenty requests at the same moment get exactly
`limit` slots between them, on any number of processes. (Django's cache cannot promise
that: the database cache's incr() reads, adds and writes back, and loses updates.)

`Counter` is the whole interface. `DatabaseCounter` keeps the counters in the database
the site already has, with single UPDATE statements, atomic on PostgreSQL and SQLite
alike. `RedisCounter`, used when the default cache is the shared Redis (REDIS_URL), keeps
each as a Redis key that expires with its window, changed by Lua scripts, which Redis
runs one at a time: no query per request, and the same limits.

When Redis fails, RedisCounter counts in the database instead (and the cache logs a
warning, core.redis_cache): the database is shared by every app server and its counts
are atomic too, so the limits still hold, no visitor gets an error, and no one gets
through unlimited. Refusing everyone would shut out every visitor for as long as Redis
is down; letting everyone through would lift the limits for whoever brought Redis down.
What a window counted on one side is not seen on the other, so a visitor may get one
limit more in the window during which Redis failed or came back.
"""

from datetime import timedelta
from typing import Protocol

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from redis import Redis
from redis.commands.core import Script

from marketplace.core.redis_cache import FailSoftRedisCache
from marketplace.ratelimits.models import RateCounter


class Counter(Protocol):
    def take(self, key: str, limit: int, seconds: int) -> bool:
        """Count one request of `key` if its window has room; whether it was counted."""
        ...

    def give_back(self, key: str) -> None:
        """Uncount one request taken with take() (the request was refused elsewhere)."""
        ...

    def used(self, key: str) -> int:
        """How many requests the running window of `key` has counted."""
        ...


class DatabaseCounter:
    """Counters as RateCounter rows, one per key, changed by atomic UPDATEs."""

    def take(self, key: str, limit: int, seconds: int) -> bool:
        if limit <= 0:
            return False
        if self._count_one(key, limit, seconds):
            return True
        try:
            # A savepoint: on PostgreSQL a failed INSERT would spoil an outer transaction.
            with transaction.atomic():
                RateCounter.objects.create(
                    key=key, count=1, expires_at=timezone.now() + timedelta(seconds=seconds)
                )
                self._forget_expired()
            return True
        except IntegrityError:
            # The row exists: its window is full, or a concurrent request created it a
            # moment ago; the UPDATE on it says which.
            return self._count_one(key, limit, seconds)

    def give_back(self, key: str) -> None:
        RateCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)

    def used(self, key: str) -> int:
        row = RateCounter.objects.filter(key=key, expires_at__gt=timezone.now()).first()
        return row.count if row else 0

    @staticmethod
    def _count_one(key: str, limit: int, seconds: int) -> bool:
        """One UPDATE: start a new window if the row's has run out, else count one if
        there is room. The database re-checks the condition on the row it locked, so
        concurrent requests cannot both take the last slot."""
        now = timezone.now()
        expired = Q(expires_at__lte=now)
        return bool(
            RateCounter.objects.filter(expired | Q(count__lt=limit), key=key).update(
                count=Case(When(expired, then=Value(1)), default=F("count") + 1),
                expires_at=Case(
                    When(expired, then=Value(now + timedelta(seconds=seconds))),
                    default=F("expires_at"),
                ),
            )
        )

    @staticmethod
    def _forget_expired() -> None:
        # Rows of past windows are only read again by the same visitor: drop them when a
        # new row is written, so the table holds about one row per recent visitor.
        RateCounter.objects.filter(expires_at__lte=timezone.now()).delete()


# KEYS[1]: the counter; ARGV: the limit, the window in milliseconds. A missing key (never
# set, or expired with its window) starts a window; a count kept at 0 by give_back() is
# still in its window, as DatabaseCounter's row is. INCR keeps the key's expiry.
# No client of their own (None): each call gives the cache's, with its connections and
# timeouts; bytes, which need no client to encode them.
_TAKE = Script(
    None,
    b"""
local count = redis.call('GET', KEYS[1])
if not count then
    redis.call('SET', KEYS[1], 1, 'PX', ARGV[2])
    return 1
end
if tonumber(count) >= tonumber(ARGV[1]) then
    return 0
end
redis.call('INCR', KEYS[1])
return 1
""",
)
_GIVE_BACK = Script(
    None,
    b"""
local count = redis.call('GET', KEYS[1])
if count and tonumber(count) > 0 then
    redis.call('DECR', KEYS[1])
end
return 0
""",
)


class RedisCounter:
    """Counters as keys of the shared Redis cache (with its KEY_PREFIX), which expire
    with their window; the database's counters while Redis fails."""

    def __init__(self, fallback: Counter) -> None:
        self.fallback = fallback

    def take(self, key: str, limit: int, seconds: int) -> bool:
        if limit <= 0:
            return False

        # Redis refuses an expiry of 0: a window of no time lasts a millisecond.
        milliseconds = max(seconds * 1000, 1)

        def take(client: Redis, stored: str) -> bool:
            return bool(_TAKE(keys=[stored], args=[limit, milliseconds], client=client))

        return _redis().run(key, take, lambda: self.fallback.take(key, limit, seconds))

    def give_back(self, key: str) -> None:
        def give_back(client: Redis, stored: str) -> None:
            _GIVE_BACK(keys=[stored], client=client)

        _redis().run(key, give_back, lambda: self.fallback.give_back(key))

    def used(self, key: str) -> int:
        def used(client: Redis, stored: str) -> int:
            return int(client.get(stored) or 0)

        return _redis().run(key, used, lambda: self.fallback.used(key))


def _redis() -> FailSoftRedisCache:
    return caches["default"]


_database_counter = DatabaseCounter()
_redis_counter = RedisCounter(fallback=_database_counter)


def counter() -> Counter:
    """The counter every rate limit uses: Redis's when the default cache is the shared
    Redis (REDIS_URL), else the database's."""
    if isinstance(caches["default"], FailSoftRedisCache):
        return _redis_counter
    return _database_counter


def take_all(keys: list[str], limit: int, seconds: int) -> bool:
    """Take a slot in each counter, or in none: refused by one, give back those taken,
    so that (say) a full session does not use up its address's slots too."""
    taken = []
    for key in keys:
        if not counter().take(key, limit, seconds):
            for earlier in taken:
                counter().give_back(earlier)
            return False
        taken.append(key)
    return True
