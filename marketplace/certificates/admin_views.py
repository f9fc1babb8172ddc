"""The office's certificate admin: the list of every certificate, one certificate with its
decisions, and the dashboard's queue of certificates awaiting verification.

Only the office sees any of it (marketplace.core.office). The decisions
themselves are marketplace.certificates.decisions': these views collect and report them.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Locale, Page

from marketplace.certificates import decisions
from marketplace.certificates.admin_forms import DECISION_FORMS, DecisionForm
from marketplace.certificates.filters import CertificateFilterSet
from marketplace.certificates.models import OcopCertificate
from marketplace.certificates.public import public_copies, verification_path
from marketplace.core.admin_menu import CountingMenuItem
from marketplace.core.csv_export import CsvExportMixin
from marketplace.core.office import OfficeMenuItem, OfficeOnlyMixin
from producers.models import ProducerPage

Status = OcopCertificate.Status

STATUS_LABELS = {
    "valid": _("Verified, valid"),
    "expiring": _("Verified, expiring soon"),
    "expired": _("Verified, expired"),
    Status.PENDING: Status.PENDING.label,
    Status.REJECTED: Status.REJECTED.label,
    Status.REVOKED: Status.REVOKED.label,
}


# Queries. -----------------------------------------------------------------------------


def certificate_rows() -> QuerySet[OcopCertificate]:
    """One row per certificate: the default language's copy (or the only one there is),
    with its producer's name and locality."""
    default = Locale.get_default()
    in_default_language = OcopCertificate.objects.filter(
        translation_key=OuterRef("translation_key"), locale=default
    )
    producers = ProducerPage.objects.filter(path=OuterRef("producer_path"))
    return (
        OcopCertificate.objects.filter(Q(locale=default) | ~Exists(in_default_language))
        .select_related("page", "document")
        .annotate(
            producer_path=Substr("page__path", 1, Length("page__path") - Page.steplen),
            producer_name=Subquery(producers.values("title")[:1]),
            locality_name=Subquery(producers.values("locality__name")[:1]),
            locality_key=Subquery(producers.values("locality__translation_key")[:1]),
        )
    )


def pending_certificates() -> QuerySet[OcopCertificate]:
    return certificate_rows().filter(status=Status.PENDING)


def status_label(certificate: OcopCertificate, on: datetime.date | None = None) -> str:
    return str(STATUS_LABELS[decisions.public_status(certificate, on)])


def pending_flag(certificate: OcopCertificate, on: datetime.date | None = None) -> str:
    """The warning a pending certificate carries for its dates: verifying an expired one
    puts no badge on the product, and an expiring one needs its renewal soon."""
    if certificate.status != Status.PENDING:
        return ""
    when = decisions.validity(certificate, on)
    date = date_format(certificate.expiry_date, "SHORT_DATE_FORMAT")
    if when == "expired":
        return gettext("Expired on %(date)s") % {"date": date}
    if when == "expiring":
        return gettext("Expires on %(date)s") % {"date": date}
    return ""


# Shown beside the flags: why a date is "expiring".
EXPIRING_NOTE = _(
    "Pending certificates that have expired come first, marked “Expired”, then those whose"
    " last valid day is within %(days)s days: ask the producer for the new decision first."
)


# The list. ----------------------------------------------------------------------------


class StatusColumn(Column):
    """The status as the office reads it (valid, expiring, expired…), with the reason."""

    cell_template_name = "certificates/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context) -> dict:
        context = super().get_cell_context_data(instance, parent_context)
        context["reason"] = instance.status_reason
        context["primary"] = instance.status == Status.PENDING
        context["flag"] = pending_flag(instance)
        return context


class DayColumn(Column):
    """A date as a date: Wagtail's DateColumn says "just now" of a day years ahead."""

    def get_value(self, instance) -> str:
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else ""


