"""Reviews in other apps' templates: the product page (products sits below reviews and
never imports it), the tracking page and the status email (inquiries' templates)."""

from django import template
from django.utils.translation import get_language

from marketplace.core.site_address import absolute_url
from marketplace.inquiries.models import Inquiry, InquiryItem
from marketplace.reviews.models import Review
from marketplace.reviews.queries import SHOWN_REVIEWS, language_note, product_reviews
from marketplace.reviews.writing import Offer, review_offers

register = template.Library()

FULL_STAR, EMPTY_STAR = "★", "☆"


@register.filter
def stars(rating: int) -> str:
    """★★★★☆ for 4: shown to the eye; templates say the rating in words beside it."""
    rating = max(0, min(5, int(rating or 0)))
    return FULL_STAR * rating + EMPTY_STAR * (5 - rating)


@register.inclusion_tag("reviews/includes/review_summary.html")
def review_summary(page) -> dict:
    """The average and count near the product's price, linked to the reviews."""
    return {"reviews": product_reviews(page)}


@register.inclusion_tag("reviews/includes/product_reviews.html", takes_context=True)
def product_review_list(context: template.Context, page) -> dict:
    reviews = product_reviews(page)
    language = get_language()
    return {
        "reviews": reviews,
        "entries": [(review, language_note(review, language)) for review in reviews.latest],
        "more": max(0, reviews.count - SHOWN_REVIEWS),
        "producer": context.get("producer"),
    }


@register.simple_tag
def review_offers_of(inquiry: Inquiry) -> list[Offer]:
    return review_offers(inquiry)


@register.simple_tag
def review_email_links(inquiry: Inquiry) -> list[tuple[InquiryItem, str]]:
    """The products of a fulfilled inquiry not reviewed yet, with absolute links."""
    return [
        (offer.item, absolute_url(offer.url))
        for offer in review_offers(inquiry)
        if not offer.review
    ]


@register.simple_tag
def review_language_note(review: Review) -> str:
    return language_note(review, get_language())
