from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The office's reports on inquiries, product views and searches."""

    name = "marketplace.office.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.core.spreadsheet_safety import protect_spreadsheet_exports

        # Every admin spreadsheet export (Wagtail's reports and listings, and ours) writes
        # formula-like text as plain text: once, for all of them.
        protect_spreadsheet_exports()
