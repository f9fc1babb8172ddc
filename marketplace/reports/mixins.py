"""What the office's admin reports share: who may see them, and their exports."""

from collections.abc import Iterator
from typing import Any

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


# A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text by a leading quote.

    Exports carry what visitors and producers typed (search queries, names): opening the
    file must never run it. Numbers written as text ("-5") are left alone.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


class CsvExportMixin:
    """For views with Wagtail's SpreadsheetExportMixin (reports, index views): its CSV
    export in the admin user's language, and safe to open in a spreadsheet.

    Wagtail streams the CSV once the view has returned, when the user's language is no
    longer active: headings and values would come out in the site's language. Its XLSX
    export already stores formula-like text as text; the CSV gets the same protection.
    """

    def stream_csv(self, queryset: QuerySet) -> Iterator[str]:
        return in_language(super().stream_csv(queryset), translation.get_language())

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value) if export_format == "csv" else value
