"""Renditions prefetched with listings, so that a card costs no query."""

from django.db.models import Prefetch
from wagtail.images.models import Filter

from marketplace.core.models import CustomRendition

# The renditions of the product and producer cards (templates/products/includes/
# product_card.html, templates/producers/includes/producer_card.html): prefetched so that
# a card costs no query. Keep both in step.
CARD_IMAGE_FILTERS = Filter.expand_spec("format-{avif,webp,jpeg}|fill-400x300")


def card_renditions(lookup: str) -> Prefetch:
    """Prefetch the card renditions of the image at `lookup` (e.g. "image__renditions")."""
    return Prefetch(
        lookup, queryset=CustomRendition.objects.filter(filter_spec__in=CARD_IMAGE_FILTERS)
    )
