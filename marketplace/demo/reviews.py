"""Demo reviews: a few fulfilled inquiries with reviews (some with the producer's reply
and one with a photo), so the demo's product pages show reviews.

The inquiries are written directly, already fulfilled, without the emails the real flow
sends: nobody is to be written to. Skipped when any review exists.
"""

import datetime
import itertools

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from marketplace.demo import data
from marketplace.inquiries.models import Inquiry, InquiryItem, StatusChange, Submission
from marketplace.inquiries.references import next_reference
from marketplace.reviews.models import Review
from marketplace.reviews.names import first_name
from marketplace.reviews.photos import clean_copy, save_photo
from products.models import ProductPage

Status = Inquiry.Status


def reviewed_products(locale: Locale) -> list[ProductPage]:
    """The first priced products of different producers, in tree order."""
    chosen, producers = [], set()
    products = ProductPage.objects.live().filter(locale=locale, price_vnd__isnull=False)
    for product in products.order_by("path").iterator():
        parent = product.path[: -ProductPage.steplen]
        if parent not in producers:
            producers.add(parent)
            chosen.append(product)
            if len(chosen) == data.REVIEWED_PRODUCTS:
                break
    return chosen


def ensure_demo_reviews(vi: Locale, en: Locale) -> int:
    """Create the demo reviews unless there are reviews already; how many were made."""
    if Review.objects.exists():
        return 0
    reviews = itertools.cycle(data.REVIEWS)
    counts = itertools.cycle(data.REVIEWS_PER_PRODUCT)
    made = 0
    with transaction.atomic():
        for number, product in enumerate(reviewed_products(vi)):
            translations = {"vi": product, "en": product.get_translation_or_none(en)}
            for n in range(next(counts)):
                name, language, rating, text, reply = next(reviews)
                seen = translations.get(language) or product
                days_ago = 3 + 9 * number + 4 * n
                with_photo = number == 0 and n == 0
                _review(product, seen, name, language, rating, text, reply, days_ago, with_photo)
                made += 1
    return made


def _review(
    product: ProductPage,
    seen: ProductPage,
    name: str,
    language: str,
    rating: int,
    text: str,
    reply: str,
    days_ago: int,
    with_photo: bool,
) -> None:
    sent = timezone.now() - datetime.timedelta(days=days_ago + 5)
    delivered = sent + datetime.timedelta(days=3)
    inquiry = Inquiry.objects.create(
        reference=next_reference(),
        submission=Submission.objects.create(key=f"demo-review-{Submission.objects.count()}"),
        producer=product.get_parent().specific,
        status=Status.FULFILLED,
        language=language,
        name=name,
        phone=f"+8490555{days_ago:04d}",
        channel=Inquiry.Channel.ZALO if language == "vi" else Inquiry.Channel.EMAIL,
        delivery=Inquiry.Delivery.PICK_UP,
        consent_at=sent,
        created_at=sent,
        confirmed_amount_vnd=product.price_vnd,
        payment_method=Inquiry.PaymentMethod.CASH,
    )
    item = InquiryItem.objects.create(
        inquiry=inquiry,
        product=seen,
        product_title=seen.title,
        producer_title="" if seen.pk == product.pk else product.title,
        unit=seen.unit,
        unit_price_vnd=product.price_vnd,
        quantity=1,
    )
    StatusChange.objects.bulk_create(
        StatusChange(inquiry=inquiry, from_status=before, to_status=after, at=at)
        for before, after, at in (
            (Status.NEW, Status.CONFIRMED, sent + datetime.timedelta(hours=2)),
            (Status.CONFIRMED, Status.PAID, delivered),
            (Status.PAID, Status.FULFILLED, delivered),
        )
    )
    shown_name = first_name(name, language)
    photo = None
    first_image = product.gallery_images.select_related("image").first()
    if with_photo and text and first_image is not None:
        with first_image.image.file.open() as file:
            photo = save_photo(
                clean_copy(file), product_title=seen.title, shown_name=shown_name, language=language
            )
    written = delivered + datetime.timedelta(days=1)
    Review.objects.create(
        inquiry=inquiry,
        item=item,
        product_key=product.translation_key,
        rating=rating,
        text=text,
        language=language,
        display_name=shown_name,
        photo=photo,
        created_at=written,
        reply=reply,
        replied_at=written + datetime.timedelta(hours=5) if reply else None,
    )
