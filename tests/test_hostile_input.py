"""Hostile input over every public URL: whatever a visitor sends, no answer is a 500.

Every URL pattern outside the admin is found by walking the URL resolver, and every page
type's routable sub-routes by walking their patterns. Each pattern's arguments are filled
with hostile values (NUL, very long text, Unicode oddities, ../, SQL and HTML
metacharacters, huge and negative numbers, invalid UUIDs, invalid UTF-8) and with the real
objects built here; each URL filled with real objects is then asked with hostile query
strings and POST bodies, and with a NUL in a cookie. A pattern the converters cannot fill
is listed in EXPLICIT with the reason and the URLs that fill it: a new pattern that is
neither fails `test_every_public_pattern_is_filled`, and a page type the fixture does not
build fails the sweep.

With DATABASE_URL pointing at PostgreSQL (as `.ci/run` does) this runs there, where a NUL
in a query is an error (SQLite stores it).
"""

import json
import re
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from django import forms
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents.models import Document
from wagtail.models import Page, get_page_models

from marketplace.certificates.models import OcopCertificate
from marketplace.core.url_segments import route_in
from marketplace.inquiries import ratelimit
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.views import SENT_KEYS
from producers.models import ProducerPage
from tests.certificates_fixtures import ISSUED, translated_product
from tests.factories import category, make_craft_village, make_image, make_product
from tests.inquiry_helpers import add
from tests.inquiry_payment_helpers import completed_session, event, post_event
from tests.test_certificates_public import make_document
from tests.test_curation import make_collection

pytest_plugins = ["tests.inquiry_payment_fixtures"]

# Not public: the office's and producers' admin, behind a login.
PRIVATE_PREFIXES = ("admin/", "django-admin/")
# The language prefix in a pattern's key.
LANG = "{lang}/"

# Hostile values: each fills path arguments, query parameters and form fields.
HOSTILE = [
    "a\x00b",
    "9" * 5000,  # long, and more digits than Python converts to an int
    "9" * 40,
    "9223372036854775808",  # one over PostgreSQL's bigint
    "-9223372036854775809",
    "../not-a-uuid/../../../etc/passwd",
    "' OR '1'='1' -- %s%n <script>alert(1)</script>{{ 7*7 }}{% debug %}",
    # Right-to-left override, BOM, zero-width joiner, astral plane, combining marks, a
    # ligature, letters whose case mapping changes their length; CR LF and controls.
    "\u202e\ufeff\u200d\U0001f4a9e\u0301\u0327\ufb00\u0130\u1e9e\r\nSet-Cookie: x\x1b\x7f",
    "00000000-0000-0000-0000-000000000000",
]
# Already percent-encoded: invalid and overlong UTF-8, an encoded surrogate, double
# encoding. In paths and query strings.
RAW = ["%FF%FE%ED%A0%80%C0%AF", "%2e%2e%2f%2500"]
# Query parameters the site reads (search, listings, the click log, Stripe's return, the
# language switch); form bodies also get each field of the site's forms. Free text is
# also sent alone: a parameter the view checks first (a language, a sort) would refuse
# the request before the text reaches a query.
FREE_TEXT = ["q", "search", "target", "session_id", "next"]
PARAMETERS = [
    *FREE_TEXT,
    "page",
    "sort",
    "lang",
    "language",
    "category",
    "stars",
    "locality",
    "craft_village",
    "certification",
    "availability",
    "price",
    "price_min",
    "price_max",
]
OUR_MODULES = ("marketplace.", "producers.", "products.", "search.")
# One more field than Django reads (it answers 400).
TOO_MANY_FIELDS = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
PATH_PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<parameter>[^>]+)>")
# Wagtail's page route: the segments it hands to the page tree.
PAGE_SEGMENT = re.compile(r"[\w\-]+")


# The URL patterns


