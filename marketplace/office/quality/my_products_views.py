"""The "My products" listing: a producer's products with their price, availability,
certificate and what needs attention, and quick edits of price and availability.
The office sees every producer's, with a producer filter."""

from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from marketplace.core.office import is_office_user
from marketplace.office.quality import my_products
from marketplace.office.quality.access import edit_url, visible_producers
from marketplace.office.quality.checks import default_language_producers
from marketplace.office.quality.quick_edit import (
    QuickEdit,
    QuickEditForm,
    read_quick_edit,
    save_quick_edit,
)
from products.models import ProductPage

ATTENTION = "attention"


def may_open(user) -> bool:
    """The office, and any user of a producer's account."""
    return is_office_user(user) or visible_producers(user).exists()


class MyProductsFilterSet(WagtailFilterSet):
    producer = django_filters.ModelChoiceFilter(
        label=_("Producer"),
        empty_label=_("All producers"),
        queryset=lambda request: (
            default_language_producers()
            .filter(pk__in=visible_producers(request.user).values("pk"))
            .order_by("title")
        ),
        method="of_producer",
    )
    availability = django_filters.ChoiceFilter(
        label=_("Availability"),
        empty_label=_("Any availability"),
        choices=ProductPage.Availability.choices,
    )
    show = django_filters.ChoiceFilter(
        label=_("Show"),
        empty_label=_("All products"),
        choices=[(ATTENTION, _("Only those needing attention"))],
        method="needing_attention",
    )

    class Meta:
        model = ProductPage
        fields = ["producer", "availability"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One producer's users have nothing to choose.
        user = self.request.user
        if not is_office_user(user) and visible_producers(user).count() < 2:
            del self.filters["producer"]

    def of_producer(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path)

    def needing_attention(self, queryset, name, value):
        return my_products.needing_attention(queryset, timezone.localdate())


class CellColumn(Column):
    """A column drawn by its own template (the templates read the row's `listing` data)."""

    def __init__(self, name, template, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template


class MyProductsView(BaseListingView):
    page_title = _("My products")
    header_icon = "pick"
    template_name = "quality/my_products.html"
    results_template_name = "quality/my_products_results.html"
    index_url_name = "my_products"
    index_results_url_name = "my_products_results"
    filterset_class = MyProductsFilterSet
    is_searchable = True
    search_backend_name = None  # the title, in SQL: drafts' titles included
    search_fields = ["title", "draft_title"]
    default_ordering = "title"
    paginate_by = 50
    verbose_name_plural = _("products")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return gettext("Products") if is_office_user(self.request.user) else gettext("My products")

    @cached_property
    def shows_producer(self) -> bool:
        user = self.request.user
        return is_office_user(user) or visible_producers(user).count() > 1

    @cached_property
    def columns(self):
        producer = Column("producer", label=_("Producer"), accessor="producer_title")
        return [
            CellColumn("thumbnail", "quality/my_products/thumbnail_cell.html", label=_("Photo")),
            TitleColumn(
                "title",
                label=_("Product"),
                accessor="draft_title",
                sort_key="title",
                get_url=lambda product: edit_url(product.pk),
            ),
            *([producer] if self.shows_producer else []),
            CellColumn("price", "quality/my_products/price_cell.html", label=_("Price")),
            CellColumn(
                "availability",
                "quality/my_products/availability_cell.html",
                label=_("Availability"),
            ),
            CellColumn(
                "certificate",
                "quality/my_products/certificate_cell.html",
                label=_("OCOP status"),
            ),
            CellColumn(
                "attention", "quality/my_products/attention_cell.html", label=_("Needs attention")
            ),
        ]

    def get_base_queryset(self):
        return my_products.visible_products(self.request.user)

    # Quick edits -------------------------------------------------------------------

    quick_edit: QuickEdit | None = None

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        edit = read_quick_edit(request.POST, self.get_base_queryset(), request.user)
        if edit.is_valid():
            count = save_quick_edit(edit, request.user)
            if count:
                messages.success(request, saved_message(count))
            else:
                messages.info(request, gettext("Nothing was changed."))
            return redirect(self.listing_url)
        self.quick_edit = edit
        messages.error(
            request, gettext("Nothing was saved: correct the rows marked below and save again.")
        )
        return self.get(request, *args, **kwargs)

    @cached_property
    def listing_url(self) -> str:
        """This listing with its filters, search and page: where the form posts and returns."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return (
            f"{self.index_url}?{urlencode(list(query.lists()), doseq=True)}"
            if query
            else (self.index_url)
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        bound = self.quick_edit.forms if self.quick_edit else {}
        today = timezone.localdate()
        for product in context["object_list"]:
            product.listing = row_data(product, today)
            product.quick_form = bound.get(product.pk) or QuickEditForm(product=product)
        context.update(
            form_action=self.listing_url,
            form_errors=self.quick_edit.errors if self.quick_edit else [],
            row_errors=[
                (form.product, form)
                for form in (self.quick_edit.forms.values() if self.quick_edit else [])
                if form.errors
            ],
        )
        return context


def row_data(product: ProductPage, today) -> dict:
    certificate = my_products.main_certificate(product, today)
    status = my_products.certificate_status(product, today)
    images = list(product.gallery_images.all())
    return {
        "image": images[0].image if images else None,
        "certificate": certificate,
        "certificate_status": status,
        "certificate_label": my_products.certificate_label(status),
        "flags": my_products.attention_flags(product, today),
        "live": product.live,
    }


def saved_message(count: int) -> str:
    return ngettext(
        "Saved %(count)s product: its price and availability are on the site now.",
        "Saved %(count)s products: their prices and availability are on the site now.",
        count,
    ) % {"count": count}
