"""CSV exports of admin listings and reports in the admin user's language."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation


def in_language(chunks: Iterator[str], language: str) -> Iterator[str]:
    with translation.override(language):
        yield from chunks


class CsvExportMixin:
    """For views with Wagtail's SpreadsheetExportMixin (reports, index views): its CSV
    export in the admin user's language.

    Wagtail streams the CSV once the view has returned, when the user's language is no
    longer active: headings and values would come out in the site's language. (Formula-
    like text is neutralised in every such export: see core.spreadsheet_safety.)
    """

    def stream_csv(self, queryset: QuerySet) -> Iterator[str]:
        return in_language(super().stream_csv(queryset), translation.get_language())
