"""The office's activity reports in the Wagtail admin: inquiries and products."""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput

from marketplace.core.charts import bar_chart
from marketplace.core.csv_export import CsvExportMixin
from marketplace.core.office import OfficeOnlyMixin
from marketplace.inquiries.models import Inquiry
from marketplace.office.reports.inquiries import Grouping, InquiryGroup, inquiry_report
from marketplace.office.reports.periods import Period, make_period
from marketplace.office.reports.products import ProductActivity, product_activity

CHART_BARS = 15


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


class OfficeReportView(OfficeOnlyMixin, CsvExportMixin, ReportView):
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
