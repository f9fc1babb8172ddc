"""Guessing passwords at the admin's sign-in: django-axes locks one username from one
client address for a while (settings LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

pytest_plugins = ["tests.producer_accounts_fixtures"]

pytestmark = pytest.mark.django_db

PASSWORD = "Mật-khẩu-đúng-2026"
ATTACKER = "203.0.113.66"
PRODUCER_ADDRESS = "198.51.100.7"
WAGTAIL_LOGIN = reverse("wagtailadmin_login")
DJANGO_LOGIN = reverse("admin:login")
LOCKED_VI = "Tạm dừng đăng nhập"
LOCKED_EN = "Sign-in paused"


@pytest.fixture
def user(producer_a):
    user = producer_a.account.user
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(user, password: str, ip: str = ATTACKER, url: str = WAGTAIL_LOGIN, **headers):
    """A sign-in from a fresh browser at `ip`: the response and the browser."""
    client = Client(REMOTE_ADDR=ip, **headers)
    response = client.post(url, {"username": user.get_username(), "password": password})
    return response, client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(user, ip: str = ATTACKER, url: str = WAGTAIL_LOGIN) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response, _client = sign_in(user, "sai-mat-khau", ip, url)
    assert response.status_code == 429


def test_a_wrong_password_says_so_until_the_limit(user):
    response, client = sign_in(user, "sai-mat-khau")

    assert response.status_code == 200
    assert not signed_in(client)
    assert LOCKED_VI not in response.content.decode()


def test_after_the_failures_the_right_password_is_refused_with_a_message(user):
    fail_until_locked(user)

    response, client = sign_in(user, PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert LOCKED_VI in page
    assert "tạm dừng trong 15 phút" in page
    assert "Phòng Kinh tế thị xã Điện Bàn" in page  # the office, named by settings.OFFICE_NAME
    assert response["Retry-After"] == "900"


def test_the_message_is_in_english_for_an_english_browser(user):
    fail_until_locked(user)

    response, _client = sign_in(user, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")

    assert LOCKED_EN in response.content.decode()
    assert "paused for 15 minutes" in response.content.decode()


def test_after_the_lockout_the_right_password_works_again(user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_until_locked(user)
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert not signed_in(sign_in(user, PASSWORD)[1])
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        response, client = sign_in(user, PASSWORD)

        assert response.status_code == 302
        assert signed_in(client)


def test_the_producer_at_another_address_is_not_locked_out(user, producer_b):
    fail_until_locked(user)

    _response, client = sign_in(user, PASSWORD, ip=PRODUCER_ADDRESS)

    assert signed_in(client)


def test_another_user_at_the_same_address_is_not_locked_out(user, producer_b):
    fail_until_locked(user)
    other = producer_b.account.user
    other.set_password(PASSWORD)
    other.save()

    _response, client = sign_in(other, PASSWORD)

    assert signed_in(client)


@override_settings(TRUSTED_PROXIES=["unix"], CLIENT_IP_HEADER="X-Real-IP")
def test_behind_a_proxy_each_client_address_counts_on_its_own(user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(user, "sai-mat-khau", ip="", HTTP_X_REAL_IP=ATTACKER)

    _response, client = sign_in(user, PASSWORD, ip="", HTTP_X_REAL_IP=PRODUCER_ADDRESS)
    assert signed_in(client)
    response, client = sign_in(user, PASSWORD, ip="", HTTP_X_REAL_IP=ATTACKER)
    assert response.status_code == 429
    assert not signed_in(client)


def test_django_admin_sign_in_is_locked_too(user):
    user.is_staff = True
    user.save()
    fail_until_locked(user, url=DJANGO_LOGIN)

    response, client = sign_in(user, PASSWORD, url=DJANGO_LOGIN)

    assert response.status_code == 429
    assert not signed_in(client)


def test_the_office_can_unlock_an_account(user):
    fail_until_locked(user)

    call_command("axes_reset_username", user.get_username(), verbosity=0)

    assert signed_in(sign_in(user, PASSWORD)[1])


# The "forgotten password" form


def ask_reset(email: str, ip: str = ATTACKER):
    return Client(REMOTE_ADDR=ip).post(reverse("wagtailadmin_password_reset"), {"email": email})


def test_password_resets_from_one_address_are_limited(user, producer_b):
    for _ in range(5):
        assert ask_reset(user.email).status_code == 302
    assert len(mail.outbox) == 5

    response = ask_reset(producer_b.account.user.email)

    assert response.status_code == 429
    assert "vui lòng chờ 60 phút rồi thử lại" in response.content.decode()
    # The message names the office by its setting (Vietnamese wording: vi-facts.json).
    assert "Phòng Kinh tế thị xã Điện Bàn" in response.content.decode()
    assert len(mail.outbox) == 5


def test_password_resets_of_one_account_are_limited_from_any_address(user):
    for number in range(5):
        ask_reset(user.email, ip=f"198.51.100.{number + 1}")

    assert ask_reset(user.email.upper(), ip=PRODUCER_ADDRESS).status_code == 429
    assert len(mail.outbox) == 5
    # Another client, another account: not affected.
    assert ask_reset("b@example.com", ip=PRODUCER_ADDRESS).status_code == 302
