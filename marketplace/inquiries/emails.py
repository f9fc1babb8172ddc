"""The email about inquiries: what each message says, and sending it with a record.

Producers read Vietnamese; consumers the language they used on the site. Each message has
a plain-text and an HTML part (templates/inquiries/email/) and absolute links built on
settings.PUBLIC_BASE_URL, the site's public address.

Every message is an `EmailDelivery` row, rendered afresh from the records it is about at
each attempt; a message marked sent is never sent again, so a task that runs twice (a
retry, a reclaimed task) sends each message once. A failure is logged and recorded, and
the task that sent it raises `NotSent` so that the task worker tries it again later
(marketplace/tasks/worker.py); failed messages are also retried after the next message
that goes out (mail works again), by the scheduled job `retry_emails` and by
`manage.py inquiries retry-emails`, up to MAX_ATTEMPTS times.

The messages of one batch (a submission's, a retry's) share one connection to the mail
server, opened once: a server that does not answer costs one settings.EMAIL_TIMEOUT for
the whole batch, not one per message, so the request that sends them stays bounded.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.core.site_address import absolute_url
from marketplace.inquiries.models import (
    CONSUMER_SOURCE,
    EmailDelivery,
    Inquiry,
    StatusChange,
    Submission,
)
from producers.contacts import producer_name, producer_recipients

logger = logging.getLogger(__name__)

Kind = EmailDelivery.Kind
State = EmailDelivery.State

# The admin view of one inquiry (marketplace/inquiries/admin_views.py).
ADMIN_DETAIL_URL_NAME = "inquiries_admin:detail"
MAX_ATTEMPTS = 5
# At most this many failed messages are retried after one that went out, so the request
# that sent it stays quick.
RETRY_BATCH = 10


def stale_before(now: datetime) -> datetime:
    """A message still pending whose attempt began before this was interrupted (its
    process stopped mid-send); so was one never tried, created before it (its task lost)."""
    return now - timedelta(seconds=settings.EMAIL_SENDING_LEASE_SECONDS)


def admin_url(inquiry: Inquiry) -> str:
    """Where the producer answers `inquiry`: its admin view, else the admin's dashboard."""
    try:
        path = reverse(ADMIN_DETAIL_URL_NAME, args=[inquiry.pk])
    except NoReverseMatch:
        path = reverse("wagtailadmin_home")
    return absolute_url(path)


def tracking_url(inquiry: Inquiry) -> str:
    return absolute_url(inquiry.get_tracking_url())


def _items(inquiry: Inquiry) -> dict:
    """The items of `inquiry` and their estimated total, for _items.html/_items.txt."""
    items = list(inquiry.items.all())
    prices = [item.subtotal_vnd for item in items if item.subtotal_vnd is not None]
    return {
        "items": items,
        "total": sum(prices) if prices else None,
        "has_price_on_request": len(prices) < len(items),
    }


