"""Every rendition spec the site shows, named by where it is shown: the one list.

Templates write their specs literally (Wagtail's `{% image %}` and `{% picture %}`, our
`{% responsive_picture %}`), Python code imports the names below. The renditions made
ahead (`marketplace.core.renditions_ahead`) are made from these names, and
tests/test_renditions_ahead.py fails when a template uses a spec that is not here: add it
here, and to the `rendition_plan()` of the models whose images it shows.

Specs are written as the tags join them: `{% picture image format-{avif,webp,jpeg}
fill-400x300 %}` is "format-{avif,webp,jpeg}|fill-400x300".
"""

from wagtail.images.models import Filter

# Product, producer and hero-slide cards, the craft villages' list.
CARD = "format-{avif,webp,jpeg}|fill-400x300"
# The home page's hero, a craft village's picture (its page and the home highlight).
WIDE = "format-{avif,webp,jpeg}|fill-{640x400,1200x750}"
# A featured collection's banner (home page and the collection's page).
BANNER = "format-{avif,webp,jpeg}|fill-{640x240,1200x450}"
# A producer page's cover.
COVER = "format-{avif,webp,jpeg}|fill-{800x300,1600x600}"
# A product page's gallery, and an image with caption in a story.
GALLERY = "format-{webp,jpeg}|max-{480x480,960x960}"
# A gallery block in a story.
STORY_GALLERY = "format-{webp,jpeg}|fill-{320x240,640x480}"
# The logo on its producer's page, and on the producer's box of a product page.
LOGO = "max-160x160"
SMALL_LOGO = "max-120x120"
# Social cards (og:image) and the JSON-LD `image` of pages (marketplace.base.seo).
SHARE = "max-1200x1200"
# Search results' thumbnails, both backends (search.thumbnails).
SEARCH_THUMBNAIL = "fill-400x300"
# The office's "My products" list.
OFFICE_THUMBNAIL = "fill-64x64"
# A review's photo: the list's thumbnail, the large picture it links to, the office's view.
REVIEW_THUMBNAIL = "fill-160x160|format-jpeg"
REVIEW_LARGE = "max-1200x1200|format-jpeg"
REVIEW_ADMIN = "max-400x400"

ALL_SPECS = (
    CARD,
    WIDE,
    BANNER,
    COVER,
    GALLERY,
    STORY_GALLERY,
    LOGO,
    SMALL_LOGO,
    SHARE,
    SEARCH_THUMBNAIL,
    OFFICE_THUMBNAIL,
    REVIEW_THUMBNAIL,
    REVIEW_LARGE,
    REVIEW_ADMIN,
)


def expand(*specs: str) -> list[str]:
    """The single renditions of `specs`: "format-{webp,jpeg}|max-480x480" → two specs."""
    return list(dict.fromkeys(one for spec in specs for one in Filter.expand_spec(spec)))
