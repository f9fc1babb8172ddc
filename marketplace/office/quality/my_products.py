"""A producer's products at a glance ("My products"): what each shows, and what needs
attention. The office sees every producer's.

One row per product in the default language (its facts are every language's), live or
not. Price and availability are read as the editor shows them: from the pending draft
when there is one (see marketplace.core.fact_updates), else from the live page.

Needs attention (decisions):
- no photo; no price while not "price on request" (older imports have some);
- out of stock: said so it is not forgotten once restocked;
- a certificate expiring within the certificates' warning period, or expired, with no
  other valid one; a pending certificate is shown as its status, not flagged (waiting
  for the office is not the producer's to fix);
- changes waiting for the office's approval;
- no live English translation.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowState

from marketplace.certificates import decisions
from marketplace.certificates.admin_views import STATUS_LABELS
from marketplace.certificates.models import OcopCertificate
from marketplace.office.quality.access import visible_producers
from marketplace.office.quality.checks import _with_english, default_language_producers
from producers.models import ProducerPage
from products.models import ProductImage, ProductPage
from products.queries import products_of_producers

AnyUser = AbstractBaseUser | AnonymousUser

# The facts the listing edits, as the editor's fields name them.
FACTS = ("price_vnd", "price_on_request", "availability")


@dataclass(frozen=True)
class Flag:
    key: str
    label: Promise


FLAGS = {
    flag.key: flag
    for flag in (
        Flag("photo", _("No photo")),
        Flag("price", _("No price")),
        Flag("out_of_stock", _("Out of stock")),
        Flag("certificate_expiring", _("Certificate expiring soon")),
        Flag("certificate_expired", _("Certificate expired")),
        Flag("awaiting_approval", _("Changes awaiting approval")),
        Flag("english", _("No English translation")),
    )
}


def _in_moderation() -> Exists:
    return Exists(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), CharField()),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
    )


def visible_products(user: AnyUser) -> QuerySet[ProductPage]:
    """The user's products (every producer's for the office), in the default language,
    with what the listing shows of each."""
    producers = default_language_producers().filter(pk__in=visible_producers(user).values("pk"))
    products = products_of_producers(ProductPage.objects.all(), producers.values("path"))
    certificates = OcopCertificate.objects.order_by("-expiry_date", "pk")
    return (
        _with_english(products)
        .annotate(
            has_image=Exists(ProductImage.objects.filter(page=OuterRef("pk"))),
            in_moderation=_in_moderation(),
            producer_title=Subquery(
                ProducerPage.objects.filter(path=OuterRef("parent_path")).values("title")[:1]
            ),
        )
        .select_related("latest_revision")
        .prefetch_related(
            # The thumbnails' renditions too: no query per row.
            Prefetch(
                "gallery_images",
                ProductImage.objects.select_related("image").prefetch_related("image__renditions"),
            ),
            Prefetch("ocop_certificates", certificates),
        )
    )


def shown_facts(product: ProductPage) -> dict:
    """Price and availability as the editor shows them (the pending draft's, if any)."""
    facts = {name: getattr(product, name) for name in FACTS}
    revision = product.latest_revision
    pending = product.has_unpublished_changes or not product.live
    if pending and revision is not None:
        facts.update({name: revision.content[name] for name in FACTS if name in revision.content})
    return facts


def main_certificate(product: ProductPage, on: datetime.date | None = None):
    """The certificate that says the product's OCOP status: a valid one (the longest
    valid), else one expiring soon, else the latest-expiring one (a pending renewal, an
    expired one…). None when the product claims none."""
    certificates = list(product.ocop_certificates.all())  # latest expiry first
    statuses = [decisions.public_status(certificate, on) for certificate in certificates]
    for wanted in ("valid", "expiring"):
        if wanted in statuses:
            return certificates[statuses.index(wanted)]
    return certificates[0] if certificates else None


def certificate_status(product: ProductPage, on: datetime.date | None = None) -> str | None:
    """valid, expiring, expired, pending, rejected or revoked; None without a certificate."""
    certificate = main_certificate(product, on)
    return decisions.public_status(certificate, on) if certificate else None


def certificate_label(status: str | None) -> str:
    return str(STATUS_LABELS[status]) if status else ""


def attention_flags(product: ProductPage, on: datetime.date | None = None) -> list[Flag]:
    """What the producer should look at on this product (see the module's decisions)."""
    facts = shown_facts(product)
    status = certificate_status(product, on or timezone.localdate())
    keys = []
    if not product.has_image:
        keys.append("photo")
    if facts["price_vnd"] is None and not facts["price_on_request"]:
        keys.append("price")
    if facts["availability"] == ProductPage.Availability.OUT_OF_STOCK:
        keys.append("out_of_stock")
    if status == "expiring":
        keys.append("certificate_expiring")
    elif status == "expired":
        keys.append("certificate_expired")
    if product.in_moderation:
        keys.append("awaiting_approval")
    if not product.english_live:
        keys.append("english")
    return [FLAGS[key] for key in keys]


def needing_attention(products: QuerySet[ProductPage], on: datetime.date) -> QuerySet:
    """The SQL side of attention_flags, to filter a listing (drafts' facts aside)."""
    soon = on + datetime.timedelta(days=decisions.EXPIRING_DAYS)
    valid_long = OcopCertificate.objects.valid(on=on).filter(
        page=OuterRef("pk"), expiry_date__gt=soon
    )
    lapsing = OcopCertificate.objects.filter(
        page=OuterRef("pk"), status=OcopCertificate.Status.VERIFIED, expiry_date__lte=soon
    )
    return products.filter(
        Q(has_image=False)
        | Q(price_vnd__isnull=True, price_on_request=False)
        | Q(availability=ProductPage.Availability.OUT_OF_STOCK)
        | (Exists(lapsing) & ~Exists(valid_long))
        | Q(in_moderation=True)
        | Q(english_live=False)
    )
