"""QR codes: product pages on labels and posters, VietQR payment codes.

`qr_png` and `qr_svg` are the only places that draw QR codes, so every code printed
by the site has the same error correction and quiet zone.
"""

import io

import qrcode
import qrcode.constants
import qrcode.image.svg

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
