"""Tasks for the task worker's tests (tests/test_task_worker.py): importable by the
worker's own process, with effects it writes to files the test reads."""

import os
import time
from pathlib import Path

from django_tasks import task


def _append(path: Path, line: str) -> int:
    """Append a line; how many lines the file has now."""
    with path.open("a") as file:
        file.write(line + "\n")
    return len(path.read_text().splitlines())


@task()
def fail_then_succeed(log: str, failures: int) -> int:
    """Raises on its first `failures` attempts; returns the attempt that succeeded."""
    attempt = _append(Path(log), str(os.getpid()))
    if attempt <= failures:
        raise RuntimeError(f"attempt {attempt} fails")
    return attempt


@task()
def hang_the_first_time(folder: str) -> None:
    """The first run hangs (its worker is killed there); a later one writes the effect."""
    if _append(Path(folder) / "started", str(os.getpid())) == 1:
        time.sleep(600)
    _append(Path(folder) / "effect", "done")


@task()
def nothing() -> None:
    """A scheduled job's stand-in."""
