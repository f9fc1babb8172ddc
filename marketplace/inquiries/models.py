"""An order inquiry: one consumer's request to one producer, and what happened to it.

A submitted inquiry list becomes one `Submission` and one `Inquiry` per producer. Items
keep a snapshot of the product's name, unit and price, so later edits to the product
never change what was asked for. Every status change is recorded as a `StatusChange`.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import PhoneField
from marketplace.inquiries.visits import MAX_PARTY_SIZE, Visit, VisitLanguage
from products.models import MAX_ORDER_QUANTITY

MAX_AMOUNT_VND = 9_999_999_999_999  # what a VietQR amount field can carry
# StatusChange.source of the changes the consumer makes (a cancellation).
CONSUMER_SOURCE = "consumer"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Submission(models.Model):
    """One submitted request form; its key makes a second submit of the same form a no-op."""

    key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.key


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        CONFIRMED = "confirmed", _("Confirmed")
        PAID = "paid", _("Paid")
        FULFILLED = "fulfilled", _("Fulfilled")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        ZALO = "zalo", _("Zalo")
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Delivery(models.TextChoices):
        DELIVER = "deliver", _("Deliver to me")
        PICK_UP = "pick_up", _("I will pick it up")

    class PaymentMethod(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer (VietQR)")
        CARD = "card", _("Card (Stripe)")
        CASH = "cash", _("Cash on delivery")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="inquiries", editable=False
    )
    producer = models.ForeignKey(
        "producers.ProducerPage",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    language = models.CharField(_("language"), max_length=10, default="vi")

    # The consumer (anonymised by `inquiries purge`).
    name = models.CharField(_("name"), max_length=100)
    # Vietnamese, or foreign with email or WhatsApp as the channel (forms.RequestForm).
    phone = PhoneField(_("phone"))
    email = models.EmailField(_("email"), blank=True)
    channel = models.CharField(
        _("preferred contact"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.DELIVER
    )
    # Where to deliver: a province/city and a ward/commune of the 2025 map
    # (marketplace.core.places), by code and by name as the consumer saw it, so a later
    # renaming does not change what was asked; and the rest of the address.
    delivery_province_code = models.PositiveSmallIntegerField(
        _("delivery province code"), null=True, blank=True
    )
    delivery_province_name = models.CharField(
        _("delivery province or city"), max_length=100, blank=True
    )
    delivery_ward_code = models.PositiveIntegerField(_("delivery ward code"), null=True, blank=True)
    delivery_ward_name = models.CharField(_("delivery ward or commune"), max_length=100, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=255, blank=True)
    # Inquiries sent before the 2025 map named one of the town's 20 old localities; their
    # name was copied into delivery_ward_name (migration delivery_anywhere). Kept, no
    # longer written: nothing is lost, and the link stays for the record.
    delivery_locality = models.ForeignKey(
        "producers.Locality",
        verbose_name=_("delivery locality (before July 2025)"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    wished_date = models.DateField(_("wished-for date"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    # What the producer confirmed, and how it was paid.
    confirmed_amount_vnd = models.PositiveBigIntegerField(
        _("confirmed amount (VND)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_AMOUNT_VND)],
    )
    confirmation_note = models.TextField(_("confirmation note"), max_length=2000, blank=True)
    payment_method = models.CharField(
        _("paid by"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    # Card payments are `CardPayment` records, one per Checkout session.

    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    def get_tracking_url(self) -> str:
        from django.utils.translation import override

        with override(self.language):
            return reverse("inquiries:track", kwargs={"token": self.token})

    @property
    def delivery_place(self) -> str:
        """ "Phường Hải Châu, Thành phố Đà Nẵng": the ward and province chosen."""
        return ", ".join(
            part for part in (self.delivery_ward_name, self.delivery_province_name) if part
        )

    @property
    def full_delivery_address(self) -> str:
        """The address as written on a parcel: line, ward, province."""
        return ", ".join(part for part in (self.delivery_address, self.delivery_place) if part)

    @property
    def estimated_total_vnd(self) -> int | None:
        """The sum of priced items at the prices shown when sent; None if none is priced."""
        from marketplace.inquiries.inquiry_list import priced_total

        return priced_total(item.subtotal_vnd for item in self.items.all())


class InquiryItem(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A snapshot of the product when the inquiry was sent.
    product_title = models.CharField(_("product"), max_length=255)
    # The product's name in the producer's (default) language, when the consumer saw
    # another: a Vietnamese producer reads "Rượu Gò Nổi", not only "Go Noi rice wine".
    producer_title = models.CharField(
        _("product (producer's language)"), max_length=255, blank=True
    )
    unit = models.CharField(_("unit"), max_length=100)
    unit_price_vnd = models.PositiveBigIntegerField(_("unit price (VND)"), null=True, blank=True)
    # For goods, the units asked for. For a visit, the units its estimate is for: the
    # party when priced per person, else 1 (one booking, its price to be agreed).
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ORDER_QUANTITY)]
    )
    # A visit request (OCOP group 6 experiences); empty for goods.
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("number of people"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTY_SIZE)],
    )
    visit_language = models.CharField(
        _("language of the visit"), max_length=10, choices=VisitLanguage.choices, blank=True
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["pk"]

    def __str__(self) -> str:
        if self.visit is not None:
            return f"{self.product_title} ({self.visit.date}, {self.visit.party_size})"
        return f"{self.quantity} × {self.product_title}"

    @property
    def visit(self) -> Visit | None:
        if self.visit_date is None or self.party_size is None:
            return None
        return Visit(self.visit_date, self.party_size, self.visit_language)

    @property
    def subtotal_vnd(self) -> int | None:
        return None if self.unit_price_vnd is None else self.unit_price_vnd * self.quantity

    @property
    def title_for_producer(self) -> str:
        """The title the consumer saw, with the producer's own name for it when different."""
        if self.producer_title and self.producer_title != self.product_title:
            return f"{self.product_title} ({self.producer_title})"
        return self.product_title