class CertificateIndexView(OfficeOnlyMixin, CsvExportMixin, ReportView):
    page_title = _("OCOP certificates")
    header_icon = "success"
    filterset_class = CertificateFilterSet
    is_searchable = True
    default_ordering = "expiry_date"
    detail_url_name = None
    list_export = [
        "pk",
        "page.title",
        "producer_name",
        "locality_name",
        "stars",
        "decision_number",
        "get_issuing_level_display",
        "issuing_body",
        "issue_date",
        "expiry_date",
        "status_label",
        "status_reason",
        "status_changed_at",
    ]
    export_headings = {
        "pk": _("Certificate ID"),
        "page.title": _("Product"),
        "producer_name": _("Producer"),
        "locality_name": _("Locality"),
        "stars": _("Stars"),
        "decision_number": _("Decision number"),
        "get_issuing_level_display": _("Issuing level"),
        "issuing_body": _("Issuing body"),
        "issue_date": _("Issue date"),
        "expiry_date": _("Expiry date"),
        "status_label": _("Status"),
        "status_reason": _("Reason"),
        "status_changed_at": _("Status changed at"),
    }

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_base_queryset(self) -> QuerySet[OcopCertificate]:
        return certificate_rows()

    def order_queryset(self, queryset: QuerySet) -> QuerySet:
        # The pk breaks ties, so that pages and exports list rows in a stable order.
        ordered = super().order_queryset(queryset)
        return ordered.order_by(*ordered.query.order_by, "pk")

    def search_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.is_searching:
            return queryset
        query = self.search_query
        return queryset.filter(
            Q(page__title__icontains=query)
            | Q(decision_number__icontains=query)
            | Q(producer_name__icontains=query)
        )

    def get_detail_url(self, certificate: OcopCertificate) -> str:
        return reverse(self.detail_url_name, args=[certificate.pk])

    @cached_property
    def columns(self) -> list[Column]:
        return [
            TitleColumn(
                "product",
                label=_("Product"),
                accessor="page.title",
                sort_key="page__title",
                get_url=self.get_detail_url,
            ),
            Column("producer_name", label=_("Producer"), sort_key="producer_name"),
            Column("stars", label=_("Stars"), sort_key="stars"),
            Column("decision_number", label=_("Decision number"), sort_key="decision_number"),
            DayColumn("issue_date", label=_("Issue date"), sort_key="issue_date"),
            DayColumn("expiry_date", label=_("Expiry date"), sort_key="expiry_date"),
            StatusColumn(
                "status",
                label=_("Status"),
                accessor=lambda certificate: status_label(certificate, self.today),
                sort_key="status",
            ),
            Column("locality_name", label=_("Locality"), sort_key="locality_name"),
        ]

    def to_row_dict(self, item: OcopCertificate) -> dict:
        item.status_label = status_label(item, self.today)
        return super().to_row_dict(item)

    def get_filename(self) -> str:
        return f"ocop-certificates-{self.today.isoformat()}"


# One certificate, and the office's decisions on it. -----------------------------------


