from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from products.admin_views import ProductCategoryViewSet
from products.models import ProductPage

register_snippet(ProductCategoryViewSet)


QR_LABELS = {"qr_png": _("QR code (PNG)"), "qr_svg": _("QR code (SVG)")}


def is_product(page: Page) -> bool:
    return bool(page.specific_class) and issubclass(page.specific_class, ProductPage)


def qr_buttons(page: ProductPage, priority: int) -> Iterator[Button]:
    """Download links for the QR codes of a live product page's public URL."""
    url = page.get_url()
    if not url:
        return
    for offset, (route, label) in enumerate(QR_LABELS.items()):
        yield Button(
            label,
            url + page.reverse_subpage(route),
            icon_name="download",
            priority=priority + offset,
        )


@hooks.register("register_page_header_buttons")
def product_qr_header_buttons(page, user, view_name, next_url=None):
    if not is_product(page) or not page.live:
        return
    # The editor shows the latest draft, whose slug may not be live yet.
    live_page = ProductPage.objects.live().filter(pk=page.pk).first()
    if live_page is not None:
        yield from qr_buttons(live_page, priority=80)


@hooks.register("register_page_listing_more_buttons")
def product_qr_listing_buttons(page, user, next_url=None):
    if is_product(page) and page.live:
        yield from qr_buttons(page.specific_deferred, priority=70)
