"""Queueing a task for what a transaction writes: the task runs if, and only if, the
transaction commits.

With the database backend (django-tasks-db, production's) the task's row is written in
the transaction itself, on the same connection: the data and its task commit together,
so a database lost just after the commit cannot leave, say, a stored inquiry whose
emails were never queued (drill 3 found one: its task was to be queued on commit, and
PostgreSQL went away in between). Other backends are queued once the transaction has
committed: the immediate one (tests, the demo loader) runs the task at once.
"""

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def enqueue_with_transaction(task: Task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` to run once the current transaction commits."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
