from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The office's reports on inquiries, product views and searches."""

    name = "marketplace.office.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.core.page_cache import served_from_cache
        from marketplace.core.spreadsheet_safety import protect_spreadsheet_exports
        from marketplace.office.reports.counting import count_cached_view

        # Every admin spreadsheet export (Wagtail's reports and listings, and ours) writes
        # formula-like text as plain text: once, for all of them.
        protect_spreadsheet_exports()
        served_from_cache.connect(count_cached_view, dispatch_uid="reports_count_cached_view")
