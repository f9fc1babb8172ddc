"""The filters of the office's certificate list: status, stars, expiry and locality."""

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import Locale

from marketplace.certificates import ocop
from marketplace.certificates.models import OcopCertificate
from producers.models import Locality

Status = OcopCertificate.Status

# The office's view of a certificate: "verified" splits into still valid and expired.
STATUS_CHOICES = [
    (Status.PENDING, Status.PENDING.label),
    ("valid", _("Verified, valid")),
    ("expired", _("Verified, expired")),
    (Status.REJECTED, Status.REJECTED.label),
    (Status.REVOKED, Status.REVOKED.label),
]
MAX_EXPIRING_DAYS = 3650


def status_filter(status: str, today: datetime.date) -> Q:
    if status == "valid":
        return Q(status=Status.VERIFIED, expiry_date__gte=today)
    if status == "expired":
        return Q(status=Status.VERIFIED, expiry_date__lt=today)
    return Q(status=status)


def expiring_within(days: int, today: datetime.date) -> Q:
    """Not expired yet, and expiring in the next `days` days (0: today is the last day)."""
    return Q(expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=days))


def default_localities() -> QuerySet[Locality]:
    return Locality.objects.filter(locale=Locale.get_default())


class DaysFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        empty_label=_("All"),
        method="filter_status",
        widget=forms.RadioSelect,
    )
    stars = django_filters.ChoiceFilter(
        label=_("Stars"),
        choices=[(stars, stars) for stars in ocop.CERTIFIED_STARS],
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    expiring_within = DaysFilter(
        label=_("Expiring within (days)"),
        method="filter_expiring",
        min_value=0,
        max_value=MAX_EXPIRING_DAYS,
    )
    locality = django_filters.ModelChoiceFilter(
        label=_("Locality"),
        queryset=lambda request: default_localities(),
        empty_label=_("All"),
        method="filter_locality",
    )

    class Meta:
        model = OcopCertificate
        fields: list[str] = []

    def _add_locale_filter(self) -> None:
        # The list shows one row per certificate, in the default language: no locale filter.
        return

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status_filter(value, timezone.localdate()))

    def filter_expiring(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(expiring_within(value, timezone.localdate()))

    def filter_locality(self, queryset: QuerySet, name: str, value: Locality) -> QuerySet:
        # By translation key: a producer page in another language points at its own copy.
        return queryset.filter(locality_key=value.translation_key)
