"""Wagtail's default Site record follows settings.PUBLIC_BASE_URL.

Wagtail builds page URLs from the default Site's hostname and port: page.full_url in
its moderation emails, and our canonical links, hreflang links, sitemaps and product QR
codes. `migrate` runs on every release and on every `make run`, so a post_migrate
receiver brings the record up to date there; ensure_site_structure() creates it right.
"""

import logging
import sys

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from wagtail.models import Site

from marketplace.core.site_address import public_base_url, site_hostname_and_port

logger = logging.getLogger(__name__)


def sync_default_site(site_model: type[Site] = Site, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Give the default Site the public address's hostname and port; True if it changed.

    `site_model` may be the historical model of a migration state (post_migrate's).
    """
    hostname, port = site_hostname_and_port()
    sites = site_model._default_manager.using(using)
    site = sites.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    if sites.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        # Another Site already answers there: someone set up several sites by hand.
        logger.warning(
            "The default Wagtail site stays at %s:%s: another site is at %s:%s already.",
            site.hostname,
            site.port,
            hostname,
            port,
        )
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    # A historical model's save sends no signal to Wagtail's cache-clearing receiver.
    Site.clear_site_root_paths_cache()
    return True


def sync_site_after_migrate(
    sender: AppConfig, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1, **kwargs
) -> None:
    """post_migrate receiver: the Site record as the migration state has it, if any."""
    apps = kwargs.get("apps") or global_apps
    try:
        site_model = apps.get_model("wagtailcore", "Site")
    except LookupError:  # wagtailcore migrated to zero
        return
    if sync_default_site(site_model, using) and verbosity >= 2:
        stdout = kwargs.get("stdout") or sys.stdout
        stdout.write(f"  The default Wagtail site is now at {public_base_url()}.\n")