@dataclass(frozen=True)
class PublicPattern:
    """A URL pattern: its route as written (`{lang}/` for the language prefix), its name
    and its parameters' converters; `fillable` when no regular expression describes it."""

    key: str
    name: str
    converters: dict = field(default_factory=dict, hash=False)
    fillable: bool = True


def walk(
    patterns: Iterable[URLPattern | URLResolver],
    prefix: str = "",
    namespace: str = "",
    converters: dict | None = None,
    fillable: bool = True,
) -> Iterator[PublicPattern]:
    for entry in patterns:
        pattern = entry.pattern
        key = prefix + (LANG if isinstance(pattern, LocalePrefixPattern) else str(pattern))
        found = {**(converters or {}), **getattr(pattern, "converters", {})}
        entry_fillable = fillable and not isinstance(pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, key, inner, found, entry_fillable)
        else:
            name = ":".join(filter(None, [namespace, entry.name]))
            yield PublicPattern(key, name, found, entry_fillable)


def public_patterns() -> list[PublicPattern]:
    return [p for p in walk(get_resolver().url_patterns) if not p.key.startswith(PRIVATE_PREFIXES)]


def encoded(value: str) -> str:
    return quote(value, safe="")


def fill(key: str, values: dict[str, str]) -> str:
    """The route with its parameters replaced by `values`, already percent-encoded."""
    return PATH_PARAMETER.sub(lambda m: values[m["parameter"]], key)


def sample(converter) -> str:
    """A value the converter accepts, when no real object fills the parameter."""
    for candidate in ("1", str(uuid.uuid4()), "x"):
        if re.fullmatch(converter.regex, candidate):
            return candidate
    raise AssertionError(f"no sample value for {converter.regex}: add one")


def hostile_values(regex: str) -> list[str]:
    """Encoded hostile values for a parameter: those its converter lets through to the
    view, and one it refuses (the resolver's 404)."""
    values = [encoded(v) for v in HOSTILE] + RAW
    through = [v for v in values if re.fullmatch(regex, unquote(v, errors="replace"))]
    refused = [v for v in values if v not in through][:1]
    return through + refused


def filled(pattern: PublicPattern, real: dict[str, str]) -> tuple[str, list[str]]:
    """The pattern's URL with real (or sample) values, and its URLs with one hostile value
    each, in the default language."""
    first = {
        name: encoded(real.get(name) or sample(converter))
        for name, converter in pattern.converters.items()
    }
    hostile = [
        fill(pattern.key, {**first, name: value})
        for name, converter in pattern.converters.items()
        for value in hostile_values(converter.regex)
    ]
    return in_language(fill(pattern.key, first)), [in_language(url) for url in hostile]


def in_language(key: str, language: str = settings.LANGUAGE_CODE) -> str:
    return "/" + key.replace(LANG, f"{language}/", 1)


# The site the test builds


@dataclass
class World:
    pages: list[Page]
    # Real values of path parameters: by pattern name, then by parameter name ("").
    real: dict[str, dict[str, str]]
    document: Document
    image_url: str
    client: Client

    def real_for(self, pattern: PublicPattern) -> dict[str, str]:
        return {**self.real[""], **self.real.get(pattern.name, {})}


@pytest.fixture
def world(settings, site, producer, product, inquiry: Inquiry) -> World:
    """Every page type in both languages, a craft village, a certificate, a collection, a
    confirmed inquiry with bank details, a sent request, a document and an image; and a
    visitor whose inquiry list holds a product. Rate limits are lifted, so that every
    request reaches its view."""
    settings.INQUIRY_RATE_LIMITS = dict.fromkeys(ratelimit.DEFAULT_LIMITS, (10**9, 60))
    village = make_craft_village()
    ProducerPage.objects.filter(pk=producer.pk).update(craft_village=village)
    certified = make_product(producer, "Mắm nêm", stars=4, certificate_issued=ISSUED)
    certificate = OcopCertificate.objects.get(page=certified)
    translated_product(certified)
    collection = make_collection("Quà Tết", "qua-tet", pages=[product, producer])
    image = make_image("Ảnh thử")

    client = Client()
    assert add(client, product, "2").status_code == 302
    session = client.session
    session[SENT_KEYS] = [inquiry.submission.key]
    session.save()
    return World(
        pages=[page.specific for page in Page.objects.live().filter(depth__gt=1)],
        real={
            "": {
                "token": inquiry.token,
                "key": str(certificate.translation_key),
                "slug": collection.slug,
            },
            "inquiries:sent": {"key": inquiry.submission.key},
            "category": {"slug": category().slug},
            "craft_village": {"slug": village.slug},
        },
        document=make_document(),
        image_url=image.file.url,
        client=client,
    )


