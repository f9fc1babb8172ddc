"""The office's reports in the Wagtail admin: inquiries, product views, and searches (the
search reports' rows come from search_queries, over search's query log).
"""

from collections.abc import Callable

import django_filters
from django import forms
from django.conf import settings
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput

from marketplace.core.charts import bar_chart
from marketplace.core.csv_export import CsvExportMixin
from marketplace.core.office import OfficeOnlyMixin
from marketplace.core.write_buffer import flush_all
from marketplace.inquiries.models import Inquiry
from marketplace.office.reports.inquiries import Grouping, InquiryGroup, inquiry_report
from marketplace.office.reports.periods import Period, make_period
from marketplace.office.reports.products import ProductActivity, product_activity
from marketplace.office.reports.search_queries import (
    default_start,
    no_click_queries,
    top_queries,
    zero_result_queries,
)
from search.models import SearchQueryLog

CHART_BARS = 15
CHART_ROWS = 10  # of a search report's chart


class PercentColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = "" if value is None else f"{value:.1f} %"
        return context


class PeriodFilterSet(WagtailFilterSet):
    """The date range; the view applies it to each of its queries."""

    date_from = django_filters.DateFilter(
        label=_("From"), widget=AdminDateInput, method="keep_queryset"
    )
    date_to = django_filters.DateFilter(
        label=_("To"), widget=AdminDateInput, method="keep_queryset"
    )

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def keep_queryset(self, queryset, name, value):
        return queryset


class InquiryReportFilterSet(PeriodFilterSet):
    group_by = django_filters.ChoiceFilter(
        label=_("Group by"),
        choices=Grouping.choices,
        empty_label=None,
        method="keep_queryset",
    )


class RecentActivityMixin:
    """The report includes the views and searches this process has not written yet (those
    of other processes are at most WRITE_BUFFER_SECONDS late: core.write_buffer)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        flush_all()
        return super().dispatch(request, *args, **kwargs)


class OfficeReportView(OfficeOnlyMixin, RecentActivityMixin, CsvExportMixin, ReportView):
    """A report over rows computed for a period; only the office may see it."""

    header_icon = "table"
    filterset_class = PeriodFilterSet
    # Rows are plain objects, sorted in Python by one of these attributes.
    sort_keys: tuple[str, ...] = ()

    @cached_property
    def period(self) -> Period:
        data = self.filters.form.cleaned_data if self.filters.is_valid() else {}
        return make_period(data.get("date_from"), data.get("date_to"))

    def get_filename(self) -> str:
        return f"{self.export_filename}-{self.period.start}-{self.period.end}"

    def get_valid_orderings(self) -> list[str]:
        return [*self.sort_keys, *(f"-{key}" for key in self.sort_keys)]

    def order_queryset(self, rows: list) -> list:
        if not self.ordering:
            return rows
        key = self.ordering.lstrip("-")
        present = [row for row in rows if getattr(row, key) is not None]
        missing = [row for row in rows if getattr(row, key) is None]
        present.sort(key=lambda row: getattr(row, key), reverse=self.ordering.startswith("-"))
        return present + missing

    def get_queryset(self) -> list:
        return self.order_queryset(self.get_rows())

    def filter_queryset(self, rows: list) -> list:
        # The filters only choose the period and grouping, which get_rows() applies.
        return rows

    def get_rows(self) -> list:
        raise NotImplementedError

    def get_chart(self, rows: list):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = self.get_chart(self.object_list)
        context["period"] = self.period
        return context


class InquiryReportView(OfficeReportView):
    page_title = _("Inquiries")
    results_template_name = "reports/admin/report_results.html"
    filterset_class = InquiryReportFilterSet
    index_url_name = "reports:inquiries"
    index_results_url_name = "reports:inquiries_results"
    export_filename = "inquiries"
    sort_keys = ("label", "inquiries", "confirmed_percent", "paid_percent", "median_reply_hours")
    list_export = [
        "label",
        "inquiries",
        "confirmed_percent",
        "paid_percent",
        "median_reply_hours",
    ]

    @cached_property
    def grouping(self) -> str:
        data = self.filters.form.cleaned_data if self.filters.is_valid() else {}
        return data.get("group_by") or Grouping.PRODUCER

    @property
    def export_headings(self) -> dict:
        return {
            "label": Grouping(self.grouping).label,
            "inquiries": _("Inquiries"),
            "confirmed_percent": _("Confirmed (%)"),
            "paid_percent": _("Paid (%)"),
            "median_reply_hours": _("Median time to first reply (hours)"),
        }

    @property
    def columns(self) -> list[Column]:
        return [
            Column("label", label=Grouping(self.grouping).label, sort_key="label"),
            NumberColumn("inquiries", label=_("Inquiries"), sort_key="inquiries"),
            PercentColumn("confirmed_percent", label=_("Confirmed"), sort_key="confirmed_percent"),
            PercentColumn("paid_percent", label=_("Paid"), sort_key="paid_percent"),
            Column(
                "median_reply",
                label=_("Median time to first reply"),
                sort_key="median_reply_hours",
            ),
        ]

    def get_rows(self) -> list[InquiryGroup]:
        return inquiry_report(self.period, self.grouping)

    def get_chart(self, rows: list[InquiryGroup]):
        if self.grouping == Grouping.MONTH and not self.ordering:
            shown = rows[-CHART_BARS:]
        else:
            shown = rows[:CHART_BARS]
        return bar_chart(
            [(row.label, row.inquiries) for row in shown],
            title=_("Inquiries by %(grouping)s")
            % {"grouping": Grouping(self.grouping).label.lower()},
            value_label=_("inquiries"),
        )


class ProductReportView(OfficeReportView):
    page_title = _("Product views and inquiries")
    results_template_name = "reports/admin/report_results.html"
    index_url_name = "reports:products"
    index_results_url_name = "reports:products_results"
    export_filename = "products"
    default_ordering = "-views"
    sort_keys = ("title", "producer", "views", "inquiries", "quantity")
    list_export = ["title", "producer", "views", "inquiries", "quantity"]
    export_headings = {
        "title": _("Product"),
        "producer": _("Producer"),
        "views": _("Views"),
        "inquiries": _("Inquiries"),
        "quantity": _("Quantity asked"),
    }
    columns = [
        TitleColumn(
            "title",
            label=_("Product"),
            sort_key="title",
            get_url=lambda row: row.edit_url,
        ),
        Column("producer", label=_("Producer"), sort_key="producer"),
        NumberColumn("views", label=_("Views"), sort_key="views"),
        NumberColumn("inquiries", label=_("Inquiries"), sort_key="inquiries"),
        NumberColumn("quantity", label=_("Quantity asked"), sort_key="quantity"),
    ]

    def get_rows(self) -> list[ProductActivity]:
        return product_activity(self.period)

    def get_chart(self, rows: list[ProductActivity]):
        if self.ordering.lstrip("-") in ("inquiries", "quantity"):
            title, unit, metric = _("Most inquired products"), _("inquiries"), "inquiries"
        else:
            title, unit, metric = _("Most viewed products"), _("views"), "views"
        shown = sorted(rows, key=lambda row: -getattr(row, metric))[:CHART_BARS]
        return bar_chart(
            [(row.title, getattr(row, metric)) for row in shown], title=title, value_label=unit
        )


# The search reports, over search's query log (rows: search_queries). ----------------


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


class SearchReportView(OfficeOnlyMixin, RecentActivityMixin, CsvExportMixin, ReportView):
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
