from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RateLimitsConfig(AppConfig):
    """Counters of requests in time windows, shared by every worker process."""

    name = "marketplace.ratelimits"
    label = "ratelimits"
    verbose_name = _("Rate limits")
    default_auto_field = "django.db.models.BigAutoField"
