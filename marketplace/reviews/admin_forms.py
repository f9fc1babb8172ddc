"""The admin's forms of reviews: the producer's reply, the office's hiding, the filters."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from marketplace.reviews.forms import RATING_CHOICES
from marketplace.reviews.models import MAX_REPLY_LENGTH, Review
from marketplace.reviews.permissions import moderates_reviews
from producers.models import ProducerPage


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your public reply"),
        max_length=MAX_REPLY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown under the review on the product page, in every language. You can reply "
            "once, and not change it afterwards."
        ),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why hide it"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The customer and the producer see this reason."),
    )


def producers_with_reviews() -> QuerySet[ProducerPage]:
    return (
        ProducerPage.objects.filter(inquiries__reviews__isnull=False).distinct().order_by("title")
    )


class ReviewFilterSet(WagtailFilterSet):
    rating = django_filters.MultipleChoiceFilter(
        label=_("Rating"), choices=RATING_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    hidden = django_filters.BooleanFilter(
        label=_("Hidden by the office"), field_name="hidden_at", lookup_expr="isnull", exclude=True
    )
    replied = django_filters.BooleanFilter(
        label=_("Replied"), field_name="replied_at", lookup_expr="isnull", exclude=True
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Written on"), widget=DateRangePickerWidget
    )
    producer = django_filters.ModelChoiceFilter(
        label=_("Producer"),
        field_name="inquiry__producer",
        queryset=lambda request: producers_with_reviews(),
    )

    class Meta:
        model = Review
        fields = ["rating", "hidden", "replied", "created_at", "producer"]

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # A producer sees only their own reviews: a producer filter means nothing to them.
        if request is None or not moderates_reviews(request.user):
            del self.filters["producer"]
