"""Running code at the same moment in several threads, each on its own database
connection, as worker processes would (tests marked django_db(transaction=True))."""

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def at_once(function: Callable, arguments: Iterable) -> list:
    """Call `function` on each argument in its own thread, all released together."""
    arguments = list(arguments)
    start = threading.Barrier(len(arguments))

    def run(argument):
        try:
            start.wait(timeout=60)
            return function(argument)
        finally:
            connection.close()  # each thread opened its own

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(run, arguments))
