"""Reviewers' photos: checked on upload, then re-encoded without their metadata (EXIF,
GPS position, camera) into the reviews collection of Wagtail's images.

Only the office can see that collection in the admin; the public sees the renditions on
the product page while the review is visible.
"""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection

from marketplace.core.models import CustomImage

COLLECTION_NAME = "Reviews"
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone camera; more is a decompression bomb
MAX_SIDE = 10_000
STORED_SIDE = 1600  # what is kept: large enough for any screen the page shows it on
EXTENSIONS = ("jpg", "jpeg", "png", "webp")


class ReviewPhotoField(WagtailImageField):
    """Wagtail's upload checks (format matching the extension, size, pixel count) with the
    limits of a phone photo, and messages a shopper understands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_image_extensions = list(EXTENSIONS)
        self.max_image_pixels = MAX_PIXELS
        self.validators = []  # the extension is checked below, with our own message
        self.help_text = _("Optional: a JPEG, PNG or WebP photo.")
        self.widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        wrong_type = _("Choose a photo in JPEG, PNG or WebP format.")
        self.error_messages.update(
            invalid_image=wrong_type,
            invalid_image_extension=wrong_type,
            invalid_image_known_format=wrong_type,
            file_too_large=_(
                "This photo is too large (%(file_size)s): choose one of up to %(max_filesize)s."
            ),
            file_too_large_unknown_size=_("This photo is too large: choose a smaller one."),
            file_too_many_pixels=_(
                "This photo has too many pixels: choose one of up to 40 megapixels."
            ),
        )

    # Read at each upload, not when the form class is made: settings may change (tests).
    @property
    def max_upload_size(self) -> int:
        return getattr(settings, "REVIEW_PHOTO_MAX_BYTES", MAX_UPLOAD_BYTES)

    @max_upload_size.setter
    def max_upload_size(self, value) -> None:
        pass  # WagtailImageField's __init__ sets it from its own setting

    @property
    def max_upload_size_text(self) -> str:
        return filesizeformat(self.max_upload_size)

    @max_upload_size_text.setter
    def max_upload_size_text(self, value) -> None:
        pass

    def check_image_file_format(self, f):
        try:
            super().check_image_file_format(f)
        except ValidationError as error:
            # Wagtail's message for a mismatch is a template of its own: one message here.
            raise ValidationError(self.error_messages["invalid_image"], code=error.code) from None

    def check_image_pixel_size(self, f):
        super().check_image_pixel_size(f)
        width, height = f.image.get_size()
        if max(width, height) > MAX_SIDE:
            raise ValidationError(
                self.error_messages["file_too_many_pixels"], code="file_too_many_pixels"
            )


def clean_copy(upload) -> io.BytesIO:
    """The photo upright, at most STORED_SIDE pixels wide and high, as a JPEG without any
    metadata: a new image is drawn from the pixels alone. ValidationError when Pillow
    cannot decode it after all (a truncated file)."""
    upload.seek(0)
    try:
        return _redrawn(upload)
    except (OSError, ValueError, PILImage.DecompressionBombError) as error:
        raise ValidationError(
            _("This photo could not be read: choose another one."), code="unreadable"
        ) from error


def _redrawn(upload) -> io.BytesIO:
    with PILImage.open(upload) as original:
        original.draft("RGB", (STORED_SIDE, STORED_SIDE))  # JPEG: decode at a smaller size
        upright = ImageOps.exif_transpose(original)
        upright.thumbnail((STORED_SIDE, STORED_SIDE))
        if upright.mode in ("RGBA", "LA", "P"):
            upright = upright.convert("RGBA")
            background = PILImage.new("RGB", upright.size, (255, 255, 255))
            background.paste(upright, mask=upright.getchannel("A"))
            upright = background
        pixels = PILImage.new("RGB", upright.size)
        pixels.paste(upright.convert("RGB"))
    output = io.BytesIO()
    pixels.save(output, "JPEG", quality=85, optimize=True)
    output.seek(0)
    return output


def reviews_collection() -> Collection:
    existing = Collection.objects.filter(name=COLLECTION_NAME, depth=2).first()
    return existing or Collection.get_first_root_node().add_child(name=COLLECTION_NAME)


def save_photo(
    cleaned: io.BytesIO, *, product_title: str, shown_name: str, language: str
) -> CustomImage:
    """Store a clean_copy() of a photo; its alt text says what it is in both languages."""
    texts = {}
    for code in ("vi", "en"):
        with translation.override(code):
            texts[code] = str(
                _("Photo by %(name)s of %(product)s")
                % {"name": shown_name, "product": product_title}
            )[:255]
    image = CustomImage(
        title=texts[language if language in texts else "vi"],
        description=texts["vi"],
        description_en=texts["en"],
        collection=reviews_collection(),
        # A random name: nothing of the original file name (often a date or a name).
        file=ImageFile(cleaned, name=f"review-{secrets.token_hex(8)}.jpg"),
    )
    image.save()
    return image
