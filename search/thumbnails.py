"""Search result thumbnails: one small rendition URL per image, for both backends.

A result page needs up to PAGE_SIZE thumbnails. Their URLs are kept in each process by
image id while the content is unchanged (page_cache.kept_while_unchanged: a changed
image drops them in every process), so a warm search costs no image query; cold ones
are read with their renditions in one query, and only missing renditions are generated.
Not in Django's cache: production's is a database table, where every URL found meant a
write transaction during a visitor's search (45 ms a search at 20,000 products). A
deleted rendition drops them too (marketplace.base.page_cache_invalidation).
"""

import logging
from collections.abc import Iterable

from wagtail.images.models import Filter, SourceImageIOError

from marketplace.core.models import CustomImage, CustomRendition
from marketplace.core.page_cache import kept_while_unchanged
from marketplace.core.rendition_specs import SEARCH_THUMBNAIL

THUMBNAIL_SPEC = SEARCH_THUMBNAIL
KEPT_URLS = 100_000  # per process (about 10 MB); then it starts again
FILTER = Filter(THUMBNAIL_SPEC)

logger = logging.getLogger(__name__)


def _kept_urls() -> dict[int, str]:
    """The URLs this process found, by image id: one dict, filled as searches go."""
    return kept_while_unchanged(("search-thumbnails", THUMBNAIL_SPEC), dict)


def thumbnail_urls(image_ids: Iterable[int]) -> dict[int, str]:
    """Thumbnail URL by image id; images that no longer exist are left out."""
    ids = {image_id for image_id in image_ids if image_id}
    if not ids:
        return {}
    kept = _kept_urls()
    urls = {image_id: kept[image_id] for image_id in ids if image_id in kept}
    missing = ids - urls.keys()
    if missing:
        found = _rendition_urls(missing)
        if len(kept) + len(found) > KEPT_URLS:
            kept.clear()
        kept.update(found)
        urls.update(found)
    return urls


def _rendition_urls(image_ids: set[int]) -> dict[int, str]:
    # One query for the existing renditions, images joined for their focal points;
    # Wagtail's prefetch_renditions() takes two, and get_rendition() re-caches each one.
    urls = {}
    renditions = CustomRendition.objects.filter(
        image_id__in=image_ids, filter_spec=THUMBNAIL_SPEC
    ).select_related("image")
    for rendition in renditions:
        # A rendition made before the focal point last moved is not this image's.
        if rendition.focal_point_key == FILTER.get_cache_key(rendition.image):
            urls[rendition.image_id] = rendition.url
    missing = image_ids - urls.keys()
    if missing:
        for image in CustomImage.objects.filter(pk__in=missing):
            try:
                urls[image.pk] = image.get_rendition(FILTER).url
            except SourceImageIOError:  # the original is gone: a card without a picture
                logger.warning("Image %s has no file to make a thumbnail from", image.pk)
    return urls