def _message(
    template: str,
    context: dict,
    subject: str,
    to: list[str],
    reply_to: list[str] | None = None,
) -> EmailMultiAlternatives:
    """Render templates/inquiries/email/<template>.txt and .html in the active language."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "subject": subject, **context}
    text = render_to_string(f"inquiries/email/{template}.txt", context)
    html = render_to_string(f"inquiries/email/{template}.html", context)
    # A header must not contain a line break, whatever the data in the subject.
    subject = " ".join(f"{subject} – {settings.WAGTAIL_SITE_NAME}".split())
    message = EmailMultiAlternatives(subject, text, to=to, reply_to=reply_to or None)
    message.attach_alternative(html, "text/html")
    return message


def producer_new_inquiry(inquiry: Inquiry) -> EmailMultiAlternatives | None:
    """The request for the producer, in Vietnamese; None when they have no address."""
    to = producer_recipients(inquiry.producer)
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New order inquiry %(reference)s") % {"reference": inquiry.reference}
        context = {
            "inquiry": inquiry,
            **_items(inquiry),
            "producer_name": str(inquiry.producer),
            "consumer_language": translation.get_language_info(inquiry.language)["name_local"],
            "admin_url": admin_url(inquiry),
        }
        # The producer's "reply" reaches the consumer directly.
        reply_to = [inquiry.email] if inquiry.email else None
        return _message("producer_new_inquiry", context, subject, to, reply_to)


def consumer_submitted(submission: Submission) -> EmailMultiAlternatives | None:
    """All references of a submission with their tracking links; None without an address."""
    inquiries = list(
        submission.inquiries.select_related("producer").prefetch_related("items").order_by("pk")
    )
    if not inquiries or not inquiries[0].email:
        return None
    consumer = inquiries[0]
    with translation.override(consumer.language):
        references = ", ".join(inquiry.reference for inquiry in inquiries)
        subject = ngettext(
            "Your order inquiry %(references)s has been sent",
            "Your order inquiries %(references)s have been sent",
            len(inquiries),
        ) % {"references": references}
        context = {
            "consumer": consumer,
            "entries": [
                {
                    "inquiry": inquiry,
                    **_items(inquiry),
                    "producer_name": producer_name(inquiry.producer, consumer.language),
                    "tracking_url": tracking_url(inquiry),
                }
                for inquiry in inquiries
            ],
        }
        return _message("consumer_submitted", context, subject, [consumer.email])


def consumer_status(change: StatusChange) -> EmailMultiAlternatives | None:
    """The new status and the producer's note; None when it is not for the consumer."""
    inquiry = change.inquiry
    if not change.visible_to_consumer or not inquiry.email:
        return None
    with translation.override(inquiry.language):
        status = Inquiry.Status(change.to_status).label
        if change.from_status == change.to_status:
            # A note without a change of status (a partial refund).
            subject = _("News about your order inquiry %(reference)s") % {
                "reference": inquiry.reference
            }
        else:
            subject = _("Your order inquiry %(reference)s: %(status)s") % {
                "reference": inquiry.reference,
                "status": status,
            }
        context = {
            "inquiry": inquiry,
            "change": change,
            "status": status,
            "producer_name": producer_name(inquiry.producer, inquiry.language),
            "tracking_url": tracking_url(inquiry),
        }
        return _message("consumer_status", context, subject, [inquiry.email])


def producer_cancelled(change: StatusChange) -> EmailMultiAlternatives | None:
    """The consumer's cancellation and reason for the producer, in Vietnamese; None when
    they have no address."""
    inquiry = change.inquiry
    to = producer_recipients(inquiry.producer)
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Order inquiry %(reference)s cancelled by the customer") % {
            "reference": inquiry.reference
        }
        context = {
            "inquiry": inquiry,
            "change": change,
            "producer_name": str(inquiry.producer),
            "admin_url": admin_url(inquiry),
        }
        reply_to = [inquiry.email] if inquiry.email else None
        return _message("producer_cancelled", context, subject, to, reply_to)


def consumer_tracking_link(inquiry: Inquiry) -> EmailMultiAlternatives | None:
    """The tracking link again, asked for on "Find my request"; None without an address
    or once the inquiry was anonymised."""
    if not inquiry.email or inquiry.anonymised_at:
        return None
    with translation.override(inquiry.language):
        subject = _("The link to your order inquiry %(reference)s") % {
            "reference": inquiry.reference
        }
        context = {
            "inquiry": inquiry,
            "producer_name": producer_name(inquiry.producer, inquiry.language),
            "tracking_url": tracking_url(inquiry),
        }
        return _message("consumer_link", context, subject, [inquiry.email])


def build_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    if delivery.kind == Kind.PRODUCER_NEW:
        return producer_new_inquiry(delivery.inquiry)
    if delivery.kind == Kind.CONSUMER_SENT:
        return consumer_submitted(delivery.submission)
    if delivery.kind == Kind.PRODUCER_CANCELLED:
        return producer_cancelled(delivery.status_change)
    if delivery.kind == Kind.CONSUMER_LINK:
        return consumer_tracking_link(delivery.inquiry)
    return consumer_status(delivery.status_change)


