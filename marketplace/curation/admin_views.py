"""The curation's admin views: the office's snippet viewsets (featured collections, hero
slides, producer of the month, highlighted craft village) under one Curation menu, and
the dashboard panel of curated items the public no longer sees (registered by
wagtail_hooks)."""

from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from marketplace.curation.models import (
    CraftVillageHighlight,
    FeaturedCollection,
    HeroSlide,
    ProducerOfTheMonth,
)


def shown_dates(entry) -> str:
    starts = date_format(entry.starts_on, "SHORT_DATE_FORMAT")
    if entry.ends_on is None:
        return _("from %(start)s") % {"start": starts}
    ends = date_format(entry.ends_on, "SHORT_DATE_FORMAT")
    return f"{starts} – {ends}"


def dropped_items_warning(entry) -> str:
    """The items the public no longer sees, each with the reason: empty when none."""
    return format_html_join(
        "",
        '<span class="w-status w-status--label">{}: {}</span> ',
        (
            (
                item.chosen_page.title if item.chosen_page else _("A deleted page"),
                item.drop_reason(),
            )
            for item in entry.dropped_items()
        ),
    )


def shown_month(entry: ProducerOfTheMonth) -> str:
    return date_format(entry.month, "YEAR_MONTH_FORMAT")


SHOWN = Column("shown_dates", label=_("Shown"), accessor=shown_dates)
ACTIVE_TODAY = BooleanColumn("is_active", label=_("Active today"), accessor=lambda e: e.is_active())
HIDDEN = Column("warning", label=_("Hidden items"), accessor=dropped_items_warning)


class FeaturedCollectionViewSet(SnippetViewSet):
    model = FeaturedCollection
    icon = "folder-open-inverse"
    menu_label = _("Featured collections")
    list_display = ["title", SHOWN, ACTIVE_TODAY, HIDDEN, "sort_order"]
    search_fields = ["title"]
    ordering = ["sort_order", "starts_on"]


class HeroSlideViewSet(SnippetViewSet):
    model = HeroSlide
    icon = "image"
    menu_label = _("Hero slides")
    list_display = ["title", "link_page", SHOWN, ACTIVE_TODAY, HIDDEN, "sort_order"]
    ordering = ["sort_order", "starts_on"]


class ProducerOfTheMonthViewSet(SnippetViewSet):
    model = ProducerOfTheMonth
    icon = "user"
    menu_label = _("Producer of the month")
    list_display = [
        Column("month", label=_("Month"), accessor=shown_month),
        "producer",
        HIDDEN,
    ]
    ordering = ["-month"]


class CraftVillageHighlightViewSet(SnippetViewSet):
    model = CraftVillageHighlight
    icon = "group"
    menu_label = _("Highlighted craft village")
    list_display = ["craft_village", SHOWN, ACTIVE_TODAY]
    ordering = ["-starts_on"]


class CurationViewSetGroup(SnippetViewSetGroup):
    """The office's menu for what the public pages put first."""

    items = (
        FeaturedCollectionViewSet,
        HeroSlideViewSet,
        ProducerOfTheMonthViewSet,
        CraftVillageHighlightViewSet,
    )
    menu_label = _("Curation")
    menu_icon = "pick"
    menu_order = 290


class DroppedItemsPanel(Component):
    """The office's dashboard warning: curated items the public no longer sees."""

    name = "curation_dropped_items"
    template_name = "curation/panels/dropped_items_dashboard.html"
    order = 60  # after new inquiries, above Wagtail's own panels

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        return {"items": self.items}
