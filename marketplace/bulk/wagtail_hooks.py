from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from marketplace.bulk import urls
from producers.accounts import is_office_user


class OfficeMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_office_user(request.user)


@hooks.register("register_admin_urls")
def register_bulk_urls():
    return [path("catalogue/", include(urls, namespace="bulk"))]


@hooks.register("register_settings_menu_item")
def register_bulk_menu_item():
    return OfficeMenuItem(
        _("Import and export"), reverse("bulk:import"), icon_name="table", order=900
    )
