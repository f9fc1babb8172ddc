"""The status flow of an inquiry: which changes are allowed, and making one.

new → contacted → confirmed (amount and note required) → paid → fulfilled, with
declined or cancelled (a reason required) from the open states. A change is saved with
its `StatusChange` record in one transaction; the consumer's email goes after commit.
A note that changes no status (a partial refund) is a change from the status to itself.

The consumer may cancel on the tracking page until the producer confirms
(`cancel_by_consumer`): the change is recorded with source "consumer" and their reason,
and the producer is emailed about it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.inquiries.models import (
    CONSUMER_SOURCE,
    MAX_AMOUNT_VND,
    Inquiry,
    StatusChange,
)
from marketplace.tasks.queueing import enqueue_with_transaction

Status = Inquiry.Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.CONTACTED, Status.CONFIRMED, Status.DECLINED, Status.CANCELLED),
    Status.CONTACTED: (Status.CONFIRMED, Status.DECLINED, Status.CANCELLED),
    # A confirmed inquiry may go back to "contacted" when the terms are renegotiated.
    Status.CONFIRMED: (Status.CONTACTED, Status.PAID, Status.DECLINED, Status.CANCELLED),
    # After payment only delivery or cancellation (with a refund) remain.
    Status.PAID: (Status.FULFILLED, Status.CANCELLED),
    Status.FULFILLED: (),
    Status.DECLINED: (),
    Status.CANCELLED: (),
}
NEEDS_REASON = frozenset({Status.DECLINED, Status.CANCELLED})
# Until the producer confirms an amount, the consumer may withdraw on their own.
CONSUMER_CANCELLABLE = frozenset({Status.NEW, Status.CONTACTED})


def allowed_transitions(inquiry: Inquiry) -> tuple[str, ...]:
    return TRANSITIONS[inquiry.status]


def validate_transition(
    inquiry: Inquiry, to_status: str, note: str = "", amount_vnd: int | None = None
) -> None:
    """Raise ValidationError (with messages for the admin form's fields) if not allowed."""
    if to_status not in allowed_transitions(inquiry):
        raise ValidationError(
            {
                "to_status": _("An inquiry that is “%(current)s” cannot become “%(target)s”.")
                % {
                    "current": Status(inquiry.status).label,
                    "target": Status(to_status).label if to_status in Status.values else to_status,
                }
            }
        )
    errors = {}
    if to_status == Status.CONFIRMED:
        if amount_vnd is None:
            errors["amount_vnd"] = _("Enter the final amount you agreed with the customer.")
        elif not 1 <= amount_vnd <= MAX_AMOUNT_VND:
            errors["amount_vnd"] = _("Enter an amount between 1 and 9,999,999,999,999 đồng.")
        if not note.strip():
            errors["note"] = _("Write a note for the customer: what is included, when, how.")
    if to_status in NEEDS_REASON and not note.strip():
        errors["note"] = _("Give the customer a reason.")
    if errors:
        raise ValidationError(errors)


def change_status(
    inquiry: Inquiry,
    to_status: str,
    *,
    user=None,
    note: str = "",
    amount_vnd: int | None = None,
    payment_method: str = "",
    source: str = "",
) -> StatusChange:
    """Move `inquiry` to `to_status` and record it; raises ValidationError when not allowed.

    The row is locked first, so two producers' clicks (or a click and a Stripe webhook)
    cannot both move it from the same status.
    """
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        validate_transition(locked, to_status, note, amount_vnd)
        change = StatusChange.objects.create(
            inquiry=locked,
            from_status=locked.status,
            to_status=to_status,
            note=note.strip(),
            user=user,
            source=source,
            at=timezone.now(),
        )
        locked.status = to_status
        fields = ["status", "updated_at"]
        if to_status == Status.CONFIRMED:
            locked.confirmed_amount_vnd = amount_vnd
            locked.confirmation_note = note.strip()
            fields += ["confirmed_amount_vnd", "confirmation_note"]
        if to_status == Status.PAID and payment_method:
            locked.payment_method = payment_method
            fields.append("payment_method")
        locked.save(update_fields=fields)
        # Keep the caller's object in step with the database.
        for field in fields:
            setattr(inquiry, field, getattr(locked, field))
        _notify(change.pk)
    return change


def consumer_can_cancel(inquiry: Inquiry) -> bool:
    return inquiry.status in CONSUMER_CANCELLABLE and inquiry.anonymised_at is None


def why_not_cancellable(inquiry: Inquiry) -> str:
    """What to tell a consumer whose cancellation came too late."""
    if inquiry.status == Status.CANCELLED:
        return _("This request is already cancelled.")
    if inquiry.status in (Status.DECLINED, Status.FULFILLED) or inquiry.anonymised_at:
        return _("This request is closed: it can no longer be cancelled.")
    return _(
        "The producer has already confirmed this request, so it can no longer be cancelled "
        "here. Please contact the producer to change or cancel it."
    )


def cancel_by_consumer(inquiry: Inquiry, reason: str) -> StatusChange:
    """Cancel at the consumer's request, with their reason; ValidationError (one message
    for the consumer) when the producer confirmed it meanwhile or it is closed."""
    with transaction.atomic():
        # Locked before the check: a producer confirming at the same moment waits, and
        # then finds it cancelled (or the consumer finds it confirmed).
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if not consumer_can_cancel(locked):
            raise ValidationError(why_not_cancellable(locked), code="not_cancellable")
        return change_status(inquiry, Status.CANCELLED, note=reason, source=CONSUMER_SOURCE)


def record_note(inquiry: Inquiry, note: str, *, source: str = "", user=None) -> StatusChange:
    """Tell the consumer something without changing the status (a partial refund): a
    change from the status to itself, on the timeline and emailed like any other."""
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        change = StatusChange.objects.create(
            inquiry=locked,
            from_status=locked.status,
            to_status=locked.status,
            note=note.strip(),
            user=user,
            source=source,
            at=timezone.now(),
        )
        _notify(change.pk)
    return change


def _notify(change_id: int) -> None:
    from marketplace.inquiries.tasks import send_status_email

    enqueue_with_transaction(send_status_email, change_id)
