"""QR codes of product pages, for labels, stalls and fair posters.

`qr_png` and `qr_svg` are the only places that draw QR codes, so every code printed
by the site has the same error correction and quiet zone.
"""

import io

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from products.models import ProductPage

# M recovers from 15% damage: enough for a scuffed label, still a small code.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# The four-module quiet zone the QR standard requires around the code.
BORDER = 4
# Pixels per module in the PNG: sharp when printed a few centimetres wide.
PNG_BOX_SIZE = 10

FORMATS = {
    "png": "image/png",
    "svg": "image/svg+xml",
}


def _qr_code(data: str, box_size: int = PNG_BOX_SIZE) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data: str) -> bytes:
    """`data` as a black-on-white PNG QR code."""
    buffer = io.BytesIO()
    _qr_code(data).make_image().save(buffer)
    return buffer.getvalue()


def qr_svg(data: str) -> str:
    """`data` as a standalone SVG document: one path, scalable for print."""
    image = _qr_code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + image.to_string(encoding="unicode")


def product_qr_response(page: ProductPage, request: HttpRequest, fmt: str) -> HttpResponse:
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
