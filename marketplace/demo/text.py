"""Text helpers shared by the demo generator and the image drawer."""

import unicodedata

from django.utils.text import slugify


def ascii_fold(text: str) -> str:
    """ "Điện Bàn" → "Dien Ban": for slugs, and for fonts without Vietnamese glyphs."""
    # đ has no Unicode decomposition, so NFKD alone would drop it.
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def ascii_slug(text: str, max_length: int = 80) -> str:
    return slugify(ascii_fold(text))[:max_length].strip("-")
