"""The task worker (`manage.py run_worker`) in a process of its own, on the test database."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parent.parent


def database_url(name: str | None = None) -> str:
    """A URL of the test's PostgreSQL server, for database `name` (default: the test's)."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{name or database['NAME']}"
    )


def worker_environment(**environment: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "TASK_RETRY_SECONDS": "0",
        **environment,
    }


def start_worker(*options: str, **environment: str) -> subprocess.Popen:
    """A worker process on the test database (its committed rows: transactional tests)."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.1",
            *options,
        ],
        cwd=REPO,
        env=worker_environment(**environment),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_worker_batch(*options: str, timeout: float = 120, **environment: str) -> str:
    """Run the queued tasks in a worker process until none is ready; its output."""
    worker = start_worker("--batch", "--no-schedule", *options, **environment)
    output, _ = worker.communicate(timeout=timeout)
    assert worker.returncode == 0, output
    return output
