"""Breadcrumbs and pagination, shared by every public listing and detail page."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Breadcrumb:
    title: str
    url: str = ""  # empty for the current page


def paginate(request: HttpRequest, items: QuerySet, per_page: int) -> PaginatorPage:
    # get_page() turns "page=abc" into page 1 and "page=99999" into the last page.
    return Paginator(items, per_page).get_page(request.GET.get("page"))
