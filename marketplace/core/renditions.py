"""Renditions of listings, so that a card costs no query.

Two ways: `card_renditions()`, a prefetch with the listing's queryset (one query for all
the cards, on every request), and `attach_renditions()`, which reads the cards'
renditions from the rendition cache first and asks the database only for the images it
lacks (a warm listing: no query). Either way each image gets its renditions as Wagtail's
`prefetch_renditions()` would give them, and Wagtail's tags look no further.
"""

from collections.abc import Iterable
from functools import cached_property

from django.db.models import Prefetch
from wagtail.images.models import Filter

from marketplace.core.models import CustomImage, CustomRendition
from marketplace.core.rendition_specs import CARD, expand

# The renditions of the product and producer cards (templates/products/includes/
# product_card.html, templates/producers/includes/producer_card.html).
CARD_IMAGE_FILTERS = expand(CARD)


# spec → its operations, parsed once per process (see share_filter_operations).
_operations: dict[str, list] = {}


def share_filter_operations() -> None:
    """Parse each filter spec once per process, not once per image shown.

    Wagtail 8.0.1's {% picture %} and {% srcset_image %} make new Filter objects on every
    render, and each parses its spec again (an operation's __init__ goes through
    inspect.getcallargs): on a listing of 24 cards, 150 parses and a fifth of its
    rendering time. Operations hold only their parsed arguments, so Filters of one spec
    can share them.
    """
    parse = Filter.__dict__["operations"].func

    def operations(self: Filter) -> list:
        found = _operations.get(self.spec)
        if found is None:
            found = _operations[self.spec] = parse(self)
        return found

    shared = cached_property(operations)
    shared.__set_name__(Filter, "operations")
    Filter.operations = shared


def card_renditions(lookup: str) -> Prefetch:
    """Prefetch the card renditions of the image at `lookup` (e.g. "image__renditions")."""
    return Prefetch(
        lookup, queryset=CustomRendition.objects.filter(filter_spec__in=CARD_IMAGE_FILTERS)
    )


def attach_renditions(images: Iterable[CustomImage | None], spec: str) -> None:
    """Set on each image its renditions of `spec` (as `prefetched_renditions`): from the
    rendition cache, else from one query for all the images the cache lacks."""
    images = [image for image in images if image is not None]
    filters = [Filter(one) for one in expand(spec)]
    keys = {
        CustomRendition.construct_cache_key(image, one.get_cache_key(image), one.spec): image.pk
        for image in images
        for one in filters
    }
    cache = CustomRendition.cache_backend
    found: dict[int, list[CustomRendition]] = {image.pk: [] for image in images}
    for key, rendition in cache.get_many(list(keys)).items():
        found[keys[key]].append(rendition)
    lacking = [image for image in images if len(found[image.pk]) < len(filters)]
    if lacking:
        _read_from_database(lacking, filters, found)
    for image in images:
        for rendition in found[image.pk]:
            rendition.image = image  # its alt text, without a query
        image.prefetched_renditions = list(found[image.pk])


def _read_from_database(
    images: list[CustomImage], filters: list[Filter], found: dict[int, list[CustomRendition]]
) -> None:
    by_pk = {image.pk: image for image in images}
    rows = CustomRendition.objects.filter(
        image_id__in=by_pk, filter_spec__in=[one.spec for one in filters]
    )
    # The database has all of them (made before a focal point moved too: Wagtail picks).
    for pk in by_pk:
        found[pk] = []
    written = {}
    for rendition in rows:
        found[rendition.image_id].append(rendition)
        key = CustomRendition.construct_cache_key(
            by_pk[rendition.image_id], rendition.focal_point_key, rendition.filter_spec
        )
        written[key] = rendition
    # Written once, here: Wagtail does not write prefetched renditions back.
    if written:
        CustomRendition.cache_backend.set_many(written)
