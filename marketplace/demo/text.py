"""Slugs for the demo catalogue, from the one Vietnamese folding in marketplace.core.text."""

from django.utils.text import slugify

from marketplace.core.text import strip_diacritics


def ascii_slug(text: str, max_length: int = 80) -> str:
    return slugify(strip_diacritics(text))[:max_length].strip("-")
