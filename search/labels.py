"""Names of the facet snippets (categories, localities, craft villages) by slug, cached.

Tens of rows each, asked for on every search (facet labels, validating selections): all
of one model's names in one language are one cache entry, dropped when a row changes.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

NAMES_TIMEOUT = 5 * 60  # the default cache is per process: bounds a stale name


def _key(model, language: str) -> str:
    return f"search-names:{model._meta.label_lower}:{language}"


def snippet_names(model, language: str) -> dict[str, str]:
    """{slug: name} of every `model` row, in `language` where translated, else any."""
    key = _key(model, language)
    names = cache.get(key)
    if names is None:
        names = {}
        rows = model.objects.values_list("slug", "name", "locale__language_code")
        for slug, name, code in rows.order_by("pk"):
            if code == language or slug not in names:
                names[slug] = name
        cache.set(key, names, NAMES_TIMEOUT)
    return names


def _forget(sender, **kwargs) -> None:
    from django.conf import settings

    cache.delete_many([_key(sender, code) for code, _name in settings.LANGUAGES])


def connect() -> None:
    from producers.models import CraftVillage, Locality
    from products.models import ProductCategory

    for model in (ProductCategory, Locality, CraftVillage):
        post_save.connect(_forget, sender=model, dispatch_uid=f"search-names-save-{model}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"search-names-delete-{model}")
