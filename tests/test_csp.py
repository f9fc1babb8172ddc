"""The Content-Security-Policy: a strict header on every public response (pages, error
pages, the search API, files), the admin's own relaxed one, the same in development and
production; and Chromium showing the payment pages, the editor's toolbar and the admin
without a single violation.

The shopper's pages, the search suggestions and the inquiry pages are watched in
test_browser.py, test_browser_suggest.py and test_inquiry_browser.py.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import path, reverse

import marketplace.urls
from marketplace.inquiries.models import Inquiry
from tests.browser_fixtures import Catalogue, csp_report, watch_csp
from tests.inquiry_helpers import url as inquiry_url
from tests.test_browser import TIMEOUT_MS, catalogue, in_browser  # noqa: F401
from tests.test_settings import bare_env, production_env, run  # noqa: F401

pytest_plugins = ["tests.inquiry_payment_fixtures"]

HEADER = "Content-Security-Policy"
CHECKOUT = "https://checkout.stripe.com"
# Sources that would let an injected script or style run.
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "blob:", "*"}


def boom(request):
    raise RuntimeError("A bug in a view.")


# This module is also the URLconf of the server-error test: the site's URLs plus a view
# that fails, under the language prefix like the pages.
urlpatterns = [path("vi/boom/", boom), *marketplace.urls.urlpatterns]
handler404 = marketplace.urls.handler404
handler500 = marketplace.urls.handler500


def directives(header: str) -> dict[str, list[str]]:
    """A policy header as {directive: [source, ...]}."""
    policy = {}
    for part in header.split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def strictness_problems(header: str | None) -> list[str]:
    """What makes `header` weaker than the public policy must be; [] when it is strict."""
    if header is None:
        return ["no Content-Security-Policy header"]
    policy = directives(header)
    problems = [
        f"{name} allows {source}"
        for name in ("script-src", "style-src", "default-src")
        for source in policy.get(name, ["(missing)"])
        if source in UNSAFE or source == "(missing)"
    ]
    expected = {
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", CHECKOUT],
    }
    problems += [
        f"{name} is {policy.get(name)}, not {sources}"
        for name, sources in expected.items()
        if policy.get(name) != sources
    ]
    return problems


class InlineCode(HTMLParser):
    """What a page holds that a strict policy blocks: inline scripts (JSON-LD is data, not
    code), <style> elements, style="" and on…="" attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            if values.get("type") != "application/ld+json":
                self.found.append(self.get_starttag_text() or tag)
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def public_urls(client: Client, catalogue: Catalogue) -> dict[str, str]:  # noqa: F811
    """A URL of every kind of public response, by a short name."""
    urls = dict(catalogue.urls())
    certificate = catalogue.products[0].ocop_certificates.get().translation_key
    home = client.get(urls["vi-home"]).text
    image = re.search(r'src="(/media/[^"]+)"', home)
    assert image, "the home page shows no uploaded image"
    urls.update(
        {
            "root-redirect": "/",
            "vi-404": "/vi/no-such-page/",
            "en-404": "/en/no-such-page/",
            "api-404": "/api/search/no-such-endpoint",
            "api-products": "/api/search/products?q=nuoc",
            "api-suggest": "/api/search/suggest?q=nuoc&lang=vi",
            "api-openapi": reverse("search_api:openapi"),
            "robots": reverse("robots_txt"),
            "sitemap": reverse("sitemap"),
            "certificate-label": f"/vi/chung-nhan/{certificate}/nhan/",
            "certificate-qr": f"/vi/chung-nhan/{certificate}/qr.svg",
            "inquiry-list": inquiry_url("list"),
            "inquiry-send": inquiry_url("send"),
            "privacy": inquiry_url("privacy"),
            "media-image": image.group(1),
        }
    )
    return urls


def test_every_public_response_carries_the_strict_policy(catalogue):  # noqa: F811
    client = Client()
    problems = {}
    statuses = {}
    for name, url in public_urls(client, catalogue).items():
        response = client.get(url)
        statuses[name] = response.status_code
        found = strictness_problems(response.get(HEADER))
        if "html" in response.get("Content-Type", ""):
            found += inline_code(response.text)
        if found:
            problems[f"{name} {url} ({response.status_code})"] = found

    assert not problems, problems
    # The list holds what it says: pages, redirects, 404s, JSON, files.
    assert {statuses["vi-404"], statuses["api-404"], statuses["root-redirect"]} == {404, 302}
    assert statuses["api-suggest"] == statuses["media-image"] == statuses["vi-search"] == 200


@pytest.mark.urls("tests.test_csp")
def test_a_server_error_carries_the_strict_policy(site):
    response = Client(raise_request_exception=False).get("/vi/boom/")

    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in response.text
    assert strictness_problems(response.get(HEADER)) == []
    assert inline_code(response.text) == []


def test_the_admin_has_its_own_policy(site):
    for url in (reverse("wagtailadmin_login"), reverse("admin:login")):
        policy = directives(Client().get(url)[HEADER])

        # Wagtail writes inline scripts and styles, and frames its previews.
        assert "'unsafe-inline'" in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]


