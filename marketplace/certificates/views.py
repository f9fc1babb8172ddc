import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from marketplace.certificates.public import (
    PublicCertificate,
    find_public_certificate,
    verification_path,
)
from marketplace.core.qr import FORMATS, qr_png, qr_svg
from marketplace.core.site_address import absolute_url


def _find_or_404(key: uuid.UUID) -> PublicCertificate:
    found = find_public_certificate(key, Locale.get_active())
    if found is None:
        raise Http404(_("No verified OCOP certificate has this code."))
    return found


def _context(request: HttpRequest, found: PublicCertificate, key: uuid.UUID) -> dict:
    return {
        "found": found,
        "certificate": found.certificate,
        "verification_url": absolute_url(verification_path(key)),
    }


def certificate_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The public proof of an OCOP certificate: its facts and whether it still holds."""
    found = _find_or_404(key)
    context = _context(request, found, key)
    context["seo_title"] = _("OCOP certificate %(number)s") % {
        "number": found.certificate.decision_number
    }
    context["seo_description"] = _(
        "Check the OCOP certificate of %(product)s: stars, decision and validity."
    ) % {"product": found.product.title}
    return render(request, "certificates/public/certificate_detail.html", context)


def certificate_label(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """A printable label: the QR code of the verification page, the stars and the decision."""
    found = _find_or_404(key)
    return render(
        request, "certificates/public/certificate_label.html", _context(request, found, key)
    )


def certificate_qr(request: HttpRequest, key: uuid.UUID, fmt: str) -> HttpResponse:
    """The QR code of the verification page's absolute URL, in the page's language."""
    if fmt not in FORMATS:
        raise Http404
    found = _find_or_404(key)
    url = absolute_url(verification_path(key))
    body = qr_png(url) if fmt == "png" else qr_svg(url)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    # Inline, so that the label shows it; the download links say `download`.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"ocop-qr-{found.product.slug}.{fmt}"
    )
    return response