def page_urls(world: World) -> tuple[list[str], list[str]]:
    """A page of each type in the default language and its routable sub-routes; hostile
    segments and sub-route arguments under them. (Pages in English run the same code.)"""
    valid, hostile = [], []
    one_of_each = {}
    for page in world.pages:
        if page.locale.language_code == settings.LANGUAGE_CODE:
            one_of_each.setdefault(type(page), page)
    for page in one_of_each.values():
        url = page.url
        valid.append(url)
        hostile += [f"{url}{value}/" for value in hostile_values(PAGE_SEGMENT.pattern)]
        if isinstance(page, RoutablePageMixin):
            for pattern in walk(page.get_subpage_urls()):
                sub_valid, sub_hostile = filled(pattern, world.real_for(pattern))
                # in_language() put a "/" in front of the sub-route.
                valid.append(url + sub_valid[1:])
                hostile += [url + sub[1:] for sub in sub_hostile]
    return valid, hostile


def document_urls(world: World) -> tuple[list[str], list[str]]:
    document = world.document
    hostile = [f"/documents/{document.pk}/{encoded(v)}" for v in HOSTILE]
    hostile += [f"/documents/{n}/{document.filename}" for n in ("0", "9" * 40)]
    return [document.url], hostile


def media_urls(world: World) -> tuple[list[str], list[str]]:
    hostile = [f"/media/{encoded(v)}" for v in HOSTILE] + [f"/media/{raw}" for raw in RAW]
    return [world.image_url], [*hostile, "/media/original_images/%2e%2e/%2e%2e/secret_key"]


# Patterns a regular expression describes: why by hand, and the URLs that fill them.
EXPLICIT: dict[str, tuple[str, Callable[[World], tuple[list[str], list[str]]]]] = {
    LANG + r"^((?:[\w\-]+/)*)$": (
        "Wagtail's page tree: the pages the fixture builds, their routable sub-routes, "
        "hostile segments under each",
        page_urls,
    ),
    r"documents/^(\d+)/(.*)$": (
        "Wagtail's documents by id and file name: the fixture's document, hostile names",
        document_urls,
    ),
    r"^media/(?P<path>.*)$": ("Uploaded files: the fixture's image, hostile paths", media_urls),
}


def all_urls(world: World) -> tuple[list[str], list[str]]:
    """(URLs with real values, URLs with hostile path arguments) of every public pattern."""
    valid, hostile = [], []
    for pattern in public_patterns():
        if pattern.fillable:
            pattern_valid, pattern_hostile = filled(pattern, world.real_for(pattern))
            valid.append(pattern_valid)
        else:
            pattern_valid, pattern_hostile = EXPLICIT[pattern.key][1](world)
            valid += pattern_valid
        hostile += pattern_hostile
    return list(dict.fromkeys(valid)), list(dict.fromkeys(hostile))


def form_field_names() -> list[str]:
    """The query parameters and the fields of every form of ours."""
    names = set(PARAMETERS) | {"csrfmiddlewaretoken"}
    pending = [forms.BaseForm]
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        if form_class.__module__.startswith(OUR_MODULES):
            names |= set(getattr(form_class, "base_fields", {}))
    return sorted(names)


