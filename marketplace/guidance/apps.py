from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guidance inside the admin: the producer's onboarding checklist, the guides for
    producers and the office, and the office acting for a producer at the help desk."""

    name = "marketplace.guidance"
    label = "guidance"
    verbose_name = _("Guidance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.guidance import acting

        acting.connect_signals()
