"""QR codes of product pages, for labels, stalls and fair posters (drawn by core.qr)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from wagtail.models import Page

from marketplace.core.qr import FORMATS, qr_png, qr_svg


def product_qr_response(page: Page, request: HttpRequest, fmt: str) -> HttpResponse:
    """The QR code of the product's public URL, as a file to download.

    Wagtail's Site record holds the public address (PUBLIC_BASE_URL), whatever Host the
    request came with: the printed code must not say 127.0.0.1 or a proxy's name.
    """
    if fmt not in FORMATS:
        raise Http404
    url = page.get_full_url(request)
    body = qr_png(url) if fmt == "png" else qr_svg(url)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"qr-{page.slug}.{fmt}"
    )
    return response
