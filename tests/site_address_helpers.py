"""The address tests serve the site at when they check absolute URLs.

Not the test client's host (http://testserver, the test settings' PUBLIC_BASE_URL): an
absolute URL built from a request's Host header, or from a Site record left behind,
would show as a different address.
"""

from marketplace.base.site_record import sync_default_site

PUBLIC_ADDRESS = "https://cho-ocop.example.org"
# What no page, email or QR code may say when the site is served at PUBLIC_ADDRESS.
OTHER_HOSTS = ("localhost", "testserver", "127.0.0.1")


def serve_at(settings, address: str) -> str:
    """Set the public address in `settings` (pytest-django's fixture) as the settings
    modules do, and move Wagtail's Site record there as `migrate` would."""
    settings.PUBLIC_BASE_URL = settings.WAGTAILADMIN_BASE_URL = address
    sync_default_site()
    return address


def other_hosts_in(text: str) -> list[str]:
    """The hosts other than the public address's that `text` names."""
    return [host for host in OTHER_HOSTS if host in text]
