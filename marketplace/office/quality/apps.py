from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingQualityConfig(AppConfig):
    """Listing quality: what producers and products are missing, and a completeness score."""

    name = "marketplace.office.quality"
    label = "quality"
    verbose_name = _("Listing quality")
    default_auto_field = "django.db.models.BigAutoField"
