"""What the office's admin reports share: who may see them, and their exports."""

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from producers.accounts import is_office_user


class OfficeOnlyMixin:
    """Only the agriculture office (or a superuser) opens the view; the admin sends anyone
    else back to the dashboard with Wagtail's "permission denied" message."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_office_user(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def in_language(chunks: Iterator[str], language: str) -> Iterator[str]:
    with translation.override(language):
        yield from chunks


class CsvExportMixin:
    """For views with Wagtail's SpreadsheetExportMixin (reports, index views): its CSV
    export in the admin user's language.

    Wagtail streams the CSV once the view has returned, when the user's language is no
    longer active: headings and values would come out in the site's language. (Formula-
    like text is neutralised in every such export: see ReportsConfig.ready().)
    """

    def stream_csv(self, queryset: QuerySet) -> Iterator[str]:
        return in_language(super().stream_csv(queryset), translation.get_language())
