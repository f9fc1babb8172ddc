from functools import partial

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from marketplace.core.office import OfficeMenuItem
from marketplace.core.page_cache import replay_on_hit
from marketplace.office.reports.admin_views import (
    InquiryReportView,
    NoClickQueriesView,
    ProductReportView,
    TopQueriesView,
    ZeroResultQueriesView,
)
from marketplace.office.reports.counting import PRODUCT_VIEW, count_product_view
from products.models import ProductPage

report_urls = [
    path("inquiries/", InquiryReportView.as_view(), name="inquiries"),
    path(
        "inquiries/results/",
        InquiryReportView.as_view(results_only=True),
        name="inquiries_results",
    ),
    path("products/", ProductReportView.as_view(), name="products"),
    path(
        "products/results/",
        ProductReportView.as_view(results_only=True),
        name="products_results",
    ),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("activity-reports/", include((report_urls, "reports"), namespace="reports"))]


@hooks.register("register_reports_menu_item")
def register_inquiry_report_menu_item():
    return OfficeMenuItem(_("Inquiries"), reverse("reports:inquiries"), icon_name="mail", order=700)


@hooks.register("register_reports_menu_item")
def register_product_report_menu_item():
    return OfficeMenuItem(
        _("Product views and inquiries"), reverse("reports:products"), icon_name="pick", order=710
    )


# The search reports, over search's query log. -----------------------------------------

SEARCH_REPORTS = (
    # (URL path under reports/search/, URL name, view, menu label)
    ("", "top_queries", TopQueriesView, _("Top searches")),
    ("zero-results/", "zero_results", ZeroResultQueriesView, _("Searches with no results")),
    ("no-click/", "no_click", NoClickQueriesView, _("Searches with no click")),
)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    urls = []
    for url_path, name, view, _label in SEARCH_REPORTS:
        urls += [
            path(url_path, view.as_view(), name=name),
            path(f"{url_path}results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]
    return [path("reports/search/", include((urls, "search_reports")))]


def search_report_menu_item(name: str, label: str, order: int) -> MenuItem:
    return OfficeMenuItem(label, reverse(f"search_reports:{name}"), icon_name="search", order=order)


# One menu item per search report, in the Reports menu after Wagtail's own.
for index, (_path, name, _view, label) in enumerate(SEARCH_REPORTS):
    hooks.register(
        "register_reports_menu_item", partial(search_report_menu_item, name, label, 900 + index)
    )


# Product views. -----------------------------------------------------------------------


# After Wagtail's own checks (request method, privacy), which may answer instead of the page.
@hooks.register("before_serve_page", order=100)
def count_product_page_view(page, request, serve_args, serve_kwargs):
    if isinstance(page, ProductPage) and is_detail_view(serve_args):
        count_product_view(page, request)
        # Counted again each time the page is served from the page cache.
        replay_on_hit(request, PRODUCT_VIEW, (page.pk, str(page.translation_key)))


def is_detail_view(serve_args: tuple) -> bool:
    """The product page itself, not its QR code images (RoutablePageMixin passes the view)."""
    view = serve_args[0] if serve_args else None
    return view is None or getattr(view, "__name__", "") == "product_detail"
