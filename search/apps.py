from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The public catalogue search (Elasticsearch with a database fallback).

    Wagtail's admin search keeps using Wagtail's own database backend.
    """

    name = "search"
    verbose_name = _("Catalogue search")

    def ready(self) -> None:
        from marketplace.core.page_cache import served_from_cache

        # service connects its cache-clearing receivers on import.
        from search import service, signals

        signals.connect()
        served_from_cache.connect(service.log_cached_search, dispatch_uid="search_log_cached")
