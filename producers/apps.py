from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    """Producers, the localities (phường/xã) they are in, and craft villages."""

    name = "producers"
    verbose_name = _("Producers")
