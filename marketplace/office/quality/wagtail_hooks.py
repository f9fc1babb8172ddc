from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from marketplace.core.office import OfficeMenuItem, is_office_user
from marketplace.office.quality.access import own_producers
from marketplace.office.quality.admin_views import ListingQualityReportView, ProducerQualityView
from marketplace.office.quality.my_products_views import MyProductsView, may_open
from marketplace.office.quality.panels import LowestScoresPanel, ProducerQualityPanel


@hooks.register("register_admin_urls")
def register_listing_quality_urls():
    return [
        path(
            "reports/listing-quality/",
            ListingQualityReportView.as_view(),
            name="listing_quality_report",
        ),
        path(
            "reports/listing-quality/results/",
            ListingQualityReportView.as_view(results_only=True),
            name="listing_quality_report_results",
        ),
        path(
            "reports/listing-quality/<int:pk>/",
            ProducerQualityView.as_view(),
            name="listing_quality_producer",
        ),
    ]


@hooks.register("register_admin_urls")
def register_my_products_urls():
    return [
        path("my-products/", MyProductsView.as_view(), name="my_products"),
        path(
            "my-products/results/",
            MyProductsView.as_view(results_only=True),
            name="my_products_results",
        ),
    ]


class MyProductsMenuItem(MenuItem):
    """ "My products" for a producer's users; the office's item is "Products"."""

    def __init__(self, label, *, for_office: bool, **kwargs):
        super().__init__(label, reverse("my_products"), icon_name="pick", **kwargs)
        self.for_office = for_office

    def is_shown(self, request: HttpRequest) -> bool:
        return may_open(request.user) and is_office_user(request.user) == self.for_office


@hooks.register("register_admin_menu_item")
def register_my_products_menu_item():
    return MyProductsMenuItem(_("My products"), for_office=False, order=150)


@hooks.register("register_admin_menu_item")
def register_products_menu_item():
    return MyProductsMenuItem(_("Products"), for_office=True, order=150)


@hooks.register("register_reports_menu_item")
def register_listing_quality_menu_item():
    return OfficeMenuItem(
        _("Listing quality"), reverse("listing_quality_report"), icon_name="tasks", order=950
    )


@hooks.register("construct_homepage_panels")
def add_listing_quality_panel(request: HttpRequest, panels: list) -> None:
    if is_office_user(request.user):
        panels.append(LowestScoresPanel())
    elif own_producers(request.user).exists():
        panels.append(ProducerQualityPanel(request.user))
