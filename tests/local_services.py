"""Sharing a local test service (Elasticsearch, stripe-mock) between test sessions.

Each session using the service holds a lock file shared, so the session that started
the service does not stop it under another one (the checkout may be shared).
"""

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


def only_session(sessions: TextIO) -> bool:
    """Whether no other test session holds the sessions lock."""
    try:
        fcntl.flock(sessions, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def shared_service(
    lock: Path, start: Callable[[], bool], stop: Callable[[], object]
) -> Iterator[None]:
    """Use the service while holding `lock` shared; `start()` returns whether it started
    it. At the end, stop it if this session started it and no other session uses it."""
    lock.parent.mkdir(exist_ok=True)
    with lock.open("a") as sessions:
        # Shared before starting: a session ending meanwhile then sees this one.
        fcntl.flock(sessions, fcntl.LOCK_SH)
        started_here = start()
        try:
            yield
        finally:
            if started_here and only_session(sessions):
                stop()
