"""Applying a checked spreadsheet in the task worker, with its progress for the office.

The office's "Apply" queues `apply_spreadsheet`; the run page
(`admin_views.import_run`) shows the rows written so far and, once finished, the
report. The import and the record of its result are committed together, so a task run
again (a retry, a worker killed mid-import) imports the file once: an interrupted import
left nothing, a finished one is not run again.

Progress is written by a thread on a connection of its own, about once a second: the
import's rows are written in one transaction, which other connections do not see until
it ends. (SQLite lets one writer at a time: there the count appears at the end.)
"""

import logging
import threading

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from marketplace.office.bulk.importing import ImportReport, run_import
from marketplace.office.bulk.models import PendingImport

logger = logging.getLogger(__name__)

State = PendingImport.State
PROGRESS_SECONDS = 1.0


def report_data(report: ImportReport) -> dict:
    """What the report template reads of an ImportReport, as JSON."""
    return {
        "written": report.written,
        "ok": report.ok,
        "summary": report.summary,
        "problems": [
            {
                "message": str(problem.message),
                "sheet": problem.sheet,
                "row": problem.row,
                "column": problem.column,
                "external_id": problem.external_id,
            }
            for problem in report.problems
        ],
    }


def queue(pending: PendingImport) -> None:
    """Hand the checked file to the task worker (at once, with TASKS_BACKEND=immediate)."""
    with transaction.atomic():
        pending.state = State.QUEUED
        pending.save(update_fields=["state"])
        # In the same transaction: the worker sees the task once the state is committed.
        apply_spreadsheet.enqueue(pending.pk)


class ProgressWriter:
    """The import's progress callback: keeps the last count, which a thread writes."""

    def __init__(self, pending_id: int) -> None:
        self.pending_id = pending_id
        self.done = self.total = 0
        self.written = (0, 0)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="import-progress")

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def __enter__(self) -> "ProgressWriter":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(PROGRESS_SECONDS):
                self._write()
        finally:
            connection.close()  # this thread's own connection

    def _write(self) -> None:
        counts = (self.done, self.total)
        if counts == self.written:
            return
        try:
            PendingImport.objects.filter(pk=self.pending_id, state=State.RUNNING).update(
                rows_done=counts[0], rows_total=counts[1]
            )
            self.written = counts
        except Exception:  # locked (SQLite) or busy: the next second tries again
            logger.debug("Import progress not written", exc_info=True)


def apply(pending_id: int) -> dict | None:
    """Import the file of a queued PendingImport and record its report; the report, or
    None when there is nothing to do (already finished, or gone)."""
    started = PendingImport.objects.filter(
        pk=pending_id, state__in=[State.QUEUED, State.RUNNING]
    ).update(state=State.RUNNING, rows_done=0)
    if not started:
        return None
    pending = PendingImport.objects.select_related("uploaded_by").get(pk=pending_id)
    with ProgressWriter(pending_id) as progress, transaction.atomic():
        report = run_import(
            bytes(pending.content),
            pending.filename,
            kind=pending.kind or None,
            user=pending.uploaded_by,
            progress=progress,
        )
        pending.result = report_data(report)
        pending.state = State.DONE
        pending.finished_at = timezone.now()
        pending.rows_done = pending.rows_total = len(report.outcomes)
        pending.content = b""  # imported or refused: the file is not needed any more
        pending.save()
    return pending.result


@task()
def apply_spreadsheet(pending_id: int) -> dict | None:
    """apply() in the task worker: the file imported once however often this runs."""
    return apply(pending_id)
