from django.apps import AppConfig
from django.core import checks
from django.core.signals import request_finished
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared ground: code every app may use, importing no app of ours."""

    name = "marketplace.core"
    label = "core"
    verbose_name = _("Shared ground")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.core import (
            renditions_ahead,  # noqa: F401 (its receivers)
            write_buffer,
        )
        from marketplace.core.media_storage import check_private_media_root
        from marketplace.core.renditions import share_filter_operations

        share_filter_operations()

        checks.register(check_private_media_root, checks.Tags.security)
        request_finished.connect(write_buffer.flush_due, dispatch_uid="flush-write-buffers")