# Run in a fresh process with the environment's settings: GET robots.txt through the
# WSGI application, as the web server would.
FETCH_HEADER = """
import json
from wsgiref.util import setup_testing_defaults

from marketplace.wsgi import application

environ = {"PATH_INFO": "/robots.txt", "HTTP_HOST": "cho-ocop.example.org",
           "HTTP_X_FORWARDED_PROTO": "https"}
setup_testing_defaults(environ)
answer = {}
def start_response(status, headers, exc_info=None):
    answer.update(status=status, headers=dict(headers))
b"".join(application(environ, start_response))
print(json.dumps(answer))
"""


@pytest.mark.parametrize("environment", ["dev", "production"])
def test_development_and_production_send_the_policy(production_env, environment):  # noqa: F811
    env = {**production_env, "DJANGO_SETTINGS_MODULE": f"marketplace.settings.{environment}"}

    fetched = run(["-c", FETCH_HEADER], env)

    assert fetched.returncode == 0, fetched.stderr
    answer = json.loads(fetched.stdout.splitlines()[-1])
    assert answer["status"].startswith("200"), answer
    assert strictness_problems(answer["headers"].get(HEADER)) == []


# In Chromium ---------------------------------------------------------------------------


@dataclass
class Paid:
    """What the consumer saw paying, collected in the browser thread."""

    has_vietqr: bool = False
    checkout_url: str = ""
    return_heading: str = ""
    cancel_heading: str = ""
    csp: list[dict] = field(default_factory=list)


def pay(browser, base_url: str, inquiry_paths: dict[str, str]) -> Paid:
    """The tracking page with its VietQR code, "Pay by card" up to the request for
    Stripe Checkout's page, then the return and cancel pages."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    paid = Paid(csp=watch_csp(context))
    page = context.new_page()
    try:
        page.goto(base_url + inquiry_paths["track"])
        paid.has_vietqr = page.locator("svg.vietqr__code").is_visible()
        # The form posts here and is redirected to Checkout: Chromium checks the redirect
        # against form-action, and without Stripe there it never asks for Checkout's page.
        # (Routes cannot stand in for Checkout: Playwright does not route redirects; the
        # test machines have no Internet, so the request itself fails, which is fine.)
        try:
            with page.expect_request(lambda request: request.url.startswith(CHECKOUT)) as sent:
                page.get_by_role("button", name=re.compile("bằng thẻ")).click()
            paid.checkout_url = sent.value.url
        except PlaywrightTimeoutError:
            paid.checkout_url = ""
        # A new tab: the failed request for Checkout ends in Chromium's error page, a
        # navigation that would interrupt the next goto() in this one.
        page = context.new_page()
        page.goto(base_url + inquiry_paths["return"])
        paid.return_heading = page.locator("h1").inner_text()
        page.goto(base_url + inquiry_paths["cancel"])
        paid.cancel_heading = page.locator("h1").inner_text()
    finally:
        context.close()
    return paid


@pytest.mark.browser
@pytest.mark.stripe_mock
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_paying_breaks_no_policy(in_browser, live_site, stripe_api, inquiry: Inquiry):  # noqa: F811
    paths = {
        name: reverse(f"inquiries:{view}", kwargs={"token": inquiry.token})
        for name, view in (("track", "track"), ("return", "pay_return"), ("cancel", "pay_cancel"))
    }

    paid = in_browser(pay, live_site, paths)

    assert not paid.csp, "Content-Security-Policy violations:\n" + csp_report(paid.csp)
    assert paid.has_vietqr
    assert paid.checkout_url.startswith(CHECKOUT + "/"), "the browser never asked for Checkout"
    assert paid.return_heading == "Đang chờ xác nhận thanh toán"
    assert paid.cancel_heading == "Đã hủy thanh toán"


def logged_in_cookie(user, base_url: str) -> dict:
    """The session cookie of `user`, for a Playwright browser context."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base_url}


def edit(browser, base_url: str, cookie: dict, paths: list[str]) -> tuple[list[str], list[dict]]:
    """Open each path as a logged-in editor; per page, its title and whether Wagtail's
    userbar is on it; and the violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([cookie])
    csp = watch_csp(context)
    page = context.new_page()
    titles = []
    try:
        for path_ in paths:
            page.goto(base_url + path_)
            # Let the admin's scripts build their widgets (and trip over the policy, if so).
            page.wait_for_load_state("networkidle")
            userbar = page.locator("wagtail-userbar").count() > 0
            titles.append(f"{page.title()} (userbar: {userbar})")
    finally:
        context.close()
    return titles, csp


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_editor_toolbar_and_the_admin_break_no_policy(
    in_browser: Callable,  # noqa: F811
    live_site,
    catalogue,  # noqa: F811
):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "x")
    product = catalogue.products[0]
    paths = [
        catalogue.urls()["vi-product"],  # the public page, with Wagtail's userbar
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[product.pk]),
        reverse("wagtailimages:index"),
    ]

    titles, csp = in_browser(edit, live_site, logged_in_cookie(editor, live_site), paths)

    assert titles[0].endswith("(userbar: True)"), titles
    assert any(name in titles[1] for name in ("Dashboard", "Trang tổng quan")), titles
    assert not csp, "Content-Security-Policy violations:\n" + csp_report(csp)
