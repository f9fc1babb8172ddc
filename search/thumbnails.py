"""Search result thumbnails: one small rendition URL per image, for both backends.

A result page needs up to PAGE_SIZE thumbnails. Their URLs are kept in Django's cache
by image id, so a warm search costs no image query; cold ones are read with their
renditions in one query, and only missing renditions are generated. Changing an image
or deleting its renditions drops its URL from this process's cache; CACHE_TIMEOUT
bounds how long other processes may keep an old URL when the cache is per process.
"""

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images.models import Filter, SourceImageIOError

from marketplace.core.models import CustomImage, CustomRendition
from marketplace.core.rendition_specs import SEARCH_THUMBNAIL

THUMBNAIL_SPEC = SEARCH_THUMBNAIL
CACHE_TIMEOUT = 10 * 60
FILTER = Filter(THUMBNAIL_SPEC)

logger = logging.getLogger(__name__)


def _key(image_id: int) -> str:
    return f"search-thumbnail:{THUMBNAIL_SPEC}:{image_id}"


def thumbnail_urls(image_ids: Iterable[int]) -> dict[int, str]:
    """Thumbnail URL by image id; images that no longer exist are left out."""
    ids = {image_id for image_id in image_ids if image_id}
    if not ids:
        return {}
    cached = cache.get_many([_key(image_id) for image_id in ids])
    urls = {image_id: cached[_key(image_id)] for image_id in ids if _key(image_id) in cached}
    missing = ids - urls.keys()
    if missing:
        found = _rendition_urls(missing)
        cache.set_many({_key(image_id): url for image_id, url in found.items()}, CACHE_TIMEOUT)
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


@receiver(post_save, sender=CustomImage, dispatch_uid="search-thumbnail-image")
@receiver(post_delete, sender=CustomImage, dispatch_uid="search-thumbnail-image-delete")
def _image_changed(sender, instance: CustomImage, **kwargs) -> None:
    # A new focal point means a new rendition (a new file deletes the old ones).
    cache.delete(_key(instance.pk))


@receiver(post_delete, sender=CustomRendition, dispatch_uid="search-thumbnail-rendition")
def _rendition_deleted(sender, instance: CustomRendition, **kwargs) -> None:
    cache.delete(_key(instance.image_id))
