"""The reviews of a product page, its average, and the product's structured data.

The product page asks for them twice (the summary near the price, the list, and the
JSON-LD in the <head>): the answer is kept on the page object for the request, so the
page makes the same few queries whatever the number of reviews.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch
from django.utils import timezone
from django.utils.translation import get_language_info

from marketplace.core import rendition_specs
from marketplace.core.models import CustomRendition
from marketplace.reviews.models import Review

SHOWN_REVIEWS = 20
STRUCTURED_REVIEWS = 5
SCHEMA_ORG = "https://schema.org"
# The renditions the review list shows (templates/reviews/includes/review.html): keep both
# in step, so that they come with the reviews in one query.
THUMBNAIL_SPEC = rendition_specs.REVIEW_THUMBNAIL
LARGE_SPEC = rendition_specs.REVIEW_LARGE
_CACHE = "_product_reviews"


@dataclass
class ProductReviews:
    count: int = 0
    average: Decimal | None = None
    latest: list[Review] = field(default_factory=list)

    @property
    def rounded_stars(self) -> int:
        """The average to the nearest whole star, for the star picture."""
        if self.average is None:
            return 0
        return int(self.average.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _average(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def product_reviews(page) -> ProductReviews:
    """The visible reviews of the product (in every language), newest first."""
    cached = page.__dict__.get(_CACHE)
    if cached is not None:
        return cached
    reviews = Review.objects.visible().of_product(page.translation_key)
    totals = reviews.aggregate(count=Count("pk"), average=Avg("rating"))
    result = ProductReviews(count=totals["count"], average=_average(totals["average"]))
    if result.count:
        renditions = CustomRendition.objects.filter(filter_spec__in=[THUMBNAIL_SPEC, LARGE_SPEC])
        result.latest = list(
            reviews.select_related("photo")
            .prefetch_related(Prefetch("photo__renditions", queryset=renditions))
            .order_by("-created_at", "-pk")[:SHOWN_REVIEWS]
        )
    page.__dict__[_CACHE] = result
    return result


def language_note(review: Review, page_language: str) -> str:
    """ "Written in English" on a Vietnamese page: the text is never machine-translated."""
    if review.language == page_language:
        return ""
    try:
        return get_language_info(review.language)["name_translated"]
    except KeyError:
        return review.language


def review_structured_data(page) -> dict:
    """schema.org aggregateRating and review of the product, when it has visible reviews."""
    reviews = product_reviews(page)
    if not reviews.count:
        return {}
    return {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": str(reviews.average),
            "reviewCount": reviews.count,
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": [_review_data(review) for review in reviews.latest[:STRUCTURED_REVIEWS]],
    }


def _review_data(review: Review) -> dict:
    data = {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.display_name},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": 5,
            "worstRating": 1,
        },
        "datePublished": timezone.localdate(review.created_at).isoformat(),
        "inLanguage": review.language,
    }
    if review.text:
        data["reviewBody"] = review.text
    return data
