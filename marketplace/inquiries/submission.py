"""Turning a visitor's inquiry list into one inquiry per producer, in one transaction."""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Locale

from marketplace.inquiries.inquiry_list import Line, ProducerGroup
from marketplace.inquiries.models import Inquiry, InquiryItem, Submission
from marketplace.inquiries.references import next_reference
from marketplace.tasks.queueing import enqueue_with_transaction

# The consumer's details an inquiry copies from the request form.
CONTACT_FIELDS = (
    "name",
    "phone",
    "email",
    "channel",
    "delivery",
    "delivery_province_code",
    "delivery_province_name",
    "delivery_ward_code",
    "delivery_ward_name",
    "delivery_address",
    "wished_date",
    "message",
)

NULLABLE_FIELDS = ("delivery_province_code", "delivery_ward_code", "wished_date")


def new_submission_key() -> str:
    """A key for one rendering of the request form: submitting it twice sends once."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class SubmitResult:
    submission: Submission
    created: bool  # False when this form had already been submitted


def submit_inquiries(
    key: str, groups: list[ProducerGroup], contact: dict, language: str
) -> SubmitResult:
    """Create the submission and its inquiries, or return the earlier one with this key.

    Two requests with the same key (a double click) race on the key's unique index: the
    second waits for the first to commit, then finds its submission.
    """
    try:
        with transaction.atomic():
            submission = Submission.objects.create(key=key)
            now = timezone.now()
            for group in groups:
                inquiry = Inquiry.objects.create(
                    reference=next_reference(),
                    submission=submission,
                    producer=group.producer,
                    language=language,
                    consent_at=now,
                    created_at=now,
                    **{field: contact.get(field) or _empty(field) for field in CONTACT_FIELDS},
                )
                InquiryItem.objects.bulk_create(new_item(inquiry, line) for line in group.lines)
            _notify(submission.pk)
    except IntegrityError:
        existing = Submission.objects.filter(key=key).first()
        if existing is None:
            raise
        return SubmitResult(existing, created=False)
    return SubmitResult(submission, created=True)


def new_item(inquiry: Inquiry, line: Line) -> InquiryItem:
    """The item a line becomes: a snapshot of the product, and the visit asked for.

    A visit's price is kept only when the estimate can use it (per person); otherwise
    the producer agrees it, as for a price on request.
    """
    visit = line.visit if line.is_visit else None
    return InquiryItem(
        inquiry=inquiry,
        product=line.product,
        product_title=line.product.title,
        producer_title=_default_title(line.product),
        unit=line.product.unit,
        unit_price_vnd=line.unit_price_vnd,
        quantity=line.units,
        visit_date=visit.date if visit else None,
        party_size=visit.party_size if visit else None,
        visit_language=visit.language if visit else "",
    )


def _default_title(product) -> str:
    """The product's title in the default language, when the consumer saw another one."""
    default = Locale.get_default()
    if product.locale_id == default.pk:
        return ""
    translation = product.get_translation_or_none(default)
    return translation.title if translation else ""


def _empty(field: str):
    # Nullable fields take None; text fields the empty string.
    return None if field in NULLABLE_FIELDS else ""


def _notify(submission_id: int) -> None:
    from marketplace.inquiries.tasks import send_submission_emails

    enqueue_with_transaction(send_submission_emails, submission_id)
