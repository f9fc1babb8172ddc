"""The office's search reports: what people look for, what they do not find, and what
they find but do not open.

Each report groups the query log (search.models.SearchQueryLog) by query and language
over a period, 30 days unless the office picks dates. Searches without words (filters
only) are left out. Clicks are known only for searches made on the search page: API
searches count as searches but not in click-through rates or "no click".
"""

import datetime
from collections.abc import Callable

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Avg, Count, F, FloatField, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast, NullIf
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView

from marketplace.core.charts import bar_chart
from marketplace.core.csv_export import CsvExportMixin
from marketplace.core.office import OfficeOnlyMixin
from search.models import SearchQueryLog

REPORT_DAYS = 30
CHART_ROWS = 10
PAGE_SEARCH = Q(search_id__isnull=False)  # made on the search page, so clicks are counted
CLICKABLE = PAGE_SEARCH & Q(result_count__gt=0)  # ... and it showed something to open


def default_start() -> datetime.date:
    """The first day of the default period: the last REPORT_DAYS days, today included."""
    return timezone.localdate() - datetime.timedelta(days=REPORT_DAYS - 1)


# The rows of each report, from the log rows of a period. --------------------------------


def _by_query(logs: QuerySet) -> QuerySet:
    return logs.exclude(query="").values("query", "language")


def top_queries(logs: QuerySet) -> QuerySet:
    """Per query: searches, average results, clicks, and the click-through rate in percent:
    of the searches on the search page that found something, those in which someone opened
    a result (None when there were none)."""
    return _by_query(logs).annotate(
        searches=Count("pk"),
        average_results=Avg("result_count"),
        click_count=Sum("clicks", filter=PAGE_SEARCH, default=0),
        searches_with_results=Count("pk", filter=CLICKABLE),
        clicked_searches=Count("pk", filter=CLICKABLE & Q(clicks__gt=0)),
        click_through_rate=Cast("clicked_searches", FloatField())
        * 100
        / NullIf(F("searches_with_results"), 0),
    )


def zero_result_queries(logs: QuerySet) -> QuerySet:
    """Per query that found nothing: searches, and when it was last searched."""
    return _by_query(logs.filter(result_count=0)).annotate(
        searches=Count("pk"), last_searched=Max("created_at")
    )


def no_click_queries(logs: QuerySet) -> QuerySet:
    """Per query: searches on the search page that found products and in which nobody
    opened a result, out of all such searches, with their average results."""
    return (
        _by_query(logs.filter(CLICKABLE))
        .annotate(
            searches_without_click=Count("pk", filter=Q(clicks=0)),
            searches_with_results=Count("pk"),
            average_results=Avg("result_count"),
        )
        .filter(searches_without_click__gt=0)
    )


# Filters. -----------------------------------------------------------------------------


class SearchLogFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Date"),
        widget=DateRangePickerWidget,
        # The default period is the form's initial value, so it is not shown as a filter.
        initial=lambda: [default_start(), None],
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=settings.LANGUAGES,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = SearchQueryLog
        fields = ["created_at", "language"]

    def __init__(self, data: QueryDict | None = None, *args, **kwargs) -> None:
        # No dates, or both cleared: the default period (an early start date gives all).
        if data is not None and not (data.get("created_at_from") or data.get("created_at_to")):
            data = data.copy()
            data["created_at_from"] = default_start().isoformat()
        super().__init__(data, *args, **kwargs)


# Views. -------------------------------------------------------------------------------


def one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class DecimalColumn(Column):
    """A number with one decimal, localised; a dash when there is none."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = "–" if value is None else number_format(value, 1, use_l10n=True)
        return context


def language_name(row: dict) -> str:
    return str(dict(settings.LANGUAGES).get(row["language"], row["language"]))


class SearchReportView(OfficeOnlyMixin, CsvExportMixin, ReportView):
    """A report over the query log: office only, filtered by period and language."""

    results_template_name = "reports/admin/search_report_results.html"
    header_icon = "search"
    filterset_class = SearchLogFilterSet
    rows: Callable[[QuerySet], QuerySet]  # the period's log rows → the report's rows
    chart_title = ""
    chart_value = ""  # the row key the chart shows, the biggest first
    chart_value_label = _("searches")
    explanation = ""
    export_slug = ""
    custom_field_preprocess = {
        name: {ReportView.FORMAT_CSV: one_decimal, ReportView.FORMAT_XLSX: one_decimal}
        for name in ("average_results", "click_through_rate")
    }

    def get_queryset(self) -> QuerySet:
        logs = self.filter_queryset(SearchQueryLog.objects.all())
        return self.order_queryset(self.rows(logs))

    def get_filtered_queryset(self) -> QuerySet:
        return self.get_queryset()  # filtered before grouping, by get_queryset()

    def order_queryset(self, queryset: QuerySet) -> QuerySet:
        # Rows without a value (no click-through rate) last, both ways, in every database.
        column = F(self.ordering.removeprefix("-"))
        if self.ordering.startswith("-"):
            order = column.desc(nulls_last=True)
        else:
            order = column.asc(nulls_last=True)
        return queryset.order_by(order, "query", "language")

    def get_filename(self) -> str:
        return f"{self.export_slug}-{timezone.localdate().isoformat()}"

    @cached_property
    def period(self) -> str:
        """The dates the report covers, in words."""
        dates = (
            self.filters.form.cleaned_data.get("created_at") if self.filters.is_valid() else None
        )
        start = dates and dates.start and date_format(dates.start.date())
        end = dates and dates.stop and date_format(dates.stop.date())
        if start and end:
            return _("Searches from %(start)s to %(end)s.") % {"start": start, "end": end}
        if start:
            return _("Searches since %(start)s.") % {"start": start}
        if end:
            return _("Searches until %(end)s.") % {"end": end}
        return ""  # the dates are not valid: the form says so

    def chart_label(self, row: dict) -> str:
        if self.filters.form.cleaned_data.get("language"):
            return row["query"]
        return f"{row['query']} ({row['language']})"

    @cached_property
    def chart(self) -> SafeString:
        """The report's biggest rows, whatever order the table is in."""
        rows = self.object_list.order_by(f"-{self.chart_value}", "query", "language")
        points = [(self.chart_label(row), row[self.chart_value]) for row in rows[:CHART_ROWS]]
        return bar_chart(
            points, title=str(self.chart_title), value_label=str(self.chart_value_label)
        )


