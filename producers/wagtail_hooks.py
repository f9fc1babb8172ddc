from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from producers.accounts import is_office_user
from producers.models import CraftVillage, Locality, ProducerPage
from producers.views_admin import CreateProducerAccountView


class LocalityViewSet(SnippetViewSet):
    model = Locality
    icon = "site"
    menu_label = _("Localities")
    list_display = ["name", "kind", "display_order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300


class CraftVillageViewSet(SnippetViewSet):
    model = CraftVillage
    icon = "group"
    menu_label = _("Craft villages")
    list_display = ["name", "locality", "main_crafts"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 310


register_snippet(LocalityViewSet)
register_snippet(CraftVillageViewSet)


@hooks.register("register_admin_urls")
def register_producer_account_url():
    return [
        path(
            "producers/<int:page_id>/account/",
            CreateProducerAccountView.as_view(),
            name="producers_create_account",
        )
    ]


def create_account_button(page, user, priority: int):
    """The office's "Create producer account" action, on producer pages only."""
    if page.specific_class is ProducerPage and is_office_user(user):
        yield Button(
            _("Create producer account"),
            reverse("producers_create_account", args=[page.pk]),
            icon_name="user",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def producer_page_header_buttons(page, user, view_name, next_url=None):
    yield from create_account_button(page, user, priority=90)


@hooks.register("register_page_listing_more_buttons")
def producer_page_listing_buttons(page, user, next_url=None):
    yield from create_account_button(page, user, priority=90)