def query_strings() -> list[str]:
    strings = [
        urlencode(dict.fromkeys(names, value))
        for value in HOSTILE
        for names in (PARAMETERS, FREE_TEXT)
    ]
    strings += ["&".join(f"{name}={raw}" for name in PARAMETERS) for raw in RAW]
    return [*strings, TOO_MANY_FIELDS, "q&=&&=%&q[]=1&q[$ne]=1&page=1&page=2"]


def post_bodies() -> list[tuple[bytes | str, str]]:
    """(body, content type): forms with every field of ours set to a hostile value, too
    many fields, JSON with a NUL, broken JSON, broken multipart, a NUL in a file name."""
    names = form_field_names()
    form = "application/x-www-form-urlencoded"
    bodies: list[tuple[bytes | str, str]] = [
        (urlencode(dict.fromkeys(names, value)), form) for value in HOSTILE
    ]
    return [
        *bodies,
        (TOO_MANY_FIELDS, form),
        (json.dumps(dict.fromkeys(names, "a\x00b")), "application/json"),
        (b"\x00\xff{not json", "application/json"),
        (b'--x\r\nContent-Disposition: form-data; name="q\x00"\r\n\r\n', "multipart/form-data"),
        (
            b'--x\r\nContent-Disposition: form-data; name="file"; filename="a\x00.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%PDF\r\n--x--\r\n",
            "multipart/form-data; boundary=x",
        ),
    ]


# Asking


@dataclass
class Sweep:
    client: Client
    failures: list[str] = field(default_factory=list)
    count: int = 0

    def ask(self, method: str, url: str, body: bytes | str = b"", content_type: str = "") -> None:
        self.count += 1
        extra = {"content_type": content_type} if content_type else {}
        try:
            # A savepoint: a database error must not abort the test's transaction.
            with transaction.atomic():
                response = self.client.generic(method, url, body, **extra)
        except Exception:
            lines = traceback.format_exc().strip().splitlines()
            self.failures.append(f"{method} {url[:200]!r}: {' | '.join(lines[-3:])}")
            return
        if response.status_code >= 500:
            self.failures.append(f"{method} {url[:200]!r}: {response.status_code}")

    def report(self) -> str:
        shown = "\n".join(self.failures[:40])
        return f"{len(self.failures)} of {self.count} requests failed:\n{shown}"


# The tests


@pytest.fixture
def inquiry_url(inquiry: Inquiry) -> Callable[[str], str]:
    """The tracking page's sub-URL `suffix` with a NUL in the token."""
    return lambda suffix: f"/vi/yeu-cau/{inquiry.token}%00/{suffix}"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/search/suggest?q=a%00b", 400),
        ("/api/search/products?q=a%00b", 400),
        ("/vi/tim-kiem/?q=a%00b", 400),
        ("/vi/yeu-cau/a%00b/", 404),
        ("/vi/yeu-cau/a%00b/thanh-toan/tro-ve/", 404),
        ("/vi/yeu-cau/a%00b/vietqr-png/", 404),
        ("/vi/bo-suu-tap/a%00b/", 404),
    ],
)
def test_the_audits_urls_with_a_nul_are_refused(client, site, path, status):
    assert client.get(path).status_code == status


@pytest.mark.parametrize("suffix", ["", "thanh-toan/tro-ve/", "thanh-toan/huy/", "vietqr-png/"])
def test_a_tracking_page_with_a_nul_after_its_token_is_not_found(client, inquiry_url, suffix):
    assert client.get(inquiry_url(suffix)).status_code == 404


def test_a_nul_in_a_form_field_is_refused_and_changes_nothing(client, product):
    add(client, product, "2")
    before = dict(client.session["inquiry_list"])

    response = client.post(
        "/vi/danh-sach-hoi-mua/them/", {"product": product.pk, "quantity": "3\x00"}
    )

    assert response.status_code == 400
    assert dict(client.session["inquiry_list"]) == before


