from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages

from marketplace.certificates import decisions
from marketplace.certificates.admin_views import CertificateViewSet
from marketplace.certificates.documents import refuse_private_document
from marketplace.certificates.models import OcopCertificate
from marketplace.core.office import is_office_user
from products.models import ProductPage

certificate_viewset = CertificateViewSet()


@hooks.register("register_admin_viewset")
def register_certificate_viewset() -> CertificateViewSet:
    return certificate_viewset


# Before Wagtail's own check of collection privacy: a private document is a 404, never
# a password form that tells it exists.
hooks.register("before_serve_document", refuse_private_document, order=-1)


@hooks.register("construct_homepage_panels")
def add_pending_certificates_panel(request: HttpRequest, panels: list) -> None:
    if is_office_user(request.user):
        panels.append(certificate_viewset.pending_panel())


# What the product editor says about each certificate: the producer sees the office's
# decision there, read-only (the status is not a field of the editor).
EDITOR_MESSAGES = {
    "pending": (
        messages.warning,
        _(
            "OCOP certificate %(certificate)s is awaiting the office’s verification: the "
            "product shows no OCOP badge until it is verified."
        ),
    ),
    "rejected": (
        messages.error,
        _(
            "OCOP certificate %(certificate)s was rejected by the office: %(reason)s Correct "
            "it and save the page: it goes back for verification."
        ),
    ),
    "revoked": (
        messages.error,
        _("OCOP certificate %(certificate)s was revoked by the office: %(reason)s"),
    ),
    "expired": (
        messages.warning,
        _(
            "OCOP certificate %(certificate)s expired on %(date)s: the product shows no OCOP "
            "badge for it any more."
        ),
    ),
    "expiring": (
        messages.warning,
        _(
            "OCOP certificate %(certificate)s expires on %(date)s: enter the new decision as "
            "soon as the product is re-assessed."
        ),
    ),
    "valid": (
        messages.success,
        _("OCOP certificate %(certificate)s is verified by the office, valid until %(date)s."),
    ),
}


def certificate_message(certificate: OcopCertificate) -> str:
    _level, text = EDITOR_MESSAGES[decisions.public_status(certificate)]
    return str(text) % {
        "certificate": certificate,
        "reason": certificate.status_reason,
        "date": date_format(certificate.expiry_date),
    }


@hooks.register("before_edit_page")
def show_certificate_status(request: HttpRequest, page) -> None:
    if request.method != "GET" or not isinstance(page, ProductPage):
        return
    # From the database: the page being edited is its latest revision, whose
    # certificates carry the status they had when it was saved.
    office = is_office_user(request.user)
    for certificate in OcopCertificate.objects.filter(page_id=page.pk).order_by("sort_order"):
        level = EDITOR_MESSAGES[decisions.public_status(certificate)][0]
        buttons = []
        if office:
            url = reverse(certificate_viewset.get_url_name("detail"), args=[certificate.pk])
            buttons = [messages.button(url, gettext("Review"))]
        level(request, certificate_message(certificate), buttons=buttons)
