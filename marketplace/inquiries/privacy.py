"""Personal data in inquiries: anonymising old closed ones, and exporting one person's.

Anonymising keeps what the office reports on (reference, producer, items, amounts,
statuses and their dates) and removes who asked and anything they or the producer wrote.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.core.fields import normalise_phone
from marketplace.inquiries.models import EmailDelivery, Inquiry, InquiryItem, StatusChange

ANONYMOUS_NAME = "—"
CLOSED_STATUSES = (Inquiry.Status.FULFILLED, Inquiry.Status.DECLINED, Inquiry.Status.CANCELLED)
AGE_PATTERN = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


def parse_age(value: str) -> tuple[int, str]:
    """An age like "24m" as (24, "m"): days (d), weeks (w), months (m) or years (y)."""
    match = AGE_PATTERN.match(value or "")
    if not match or int(match[1]) < 1:
        # For the operator at the command line, like Django's own commands: not translated.
        raise ValueError(f"“{value}” is not an age: write e.g. 30d, 8w, 24m or 2y.")
    return int(match[1]), match[2].lower()


def cutoff(age: str, now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment `age` ("24m") before `now`; months and years are calendar ones."""
    amount, unit = parse_age(age)
    now = now or timezone.now()
    if unit == "d":
        return now - datetime.timedelta(days=amount)
    if unit == "w":
        return now - datetime.timedelta(weeks=amount)
    months = amount * 12 if unit == "y" else amount
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    # 31 March minus one month is the last day of February.
    day = min(now.day, calendar.monthrange(year, month)[1])
    return now.replace(year=year, month=month, day=day)


def purgeable(before: datetime.datetime) -> QuerySet[Inquiry]:
    """Closed inquiries not anonymised yet whose last change is older than `before`."""
    return Inquiry.objects.filter(
        status__in=CLOSED_STATUSES, anonymised_at__isnull=True, updated_at__lt=before
    ).exclude(changes__at__gte=before)


@dataclass(frozen=True)
class PurgeResult:
    inquiries: int
    notes: int


def purge(before: datetime.datetime, dry_run: bool = False) -> PurgeResult:
    """Anonymise the purgeable inquiries; running it again changes nothing."""
    with transaction.atomic():
        ids = list(purgeable(before).select_for_update().values_list("pk", flat=True))
        notes = StatusChange.objects.filter(inquiry__in=ids).exclude(note="")
        result = PurgeResult(inquiries=len(ids), notes=notes.count())
        if dry_run or not ids:
            return result
        notes.update(note="")
        Inquiry.objects.filter(pk__in=ids).update(
            name=ANONYMOUS_NAME,
            phone="",
            email="",
            delivery_address="",
            wished_date=None,
            message="",
            confirmation_note="",
            anonymised_at=timezone.now(),
        )
        # A mail server's error may quote the consumer's address.
        EmailDelivery.objects.filter(
            Q(inquiry__in=ids)
            | Q(status_change__inquiry__in=ids)
            | Q(submission__inquiries__in=ids)
        ).update(last_error="")
    return result


def export_person(phone: str) -> dict:
    """Everything stored about whoever used `phone` (any Vietnamese format, or a foreign
    number with its country code), for JSON.

    Raises ValidationError when `phone` is not a phone number.
    """
    number = normalise_phone(phone)
    inquiries = (
        Inquiry.objects.filter(phone=number)
        .select_related("producer")
        .prefetch_related("items", "changes")
        .order_by("created_at", "pk")
    )
    return {
        "phone": number,
        "exported_at": timezone.now(),
        "inquiries": [_inquiry_data(inquiry) for inquiry in inquiries],
    }


def visit_export(item: InquiryItem) -> dict:
    """A visit's details, for the items that are visits (goods have none)."""
    if item.visit is None:
        return {}
    return {
        "visit_date": item.visit_date,
        "party_size": item.party_size,
        "visit_language": item.visit_language,
    }


def _inquiry_data(inquiry: Inquiry) -> dict:
    return {
        "reference": inquiry.reference,
        "producer": str(inquiry.producer),
        "status": inquiry.status,
        "sent_at": inquiry.created_at,
        "updated_at": inquiry.updated_at,
        "language": inquiry.language,
        "name": inquiry.name,
        "phone": inquiry.phone,
        "email": inquiry.email,
        "preferred_contact": inquiry.channel,
        "delivery": inquiry.delivery,
        "delivery_province": inquiry.delivery_province_name,
        "delivery_ward": inquiry.delivery_ward_name,
        "delivery_address": inquiry.delivery_address,
        "wished_date": inquiry.wished_date,
        "message": inquiry.message,
        "consent_at": inquiry.consent_at,
        "confirmed_amount_vnd": inquiry.confirmed_amount_vnd,
        "confirmation_note": inquiry.confirmation_note,
        "payment_method": inquiry.payment_method,
        "items": [
            {
                "product": item.product_title,
                "unit": item.unit,
                "unit_price_vnd": item.unit_price_vnd,
                "quantity": item.quantity,
                **visit_export(item),
            }
            for item in inquiry.items.all()
        ],
        "status_changes": [
            {
                "at": change.at,
                "from": change.from_status,
                "to": change.to_status,
                "note": change.note,
            }
            for change in inquiry.changes.all()
        ],
    }
