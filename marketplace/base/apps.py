from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The site shell: home page, site-wide settings, SEO, navigation, the page tree."""

    name = "marketplace.base"
    label = "base"
    verbose_name = _("Site")

    def ready(self) -> None:
        from marketplace.base import (
            admin_language,
            admin_names,
            frozen_texts,
            page_cache_invalidation,
        )
        from marketplace.base.site_record import sync_site_after_migrate

        admin_names.connect()
        admin_language.connect()
        frozen_texts.apply()
        page_cache_invalidation.connect()

        # sender=self: once per migrate, after every app's migrations (Wagtail's too).
        post_migrate.connect(sync_site_after_migrate, sender=self)