class StatusChange(models.Model):
    """Who moved an inquiry from one status to another, when, and why."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Inquiry.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Inquiry.Status.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # Shown to the consumer on the tracking page (producer messages); internal otherwise.
    visible_to_consumer = models.BooleanField(default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "stripe" when a payment event made the change, "consumer" when the consumer did
    # (CONSUMER_SOURCE); empty for the producer's and the office's people.
    source = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.from_status} → {self.to_status}"


class ReferenceCounter(models.Model):
    """The last inquiry number of a year: references are DB-<year>-<number>."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class StripeEvent(models.Model):
    """A Stripe webhook event already handled: a replayed event changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.SET_NULL, related_name="stripe_events"
    )
    outcome = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.event_id


class CardPayment(models.Model):
    """One Stripe Checkout session of an inquiry and the card payment made in it: the site's
    only record of card money.

    The pay button makes and reuses these (marketplace.inquiries.payments); Stripe's webhook
    records what happened at Stripe (marketplace.inquiries.webhooks). At most one is open
    per inquiry, and at most one paid the inquiry (`settles_inquiry`); any other payment
    that went through waits for the office to refund or keep it (`review`).
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open at Stripe")
        EXPIRED = "expired", _("Expired unpaid")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded in full")

    class Reason(models.TextChoices):
        """Why a successful payment did not pay its inquiry."""

        DUPLICATE = "duplicate", _("The inquiry was already paid")
        AMOUNT = "amount", _("Not the confirmed amount")
        NOT_PAYABLE = "not_payable", _("The inquiry could no longer be paid")

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for the office’s decision")
        KEPT = "kept", _("Kept by the office")
        REFUNDED = "refunded", _("Refunded")

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.PROTECT, related_name="card_payments", editable=False
    )
    # The n-th session made for the inquiry: part of the idempotency key of its creation.
    # None for a payment first heard of from Stripe (not made by this site's button).
    attempt = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # None for a payment first heard of from a refund, before its session completed.
    checkout_session = models.CharField(
        _("Checkout session"), max_length=255, null=True, blank=True, unique=True
    )
    payment_intent = models.CharField(_("payment"), max_length=255, blank=True)
    amount_vnd = models.PositiveBigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="vnd")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    amount_refunded_vnd = models.PositiveBigIntegerField(_("refunded"), default=0)
    settles_inquiry = models.BooleanField(_("paid the inquiry"), default=False)
    reason = models.CharField(
        _("why it needs a decision"), max_length=20, choices=Reason.choices, blank=True
    )
    review = models.CharField(
        _("office’s decision"), max_length=10, choices=Review.choices, blank=True, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The refund made at Stripe on the office's decision.
    refund = models.CharField(_("refund"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the session's completion was recorded.
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("card payment")
        verbose_name_plural = _("card payments")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open Checkout session per inquiry: a second click reuses it.
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=models.Q(state="open"),
                name="inquiries_one_open_card_payment_per_inquiry",
            ),
            # One payment pays an inquiry; any other is for the office to decide on.
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=models.Q(settles_inquiry=True),
                name="inquiries_one_settling_card_payment_per_inquiry",
            ),
            models.UniqueConstraint(
                fields=["inquiry", "attempt"], name="inquiries_one_card_payment_per_attempt"
            ),
            models.UniqueConstraint(
                fields=["payment_intent"],
                condition=~models.Q(payment_intent=""),
                name="inquiries_one_card_payment_per_payment_intent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.checkout_session or self.payment_intent}"

    @property
    def needs_review(self) -> bool:
        return self.review == self.Review.PENDING


class EmailDelivery(models.Model):
    """One email about inquiries and whether it went out.

    The message is rendered again for each attempt from the records it is about, so no
    copy of the consumer's details is kept here; a failed one is retried by
    `manage.py inquiries retry-emails`.
    """

    class Kind(models.TextChoices):
        PRODUCER_NEW = "producer_new", _("New inquiry, to the producer")
        CONSUMER_SENT = "consumer_sent", _("Inquiries sent, to the consumer")
        CONSUMER_STATUS = "consumer_status", _("Status change, to the consumer")
        PRODUCER_CANCELLED = "producer_cancelled", _("Cancelled by the consumer, to the producer")
        CONSUMER_LINK = "consumer_link", _("Tracking link asked for, to the consumer")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Nobody to send to")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The one record the email is about: a producer's inquiry (or the consumer's, for a
    # tracking link asked for again), the consumer's submission, or a status change.
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status_change = models.ForeignKey(
        StatusChange, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["pk"]
        # One email of each kind per record: a task run twice sends nothing twice.
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=models.Q(kind="producer_new"),
                name="inquiries_one_producer_email_per_inquiry",
            ),
            models.UniqueConstraint(
                fields=["submission"],
                condition=models.Q(kind="consumer_sent"),
                name="inquiries_one_consumer_email_per_submission",
            ),
            models.UniqueConstraint(
                fields=["status_change"],
                condition=models.Q(kind="consumer_status"),
                name="inquiries_one_consumer_email_per_change",
            ),
            models.UniqueConstraint(
                fields=["status_change"],
                condition=models.Q(kind="producer_cancelled"),
                name="inquiries_one_producer_email_per_cancellation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}: {self.get_state_display()}"
