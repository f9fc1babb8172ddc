from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The public catalogue search (Elasticsearch with a database fallback).

    Wagtail's admin search keeps using Wagtail's own database backend.
    """

    name = "search"
    verbose_name = _("Catalogue search")

    def ready(self) -> None:
        from search import signals

        signals.connect()
