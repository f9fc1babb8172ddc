from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulkConfig(AppConfig):
    """Bulk import and export of producers and products from spreadsheets."""

    name = "marketplace.office.bulk"
    label = "bulk"
    verbose_name = _("Bulk import and export")
    default_auto_field = "django.db.models.BigAutoField"
