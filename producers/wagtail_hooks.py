from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from marketplace.core.chooser_scope import CHOOSER_FIELD_HOOK
from marketplace.core.office import is_office_user
from producers import admin_scope
from producers.admin_scope_views import (
    ScopedDocumentsAdminAPIViewSet,
    ScopedImagesAdminAPIViewSet,
)
from producers.admin_views import CraftVillageViewSet, CreateProducerAccountView, LocalityViewSet
from producers.models import ProducerPage

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


# A producer sees and uses only their own things in the admin (see admin_scope); the views
# with no hook are in admin_urls.


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return admin_scope.scope_queryset(pages, request.user)


@hooks.register(CHOOSER_FIELD_HOOK)
def scope_chooser_field(queryset, user):
    return admin_scope.scope_queryset(queryset, user)


# After Wagtail's own hooks (order 0), which add the unscoped page count.
@hooks.register("construct_homepage_summary_items", order=100)
def scope_summary_items(request, items) -> None:
    admin_scope.scope_summary_items(request, items)


# After Wagtail's own hooks (order 0), which register the unscoped endpoints.
@hooks.register("construct_admin_api", order=100)
def scope_admin_api(router) -> None:
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


admin_scope.scope_user_filters()
admin_scope.scope_image_chooser_tags()