def test_a_nul_in_the_session_cookie_is_refused(client, product):
    add(client, product, "2")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.cookies[settings.SESSION_COOKIE_NAME] = f"{session[:8]}\x00{session[8:]}"

    assert client.get("/vi/danh-sach-hoi-mua/").status_code == 400


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_400_page_is_in_the_language_of_the_address(client, site, language):
    response = client.get(f"/{language}/{route_in('search/', language)}?q=a%00b")

    assert response.status_code == 400
    assert f'<html lang="{language}">' in response.content.decode()


def test_the_stripe_webhook_still_reads_its_raw_body(client, stripe_keys):
    """Form fields are not read for a view exempt from CSRF: a multipart body, once
    parsed, cannot be read raw (Django raises), and the webhook reads it raw."""
    body = b'--x\r\nContent-Disposition: form-data; name="q"\r\n\r\nab\r\n--x--\r\n'
    response = client.post(
        "/stripe/webhook/",
        body,
        content_type="multipart/form-data; boundary=x",
        headers={"Stripe-Signature": "t=1,v1=0"},
    )

    # Refused by the signature check, which read the raw body.
    assert response.status_code == 400


@pytest.mark.parametrize(
    "overrides", [{"client_reference_id": "DB-2026\x00"}, {"metadata": {"\x00": "x"}}]
)
def test_a_json_body_with_a_nul_is_refused_even_signed(client, stripe_keys, inquiry, overrides):
    """The webhook reads JSON: a NUL there (escaped as \\u0000) would reach a query."""
    body = event("checkout.session.completed", completed_session(inquiry, **overrides))

    response = post_event(client, body)

    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CONFIRMED


def test_a_json_body_with_a_backslash_before_u0000_is_text(client, stripe_keys, inquiry):
    body = event("checkout.session.completed", completed_session(inquiry, id="cs\\u0000"))

    assert post_event(client, body).status_code == 200


def test_a_file_name_too_long_for_the_file_system_is_not_found(client, site):
    assert client.get(f"/media/{'x' * 300}").status_code == 404


def test_every_public_pattern_is_filled():
    """A new URL pattern is swept automatically when its converters can fill it; one
    described by a regular expression needs an entry in EXPLICIT."""
    patterns = public_patterns()
    unfilled = [p.key for p in patterns if not p.fillable and p.key not in EXPLICIT]
    assert not unfilled, f"add these patterns to EXPLICIT, with how to fill them: {unfilled}"
    stale = set(EXPLICIT) - {p.key for p in patterns}
    assert not stale, f"EXPLICIT names patterns that are gone: {stale}"
    # Sample values reach their own pattern, not a 404 or another pattern.
    for pattern in patterns:
        if pattern.fillable:
            url, _hostile = filled(pattern, {})
            with translation.override(settings.LANGUAGE_CODE):
                match = resolve(urlsplit(url).path)
            assert match.route == pattern.key.replace(LANG, f"{settings.LANGUAGE_CODE}/"), url


def test_no_public_url_answers_500_to_hostile_input(world):
    built = {type(page) for page in world.pages}
    unbuilt = [model.__name__ for model in get_page_models() if model not in built | {Page}]
    assert not unbuilt, f"build a live page of each type in the `world` fixture: {unbuilt}"
    valid, hostile = all_urls(world)
    sweep = Sweep(world.client)

    for url in hostile:
        sweep.ask("GET", url)
        sweep.ask("POST", url)
    for url in valid:
        for query in query_strings():
            sweep.ask("GET", f"{url}?{query}")
        for body, content_type in post_bodies():
            sweep.ask("POST", url, body, content_type)
    # Any cookie: the session's (read for the inquiry list), the CSRF token, another one.
    cookies = world.client.cookies
    session = cookies[settings.SESSION_COOKIE_NAME].value
    for n, url in enumerate(valid):
        name = [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "other"][n % 3]
        cookies[name] = f"{session[:8]}\x00{session[8:]}"
        sweep.ask("GET", url)
        del cookies[name]
        cookies[settings.SESSION_COOKIE_NAME] = session

    assert not sweep.failures, sweep.report()