class CertificateDetailView(OfficeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """The certificate's facts and status, its links, and a form per allowed decision.

    Decisions are POSTed here with a `decision` field; one the certificate does not
    allow (a stale page, a forged form) is refused by marketplace.certificates.decisions,
    with its reason in the message.
    """

    template_name = "certificates/admin/detail.html"
    page_title = _("OCOP certificate")
    header_icon = "success"
    index_url_name = None
    detail_url_name = None

    def get_object(self, pk: int) -> OcopCertificate:
        # Called by get() and post(), after OfficeOnlyMixin let the office alone in: anyone
        # else is denied, whether the certificate exists or not.
        queryset = OcopCertificate.objects.select_related(
            "page", "document", "locale", "status_changed_by"
        )
        return get_object_or_404(queryset, pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = self.get_object(pk)
        return super().get(request, pk)

    def get_page_subtitle(self) -> str:
        return str(self.object)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": gettext("OCOP certificates")},
            {"url": "", "label": str(self.object)},
        ]

    def decision_forms(self, bound: DecisionForm | None = None) -> list[DecisionForm]:
        forms = []
        for decision in decisions.allowed_decisions(self.object):
            if bound is not None and bound.decision == decision:
                forms.append(bound)
            else:
                forms.append(DECISION_FORMS[decision](certificate=self.object))
        return forms

    def get_context_data(self, bound_form: DecisionForm | None = None, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        certificate = self.object
        product = certificate.page
        context.update(
            certificate=certificate,
            product=product,
            producer=ProducerPage.objects.parent_of(product).first(),
            status_label=status_label(certificate),
            pending_flag=pending_flag(certificate),
            expiring_note=EXPIRING_NOTE % {"days": decisions.EXPIRING_DAYS},
            forms=self.decision_forms(bound_form),
            edit_url=reverse("wagtailadmin_pages:edit", args=[product.pk]),
            public_url=product.url if product.live else "",
            verification_url=(
                verification_path(certificate.translation_key)
                if public_copies(certificate.translation_key).exists()
                else ""
            ),
            copies=OcopCertificate.objects.filter(translation_key=certificate.translation_key)
            .exclude(pk=certificate.pk)
            .select_related("locale"),
            action_url=self.request.path,
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = self.get_object(pk)
        form_class = DECISION_FORMS.get(request.POST.get("decision", ""))
        if form_class is None:
            messages.error(request, _("The certificate has not been changed: unknown decision."))
            return redirect(self.request.path)
        form = form_class(request.POST, certificate=self.object)
        if not form.is_valid():
            messages.error(
                request, _("The certificate has not been changed: see the errors below.")
            )
            return self.render_to_response(self.get_context_data(bound_form=form))
        try:
            form.decide(request.user)
        except decisions.CertificateStatusError as error:
            messages.error(request, refusal_message(error.messages))
        except PermissionDenied:
            messages.error(request, refusal_message([gettext("only the office decides.")]))
        else:
            messages.success(
                request,
                _("%(certificate)s is now “%(status)s”.")
                % {"certificate": self.object, "status": self.object.get_status_display()},
            )
        return redirect(self.request.path)


def refusal_message(reasons: list[str]) -> str:
    return gettext("The certificate has not been changed: %(reason)s") % {
        "reason": " ".join(reasons)
    }


# The dashboard and the menu. ----------------------------------------------------------


class PendingCertificatesPanel(Component):
    """The office's dashboard: certificates awaiting verification, the longest waiting first."""

    name = "pending_certificates"
    template_name = "certificates/admin/pending_panel.html"
    order = 60  # below new inquiries, above Wagtail's own panels
    limit = 5

    def __init__(self, index_url: str, detail_url_name: str) -> None:
        self.index_url = index_url
        self.detail_url_name = detail_url_name

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        pending = pending_certificates()
        today = timezone.localdate()
        first = list(
            pending.order_by(
                decisions.validity_rank(today), "expiry_date", "page__first_published_at", "pk"
            )[: self.limit]
        )
        return {
            "count": pending.count() if len(first) == self.limit else len(first),
            "certificates": [
                (
                    certificate,
                    reverse(self.detail_url_name, args=[certificate.pk]),
                    pending_flag(certificate, today),
                )
                for certificate in first
            ],
            "index_url": f"{self.index_url}?status={Status.PENDING}",
            "expiring_note": EXPIRING_NOTE % {"days": decisions.EXPIRING_DAYS},
        }


class CertificatesMenuItem(OfficeMenuItem, CountingMenuItem):
    """The office's menu item, with the number of certificates awaiting verification."""

    def count(self, request: HttpRequest) -> int:
        return pending_certificates().count()

    def counted_label(self, count: int) -> str:
        return gettext("%(label)s (%(count)s pending)") % {"label": self.label, "count": count}


class CertificateViewSet(ViewSet):
    # Not "certificates": that may be the namespace of the public verification pages.
    name = "certificates_admin"
    url_prefix = "certificates"
    icon = "success"
    menu_label = _("OCOP certificates")
    menu_name = "ocop_certificates"
    menu_order = 160  # after Inquiries
    add_to_admin_menu = True
    menu_item_class = CertificatesMenuItem

    def get_common_view_kwargs(self, **kwargs) -> dict:
        return super().get_common_view_kwargs(
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            detail_url_name=self.get_url_name("detail"),
            **kwargs,
        )

    def get_urlpatterns(self) -> list:
        return [
            path("", self.construct_view(CertificateIndexView), name="index"),
            path(
                "results/",
                self.construct_view(CertificateIndexView, results_only=True),
                name="index_results",
            ),
            path("<int:pk>/", self.construct_view(CertificateDetailView), name="detail"),
        ]

    def pending_panel(self) -> PendingCertificatesPanel:
        return PendingCertificatesPanel(
            index_url=reverse(self.get_url_name("index")),
            detail_url_name=self.get_url_name("detail"),
        )
