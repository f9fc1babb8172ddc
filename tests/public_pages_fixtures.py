"""Builders for the public page tests: English translations and a small catalogue."""

import datetime

from django.utils import timezone
from wagtail.models import Page

from tests.factories import en

# A certificate issued a month ago is valid whatever day the tests run.
ISSUED = timezone.localdate() - datetime.timedelta(days=30)


def translate_page(page: Page, **fields) -> Page:
    """Publish an English copy of a page (its parents must be translated already)."""
    translated = page.copy_for_translation(en())
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


def translate_snippet(snippet, **fields):
    """Save an English copy of a translatable snippet (locality, craft village, category)."""
    translated = snippet.copy_for_translation(en())
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return translated


def url_of(page: Page) -> str:
    """The page's URL as stored now (SiteStructure's English pages keep their first slug)."""
    return Page.objects.get(pk=page.pk).url
