"""The site's public address, settings.PUBLIC_BASE_URL, and absolute URLs on it.

Every absolute URL the site hands out (canonical links, sitemaps, QR codes, emails,
Stripe's return addresses) starts with this one setting, never with a request's Host
header: a QR code printed on a label, or a link in an email, must not depend on the
address a request happened to use (a proxy, 127.0.0.1, a forged Host).

Wagtail builds page URLs from its default Site record's hostname and port:
`site_hostname_and_port()` says what that record must hold, and
marketplace.base.site_record keeps it so.

This module imports only Django and the standard library: the settings validate the
value with `parse_public_base_url()` before any app is loaded.
"""

from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

EXAMPLE = "https://cho-ocop.example.org"
# The port a browser uses when the URL names none.
DEFAULT_PORTS = {"http": 80, "https": 443}


def _refuse(value: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"PUBLIC_BASE_URL={value!r}: {problem}. It is the site's public address: "
        f"http:// or https://, a host name and an optional port, e.g. {EXAMPLE}."
    )


def wagtail_root_url(hostname: str, port: int) -> str:
    """What wagtail.models.Site.root_url makes of a hostname and port (port 80 is http,
    443 is https, any other port is http): the settings cannot import Wagtail's models."""
    if port == 80:
        return f"http://{hostname}"
    if port == 443:
        return f"https://{hostname}"
    return f"http://{hostname}:{port}"


def _hostname_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme]


def parse_public_base_url(value: str) -> str:
    """`value` checked and normalised: lower-case scheme and host, no default port, no
    trailing slash. Raises ImproperlyConfigured saying what is wrong with it."""
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise _refuse(value, f"not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        raise _refuse(value, "it must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise _refuse(value, "it must not contain a user name or password")
    if not parts.hostname:
        raise _refuse(value, "it has no host name")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise _refuse(value, "it must not have a query string or fragment")
    if parts.path:
        raise _refuse(value, f"it must not have a path ({parts.path}); the site is served at /")
    hostname = parts.hostname.lower()
    if ":" in hostname:
        raise _refuse(value, "Wagtail's Site record cannot hold an IPv6 address; use a host name")
    if port is None or port == DEFAULT_PORTS[scheme]:
        url = f"{scheme}://{hostname}"
    else:
        url = f"{scheme}://{hostname}:{port}"
    # Wagtail's Site record stores a hostname and a port only, and takes the scheme from
    # the port: an address it cannot give back would make page URLs differ from ours.
    if wagtail_root_url(*_hostname_and_port(url)) != url:
        raise _refuse(
            value,
            "Wagtail's Site record cannot hold this address: it means https on port 443 "
            "and http on any other port (serve https on 443, or use http)",
        )
    return url


def public_base_url() -> str:
    """The site's public address, e.g. https://cho-ocop.example.org (no trailing slash)."""
    return settings.PUBLIC_BASE_URL


def absolute_url(path: str) -> str:
    """`path` (/vi/…) on the site's public address. An absolute URL, such as an image on
    another storage's host, is returned as it is."""
    return urljoin(public_base_url() + "/", path)


def site_hostname_and_port() -> tuple[str, int]:
    """The hostname and port Wagtail's default Site must hold for its root_url to be
    the public address."""
    return _hostname_and_port(public_base_url())
