"""The office's listing quality report, and one producer's list of what to fix."""

from collections import OrderedDict
from collections.abc import Sequence

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale

from marketplace.core.charts import bar_chart
from marketplace.core.csv_export import CsvExportMixin
from marketplace.core.office import OfficeOnlyMixin, is_office_user
from marketplace.office.quality.access import edit_url, pages_to_fix, visible_producers
from marketplace.office.quality.checks import (
    PRODUCT_CHECKS,
    ProducerQuality,
    default_language_producers,
    listing_quality,
)
from producers.models import Locality, ProducerPage

# Score bands of the report's chart: (label, lowest score in the band).
SCORE_BANDS = (("100", 100), ("80–99", 80), ("60–79", 60), ("40–59", 40), ("0–39", 0))


def score_bands(qualities: Sequence[ProducerQuality]) -> list[tuple[str, int]]:
    """How many producers score in each band, best band first."""
    counts = dict.fromkeys((label for label, _lowest in SCORE_BANDS), 0)
    for quality in qualities:
        label = next(label for label, lowest in SCORE_BANDS if quality.score >= lowest)
        counts[label] += 1
    return list(counts.items())


def producer_missing_labels(quality: ProducerQuality) -> str:
    return ", ".join(str(check.label) for check in quality.producer.missing)


class ListingQualityFilterSet(WagtailFilterSet):
    locality = django_filters.ModelChoiceFilter(
        label=_("Locality"),
        empty_label=_("All localities"),
        queryset=lambda request: Locality.objects.filter(locale=Locale.get_default()),
    )
    score_below = django_filters.NumberFilter(
        label=_("Score below"),
        method="keep_all",
        min_value=1,
        max_value=100,
        help_text=_("Only producers scoring less than this (1–100)."),
    )

    class Meta:
        model = ProducerPage
        fields = ["locality"]

    def keep_all(self, queryset, name, value):
        # Scores are computed in Python: ListingQualityReportView applies this one.
        return queryset


class ListingQualityReportView(OfficeOnlyMixin, CsvExportMixin, ReportView):
    page_title = _("Listing quality")
    header_icon = "tasks"
    results_template_name = "quality/report_results.html"
    index_url_name = "listing_quality_report"
    index_results_url_name = "listing_quality_report_results"
    filterset_class = ListingQualityFilterSet
    export_filename = "listing-quality"
    list_export = [
        "producer",
        "locality",
        "score",
        "products",
        "producer_missing",
        *(f"products_missing_{check.key}" for check in PRODUCT_CHECKS),
    ]

    def get_base_queryset(self):
        return default_language_producers()

    @cached_property
    def score_below(self) -> int | None:
        if self.filters and self.filters.is_valid():
            value = self.filters.form.cleaned_data.get("score_below")
            return int(value) if value is not None else None
        return None

    def get_filtered_queryset(self) -> list[ProducerQuality]:
        """The producers' qualities, worst first: a list, since scores are not in SQL."""
        qualities = listing_quality(self.get_queryset())
        if self.score_below is not None:
            qualities = [quality for quality in qualities if quality.score < self.score_below]
        return sorted(qualities, key=lambda quality: (quality.score, quality.producer.title))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["product_checks"] = PRODUCT_CHECKS
        context["chart"] = bar_chart(
            score_bands(self.object_list),
            title=gettext("Producers by completeness score"),
            value_label=gettext("producers"),
        )
        return context

    def get_heading(self, queryset, field):
        headings = {
            "producer": _("Producer"),
            "locality": _("Locality"),
            "score": _("Score"),
            "products": _("Live products"),
            "producer_missing": _("Missing on the producer page"),
        }
        for check in PRODUCT_CHECKS:
            headings[f"products_missing_{check.key}"] = gettext("Products missing: %(item)s") % {
                "item": check.label
            }
        return str(headings[field])

    def to_row_dict(self, item: ProducerQuality) -> OrderedDict:
        row = OrderedDict(
            producer=item.producer.title,
            locality=item.locality,
            score=item.score,
            products=len(item.products),
            producer_missing=producer_missing_labels(item),
        )
        for check in PRODUCT_CHECKS:
            row[f"products_missing_{check.key}"] = item.products_missing(check.key)
        return row


class ProducerQualityView(WagtailAdminTemplateMixin, TemplateView):
    """Everything one producer should fix, for the office and the producer's own users."""

    template_name = "quality/producer_quality.html"
    header_icon = "tasks"

    @cached_property
    def quality(self) -> ProducerQuality:
        producers = visible_producers(self.request.user).filter(pk=self.kwargs["pk"])
        qualities = listing_quality(producers)
        if not qualities:
            raise Http404
        return qualities[0]

    def get_page_title(self) -> str:
        return gettext("Listing quality: %(producer)s") % {"producer": self.quality.producer.title}

    def get_breadcrumbs_items(self):
        items = []
        if is_office_user(self.request.user):
            items.append({"url": reverse("listing_quality_report"), "label": _("Listing quality")})
        return self.breadcrumbs_items + [*items, {"url": "", "label": self.quality.producer.title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            quality=self.quality,
            producer_edit_url=edit_url(self.quality.producer.page_id),
            pages=pages_to_fix(self.quality, self.request.user),
        )
        return context
