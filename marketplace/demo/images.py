"""Demo pictures drawn with Pillow: a gradient in the OCOP group's colours, a pattern
from the seed, and the name on a band. Pure Pillow, no Django, so worker processes can
draw them while the main process writes to the database."""

import io
import random
import textwrap
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from marketplace.core.text import strip_diacritics

PRODUCT_SIZE = (800, 600)
COVER_SIZE = (1200, 500)
LOGO_SIZE = (400, 400)
JPEG_QUALITY = 80

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class ImageJob:
    """What to draw; small and picklable."""

    kind: str  # "product", "cover" or "logo"
    title: str
    subtitle: str
    start: Colour
    end: Colour
    seed: str


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


@cache
def _background(size: tuple[int, int], start: Colour, end: Colour, turn: int) -> Image.Image:
    """A two-colour gradient, cached: only the pattern and the text change per image."""
    mask = Image.linear_gradient("L")
    if turn % 2:
        mask = mask.transpose(Image.Transpose.ROTATE_90)
    if turn >= 2:
        mask = mask.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    mask = mask.resize(size)
    return Image.composite(Image.new("RGB", size, start), Image.new("RGB", size, end), mask)


def _lighter(colour: Colour, amount: float) -> Colour:
    return tuple(round(c + (255 - c) * amount) for c in colour)  # type: ignore[return-value]


def _pattern(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], colour):
    width, height = size
    style = rng.randrange(3)
    for _ in range(rng.randint(5, 9)):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(height // 12, height // 3)
        if style == 0:
            draw.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=rng.randint(3, 9))
        elif style == 1:
            draw.line((x - r, 0, x + r, height), fill=colour, width=rng.randint(6, 20))
        else:
            draw.regular_polygon((x, y, r // 2), rng.randint(3, 6), fill=colour)


def render(job: ImageJob) -> bytes:
    """The JPEG bytes of one picture."""
    rng = random.Random(job.seed)
    size = {"product": PRODUCT_SIZE, "cover": COVER_SIZE, "logo": LOGO_SIZE}[job.kind]
    image = _background(size, job.start, job.end, rng.randrange(4)).copy()
    draw = ImageDraw.Draw(image)
    _pattern(draw, rng, size, _lighter(job.start, rng.uniform(0.25, 0.6)))
    # Pillow's built-in font has no Vietnamese glyphs: draw the name without diacritics.
    title, subtitle = strip_diacritics(job.title), strip_diacritics(job.subtitle)
    if job.kind == "logo":
        _draw_logo(draw, size, title, job.start)
    else:
        _draw_band(draw, size, title, subtitle)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def _draw_band(draw: ImageDraw.ImageDraw, size: tuple[int, int], title: str, subtitle: str):
    width, height = size
    lines = textwrap.wrap(title, 30)[:2]
    band_top = height - 70 - 50 * len(lines)
    draw.rectangle((0, band_top, width, height), fill=(25, 25, 25))
    y = band_top + 20
    for line in lines:
        draw.text((32, y), line, font=_font(40), fill=(255, 255, 255))
        y += 50
    draw.text((32, y + 6), subtitle[:60], font=_font(24), fill=(225, 225, 225))


def _draw_logo(draw: ImageDraw.ImageDraw, size: tuple[int, int], name: str, colour: Colour):
    width, height = size
    margin = 60
    draw.ellipse((margin, margin, width - margin, height - margin), fill=(255, 255, 255))
    # The last two words carry the name: "HTX Nước mắm Hà My" → "HM".
    initials = "".join(word[0] for word in name.split()[-2:]).upper()
    draw.text((width / 2, height / 2), initials, font=_font(110), fill=colour, anchor="mm")
