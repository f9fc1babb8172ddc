"""Human-friendly inquiry references, unique under concurrent submissions: DB-2026-000123."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.inquiries.models import ReferenceCounter


def next_reference() -> str:
    """The next reference of this year; call inside the transaction that uses it.

    The counter row's UPDATE holds its lock until the transaction ends, so concurrent
    submissions take numbers one after the other and never share one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference() must run inside a transaction")
    year = timezone.localdate().year
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(value=F("value") + 1)
    number = ReferenceCounter.objects.get(year=year).value
    prefix = getattr(settings, "INQUIRY_REFERENCE_PREFIX", "DB")
    return f"{prefix}-{year}-{number:06d}"
