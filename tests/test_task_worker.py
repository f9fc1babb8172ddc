"""The task worker (marketplace/tasks): real worker processes on the PostgreSQL test
database run what the site queues, retry failures, take over the task of a killed
worker, and queue the scheduled jobs once."""

import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from marketplace.tasks.models import ScheduledRun, WorkerBeat
from marketplace.tasks.worker import queue_due_jobs
from tests import worker_tasks
from tests.worker_process import REPO, run_worker_batch, start_worker, worker_environment

pytest_plugins = ["tests.producer_accounts_fixtures"]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# Worker processes read what the test committed: transactional tests.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def queue(settings, postgresql):
    """Tasks go to the database queue, where worker processes find them once committed."""
    settings.TASKS = DATABASE_TASKS


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@committed
def test_a_failing_task_is_retried_until_it_succeeds(queue, tmp_path):
    log = tmp_path / "attempts"
    result = worker_tasks.fail_then_succeed.enqueue(str(log), 2)

    run_worker_batch()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == 3
    assert len(row.worker_ids) == 3
    assert len(log.read_text().splitlines()) == 3


@committed
def test_a_task_failing_every_time_fails_after_the_last_attempt(queue, tmp_path):
    log = tmp_path / "attempts"
    result = worker_tasks.fail_then_succeed.enqueue(str(log), 99)

    run_worker_batch(TASK_MAX_ATTEMPTS="3")

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED"
    assert "RuntimeError: attempt 3 fails" in row.traceback
    assert len(log.read_text().splitlines()) == 3


@committed
def test_a_retry_waits_its_delay(queue, tmp_path):
    result = worker_tasks.fail_then_succeed.enqueue(str(tmp_path / "attempts"), 1)

    run_worker_batch(TASK_RETRY_SECONDS="3600")

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "READY"  # the second attempt waits an hour
    assert "RuntimeError: attempt 1 fails" in row.traceback  # why it waits, for the office
    assert row.run_after > timezone.now() + timedelta(minutes=59)


@committed
def test_the_task_of_a_killed_worker_runs_again_and_its_effect_happens_once(queue, tmp_path):
    result = worker_tasks.hang_the_first_time.enqueue(str(tmp_path))
    worker = start_worker("--no-schedule", TASK_LEASE_SECONDS="2")
    try:
        wait_for((tmp_path / "started").exists)
        assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=10)
    # Killed: it neither finished nor said goodbye. Another worker takes the task over
    # once the dead one's lease ran out.
    time.sleep(2.5)

    output = run_worker_batch(TASK_LEASE_SECONDS="2")

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL", output
    assert len(row.worker_ids) == 2
    assert (tmp_path / "effect").read_text() == "done\n"
    assert len((tmp_path / "started").read_text().splitlines()) == 2


@committed
def test_a_running_worker_keeps_its_task(queue, tmp_path):
    """A worker alive past the lease keeps its task: the beat, not the start, counts."""
    result = worker_tasks.hang_the_first_time.enqueue(str(tmp_path))
    worker = start_worker("--no-schedule", TASK_LEASE_SECONDS="1")
    try:
        wait_for((tmp_path / "started").exists)
        time.sleep(2.5)
        run_worker_batch(TASK_LEASE_SECONDS="1")
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == "RUNNING"
        assert len(row.worker_ids) == 1
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=10)


def test_scheduled_jobs_are_queued_once_when_due(settings, db):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_SCHEDULE = {
        "often": {"task": "tests.worker_tasks.nothing", "every": 60},
        "daily": {"task": "tests.worker_tasks.nothing", "daily": True},
    }
    now = timezone.now()

    assert queue_due_jobs(now) == ["often", "daily"]
    assert queue_due_jobs(now + timedelta(seconds=30)) == []
    assert queue_due_jobs(now + timedelta(seconds=61)) == ["often"]
    assert queue_due_jobs(now + timedelta(days=1)) == ["often", "daily"]
    assert DBTaskResult.objects.filter(task_path="tests.worker_tasks.nothing").count() == 5
    assert set(ScheduledRun.objects.values_list("name", flat=True)) == {"often", "daily"}


def test_the_schedule_names_real_tasks(settings):
    for job in settings.TASK_SCHEDULE.values():
        assert isinstance(import_string(job["task"]), Task)
        assert job.get("daily") or job["every"] > 0


def test_an_unknown_tasks_backend_stops_the_start(tmp_path):
    run = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=worker_environment(TASKS_BACKEND="celery"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "TASKS_BACKEND is 'celery': use one of database, immediate." in run.stderr


@committed
def test_stopping_a_worker_signs_it_off(queue, tmp_path):
    worker = start_worker("--no-schedule")
    try:
        wait_for(WorkerBeat.objects.exists)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert not WorkerBeat.objects.exists()


def test_the_office_sees_the_queue_and_why_a_task_waits(settings, office_client, db):
    settings.TASKS = DATABASE_TASKS
    result = worker_tasks.nothing.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        worker_ids=["w1"],
        run_after=timezone.now() + timedelta(minutes=5),
        traceback="Traceback…\nSMTPServerDisconnected: Connection unexpectedly closed",
    )

    response = office_client.get("/admin/tasks/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert "next attempt at" in html
    assert "No task worker is running" in html


def test_producers_do_not_see_the_queue(producer_a):
    assert producer_a.client.get("/admin/tasks/").status_code in (302, 403)
