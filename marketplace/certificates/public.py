"""What the public verification page of a certificate shows, and where it is.

The page is addressed by the certificate's translation key: the same in every language
and across page revisions, so a printed QR code keeps working. Only verified and revoked
certificates of live, public products have a page; pending and rejected claims are the
office's business.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale

from marketplace.certificates.decisions import public_status
from marketplace.certificates.models import OcopCertificate
from producers.models import ProducerPage
from products.models import ProductCategory, ProductPage

Status = OcopCertificate.Status


@dataclass(frozen=True)
class PublicCertificate:
    certificate: OcopCertificate
    product: ProductPage  # in the visitor's language when it is translated and live
    producer: ProducerPage | None
    category: ProductCategory | None
    # marketplace.certificates.decisions.public_status: valid, expiring, expired or revoked
    status: str
    days_left: int  # until the last valid day; negative once expired

    @property
    def revoked_on(self) -> datetime.date | None:
        changed = self.certificate.status_changed_at
        if self.status != "revoked" or changed is None:
            return None
        return timezone.localdate(changed)

    @property
    def document(self):
        """The scanned decision, only when anyone may see it (never a revoked one's)."""
        return self.certificate.document if self.certificate.scan_is_public else None


def public_certificates():
    """The certificates the public may see: decided ones of live, public products."""
    return OcopCertificate.objects.filter(
        status__in=OcopCertificate.PUBLIC_STATUSES, page__in=ProductPage.objects.live().public()
    )


def public_copies(key: uuid.UUID):
    """The copies of certificate `key` the public may see, in every language."""
    return public_certificates().filter(translation_key=key)


def find_public_certificate(
    key: uuid.UUID, locale: Locale, on: datetime.date | None = None
) -> PublicCertificate | None:
    """The certificate `key` as the public sees it in `locale`, or None when it has no page.

    The copy in the visitor's language comes first, then the default language's: a copy
    whose facts were edited since the office's decision is pending, and another copy
    still tells the decided facts.
    """
    on = on or timezone.localdate()
    default = Locale.get_default()
    certificate = (
        public_copies(key)
        .select_related("page", "document")
        .annotate(
            preference=Case(
                When(page__locale=locale, then=Value(0)),
                When(page__locale=default, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("preference", "pk")
        .first()
    )
    if certificate is None:
        return None
    product = certificate.page
    if product.locale_id != locale.pk:
        translated = product.get_translation_or_none(locale)
        if translated is not None and translated.live:
            product = translated.specific
    category = product.category
    if category is not None and category.locale_id != locale.pk:
        category = category.get_translation_or_none(locale) or category
    return PublicCertificate(
        certificate=certificate,
        product=product,
        producer=ProducerPage.objects.parent_of(product).first(),
        category=category,
        status=public_status(certificate, on),
        days_left=(certificate.expiry_date - on).days,
    )


def verification_path(key: uuid.UUID, language: str | None = None) -> str:
    """The path of the verification page, in `language` (the active one by default)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return reverse("certificates:detail", kwargs={"key": key})
