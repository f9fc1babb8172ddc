from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """OCOP certificate verification, expiry reminders and public verification pages."""

    name = "marketplace.certificates"
    label = "certificates"
    verbose_name = _("OCOP certificates")
    default_auto_field = "django.db.models.BigAutoField"