class MailServerUnavailable(Exception):
    """The mail server could not be reached, or stopped answering: not tried."""


class _UnavailableBackend(BaseEmailBackend):
    """Stands for a connection that failed to open: each message fails with its reason."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def send_messages(self, email_messages) -> int:
        raise MailServerUnavailable(f"{type(self.error).__name__}: {self.error}")


def open_connection() -> BaseEmailBackend:
    """The mail server's connection for a batch, or a stand-in that fails each message
    when the server cannot be reached within settings.EMAIL_TIMEOUT."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # refused, timed out, TLS, authentication
        logger.warning("Mail server unavailable: %s: %s", type(error).__name__, error)
        return _UnavailableBackend(error)
    return connection


def deliver(delivery: EmailDelivery, connection: BaseEmailBackend | None = None) -> str:
    """Render and send one email, record the outcome, and return the new state."""
    _attempt(delivery, connection)
    return delivery.state


def _attempt(delivery: EmailDelivery, connection: BaseEmailBackend | None) -> Exception | None:
    """deliver(); the error it recorded, if any."""
    if delivery.state == State.SENT or not _claim(delivery):
        return None
    failure = None
    try:
        message = build_message(delivery)
        if message is None:
            delivery.state = State.SKIPPED
        else:
            message.connection = connection
            message.send()
            delivery.state = State.SENT
            delivery.sent_at = timezone.now()
        delivery.last_error = ""
    except Exception as error:  # SMTP, network, templates: record it and carry on
        logger.exception(
            "Email %s (%s) failed, attempt %s", delivery.pk, delivery.kind, delivery.attempts
        )
        delivery.state = State.FAILED
        delivery.last_error = f"{type(error).__name__}: {error}"[:500]
        failure = error
    delivery.save()
    return failure


def _claim(delivery: EmailDelivery) -> bool:
    """Take this attempt of `delivery` for this process, in one UPDATE on the attempt
    count it read, which marks the message pending (in flight) from now: two task
    workers retrying the same failed message (a task's retry and another's
    retry_failed()) would otherwise both send it, and so would one that read it failed
    while the other was sending it. False: another process has it or sent it;
    `delivery` is then read again."""
    now = timezone.now()
    taken = EmailDelivery.objects.filter(
        _claimable(now), pk=delivery.pk, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, last_attempt_at=now, state=State.PENDING)
    if not taken:
        delivery.refresh_from_db()
        return False
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.state = State.PENDING
    return True


def _claimable(now) -> Q:
    """Messages no process is sending: failed ones, pending ones never tried, and pending
    ones whose attempt began before stale_before() (the process stopped mid-send)."""
    stale = stale_before(now)
    return Q(state=State.FAILED) | Q(
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=stale), state=State.PENDING
    )


def deliver_batch(deliveries: list[EmailDelivery]) -> list[str]:
    """deliver() each over one connection, and their new states. Once the server stops
    answering (a timeout), the rest fail without waiting for it again."""
    if not deliveries:
        return []
    connection = open_connection()
    try:
        for delivery in deliveries:
            if _timed_out(_attempt(delivery, connection)):
                connection.close()
                connection = _UnavailableBackend(TimeoutError("the mail server stopped answering"))
        return [delivery.state for delivery in deliveries]
    finally:
        connection.close()


