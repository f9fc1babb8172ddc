"""The task worker: django-tasks-db's worker with retries, leases and scheduled jobs.

django-tasks-db runs each queued task once: a failure is final, and a task whose worker
was killed stays RUNNING forever. `TaskWorker` adds, in one process:

- **Retries.** A task that raised runs again after TASK_RETRY_SECONDS × 2^(attempt − 1),
  up to TASK_MAX_ATTEMPTS attempts. Between attempts its row is READY again and keeps
  the last traceback, so the office's task list shows why it waits.
- **Leases.** A thread (`Heart`) writes the worker's `WorkerBeat` every beat. A task
  RUNNING under a worker not seen for TASK_LEASE_SECONDS goes back to the queue (failed
  after its last attempt). A task may thus run twice: every task of ours is written so
  that its effect happens once (each says how in its docstring).
- **A database restart** does not end the worker (django-tasks-db's loop would): it
  waits for the database and puts back in the queue the task it interrupted.
- **The schedule.** The same thread queues the jobs of settings.TASK_SCHEDULE when due,
  once across every worker (the job's `ScheduledRun` row is locked while it is queued).

The attempt count is the number of workers that claimed the task (`worker_ids`), so
retries and reclaims count alike.
"""

import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta
from traceback import format_exception

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from marketplace.tasks.models import ScheduledRun, WorkerBeat

logger = logging.getLogger(__name__)

# How long a worker waits before asking a database that failed again.
DATABASE_WAIT_SECONDS = 1.0


class WorkerLost(Exception):
    """The worker running the task stopped beating: killed, or its machine lost."""


