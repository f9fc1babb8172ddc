"""Names of the facet snippets (categories, localities, craft villages) by slug.

Tens of rows each, asked for on every search (facet labels, validating selections): all
of one model's names in one language are kept in each process while the content is
unchanged (page_cache.kept_while_unchanged; a saved or deleted row drops them), where
Django's cache, a table in production, cost a query per facet on every search.
"""

from marketplace.core.page_cache import kept_while_unchanged


def snippet_names(model, language: str) -> dict[str, str]:
    """{slug: name} of every `model` row, in `language` where translated, else any."""
    key = ("search-names", model._meta.label_lower, language)
    return kept_while_unchanged(key, lambda: _read_names(model, language))


def _read_names(model, language: str) -> dict[str, str]:
    names = {}
    rows = model.objects.values_list("slug", "name", "locale__language_code")
    for slug, name, code in rows.order_by("pk"):
        if code == language or slug not in names:
            names[slug] = name
    return names
