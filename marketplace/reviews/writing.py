"""Writing a review: who may review what, and saving one in one transaction."""

import io
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.inquiries.models import Inquiry, InquiryItem
from marketplace.reviews.models import Review
from marketplace.reviews.names import first_name
from marketplace.reviews.photos import save_photo


class NotReviewable(Exception):
    """The inquiry is not fulfilled: nothing was delivered to review yet."""


class AlreadyReviewed(Exception):
    """This product of this inquiry has its review already."""


def is_reviewable(inquiry: Inquiry) -> bool:
    return inquiry.status == Inquiry.Status.FULFILLED


def reviewable_items(inquiry: Inquiry) -> list[InquiryItem]:
    """The items a review can be about: those whose product still exists."""
    return [item for item in inquiry.items.all() if item.product_id is not None]


def review_url(inquiry: Inquiry, item: InquiryItem) -> str:
    """The review form of `item`, in the inquiry's language (the one its text is in)."""
    with translation.override(inquiry.language):
        return reverse("reviews:write", kwargs={"token": inquiry.token, "item_id": item.pk})


def default_shown_name(inquiry: Inquiry) -> str:
    return first_name(inquiry.name, inquiry.language)


@dataclass(frozen=True)
class Offer:
    """One product of a fulfilled inquiry: its review, or the link to write it."""

    item: InquiryItem
    review: Review | None
    url: str


def review_offers(inquiry: Inquiry) -> list[Offer]:
    """What the tracking page and the email offer to review; empty until fulfilled."""
    if not is_reviewable(inquiry):
        return []
    items = reviewable_items(inquiry)
    reviews = {review.item_id: review for review in inquiry.reviews.all()}
    return [Offer(item, reviews.get(item.pk), review_url(inquiry, item)) for item in items]


def write_review(
    inquiry: Inquiry,
    item: InquiryItem,
    *,
    rating: int,
    text: str,
    shown_name: str,
    photo: io.BytesIO | None = None,
) -> Review:
    """Save the consumer's review of `item`; NotReviewable or AlreadyReviewed otherwise.

    The inquiry's row is locked while its status is checked, so a review cannot slip in
    as the inquiry changes; the unique constraint settles two reviews sent at once.
    """
    image = None
    try:
        with transaction.atomic():
            locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
            if not is_reviewable(locked):
                raise NotReviewable
            product_key = item.product.translation_key
            if Review.objects.filter(inquiry=locked, product_key=product_key).exists():
                raise AlreadyReviewed
            if photo is not None:
                image = save_photo(
                    photo,
                    product_title=item.product_title,
                    shown_name=shown_name,
                    language=locked.language,
                )
            return Review.objects.create(
                inquiry=locked,
                item=item,
                product_key=product_key,
                rating=rating,
                text=text.strip(),
                language=locked.language,
                display_name=shown_name,
                photo=image,
                created_at=timezone.now(),
            )
    except IntegrityError as error:
        raise AlreadyReviewed from error
    except BaseException:
        # The image's row went with the transaction; its file did not.
        if image is not None:
            image.file.storage.delete(image.file.name)
        raise
