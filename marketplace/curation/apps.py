from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    """The office's curation of the public pages: featured collections and home page blocks."""

    name = "marketplace.curation"
    label = "curation"
    verbose_name = _("Curation")
    default_auto_field = "django.db.models.BigAutoField"
