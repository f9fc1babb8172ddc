from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Reviews of products by the consumers of fulfilled inquiries, the producers' replies
    and the office's moderation."""

    name = "marketplace.reviews"
    label = "reviews"
    verbose_name = _("Reviews")
    default_auto_field = "django.db.models.BigAutoField"
