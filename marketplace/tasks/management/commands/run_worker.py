"""manage.py run_worker: the task worker (marketplace.tasks.worker).

django-tasks-db's `db_worker` options, plus `--no-schedule` for a worker that leaves the
scheduled jobs to the others. Run one or more per site, under a process manager that
restarts them (systemd, a container's restart policy): docs/deploy.md.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from marketplace.tasks.worker import TaskWorker


class Command(db_worker.Command):
    help = "Run the task worker: queued tasks with retries, leases and the scheduled jobs."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not queue the scheduled jobs (settings.TASK_SCHEDULE) from this worker.",
        )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        schedule: bool,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        worker = TaskWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            schedule=schedule,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