QUERY_COLUMNS = [
    Column("query", label=_("Query"), sort_key="query"),
    Column("language", label=_("Language"), accessor=language_name),
]


class TopQueriesView(SearchReportView):
    page_title = _("Top searches")
    index_url_name = "search_reports:top_queries"
    index_results_url_name = "search_reports:top_queries_results"
    rows = staticmethod(top_queries)
    default_ordering = "-searches"
    chart_title = _("The most frequent queries")
    chart_value = "searches"
    explanation = _(
        "Click-through rate: of the searches on the search page that found products, the "
        "share in which someone opened a product or producer."
    )
    export_slug = "search-top-queries"
    columns = [
        *QUERY_COLUMNS,
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        DecimalColumn("average_results", label=_("Average results"), sort_key="average_results"),
        NumberColumn("click_count", label=_("Clicks"), sort_key="click_count"),
        DecimalColumn(
            "click_through_rate", label=_("Click-through rate (%)"), sort_key="click_through_rate"
        ),
    ]
    list_export = [
        "query",
        "language",
        "searches",
        "average_results",
        "click_count",
        "searches_with_results",
        "click_through_rate",
    ]
    export_headings = {
        "query": _("Query"),
        "language": _("Language"),
        "searches": _("Searches"),
        "average_results": _("Average results"),
        "click_count": _("Clicks"),
        "searches_with_results": _("Searches with results"),
        "click_through_rate": _("Click-through rate (%)"),
    }


class ZeroResultQueriesView(SearchReportView):
    page_title = _("Searches with no results")
    index_url_name = "search_reports:zero_results"
    index_results_url_name = "search_reports:zero_results_results"
    rows = staticmethod(zero_result_queries)
    default_ordering = "-searches"
    chart_title = _("The most frequent queries with no results")
    chart_value = "searches"
    explanation = _("What people looked for and did not find: missing products or words.")
    export_slug = "search-zero-results"
    columns = [
        *QUERY_COLUMNS,
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        DateColumn("last_searched", label=_("Last searched"), sort_key="last_searched"),
    ]
    list_export = ["query", "language", "searches", "last_searched"]
    export_headings = {
        "query": _("Query"),
        "language": _("Language"),
        "searches": _("Searches"),
        "last_searched": _("Last searched"),
    }


class NoClickQueriesView(SearchReportView):
    page_title = _("Searches with no click")
    index_url_name = "search_reports:no_click"
    index_results_url_name = "search_reports:no_click_results"
    rows = staticmethod(no_click_queries)
    default_ordering = "-searches_without_click"
    chart_title = _("The most frequent queries whose results nobody opened")
    chart_value = "searches_without_click"
    explanation = _(
        "Searches on the search page that found products, but in which nobody opened a "
        "product or producer: the results may not be what people wanted."
    )
    export_slug = "search-no-click"
    columns = [
        *QUERY_COLUMNS,
        NumberColumn(
            "searches_without_click",
            label=_("Searches with no click"),
            sort_key="searches_without_click",
        ),
        NumberColumn(
            "searches_with_results",
            label=_("Searches with results"),
            sort_key="searches_with_results",
        ),
        DecimalColumn("average_results", label=_("Average results"), sort_key="average_results"),
    ]
    list_export = [
        "query",
        "language",
        "searches_without_click",
        "searches_with_results",
        "average_results",
    ]
    export_headings = {
        "query": _("Query"),
        "language": _("Language"),
        "searches_without_click": _("Searches with no click"),
        "searches_with_results": _("Searches with results"),
        "average_results": _("Average results"),
    }
