"""Emails about inquiries, sent through Django's tasks framework after commit.

With the default immediate backend a task runs inside the request that enqueued it, and
an exception in it is only logged by django_tasks, never retried. So these tasks do not
raise on a mail failure: marketplace.inquiries.emails records every message as an
EmailDelivery, logs a failure, and retries it later (see that module).
"""

import logging

from django_tasks import task

from marketplace.inquiries import emails
from marketplace.inquiries.models import Inquiry, StatusChange, Submission

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
def send_tracking_link_email(inquiry_id: int) -> None:
    """Send the consumer the tracking link they asked for on "Find my request"."""
    inquiry = Inquiry.objects.select_related("producer").filter(pk=inquiry_id).first()
    if inquiry is None:
        logger.warning("Inquiry %s not found: no tracking link sent", inquiry_id)
        return
    emails.email_tracking_link(inquiry)
