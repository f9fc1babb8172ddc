"""StreamField blocks for stories and product descriptions."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from marketplace.core.rendition_specs import GALLERY, STORY_GALLERY


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "blocks/image_with_caption.html"


class GalleryBlock(blocks.StructBlock):
    images = blocks.ListBlock(ImageWithCaptionBlock(), min_num=2, label=_("images"))

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "blocks/gallery.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class StoryBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )
    image = ImageWithCaptionBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(label=_("Video or other embed"), icon="media")

    class Meta:
        template = "blocks/story.html"


def story_rendition_plan(story) -> list[tuple[object, tuple[str, ...]]]:
    """The images of a StoryBlock stream with the specs their templates show them in
    (templates/blocks/image_with_caption.html, gallery.html), for `rendition_plan()`."""
    plan = []
    for block in story:
        if block.block_type == "image":
            plan.append((block.value["image"], (GALLERY,)))
        elif block.block_type == "gallery":
            plan.extend((item["image"], (STORY_GALLERY,)) for item in block.value["images"])
    return plan
