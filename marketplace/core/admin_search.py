"""Wagtail's admin search (page listing, choosers, snippet, image and document listings)
finds Vietnamese text typed without diacritics: "tra gao lut" finds "Trà gạo lứt".

Two halves, both needed:

- Indexing: models with `FoldedSearchMixin` index one more field, `folded_search_text`,
  the folded form (marketplace.core.text.fold) of their other searchable text.
- Querying: `SearchBackend` (the WAGTAILSEARCH_BACKENDS backend) wraps Wagtail's
  database backend for the current database and asks for the query as typed OR its
  folded form, so a query with diacritics still finds models without the mixin
  (Wagtail's documents) and one without them finds the folded field.

A view's `search_fields` restriction is dropped: the folded field is never among them,
and SQLite's full-text index has no per-field columns ("no such column: name").

Page choosers also keep to the language of the object being edited
(`in_requested_locale`, a `construct_page_chooser_queryset` hook).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index
from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.query import Or, PlainText, SearchQuery

from marketplace.core.text import fold

FOLDED_FIELD = "folded_search_text"


class FoldedSearchMixin:
    """Adds the folded form of a model's searchable text to Wagtail's search index.

    Put it before Page (or the other bases) so its `get_search_fields` wins.
    """

    @classmethod
    def get_search_fields(cls) -> list:
        fields = [
            *super().get_search_fields(),
            index.SearchField(FOLDED_FIELD),
            index.AutocompleteField(FOLDED_FIELD),
        ]
        # The admin's snippet listings search within one language: without this filter
        # field, searching a translatable snippet failed (FilterFieldError, a 500).
        if issubclass(cls, TranslatableMixin) and not any(
            isinstance(field, index.FilterField) and field.field_name == "locale"
            for field in fields
        ):
            fields.append(index.FilterField("locale"))
        return fields

    @property
    def folded_search_text(self) -> str:
        """The folded words of every plain search and autocomplete field, once each."""
        values: list[str] = []
        for field in super().get_search_fields():
            if isinstance(field, index.SearchField | index.AutocompleteField):
                value = field.get_value(self)
                if isinstance(value, str) and value not in values:
                    values.append(value)
        return fold(" ".join(values))


def folded_query(query: Any, operator: str | None, default_operator: str) -> Any:
    """The query as typed OR its folded form; anything but a plain string is left alone."""
    if not isinstance(query, str) or not query.strip():
        return query
    folded = fold(query)
    operator = operator or default_operator
    if folded == query.strip().lower():
        return PlainText(query, operator=operator)
    return Or([PlainText(query, operator=operator), PlainText(folded, operator=operator)])


class FoldingSearchMixin:
    """A Wagtail search backend that also matches the folded query, on every field."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        operator = kwargs.pop("operator", None)
        kwargs["fields"] = None
        if isinstance(query, str) or isinstance(query, SearchQuery):
            query = folded_query(query, operator, query_compiler_class.DEFAULT_OPERATOR)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


_classes: dict[type, type] = {}


# Wagtail looks up this name in the module named by WAGTAILSEARCH_BACKENDS.
def SearchBackend(params: dict):
    """Wagtail's database backend for this database (SQLite FTS, PostgreSQL, …), folding."""
    backend = database_backend(params)
    base = type(backend)
    if base not in _classes:
        _classes[base] = type(f"Folding{base.__name__}", (FoldingSearchMixin, base), {})
    return _classes[base](params)


def in_requested_locale(pages: QuerySet, request: HttpRequest) -> QuerySet:
    """The chooser's pages in the language of the object being edited.

    Wagtail's chooser script sends `locale` when the edited object has one (a page, a
    featured collection, a hero slide); its browse view then filters only the top
    level and its search not at all, so a Vietnamese collection was offered English
    pages. A chooser opened from an object without a language shows every page.
    """
    code = request.GET.get("locale", "")
    locale = Locale.objects.filter(language_code=code).first() if code else None
    return pages if locale is None else pages.filter(locale=locale)
