"""The office's view of the task queue: what waits, runs, failed, and which workers run."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from marketplace.core.office import OfficeOnlyMixin
from marketplace.tasks.labels import task_label
from marketplace.tasks.models import WorkerBeat

SHOWN = 100
STATUS_LABELS = {
    TaskResultStatus.READY: _("Waiting"),
    TaskResultStatus.RUNNING: _("Running"),
    TaskResultStatus.SUCCESSFUL: _("Done"),
    TaskResultStatus.FAILED: _("Failed"),
}


class TaskListView(OfficeOnlyMixin, TemplateView):
    template_name = "tasks/task_list.html"

    def get_context_data(self, **kwargs) -> dict:
        now = timezone.now()
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        rows = [
            {
                "label": task_label(result.task_path),
                "status": STATUS_LABELS.get(result.status, result.status),
                "status_code": result.status.lower(),
                "attempts": len(result.worker_ids),
                "enqueued_at": result.enqueued_at,
                "finished_at": result.finished_at,
                "next_attempt_at": result.run_after
                if result.status == TaskResultStatus.READY
                and result.run_after > now
                and result.run_after.year < 9999
                else None,
                "error": result.traceback.strip().splitlines()[-1] if result.traceback else "",
            }
            for result in DBTaskResult.objects.order_by("-enqueued_at")[:SHOWN]
        ]
        lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
        return {
            **super().get_context_data(**kwargs),
            "page_title": _("Background tasks"),
            "header_icon": "cogs",
            "counts": [(STATUS_LABELS[s], counts.get(s, 0)) for s in STATUS_LABELS],
            "rows": rows,
            "workers": WorkerBeat.objects.filter(beat_at__gte=now - lease).order_by("started_at"),
            "immediate": settings.TASKS["default"]["BACKEND"]
            == settings.TASKS_BACKENDS["immediate"],
            "max_attempts": settings.TASK_MAX_ATTEMPTS,
        }
