"""The admin's "Inquiries" section, for producers and the office: its listing and detail
view, the dashboard panel of new inquiries, and its menu item and viewset (registered by
wagtail_hooks).

Every view starts from permissions.inquiries_for(user): an inquiry someone may not see
is a 404, exactly like one that does not exist. No view creates, deletes or edits an
inquiry: it is the customer's request. The producer answers it by changing its status.
The office alone decides on a card payment that did not pay its inquiry.
"""

import logging

import stripe
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from marketplace.core.admin_menu import CountingMenuItem
from marketplace.core.fields import normalise_phone
from marketplace.core.money import vnd
from marketplace.inquiries.admin_forms import (
    InquiryFilterSet,
    PaymentDecisionForm,
    StatusChangeForm,
    format_vnd_input,
)
from marketplace.inquiries.models import CardPayment, Inquiry, InquiryItem
from marketplace.inquiries.payment_decisions import REFUND, DecisionRefused, decide
from marketplace.inquiries.permissions import (
    has_inquiry_access,
    inquiries_for,
    new_inquiries_for,
    sees_all_inquiries,
)
from marketplace.inquiries.status import allowed_transitions, change_status

logger = logging.getLogger(__name__)

Status = Inquiry.Status


def with_estimated_total(inquiries: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    """Annotate `estimated_total`: Inquiry.estimated_total_vnd in SQL, so it can be sorted."""
    totals = (
        InquiryItem.objects.filter(inquiry=OuterRef("pk"))
        .values("inquiry")
        .annotate(total=Sum(F("unit_price_vnd") * F("quantity")))
        .values("total")
    )
    return inquiries.annotate(estimated_total=Subquery(totals))


def phone_search(query: str) -> Q:
    """A typed phone number ("0905 123 456") matches the stored E.164 one."""
    try:
        return Q(phone=normalise_phone(query))
    except ValidationError:
        return Q()


class AmountColumn(Column):
    def get_value(self, instance) -> str:
        amount = super().get_value(instance)
        return _("Price on request") if amount is None else vnd(amount)


class InquiryIndexView(IndexView):
    model = Inquiry
    # Access is decided by permissions.inquiries_for, not by model permissions.
    permission_policy = None
    any_permission_required = None
    filterset_class = InquiryFilterSet
    default_ordering = "-created_at"
    search_fields = ["reference", "name", "email"]
    search_backend_name = None
    detail_url_name = None
    header_icon = "mail"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not has_inquiry_access(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet[Inquiry]:
        return with_estimated_total(inquiries_for(self.request.user).select_related("producer"))

    def search_queryset(self, queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
        if not self.is_searching:
            return queryset
        query = self.search_query
        return queryset.filter(
            Q(reference__icontains=query)
            | Q(name__icontains=query)
            | Q(email__icontains=query)
            | phone_search(query)
        )

    def get_detail_url(self, inquiry: Inquiry) -> str:
        return reverse(self.detail_url_name, args=[inquiry.pk])

    @cached_property
    def columns(self) -> list[Column]:
        columns = [
            TitleColumn(
                "reference",
                label=_("Reference"),
                sort_key="reference",
                get_url=self.get_detail_url,
            ),
            StatusTagColumn(
                "get_status_display",
                label=_("Status"),
                sort_key="status",
                primary=lambda inquiry: inquiry.status == Status.NEW,
            ),
            Column("name", label=_("Customer"), sort_key="name"),
            DateColumn("created_at", label=_("Sent on"), sort_key="created_at"),
            AmountColumn("estimated_total", label=_("Estimated total"), sort_key="estimated_total"),
        ]
        if sees_all_inquiries(self.request.user):
            columns.insert(1, Column("producer", label=_("Producer"), sort_key="producer__title"))
        return columns


class InquiryDetailView(WagtailAdminTemplateMixin, FormView):
    """Everything about one inquiry, its history, and the form that changes its status."""

    template_name = "inquiries/admin/detail.html"
    form_class = StatusChangeForm
    page_title = _("Inquiry")
    header_icon = "mail"
    index_url_name = None
    detail_url_name = None
    payment_decision_url_name = None

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        inquiries = inquiries_for(request.user).select_related("producer").prefetch_related("items")
        self.object = get_object_or_404(inquiries, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self) -> str:
        return self.object.reference

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Inquiries")},
            {"url": "", "label": self.object.reference},
        ]

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "inquiry": self.object}

    def get_initial(self) -> dict:
        # Confirming usually settles on the estimate, or on the amount confirmed before.
        amount = self.object.confirmed_amount_vnd or self.object.estimated_total_vnd
        return {"amount_vnd": format_vnd_input(amount) if amount else None}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            inquiry=self.object,
            items=self.object.items.all(),
            changes=self.object.changes.select_related("user"),
            can_change_status=bool(allowed_transitions(self.object)),
            show_producer=sees_all_inquiries(self.request.user),
            action_url=self.request.path,
            card_payments=self.object.card_payments.select_related("reviewed_by"),
            decides_payments=sees_all_inquiries(self.request.user),
            payment_decision_url_name=self.payment_decision_url_name,
        )
        return context

    def form_valid(self, form: StatusChangeForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            change_status(
                self.object,
                data["to_status"],
                user=self.request.user,
                note=data["note"],
                amount_vnd=data["amount_vnd"],
                payment_method=data["payment_method"] if data["to_status"] == Status.PAID else "",
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(reference)s is now “%(status)s”.")
            % {"reference": self.object.reference, "status": self.object.get_status_display()},
        )
        return redirect(reverse(self.detail_url_name, args=[self.object.pk]))

    def form_invalid(self, form: StatusChangeForm) -> HttpResponse:
        # A refused transition is said in the message: a closed inquiry shows no form.
        if refusals := form.errors.get("to_status"):
            message = _("The status has not been changed: %(reason)s") % {
                "reason": " ".join(refusals)
            }
        else:
            message = _("The status has not been changed: see the errors below.")
        messages.error(self.request, message)
        return super().form_invalid(form)


@require_POST
def payment_decision(request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
    """The office refunds or keeps a card payment that did not pay the inquiry."""
    inquiry = get_object_or_404(inquiries_for(request.user), pk=pk)
    if not sees_all_inquiries(request.user):
        # A producer sees the payments of their inquiries; the office decides on them.
        raise PermissionDenied
    payment = get_object_or_404(CardPayment.objects.filter(inquiry=inquiry), pk=payment_pk)
    back = reverse("inquiries_admin:detail", args=[inquiry.pk]) + "#inquiry-payments-section"
    form = PaymentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to refund the payment or keep it."))
        return redirect(back)
    decision = form.cleaned_data["decision"]
    try:
        decide(payment, decision, request.user)
    except DecisionRefused as refusal:
        messages.error(request, str(refusal))
    except stripe.StripeError:
        logger.exception("Refund of card payment %s failed", payment.pk)
        messages.error(
            request,
            _("Stripe did not make the refund: nothing has changed. Try again later."),
        )
    else:
        amount = vnd(payment.amount_vnd)
        if decision == REFUND:
            message = _("The payment of %(amount)s is being refunded to the card.")
        else:
            message = _("The payment of %(amount)s is kept.")
        messages.success(request, message % {"amount": amount})
    return redirect(back)


class NewInquiriesPanel(Component):
    """The dashboard's list of inquiries waiting for the user's first answer."""

    name = "new_inquiries"
    template_name = "inquiries/admin/new_inquiries_panel.html"
    order = 50  # above Wagtail's own panels: answering customers comes first
    limit = 5

    def __init__(self, user, index_url: str, detail_url_name: str):
        self.user = user
        self.index_url = index_url
        self.detail_url_name = detail_url_name

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        new = new_inquiries_for(self.user).select_related("producer")
        latest = list(new.order_by("-created_at", "-pk")[: self.limit])
        return {
            # Counted only when there may be more than shown.
            "count": new.count() if len(latest) == self.limit else len(latest),
            "latest": [
                (inquiry, reverse(self.detail_url_name, args=[inquiry.pk])) for inquiry in latest
            ],
            "show_producer": sees_all_inquiries(self.user),
            "index_url": f"{self.index_url}?status={Status.NEW}",
        }


# The admin's Inquiries section: its menu item and URLs. ------------------------------


class InquiriesMenuItem(CountingMenuItem):
    """Shown to the office and producers only, with the number of new inquiries."""

    def is_shown(self, request) -> bool:
        return has_inquiry_access(request.user)

    def count(self, request) -> int:
        return new_inquiries_for(request.user).count()

    def counted_label(self, count: int) -> str:
        return gettext("%(label)s (%(count)s new)") % {"label": self.label, "count": count}


class InquiryViewSet(ViewSet):
    # Not "inquiries": that is the namespace of the public pages (inquiry list, tracking).
    name = "inquiries_admin"
    url_prefix = "inquiries"
    icon = "mail"
    menu_label = _("Inquiries")
    menu_name = "inquiries"
    menu_order = 150  # after Pages: answering customers is the producers' daily work
    add_to_admin_menu = True
    menu_item_class = InquiriesMenuItem

    def get_common_view_kwargs(self, **kwargs) -> dict:
        return super().get_common_view_kwargs(
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            detail_url_name=self.get_url_name("detail"),
            header_icon=self.icon,
            **kwargs,
        )

    @property
    def index_view(self):
        return self.construct_view(InquiryIndexView)

    @property
    def index_results_view(self):
        return self.construct_view(InquiryIndexView, results_only=True)

    @property
    def detail_view(self):
        return self.construct_view(
            InquiryDetailView, payment_decision_url_name=self.get_url_name("payment_decision")
        )

    def get_urlpatterns(self) -> list:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.detail_view, name="detail"),
            path(
                "<int:pk>/payments/<int:payment_pk>/decision/",
                payment_decision,
                name="payment_decision",
            ),
        ]

    def new_inquiries_panel(self, user) -> NewInquiriesPanel:
        return NewInquiriesPanel(
            user,
            index_url=reverse(self.get_url_name("index")),
            detail_url_name=self.get_url_name("detail"),
        )