def attempts(result: DBTaskResult) -> int:
    return len(result.worker_ids)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, …)."""
    return timedelta(seconds=settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1))


def lease() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def _error_fields(error: BaseException) -> dict:
    return {
        "exception_class_path": f"{type(error).__module__}.{type(error).__qualname__}",
        "traceback": "".join(format_exception(error)),
    }


def schedule_retry(result: DBTaskResult) -> datetime | None:
    """After a failed attempt, queue the next one unless that was the last: when it runs."""
    if attempts(result) >= settings.TASK_MAX_ATTEMPTS:
        return None
    run_after = timezone.now() + retry_delay(attempts(result))
    DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    return run_after


def reclaim_orphans(now: datetime | None = None) -> int:
    """Queue again (or fail, after their last attempt) the tasks RUNNING under a worker
    not seen for a lease; how many."""
    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(beat_at__gte=now - lease()).values_list("worker_id", flat=True)
    )
    reclaimed = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        error = WorkerLost(
            f"worker {result.worker_ids[-1] if result.worker_ids else '?'} "
            f"not seen for {settings.TASK_LEASE_SECONDS} s"
        )
        # Unchanged since read (same start): not finished nor claimed again meanwhile.
        rows = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if attempts(result) >= settings.TASK_MAX_ATTEMPTS:
            changed = rows.update(
                status=TaskResultStatus.FAILED, finished_at=now, **_error_fields(error)
            )
            if changed:
                logger.error("Task %s failed for good: %s", result.pk, error)
        else:
            changed = rows.update(
                status=TaskResultStatus.READY, run_after=now, **_error_fields(error)
            )
            if changed:
                logger.warning("Task %s queued again: %s", result.pk, error)
        reclaimed += changed
    return reclaimed


def is_due(job: dict, last: datetime | None, now: datetime) -> bool:
    """Whether a job of TASK_SCHEDULE last queued at `last` is due: `"daily": True` once
    per local date, `"every": seconds` once per that many seconds."""
    if last is None:
        return True
    if job.get("daily"):
        return timezone.localdate(last) < timezone.localdate(now)
    return now - last >= timedelta(seconds=job["every"])


def queue_due_jobs(now: datetime | None = None) -> list[str]:
    """Queue the scheduled jobs that are due, each once whichever workers ask; their names."""
    now = now or timezone.now()
    schedule: dict[str, dict] = settings.TASK_SCHEDULE
    ScheduledRun.objects.bulk_create(
        [ScheduledRun(name=name) for name in schedule], ignore_conflicts=True
    )
    queued = []
    for name, job in schedule.items():
        # The lock (a row lock; the whole database on SQLite) makes one worker queue it.
        with exclusive_transaction():
            run = ScheduledRun.objects.select_for_update(skip_locked=True).filter(name=name).first()
            if run is None or not is_due(job, run.queued_at, now):
                continue
            import_string(job["task"]).enqueue()
            run.queued_at = now
            run.save(update_fields=["queued_at"])
        queued.append(name)
    if queued:
        logger.info("Scheduled jobs queued: %s", ", ".join(queued))
    return queued


def beat(worker_id: str, started_at: datetime) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now},
        create_defaults={
            "beat_at": now,
            "started_at": started_at,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


class Heart(threading.Thread):
    """Beats for the worker, also while it runs a long task, and does its housekeeping:
    reclaiming orphaned tasks and queueing scheduled jobs."""

    def __init__(self, worker_id: str, schedule: bool = True) -> None:
        super().__init__(name=f"heart-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.schedule = schedule
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        # At most a quarter of the lease between beats: a late beat is not a lost worker.
        self.every = max(settings.TASK_LEASE_SECONDS / 4, 0.2)

    def start(self) -> None:
        beat(self.worker_id, self.started_at)  # seen before it claims anything
        super().start()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                self.tick()
        finally:
            connection.close()

    def tick(self) -> None:
        try:
            close_old_connections()
            beat(self.worker_id, self.started_at)
            reclaim_orphans()
            if self.schedule:
                queue_due_jobs()
        except Exception:  # the database restarting: the next beat tries again
            logger.warning("Task worker housekeeping failed", exc_info=True)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)
        try:
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            logger.warning("Could not sign the worker off", exc_info=True)


class TaskWorker(Worker):
    """django-tasks-db's worker, with a `Heart` and retries."""

    def __init__(self, *, schedule: bool = True, **options) -> None:
        super().__init__(**options)
        self.schedule = schedule
        self.interrupted = None  # the task running when the database failed

    def run(self) -> None:
        heart = Heart(self.worker_id, schedule=self.schedule)
        heart.start()
        try:
            while True:
                try:
                    self.requeue_interrupted()
                    reclaim_orphans()
                    super().run()
                    return
                except (OperationalError, InterfaceError) as error:
                    # django-tasks-db's loop lets these end the process: a database restart
                    # would stop every worker. Wait for the database and go on instead.
                    logger.warning("Database unavailable (%s): the worker waits", error)
                    connection.close()
                    time.sleep(DATABASE_WAIT_SECONDS)
        finally:
            heart.stop()

    def requeue_interrupted(self) -> None:
        """The task the database's failure interrupted (it could not even record how it
        ended) back in the queue: its worker still beats, so no lease would free it."""
        if self.interrupted is None:
            return
        DBTaskResult.objects.filter(pk=self.interrupted, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, run_after=timezone.now()
        )
        logger.warning("Task %s queued again after the database came back", self.interrupted)
        self.interrupted = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.interrupted = db_task_result.pk
        super().run_task(db_task_result)
        self.interrupted = None
        if db_task_result.status != TaskResultStatus.FAILED:
            return
        run_after = schedule_retry(db_task_result)
        if run_after is None:
            logger.error(
                "Task %s (%s) failed for good after %s attempts",
                db_task_result.pk,
                db_task_result.task_path,
                attempts(db_task_result),
            )
        else:
            logger.warning(
                "Task %s (%s) failed, attempt %s of %s; next at %s",
                db_task_result.pk,
                db_task_result.task_path,
                attempts(db_task_result),
                settings.TASK_MAX_ATTEMPTS,
                run_after.isoformat(timespec="seconds"),
            )
