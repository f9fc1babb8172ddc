"""The public address: PUBLIC_BASE_URL checked when settings load, absolute URLs built on
it, and Wagtail's Site record following it (on `migrate` and in the page-tree set-up)."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from wagtail.models import Site

from marketplace.base.site_record import sync_default_site
from marketplace.base.structure import ensure_site_structure
from marketplace.core.site_address import (
    absolute_url,
    parse_public_base_url,
    public_base_url,
    site_hostname_and_port,
    wagtail_root_url,
)
from tests.factories import make_producer, make_product
from tests.site_address_helpers import serve_at

# The value as written in the environment, and as the settings keep it.
VALID = [
    ("https://cho-ocop.example.org", "https://cho-ocop.example.org"),
    ("https://cho-ocop.example.org/", "https://cho-ocop.example.org"),
    ("  HTTPS://Cho-OCOP.Example.org//  ", "https://cho-ocop.example.org"),
    ("https://cho-ocop.example.org:443", "https://cho-ocop.example.org"),
    ("http://cho-ocop.example.org:80/", "http://cho-ocop.example.org"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("http://192.168.1.20:8001/", "http://192.168.1.20:8001"),
    ("http://testserver", "http://testserver"),
]

# A bad value, and what the error says about it.
REFUSED = [
    ("cho-ocop.example.org", "it must start with http:// or https://"),
    ("localhost:8000", "it must start with http:// or https://"),
    ("", "it must start with http:// or https://"),
    ("ftp://cho-ocop.example.org", "it must start with http:// or https://"),
    ("https://", "it must start with http:// or https://"),
    ("https://cho-ocop.example.org/cho", "it must not have a path (/cho)"),
    ("https://example.org/cho-ocop/", "it must not have a path (/cho-ocop)"),
    ("https://cho-ocop.example.org/?lang=vi", "it must not have a query string or fragment"),
    ("https://cho-ocop.example.org?", "it must not have a query string or fragment"),
    ("https://cho-ocop.example.org#top", "it must not have a query string or fragment"),
    ("https://admin:secret@cho-ocop.example.org", "it must not contain a user name or password"),
    ("https://cho-ocop.example.org:8443", "Wagtail's Site record cannot hold this address"),
    ("http://cho-ocop.example.org:443", "Wagtail's Site record cannot hold this address"),
    ("https://cho-ocop.example.org:99999", "not a valid URL"),
    ("http://[::1]:8000", "cannot hold an IPv6 address"),
]


@pytest.mark.parametrize(("value", "kept"), VALID)
def test_valid_addresses_are_normalised(value, kept):
    assert parse_public_base_url(value) == kept


@pytest.mark.parametrize(("value", "problem"), REFUSED)
def test_bad_addresses_are_refused_saying_why(value, problem):
    with pytest.raises(ImproperlyConfigured) as error:
        parse_public_base_url(value)

    message = str(error.value)
    assert message.startswith(f"PUBLIC_BASE_URL={value!r}: ")
    assert problem in message
    assert "e.g. https://cho-ocop.example.org" in message


@pytest.mark.parametrize(("hostname", "port"), [("a.example", 80), ("a.example", 443), ("a", 8000)])
def test_wagtail_root_url_is_wagtails(hostname, port):
    assert wagtail_root_url(hostname, port) == Site(hostname=hostname, port=port).root_url


@pytest.mark.parametrize("kept", sorted({kept for _value, kept in VALID}))
def test_every_valid_address_round_trips_through_wagtails_site(settings, kept):
    settings.PUBLIC_BASE_URL = kept

    hostname, port = site_hostname_and_port()

    assert Site(hostname=hostname, port=port).root_url == kept


def test_absolute_urls_are_on_the_public_address(settings):
    settings.PUBLIC_BASE_URL = "https://cho-ocop.example.org"

    assert public_base_url() == "https://cho-ocop.example.org"
    assert absolute_url("/vi/san-pham/") == "https://cho-ocop.example.org/vi/san-pham/"
    assert absolute_url("/") == "https://cho-ocop.example.org/"
    # Media on another storage's host keeps its own address.
    assert absolute_url("https://cdn.example.net/a.jpg") == "https://cdn.example.net/a.jpg"


def test_the_test_settings_serve_the_site_where_the_test_client_asks(site):
    site_record = Site.objects.get(is_default_site=True)
    assert site_record.root_url == public_base_url() == "http://testserver"


# Wagtail's Site record


def default_site() -> Site:
    return Site.objects.get(is_default_site=True)


def test_sync_moves_the_default_site_and_page_urls_follow(settings, site):
    product = make_product(make_producer(site.producers))
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8001"

    assert sync_default_site() is True

    assert (default_site().hostname, default_site().port) == ("127.0.0.1", 8001)
    assert product.get_full_url() == "http://127.0.0.1:8001" + product.url
    # Nothing left to do: no write.
    assert sync_default_site() is False


def test_sync_leaves_the_site_alone_when_another_site_has_the_address(settings, site, caplog):
    Site.objects.create(hostname="cho-ocop.example.org", port=443, root_page=site.home_en)

    serve_at(settings, "https://cho-ocop.example.org")

    assert default_site().root_url == "http://testserver"
    assert "another site is at cho-ocop.example.org:443 already" in caplog.text


def test_migrate_moves_an_existing_site_to_the_public_address(settings, site):
    # As Wagtail's installer, or an earlier release served elsewhere, left it.
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    Site.clear_site_root_paths_cache()
    settings.PUBLIC_BASE_URL = "https://cho-ocop.example.org"
    quiet, verbose = io.StringIO(), io.StringIO()

    call_command("migrate", interactive=False, verbosity=1, stdout=quiet)
    assert (default_site().hostname, default_site().port) == ("cho-ocop.example.org", 443)
    assert site.home.get_full_url() == "https://cho-ocop.example.org/vi/"
    assert "Wagtail site" not in quiet.getvalue()

    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8001"  # make run PORT=8001
    call_command("migrate", interactive=False, verbosity=2, stdout=verbose)
    assert default_site().root_url == "http://127.0.0.1:8001"
    assert "The default Wagtail site is now at http://127.0.0.1:8001." in verbose.getvalue()


def test_the_page_tree_set_up_creates_the_site_at_the_public_address(settings, site):
    Site.objects.all().delete()
    settings.PUBLIC_BASE_URL = "https://cho-ocop.example.org"

    ensure_site_structure()

    assert default_site().root_url == "https://cho-ocop.example.org"
    assert default_site().root_page.specific == site.home
