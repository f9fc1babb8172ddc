"""Emails about inquiries, queued as tasks on commit and sent by the task worker.

Each message is an EmailDelivery, sent once however often its task runs (emails.py). A
task raises `emails.NotSent` when a message failed, so that the worker tries again later
(marketplace/tasks/worker.py); with TASKS_BACKEND=immediate the exception is only
logged, and the failed message waits for the next message that goes out or for the
scheduled `retry_emails`.
"""

import logging

from django_tasks import task

from marketplace.inquiries import emails
from marketplace.inquiries.models import EmailDelivery, StatusChange, Submission

logger = logging.getLogger(__name__)


@task()
def send_submission_emails(submission_id: int) -> None:
    """Tell each producer about their new inquiry, and the consumer about all of them."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        logger.warning("Submission %s not found: no email sent", submission_id)
        return
    emails.email_submission(submission)


@task()
def send_status_email(change_id: int) -> None:
    """Tell the consumer about a status change (and the producer about a cancellation
    the consumer made)."""
    change = StatusChange.objects.select_related("inquiry__producer").filter(pk=change_id).first()
    if change is None:
        logger.warning("Status change %s not found: no email sent", change_id)
        return
    emails.email_status_change(change)


@task()
def send_email(delivery_id: int) -> None:
    """Send one recorded message, such as the tracking link a consumer asked for."""
    delivery = EmailDelivery.objects.select_related("inquiry__producer").filter(pk=delivery_id)
    if (found := delivery.first()) is None:
        logger.warning("Email %s not found: not sent", delivery_id)
        return
    emails.email_delivery(found)


@task()
def retry_emails() -> dict:
    """Scheduled: send again the messages that failed, and those a stopped process left."""
    result = emails.retry_failed()
    return {"sent": result.sent, "failed": result.failed, "given_up": result.given_up}
