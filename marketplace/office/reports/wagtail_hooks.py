from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from marketplace.core.office import OfficeMenuItem
from marketplace.office.reports.counting import count_product_view
from marketplace.office.reports.views import InquiryReportView, ProductReportView
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


# After Wagtail's own checks (request method, privacy), which may answer instead of the page.
@hooks.register("before_serve_page", order=100)
def count_product_page_view(page, request, serve_args, serve_kwargs):
    if isinstance(page, ProductPage) and is_detail_view(serve_args):
        count_product_view(page, request)


def is_detail_view(serve_args: tuple) -> bool:
    """The product page itself, not its QR code images (RoutablePageMixin passes the view)."""
    view = serve_args[0] if serve_args else None
    return view is None or getattr(view, "__name__", "") == "product_detail"
