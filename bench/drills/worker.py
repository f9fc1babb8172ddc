#!/usr/bin/env python
"""Drill 5: a task worker killed in the middle of a task.

The office applies a spreadsheet of new products; the import runs in a task worker,
which is killed (SIGKILL: no goodbye, no rollback message) once it has written part of
the rows. Another worker must take the task over when the dead one's lease runs out,
run it again, and the import's effect must happen once: every product created exactly
once, the import's report recorded, nothing half-written.

    DATABASE_URL=postgres://… python bench/drills/worker.py [--rows 400]
"""

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills.harness import run_alone

NAME = "5. a task worker killed mid-task (a spreadsheet import)"
PREFIX = "DRILL5-"
KILL_AT_SHARE = 0.25  # of the rows written, seen through the import's progress
WAIT_SECONDS = 240

QUEUE_IMPORT = """
import json
from django.contrib.auth import get_user_model
from marketplace.office.bulk import applying
from marketplace.office.bulk.models import PendingImport
from producers.models import Locality
from products.models import ProductCategory
from tests.bulk_fixtures import producer_row, product_row, xlsx

locality = Locality.objects.filter(locale__language_code="vi").order_by("pk").first()
category = ProductCategory.objects.filter(locale__language_code="vi").order_by("pk").first()
producer = producer_row("{prefix}P", locality=locality.slug)
products = [
    product_row(f"{prefix}{{n}}", "{prefix}P", category=category.slug, ocop_stars=None,
                ocop_decision_number="", ocop_issuing_level="", ocop_issuing_body="",
                ocop_issue_date="")
    for n in range({rows})
]
office, _ = get_user_model().objects.get_or_create(
    username="drill-office", defaults={{"is_superuser": True, "is_staff": True}}
)
pending = PendingImport.objects.create(
    filename="drill.xlsx", content=xlsx([producer], products), uploaded_by=office
)
applying.queue(pending)
print(json.dumps({{"pending": pending.pk}}))
"""


def import_state(site, pending: int) -> tuple[str, int, int]:
    return site.sql(
        "SELECT state, rows_done, rows_total FROM bulk_pendingimport WHERE id = %s", pending
    )[0]


def task_row(site) -> tuple[str, int, str]:
    rows = site.sql(
        "SELECT status, jsonb_array_length(worker_ids), traceback "
        "FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'marketplace.office.bulk.applying.apply_spreadsheet' "
        "ORDER BY enqueued_at DESC LIMIT 1"
    )
    return rows[0] if rows else ("", 0, "")


def created(site) -> tuple[int, int]:
    """The import's product pages in Vietnamese: how many, and how many distinct."""
    return site.sql(
        "SELECT count(*), count(DISTINCT p.title) FROM wagtailcore_page p "
        "JOIN wagtailcore_locale l ON l.id = p.locale_id "
        "WHERE l.language_code = 'vi' AND p.title LIKE %s",
        f"%{PREFIX}%",
    )[0]


def run(site, rows: int = 400) -> tuple[dict, list[str]]:
    failures: list[str] = []
    figures: dict[str, object] = {}
    # One worker takes the task, so that killing it kills the task's run.
    spare = [name for name in site.processes if name.startswith("worker-")][1:]
    for name in spare:
        site.stop(name)
    victim = next(name for name in site.processes if name.startswith("worker-"))
    pending = site.manage_python(QUEUE_IMPORT.format(prefix=PREFIX, rows=rows))["pending"]
    queued = time.monotonic()

    deadline = queued + WAIT_SECONDS
    state, done, total = import_state(site, pending)
    while not (state == "running" and total and done >= total * KILL_AT_SHARE):
        if state == "done" or time.monotonic() > deadline:
            failures.append(f"the import was not caught mid-way: {state}, {done}/{total}")
            return figures, failures
        time.sleep(0.05)
        state, done, total = import_state(site, pending)
    site.stop(victim, signal.SIGKILL)
    killed = time.monotonic()
    figures["rows in the file"] = rows
    figures["rows written when the worker was killed"] = f"{done} of {total}"
    figures["task state just after the kill"] = task_row(site)[0]

    site.start_task_worker("worker-after-kill")
    while (status := task_row(site)[0]) not in ("SUCCESSFUL", "FAILED"):
        if time.monotonic() > killed + WAIT_SECONDS:
            failures.append(f"the task did not finish {WAIT_SECONDS} s after the kill: {status}")
            break
        time.sleep(0.2)
    recovered = time.monotonic() - killed
    status, attempts, traceback = task_row(site)
    state, done, total = import_state(site, pending)
    pages, distinct = created(site)
    distinct -= 1  # the producer's page
    summary = site.scalar("SELECT result->'summary' FROM bulk_pendingimport WHERE id = %s", pending)
    figures["task"] = f"{status}, {attempts} attempts (workers that claimed it)"
    figures["import"] = f"{state}, report {summary}"
    figures["products created"] = distinct
    figures["lost"] = rows - distinct
    figures["duplicated"] = pages - 1 - distinct
    figures["recovery seconds (kill to import done)"] = f"{recovered:.1f}"
    figures["lease (TASK_LEASE_SECONDS)"] = site.env["TASK_LEASE_SECONDS"]
    if status != "SUCCESSFUL" or attempts != 2:
        failures.append(f"task {status} after {attempts} attempts: {traceback[-500:]}")
    if state != "done" or not summary or summary.get("created") != rows + 1:
        failures.append(f"the import's report is wrong: {state}, {summary}")
    if distinct != rows or pages - 1 != distinct:
        failures.append(f"{distinct} products of {rows} created, {pages - 1 - distinct} twice")
    for name in spare:  # the site as it was, for the drills after this one
        site.start_task_worker(name)
    return figures, failures


def main(argv: list[str] | None = None) -> int:
    return run_alone(__doc__, NAME, run, {"rows": 400}, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
