from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from marketplace.curation.models import FeaturedCollection


def shown_dates(collection: FeaturedCollection) -> str:
    starts = date_format(collection.starts_on, "SHORT_DATE_FORMAT")
    if collection.ends_on is None:
        return _("from %(start)s") % {"start": starts}
    ends = date_format(collection.ends_on, "SHORT_DATE_FORMAT")
    return f"{starts} – {ends}"


def dropped_items_warning(collection: FeaturedCollection) -> str:
    """The items the public no longer sees, each with the reason: empty when none."""
    return format_html_join(
        "",
        '<span class="w-status w-status--label">{}: {}</span> ',
        ((item.chosen_page.title, item.drop_reason()) for item in collection.dropped_items()),
    )


class FeaturedCollectionViewSet(SnippetViewSet):
    model = FeaturedCollection
    icon = "folder-open-inverse"
    menu_label = _("Featured collections")
    list_display = [
        "title",
        Column("shown_dates", label=_("Shown"), accessor=shown_dates),
        BooleanColumn("is_active", label=_("Active today"), accessor=lambda c: c.is_active()),
        Column("warning", label=_("Hidden items"), accessor=dropped_items_warning),
        "sort_order",
    ]
    search_fields = ["title"]
    ordering = ["sort_order", "starts_on"]
    add_to_admin_menu = True
    menu_order = 290


register_snippet(FeaturedCollectionViewSet)
