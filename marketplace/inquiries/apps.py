from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """Order inquiries: a consumer's request to each producer, its tracking and payment."""

    name = "marketplace.inquiries"
    label = "inquiries"
    verbose_name = _("Order inquiries")
    default_auto_field = "django.db.models.BigAutoField"
