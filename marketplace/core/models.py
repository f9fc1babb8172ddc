"""The shared ground's models: the image model every app uses (WAGTAILIMAGES_IMAGE_MODEL).

Moved here from the site shell ("base") in core migration 0001, keeping its tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image

from marketplace.core.admin_search import FoldedSearchMixin


class CustomImage(FoldedSearchMixin, AbstractImage):
    # Alt text is required: every image on the site must be described for screen readers.
    description = models.CharField(
        max_length=255,
        verbose_name=_("alt text"),
        help_text=_("Describe the image for people who cannot see it."),
    )
    description_en = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("alt text in English"),
        help_text=_("Shown on the English site; the Vietnamese alt text is used when empty."),
    )

    admin_form_fields = Image.admin_form_fields + ("description_en",)

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_image", "Can choose image")]
        # The table the model had in the site shell ("base") before it moved here.
        db_table = "base_customimage"

    def alt_for(self, language_code: str) -> str:
        if language_code == "en" and self.description_en:
            return self.description_en
        return self.description or self.title

    def get_rendition(self, filter: Filter | str) -> "CustomRendition":
        # Wagtail 8.0.1's get_rendition() writes the rendition to the cache even when it
        # read it from there (with a database cache: a transaction, a COUNT(*) and an
        # UPDATE per image shown); get_renditions() writes only what it did not read from
        # the cache (see CustomRendition.__setstate__).
        (rendition,) = self.get_renditions(filter).values()
        return rendition


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        db_table = "base_customrendition"

    def __getstate__(self) -> dict:
        # Cached without its image: Wagtail sets the image that asks on a rendition read
        # from the cache, and the image (with any renditions prefetched on it) would make
        # each cache entry many times larger.
        state = super().__getstate__()  # with copies of `_state` and its fields cache
        state["_state"].fields_cache.pop("image", None)
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        # Every Django cache backend pickles, so an unpickled rendition was read from the
        # rendition cache. Wagtail 8.0.1's find_existing_renditions() marks prefetched
        # renditions `_from_cache` so that get_renditions() does not write them back, but
        # not those it read from the cache: without this mark, every hit is written again.
        self._from_cache = True
