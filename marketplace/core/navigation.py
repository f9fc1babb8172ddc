"""Breadcrumbs and pagination, shared by every public listing and detail page."""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from marketplace.core.page_cache import kept_while_unchanged


@dataclass(frozen=True)
class Breadcrumb:
    title: str
    url: str = ""  # empty for the current page


def paginate(
    request: HttpRequest, items: QuerySet, per_page: int, counted_as: Hashable | None = None
) -> PaginatorPage:
    """The page of `items` the request asks for. `counted_as`: a key naming the items
    (e.g. a listing's language and filters_key()), whose count is then kept in the
    process while the content is unchanged: the same for every page and visitor."""
    paginator = Paginator(items, per_page)
    if counted_as is not None:
        paginator.count = kept_while_unchanged(("count", counted_as), items.count)
    # get_page() turns "page=abc" into page 1 and "page=99999" into the last page.
    return paginator.get_page(request.GET.get("page"))


def page_links(number: int, count: int) -> list[int | None]:
    """The page numbers a pagination shows around page `number` of `count`, None where
    some are left out: the first and last two, and three on each side of the current one
    (a search with 800 pages links to 10 of them, not 800)."""
    paginator = Paginator(range(count), 1)
    pages = paginator.get_elided_page_range(min(max(1, number), max(1, count)))
    return [page if isinstance(page, int) else None for page in pages]


def filters_key(filters: Mapping[str, Any]) -> tuple:
    """A filter form's chosen values as a key: models by their label and key."""
    return tuple(sorted((name, _value_key(value)) for name, value in filters.items()))


def _value_key(value: Any) -> Hashable:
    if isinstance(value, Model):
        return (value._meta.label, value.pk)
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(repr(_value_key(item)) for item in value))
    return repr(value)
