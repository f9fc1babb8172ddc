"""Expiry reminders: `manage.py certificates remind`, run daily.

The producer and the office are emailed about each verified certificate of a
live product 60 and 30 days before its expiry date and on that day (its last valid day).

Each reminder has a window, from its day until the next reminder's day:
  60 days: 60 to 31 days left; 30 days: 30 to 1 day left; expiry day: 0 to -LATE_DAYS.
A run sends the reminder whose window today falls in, unless it was sent already. So a
run that is missed is caught up by the next one (a 60-day reminder goes out late, up to
the day the 30-day one is due, which then replaces it), and a certificate verified with
20 days left gets the 30-day reminder at once. The expiry-day reminder is sent up to
LATE_DAYS after expiry, not for certificates that expired long before the command ran.

A CertificateReminder row is created in the same transaction that sends the emails: the
unique row makes a second run (or a concurrent one) skip it, and a failed send rolls the
row back so the next run tries again.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from marketplace.certificates.emails import reminder_messages
from marketplace.certificates.models import CertificateReminder, OcopCertificate
from products.models import ProductPage

logger = logging.getLogger(__name__)

Threshold = CertificateReminder.Threshold
THRESHOLDS = sorted(Threshold.values, reverse=True)  # 60, 30, 0
# How many days after expiry a missed expiry-day reminder is still sent.
LATE_DAYS = 7


@dataclass
class ReminderRun:
    on: datetime.date
    sent: Counter = field(default_factory=Counter)  # threshold -> certificates reminded
    already_sent: int = 0
    no_recipients: int = 0
    failed: int = 0
    dry_run: bool = False

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


def due_threshold(expiry_date: datetime.date, on: datetime.date) -> int | None:
    """The reminder whose window `on` falls in (see the module's docstring), or None."""
    days_left = (expiry_date - on).days
    if days_left < -LATE_DAYS:
        return None
    due = [threshold for threshold in THRESHOLDS if days_left <= threshold]
    return min(due) if due else None


def certificates_to_remind(on: datetime.date) -> list[OcopCertificate]:
    """Verified certificates of live products within a reminder window on `on`, one per
    translation key (the copy in the default language when there is one)."""
    candidates = (
        OcopCertificate.objects.verified()
        .filter(
            page__in=ProductPage.objects.live(),
            expiry_date__gte=on - datetime.timedelta(days=LATE_DAYS),
            expiry_date__lte=on + datetime.timedelta(days=max(THRESHOLDS)),
        )
        .select_related("page")
        .order_by("pk")
    )
    default = Locale.get_default().pk
    chosen: dict = {}
    for certificate in candidates:
        current = chosen.get(certificate.translation_key)
        if current is None or (
            certificate.page.locale_id == default and current.page.locale_id != default
        ):
            chosen[certificate.translation_key] = certificate
    return list(chosen.values())


def remind(on: datetime.date | None = None, *, dry_run: bool = False) -> ReminderRun:
    """Send the reminders due on `on` (today) that were not sent yet."""
    run = ReminderRun(on=on or timezone.localdate(), dry_run=dry_run)
    connection = get_connection()
    for certificate in certificates_to_remind(run.on):
        threshold = due_threshold(certificate.expiry_date, run.on)
        if threshold is None:
            continue
        key = {
            "translation_key": certificate.translation_key,
            "threshold": threshold,
            "expiry_date": certificate.expiry_date,
        }
        if CertificateReminder.objects.filter(**key).exists():
            run.already_sent += 1
            continue
        messages = reminder_messages(certificate, run.on)
        if not messages:
            # Not recorded: it goes out once somebody has an address.
            logger.warning("Certificate %s: nobody to remind", certificate.pk)
            run.no_recipients += 1
            continue
        if dry_run:
            run.sent[threshold] += 1
            continue
        try:
            sent = _record_and_send(key, messages, connection)
        except Exception:  # SMTP, network: the row is rolled back, the next run retries
            logger.exception("Certificate %s: reminder %s failed", certificate.pk, threshold)
            run.failed += 1
            continue
        if sent:
            run.sent[threshold] += 1
        else:
            run.already_sent += 1
    return run


def _record_and_send(key: dict, messages: list, connection) -> bool:
    """Create the reminder's row and send its emails, all or nothing; False when another
    run created the row first."""
    recipients = ", ".join(address for message in messages for address in message.to)
    with transaction.atomic():
        _reminder, created = CertificateReminder.objects.get_or_create(
            **key, defaults={"recipients": recipients}
        )
        if created:
            connection.send_messages(messages)
    return created
