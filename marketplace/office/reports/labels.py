"""Report labels in the admin user's language: the names of categories, localities,
producers and products come from their translation in that language (the row of the
same translation_key in its locale), else from the default language (Vietnamese).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Model
from django.utils import translation


def report_language() -> str:
    """The admin user's language: Wagtail activates it for every admin view."""
    return translation.get_language() or settings.LANGUAGE_CODE


def translated_labels(
    model: type[Model], keys: Iterable, language: str, fields: tuple[str, ...] = ("name",)
) -> dict[str, str]:
    """{translation_key (as text): label} in `language`, else in the default language.

    The label is the first non-empty of `fields` (a producer's display name, then its
    page title). One query.
    """
    keys = {str(key) for key in keys if key}
    if not keys:
        return {}
    languages = {language, settings.LANGUAGE_CODE}
    rows = model._default_manager.filter(
        translation_key__in=keys, locale__language_code__in=languages
    ).values_list("translation_key", "locale__language_code", *fields)
    labels: dict[str, str] = {}
    for key, code, *values in rows:
        label = next((value for value in values if value), "")
        if label and (code == language or str(key) not in labels):
            labels[str(key)] = label
    return labels
