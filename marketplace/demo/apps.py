from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The sample town (`load_demo`, `ensure_demo_admin`): above every other app."""

    name = "marketplace.demo"
    label = "demo"
    verbose_name = _("Demo data")
