"""Scheduled certificate chores, run by the task worker (settings.TASK_SCHEDULE)."""

from django_tasks import task

from marketplace.certificates import reminders


@task()
def send_expiry_reminders() -> dict:
    """Daily: the expiry reminders due today, each sent once (reminders.py records every
    reminder before it is sent, so a second run the same day sends nothing more)."""
    run = reminders.remind()
    return {"sent": run.total_sent, "already_sent": run.already_sent, "failed": run.failed}
