"""Atomic counters for rate limits: `counter().take(key, limit, seconds)`.

A window starts with the first request of a key and lasts `seconds`; `take()` counts a
request in it only while fewer than `limit` were counted, and says whether it did. The
check and the count are one step, so twenty requests at the same moment get exactly
`limit` slots between them, on any number of processes. (Django's cache cannot promise
that: the database cache's incr() reads, adds and writes back, and loses updates.)

`Counter` is the whole interface. `DatabaseCounter` keeps the counters in the database
the site already has, with single UPDATE statements, atomic on PostgreSQL and SQLite
alike; a cache with an atomic increment (Redis) can implement the same three methods.
"""

from datetime import timedelta
from typing import Protocol

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

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


_counter: Counter = DatabaseCounter()


def counter() -> Counter:
    """The counter every rate limit uses."""
    return _counter


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
