"""What the task workers share through the database, beside django-tasks-db's queue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """A worker process that runs, and the last moment it said so.

    A task RUNNING under a worker whose beat is older than settings.TASK_LEASE_SECONDS is
    put back in the queue (marketplace.tasks.worker.reclaim_orphans): its worker was
    killed or lost its machine, and django-tasks-db alone would leave it RUNNING forever.
    """

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}, pid {self.pid})"


class ScheduledRun(models.Model):
    """When a scheduled job (settings.TASK_SCHEDULE) was last queued, by any worker."""

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    queued_at = models.DateTimeField(_("last queued at"), null=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