def _timed_out(error: BaseException | None) -> bool:
    """Whether `error` comes from a wait for the server that ran out (smtplib reports it
    as SMTPServerDisconnected, raised while handling the socket's TimeoutError)."""
    while error is not None:
        if isinstance(error, TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False


class NotSent(Exception):
    """Some messages of a batch failed (recorded in their EmailDelivery): try again later."""


def _deliver_all(deliveries: list[EmailDelivery]) -> None:
    states = deliver_batch(deliveries)
    # Pending: being sent by another process, or claimed by an attempt that stopped
    # mid-send (this task's own, run again): try again once its lease is over.
    unsettled = [
        d
        for d in deliveries
        if d.state in (State.FAILED, State.PENDING) and d.attempts < MAX_ATTEMPTS
    ]
    if unsettled:
        raise NotSent(", ".join(f"email {d.pk}: {d.last_error or d.state}" for d in unsettled))
    if State.SENT in states:
        retry_failed(limit=RETRY_BATCH)


def email_submission(submission: Submission) -> None:
    """Email each producer their new inquiry, then the consumer all references."""
    deliveries = []
    for inquiry in submission.inquiries.select_related("producer").order_by("pk"):
        if producer_recipients(inquiry.producer):
            deliveries.append(_delivery(Kind.PRODUCER_NEW, inquiry=inquiry))
        else:
            logger.warning(
                "Inquiry %s not emailed: producer %s has no email address or manager",
                inquiry.reference,
                inquiry.producer_id,
            )
    if submission.inquiries.exclude(email="").exists():
        deliveries.append(_delivery(Kind.CONSUMER_SENT, submission=submission))
    _deliver_all(deliveries)


def email_status_change(change: StatusChange) -> None:
    """Email the consumer about a status change that concerns them, and the producer
    about a cancellation the consumer made."""
    deliveries = []
    if change.source == CONSUMER_SOURCE and change.to_status == Inquiry.Status.CANCELLED:
        if producer_recipients(change.inquiry.producer):
            deliveries.append(_delivery(Kind.PRODUCER_CANCELLED, status_change=change))
        else:
            logger.warning(
                "Cancellation of %s not emailed: producer %s has no email address or manager",
                change.inquiry.reference,
                change.inquiry.producer_id,
            )
    if change.visible_to_consumer and change.inquiry.email:
        deliveries.append(_delivery(Kind.CONSUMER_STATUS, status_change=change))
    _deliver_all(deliveries)


def tracking_link_delivery(inquiry: Inquiry) -> EmailDelivery | None:
    """The record of one more email of the tracking link the consumer asked for (None
    when there is no address to send it to): made in the request, so that the task
    sending it, however often it runs, sends this one message."""
    if inquiry.email and not inquiry.anonymised_at:
        return EmailDelivery.objects.create(kind=Kind.CONSUMER_LINK, inquiry=inquiry)
    return None


def email_delivery(delivery: EmailDelivery) -> None:
    """Send one recorded message (unless it went out already)."""
    _deliver_all([delivery])


def _delivery(kind: str, **about) -> EmailDelivery:
    delivery, _created = EmailDelivery.objects.get_or_create(kind=kind, **about)
    return delivery


@dataclass(frozen=True)
class RetryResult:
    sent: int
    failed: int
    skipped: int
    given_up: int  # failed MAX_ATTEMPTS times: left for a person to look at


def retry_failed(limit: int | None = None) -> RetryResult:
    """Send again the failed emails, and pending ones a crash left behind, oldest first."""
    stale = stale_before(timezone.now())
    # Pending and never tried for the lease, or tried that long ago and not settled.
    left_behind = Q(last_attempt_at__lt=stale) | Q(
        last_attempt_at__isnull=True, created_at__lt=stale
    )
    due = EmailDelivery.objects.filter(
        Q(state=State.FAILED) | Q(left_behind, state=State.PENDING), attempts__lt=MAX_ATTEMPTS
    ).select_related("inquiry__producer", "submission", "status_change__inquiry__producer")
    states = deliver_batch(list(due.order_by("pk")[:limit]))
    return RetryResult(
        sent=states.count(State.SENT),
        failed=states.count(State.FAILED),
        skipped=states.count(State.SKIPPED),
        given_up=EmailDelivery.objects.filter(
            state=State.FAILED, attempts__gte=MAX_ATTEMPTS
        ).count(),
    )
