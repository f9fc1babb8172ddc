"""Protecting the admin's sign-in: the lockout page, and a limit on password resets.

Wrong passwords are counted by django-axes, for Wagtail's and Django's admin logins
alike; once it locks a username and address pair, settings.AXES_LOCKOUT_CALLABLE calls
`locked_out()`: a page in the visitor's language (axes has no Vietnamese) that says how
long to wait and who can unlock the account sooner.

Wagtail's "forgotten password" form emails whoever's address it is given: without a
limit, anyone could flood a producer's mailbox. `ThrottledPasswordResetView` lets each
client address, and each email address, ask a few times an hour.
"""

import hashlib
from math import ceil

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.admin.views.account import PasswordResetView

from marketplace.core.client_address import client_address
from marketplace.ratelimits.counter import take_all

# Sent reset forms per client address, and per email address asked for.
PASSWORD_RESET_LIMIT = 5
PASSWORD_RESET_SECONDS = 60 * 60


def _minutes(seconds: float) -> int:
    return max(1, ceil(seconds / 60))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    seconds = settings.AXES_COOLOFF_TIME.total_seconds()
    response = render(
        request,
        "base/login_locked.html",
        {"minutes": _minutes(seconds), "login_url": request.path},
        status=429,
    )
    response["Retry-After"] = str(int(seconds))
    return response


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def password_reset_keys(request: HttpRequest, email: str) -> list[str]:
    keys = [f"password_reset:email:{_digest(email.strip().lower())}"]
    if ip := client_address(request):
        keys.append(f"password_reset:ip:{_digest(ip)}")
    return keys


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset, refused with a page saying so once over the limit."""

    def form_valid(self, form):
        keys = password_reset_keys(self.request, form.cleaned_data["email"])
        if not take_all(keys, PASSWORD_RESET_LIMIT, PASSWORD_RESET_SECONDS):
            response = render(
                self.request,
                "base/password_reset_limited.html",
                {"minutes": _minutes(PASSWORD_RESET_SECONDS)},
                status=429,
            )
            response["Retry-After"] = str(PASSWORD_RESET_SECONDS)
            return response
        return super().form_valid(form)
