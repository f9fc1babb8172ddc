"""Builders for test data: small, explicit, and fast. Use them instead of the demo loader."""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.models import Locale

from marketplace.certificates.models import OcopCertificate
from marketplace.core.models import CustomImage
from producers.models import CraftVillage, Locality, ProducerIndexPage, ProducerPage
from products.models import ProductCategory, ProductImage, ProductPage

_counter = itertools.count(1)


def vi() -> Locale:
    return Locale.objects.get(language_code="vi")


def en() -> Locale:
    return Locale.objects.get(language_code="en")


def make_image(title: str = "Ảnh", colour=(200, 120, 40), size=(64, 48), **fields) -> CustomImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    n = next(_counter)
    image = CustomImage(
        title=title,
        description=fields.pop("description", f"{title} {n}"),
        file=ImageFile(buffer, name=f"test-{n}.jpg"),
        **fields,
    )
    image.save()
    return image


def jpeg_upload(name: str = "upload.jpg") -> SimpleUploadedFile:
    """A small JPEG as a browser uploads it."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_document(title: str = "Quyết định OCOP", **fields):
    """A small PDF document (in the root collection unless `collection` is given)."""
    document = get_document_model()(title=title, **fields)
    document.file.save(f"document-{next(_counter)}.pdf", ContentFile(b"%PDF-1.4 scan"), save=False)
    document.save()
    return document


def make_locality(name: str = "Điện Dương", slug: str = "dien-duong", **fields) -> Locality:
    locality, _ = Locality.objects.get_or_create(
        slug=slug,
        locale=fields.pop("locale", None) or vi(),
        defaults={"name": name, "kind": fields.pop("kind", Locality.Kind.WARD), **fields},
    )
    return locality


def make_craft_village(name: str = "Làng gốm Thanh Hà", slug: str = "gom-thanh-ha", locality=None):
    village, _ = CraftVillage.objects.get_or_create(
        slug=slug,
        locale=vi(),
        defaults={"name": name, "locality": locality or make_locality()},
    )
    return village


def category(slug: str = "thuc-pham", locale: Locale | None = None) -> ProductCategory:
    """One of the six OCOP groups created by the products data migration."""
    return ProductCategory.objects.get(slug=slug, locale=locale or vi())


def make_producer(
    index: ProducerIndexPage, name: str | None = None, publish: bool = True, **fields
) -> ProducerPage:
    n = next(_counter)
    name = name or f"HTX Thử nghiệm {n}"
    defaults = {
        "title": name,
        "display_name": name,
        "slug": f"producer-{n}",
        "legal_form": ProducerPage.LegalForm.COOPERATIVE,
        "locality": fields.pop("locality", None) or make_locality(),
        "address": "Thôn 1",
        "phone": "0905123456",
        "live": publish,
    }
    defaults.update(fields)
    producer = ProducerPage(**defaults)
    index.add_child(instance=producer)
    revision = producer.save_revision()
    if publish:
        revision.publish()
    return producer


def make_product(
    producer: ProducerPage,
    title: str | None = None,
    publish: bool = True,
    stars: int | None = None,
    certificate_issued: datetime.date | None = None,
    certificate_status: str = "verified",
    **fields,
) -> ProductPage:
    n = next(_counter)
    title = title or f"Sản phẩm thử {n}"
    defaults = {
        "title": title,
        "slug": f"product-{n}",
        "category": fields.pop("category", None) or category(),
        "short_description": f"Mô tả ngắn của {title}.",
        "price_vnd": 120000,
        "unit": "chai 500 ml",
        "live": publish,
    }
    defaults.update(fields)
    product = ProductPage(**defaults)
    product.gallery_images.add(ProductImage(image=make_image(title), sort_order=0))
    if stars:
        issued = certificate_issued or datetime.date(2024, 3, 1)
        product.ocop_certificates.add(
            OcopCertificate(
                stars=stars,
                decision_number=f"{n}/QĐ-UBND",
                issuing_level="central" if stars == 5 else "province",
                issuing_body="UBND tỉnh Quảng Nam",
                issue_date=issued,
            )
        )
    producer.add_child(instance=product)
    revision = product.save_revision()
    if publish:
        revision.publish()
        if stars and certificate_status != "pending":
            decide_certificate(product.ocop_certificates.get(), certificate_status)
            product.refresh_from_db()
    return product


def decide_certificate(certificate: OcopCertificate, status: str) -> None:
    """The office's decision on a certificate, through the real service."""
    from marketplace.certificates import decisions

    if status in ("verified", "revoked"):
        decisions.verify(certificate, None)
    if status == "revoked":
        decisions.revoke(certificate, None, "Không đạt khi đánh giá lại.")
    if status == "rejected":
        decisions.reject(certificate, None, "Số quyết định không khớp.")
