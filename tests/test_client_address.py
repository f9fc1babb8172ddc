"""The client's address behind a reverse proxy (marketplace.core.client_address), and the
rate limits counting each client on their own through it."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings

from marketplace.core.client_address import client_address, parse_trusted_proxies
from marketplace.inquiries.models import Submission
from tests.inquiry_helpers import fill, form_key, request_data, url

pytest_plugins = ["tests.inquiry_fixtures"]

PROXY = "10.0.0.2"
CLIENT = "198.51.100.7"
ANOTHER_CLIENT = "203.0.113.9"
through_proxy = override_settings(
    TRUSTED_PROXIES=["10.0.0.0/24", "::1"], CLIENT_IP_HEADER="X-Forwarded-For"
)
on_unix_socket = override_settings(TRUSTED_PROXIES=["unix"], CLIENT_IP_HEADER="X-Real-IP")


def address(remote_addr: str, **headers) -> str:
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


@override_settings(TRUSTED_PROXIES=[])
def test_without_proxies_the_peer_is_the_client_whatever_it_says():
    assert address(CLIENT, HTTP_X_FORWARDED_FOR="1.2.3.4") == CLIENT
    assert address("") == ""


@through_proxy
def test_a_spoofed_header_from_a_peer_that_is_not_our_proxy_is_ignored():
    assert address(CLIENT, HTTP_X_FORWARDED_FOR="1.2.3.4") == CLIENT
    assert address(CLIENT, HTTP_X_REAL_IP="1.2.3.4") == CLIENT


@through_proxy
def test_through_a_trusted_proxy_the_client_is_the_right_most_untrusted_address():
    assert address(PROXY, HTTP_X_FORWARDED_FOR=CLIENT) == CLIENT
    # What the client wrote itself is to the left of what our proxy appended.
    assert address(PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {CLIENT}") == CLIENT
    # Two proxies of ours on the way.
    assert address(PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {CLIENT}, 10.0.0.3") == CLIENT
    assert address("::1", HTTP_X_FORWARDED_FOR=f" {CLIENT} ") == CLIENT


@through_proxy
def test_addresses_are_read_as_addresses():
    assert address(PROXY, HTTP_X_FORWARDED_FOR="2001:db8::1") == "2001:db8::1"
    assert address(PROXY, HTTP_X_FORWARDED_FOR="[2001:db8::1]") == "2001:db8::1"
    # An IPv4 client of a dual-stack socket is one client with one key.
    assert address(PROXY, HTTP_X_FORWARDED_FOR=f"::ffff:{CLIENT}") == CLIENT
    assert address(f"::ffff:{PROXY}", HTTP_X_FORWARDED_FOR=CLIENT) == CLIENT


@through_proxy
def test_without_a_usable_header_the_nearest_known_address_counts():
    # A health check from the proxy's own host, or a proxy that sends no header.
    assert address(PROXY) == PROXY
    assert address(PROXY, HTTP_X_FORWARDED_FOR="10.0.0.3") == "10.0.0.3"
    # Garbage was not written by a proxy of ours: nothing left of it is believed.
    assert address(PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT}, not-an-ip") == PROXY
    assert address(PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT}:443") == PROXY


@on_unix_socket
def test_a_proxy_on_a_unix_socket_has_an_empty_remote_addr():
    assert address("", HTTP_X_REAL_IP=CLIENT) == CLIENT
    # The header named is the one read.
    assert address("", HTTP_X_FORWARDED_FOR=CLIENT) == ""
    # A peer with an address is not the unix-socket proxy.
    assert address(ANOTHER_CLIENT, HTTP_X_REAL_IP=CLIENT) == ANOTHER_CLIENT


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_an_empty_remote_addr_is_not_trusted_unless_unix_is_named():
    assert address("", HTTP_X_FORWARDED_FOR=CLIENT) == ""


def test_a_mistyped_trusted_proxy_is_refused_with_its_name():
    with pytest.raises(ImproperlyConfigured, match=re.escape("'10.0.0.300'")):
        parse_trusted_proxies(("127.0.0.1", "10.0.0.300"))
    assert parse_trusted_proxies(("UNIX", "10.0.0.0/8")).unix_socket


# The rate limits count each client behind the proxy


def visitor(shop) -> Client:
    """A new visitor with a full list, coming through the unix-socket proxy."""
    client = Client(REMOTE_ADDR="")
    fill(client, (shop.rice_wine, 1))
    return client


def send(client: Client, shop, ip: str):
    return client.post(url("send"), request_data(form_key(client), shop), HTTP_X_REAL_IP=ip)


@pytest.mark.django_db
@on_unix_socket
@override_settings(INQUIRY_RATE_LIMITS={"submit": (2, 600)})
def test_behind_a_unix_socket_proxy_the_limit_counts_per_client(shop):
    for _ in range(2):
        assert send(visitor(shop), shop, CLIENT).status_code == 302

    # The same client in a new session (cookies dropped) is over its limit...
    assert send(visitor(shop), shop, CLIENT).status_code == 429
    # ...and another client behind the same proxy is not.
    assert send(visitor(shop), shop, ANOTHER_CLIENT).status_code == 302
    assert Submission.objects.count() == 3


@pytest.mark.django_db
@through_proxy
@override_settings(INQUIRY_RATE_LIMITS={"submit": (2, 600)})
def test_a_client_cannot_escape_its_limit_by_forging_the_header(shop):
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        client = Client(REMOTE_ADDR=PROXY)
        fill(client, (shop.rice_wine, 1))
        client.post(
            url("send"),
            request_data(form_key(client), shop),
            HTTP_X_FORWARDED_FOR=f"{forged}, {CLIENT}",
        )

    assert Submission.objects.count() == 2
