from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from marketplace.core.office import OfficeMenuItem
from marketplace.office.bulk import admin_views

bulk_urls = [
    path("", admin_views.import_page, name="import"),
    path("apply/", admin_views.apply_import, name="apply"),
    path("runs/<int:pk>/", admin_views.import_run, name="run"),
    path("export/", admin_views.export_catalogue, name="export"),
    path("template/", admin_views.download_template, name="template"),
]


@hooks.register("register_admin_urls")
def register_bulk_urls():
    return [path("catalogue/", include((bulk_urls, "bulk"), namespace="bulk"))]


@hooks.register("register_settings_menu_item")
def register_bulk_menu_item():
    return OfficeMenuItem(
        _("Import and export"), reverse("bulk:import"), icon_name="table", order=900
    )
