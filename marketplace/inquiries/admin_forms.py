"""The admin's status-change form, the office's decision on a card payment, and the
listing's filters."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from marketplace.inquiries.models import MAX_AMOUNT_VND, CardPayment, Inquiry
from marketplace.inquiries.payment_decisions import KEEP, REFUND
from marketplace.inquiries.permissions import sees_all_inquiries
from marketplace.inquiries.status import allowed_transitions
from producers.models import ProducerPage

Status = Inquiry.Status

# "1500000", "1.500.000", "1,500,000" or "1 500 000", with an optional "đ", "₫" or "VND"
# after it, or "₫"/"VND" before it as English pages write it ("₫1,500,000").
AMOUNT_PATTERN = re.compile(r"^(\d+|\d{1,3}([.,\s]\d{3})+)$")
CURRENCY_MARKS = re.compile(r"^\s*(₫|vnd)\s*|\s*(₫|đ|đồng|vnd|vnđ)\s*$", re.IGNORECASE)


def parse_vnd(value: str) -> int:
    """An amount in đồng as people type it; VND has no decimals, so separators group thousands."""
    text = CURRENCY_MARKS.sub("", str(value).strip())
    if not AMOUNT_PATTERN.match(text):
        raise ValidationError(
            _("Enter the amount in đồng as a whole number, for example 1,500,000."),
            code="invalid_amount",
        )
    return int(re.sub(r"\D", "", text))


def format_vnd_input(amount: int) -> str:
    """1500000 → "1.500.000": how the amount field shows a number, and parse_vnd reads it."""
    return f"{amount:,}".replace(",", ".")


class VndAmountField(forms.IntegerField):
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_vnd(value)


class StatusChangeForm(forms.Form):
    """The producer's answer: a new status, and what the customer should know.

    Only the transitions allowed from the current status are offered. The field itself
    accepts any status, so that a forged one reaches status.change_status and is refused
    there with a message saying why.
    """

    to_status = forms.ChoiceField(
        label=_("New status"), choices=Status.choices, widget=forms.RadioSelect
    )
    amount_vnd = VndAmountField(
        label=_("Final amount (VND)"),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT_VND,
        help_text=_("Required when confirming: what the customer will pay, in đồng."),
    )
    payment_method = forms.ChoiceField(
        label=_("Paid by"),
        required=False,
        choices=[("", "---------"), *Inquiry.PaymentMethod.choices],
        help_text=_("When marking the inquiry as paid."),
    )
    note = forms.CharField(
        label=_("Note for the customer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The customer sees it on the tracking page and in the email. Required when "
            "confirming (what is included, when, how), declining or cancelling (why)."
        ),
    )

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.inquiry = inquiry
        self.fields["to_status"].widget.choices = [
            (status, Status(status).label) for status in allowed_transitions(inquiry)
        ]


class PaymentDecisionForm(forms.Form):
    """The office's answer to a card payment that did not pay its inquiry."""

    decision = forms.ChoiceField(choices=[(REFUND, _("Refund it")), (KEEP, _("Keep it"))])


def producers_with_inquiries() -> QuerySet[ProducerPage]:
    return ProducerPage.objects.filter(inquiries__isnull=False).distinct().order_by("title")


class InquiryFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Sent on"), widget=DateRangePickerWidget
    )
    producer = django_filters.ModelChoiceFilter(
        label=_("Producer"), queryset=lambda request: producers_with_inquiries()
    )
    payment_review = django_filters.BooleanFilter(
        label=_("Card payment waiting for the office"), method="filter_payment_review"
    )

    class Meta:
        model = Inquiry
        fields = ["status", "created_at", "producer", "payment_review"]

    def filter_payment_review(
        self, queryset: QuerySet[Inquiry], name: str, value: bool | None
    ) -> QuerySet[Inquiry]:
        waiting = CardPayment.objects.filter(review=CardPayment.Review.PENDING)
        inquiry_ids = waiting.values("inquiry")
        if value is None:
            return queryset
        if value:
            return queryset.filter(pk__in=inquiry_ids)
        return queryset.exclude(pk__in=inquiry_ids)

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # A producer sees only their own inquiries: a producer filter means nothing to them.
        if request is None or not sees_all_inquiries(request.user):
            del self.filters["producer"]
