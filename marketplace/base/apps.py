from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The site shell: home page, site-wide settings, images, shared helpers."""

    name = "marketplace.base"
    label = "base"
    verbose_name = _("Site")
