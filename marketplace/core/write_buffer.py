"""Writes that can wait: what anonymous requests record (product views, the search log)
kept in each process's memory and written in bulk, one transaction per flush instead of
a write per request.

Why memory: a visitor reading a page should not write to the database, and the cache is
no help here. Production's cache is the database (DatabaseCache: its `incr` reads and
writes a row, so a write per request, and loses updates under concurrency); a per-process
cache is no better than a list. When Redis and a task worker come, a buffer's `write`
function can become the task's body unchanged: it takes the entries and writes them.

When a buffer is flushed:
- after a request, on `request_finished` (the response is sent and the request's own
  transaction is over), when its oldest entry has waited `WRITE_BUFFER_SECONDS` or it
  holds `WRITE_BUFFER_ENTRIES` entries;
- by a timer thread `WRITE_BUFFER_SECONDS` after its first entry (`WRITE_BUFFER_TIMER`),
  so a process that no longer gets requests does not sit on its entries;
- when the process exits (atexit: gunicorn workers leave through `sys.exit`, on a
  graceful stop, a reload or `max_requests`);
- when the office reads a report (`flush_all()`), so it sees at least its own process's.
What other processes hold thus reaches the database at most `WRITE_BUFFER_SECONDS` late
(plus a flush). A process killed outright (SIGKILL, out of memory) loses what it held:
counts for statistics, not records anyone relies on.

Several processes flush the same rows at once: each flush writes only its own entries,
and `write` functions add (`UPDATE … SET n = n + k`, `INSERT … ON CONFLICT DO UPDATE`),
never overwrite. A `write` that raises `DatabaseError` gets its entries back for the next
flush (a database restart loses nothing); any other error is a bug, logged, and the
entries are dropped (retrying would fail again).
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

# Writes the entries (in a transaction) and returns those to keep for a later flush.
Write = Callable[[list[Any]], Iterable[Any]]

# Entries kept while the database refuses them, as a multiple of WRITE_BUFFER_ENTRIES:
# beyond it the oldest are dropped, so an outage cannot exhaust a worker's memory.
KEPT_FACTOR = 20

_buffers: list["WriteBuffer"] = []


class WriteBuffer:
    """Entries waiting to be written together by `write`; safe to share between threads."""

    def __init__(self, name: str, write: Write) -> None:
        self.name = name
        self._write = write
        self._reset()
        _buffers.append(self)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[Any] = []
        self._since = 0.0  # time.monotonic() of the oldest waiting entry
        self._not_before = 0.0  # after a failed write: no retry before then
        self._timer: threading.Timer | None = None

    def add(self, entry: Any) -> None:
        """Keep `entry` for the next flush; no database access."""
        self._keep([entry])

    def _keep(self, entries: list[Any]) -> None:
        with self._lock:
            if not self._entries:
                self._since = time.monotonic()
            self._entries.extend(entries)
            excess = len(self._entries) - KEPT_FACTOR * settings.WRITE_BUFFER_ENTRIES
            if excess > 0:
                del self._entries[:excess]
                logger.warning("Dropped %d waiting %s entries", excess, self.name)
            self._start_timer()

    def _start_timer(self) -> None:
        if self._timer is None and settings.WRITE_BUFFER_TIMER:
            self._timer = threading.Timer(settings.WRITE_BUFFER_SECONDS, self._flush_on_timer)
            self._timer.daemon = True
            self._timer.start()

    def _flush_on_timer(self) -> None:
        with self._lock:
            self._timer = None
        try:
            self.flush()
        finally:
            connections.close_all()  # this thread's own connections

    def __len__(self) -> int:
        return len(self._entries)

    def is_due(self) -> bool:
        """Old or big enough to write, and not just refused by the database."""
        with self._lock:
            if not self._entries or time.monotonic() < self._not_before:
                return False
            age = time.monotonic() - self._since
            return (
                age >= settings.WRITE_BUFFER_SECONDS
                or len(self._entries) >= settings.WRITE_BUFFER_ENTRIES
            )

    def take(self) -> list[Any]:
        """Remove and return every waiting entry (a flush writes them)."""
        with self._lock:
            entries, self._entries = self._entries, []
            return entries

    def flush(self) -> None:
        """Write the waiting entries in one transaction; never raises."""
        entries = self.take()
        if not entries:
            return
        try:
            with transaction.atomic():
                kept = list(self._write(entries))
        except DatabaseError:
            logger.warning("Could not write %d %s entries", len(entries), self.name, exc_info=True)
            self._not_before = time.monotonic() + settings.WRITE_BUFFER_SECONDS
            kept = entries
        except Exception:
            logger.exception("Dropped %d %s entries", len(entries), self.name)
            return
        if kept:
            self._keep(kept)


def flush_all() -> None:
    """Write what every buffer of this process holds (the office is about to read it)."""
    for buffer in _buffers:
        buffer.flush()


def flush_due(**kwargs) -> None:
    """`request_finished`: write the buffers that are due, after the response is sent."""
    for buffer in _buffers:
        if buffer.is_due():
            buffer.flush()


def discard_all() -> None:
    """Forget every waiting entry and failed write (tests start with empty buffers)."""
    for buffer in _buffers:
        buffer.take()
        buffer._not_before = 0.0


def _forget_inherited() -> None:
    # A forked child (a gunicorn worker of a preloaded app) starts empty: its parent
    # writes what it holds, and a timer thread does not survive the fork.
    for buffer in _buffers:
        buffer._reset()


os.register_at_fork(after_in_child=_forget_inherited)
atexit.register(flush_all)
