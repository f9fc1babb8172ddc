"""Finding an inquiry again from its reference and the consumer's phone number.

The phone number is the secret: a reference alone (printed on a parcel, read out on the
phone) must not open the inquiry, nor tell whether it exists. Every lookup does the same
work, one query and one comparison, whatever it finds.
"""

import hmac
import re

from django.core.exceptions import ValidationError

from marketplace.core.fields import normalise_phone as normalise_phone_or_error
from marketplace.inquiries.models import Inquiry

# DB-2026-000123, however typed: "db 2026 123", "DB2026000123".
REFERENCE_PATTERN = re.compile(r"([A-Z]{1,10})[\s\-–—_./]*(\d{4})[\s\-–—_./]*(\d{1,9})")
# Compared against when there is no inquiry, so that a miss costs what a hit does.
NO_PHONE = "+00000000000"


def normalise_reference(value: str) -> str | None:
    """A typed reference as stored (DB-2026-000123), or None when it cannot be one."""
    match = REFERENCE_PATTERN.fullmatch((value or "").strip().upper())
    if not match:
        return None
    prefix, year, number = match.groups()
    return f"{prefix}-{year}-{int(number):06d}"


def normalise_phone(value: str) -> str | None:
    """A typed phone number in E.164, as inquiries store it (core.fields.normalise_phone:
    Vietnamese numbers however written, foreign ones with their country code); else None."""
    try:
        return normalise_phone_or_error(value) or None
    except ValidationError:
        return None


def find_inquiry(reference: str, phone: str) -> Inquiry | None:
    """The inquiry with this reference if `phone` (normalised) is its consumer's; None
    for a wrong phone, an unknown reference and an anonymised inquiry alike."""
    inquiry = (
        Inquiry.objects.select_related("producer")
        .filter(reference=reference, anonymised_at__isnull=True)
        .first()
    )
    stored = inquiry.phone if inquiry is not None else NO_PHONE
    # Constant-time, so the comparison's length tells nothing about the stored number.
    matches = hmac.compare_digest(stored.encode(), phone.encode())
    return inquiry if inquiry is not None and matches else None
