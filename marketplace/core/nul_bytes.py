"""Requests carrying a NUL character are refused before any view or query sees them.

PostgreSQL text cannot hold NUL (U+0000): a query parameter, form field, cookie or path
segment with one that reaches a query raises DataError, and the visitor gets a 500. No
browser sends one unasked, so the request is refused once, here, instead of every field
of every view being checked: a NUL in the path answers 404 (no page has such an address);
one in the query string, a cookie, a form field or a JSON body answers 400, with the
site's 400 page in the language of the address.

Form fields are read when the view is known (`process_view`), as Django's CSRF check reads
them: a view exempt from that check (Stripe's webhook) reads its raw body itself, and a
multipart body, once parsed, could not be read raw any more. A JSON body (the webhook's)
is searched for a NUL, raw or escaped as \u0000, without being parsed.
"""

import logging
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import get_resolver, get_urlconf
from django.utils import translation
from django.utils.datastructures import MultiValueDict

NUL = "\x00"
# JSON's escape of NUL: \u0000 after an odd number of backslashes (an even number is a
# backslash written as text, then "u0000").
ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)

# Django's own logger family for refused requests (django.security.DisallowedHost, ...).
logger = logging.getLogger("django.security.NulByte")


def has_nul(pairs: Iterable[tuple[str, Iterable[str]]]) -> bool:
    """Whether any name or value of (name, values) pairs holds a NUL."""
    return any(NUL in name or any(NUL in value for value in values) for name, values in pairs)


def nul_in_files(files: MultiValueDict) -> bool:
    """Whether a field name or a file name of uploaded files holds a NUL."""
    return has_nul(
        (name, [upload.name or "" for upload in uploads]) for name, uploads in files.lists()
    )


def nul_in_cookies(cookies: dict[str, str]) -> bool:
    return has_nul((name, [value]) for name, value in cookies.items())


def nul_in_query(query: QueryDict) -> bool:
    return has_nul(query.lists())


def nul_in_json(request: HttpRequest) -> bool:
    """Whether a JSON body holds a NUL; bodies of other types are not read here."""
    if not (request.content_type == "application/json" or request.content_type.endswith("+json")):
        return False
    body = request.body
    return b"\x00" in body or ESCAPED_NUL.search(body) is not None


def bad_request(request: HttpRequest, where: str) -> HttpResponse:
    """The site's 400 page (handler400, templates/400.html), in the address's language: the
    middleware runs before the language is chosen."""
    logger.warning("Refused a request with a NUL character in its %s: %r", where, request.path)
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    handler = get_resolver(get_urlconf()).resolve_error_handler(400)
    with translation.override(language):
        return handler(request, BadRequest(f"A NUL character in the {where}"))


def reads_raw_body(view_func: Callable) -> bool:
    """Exempt from the CSRF check, and so reading its body itself (Stripe's webhook); a
    form post checked by its origin instead (core.same_origin) reads its fields."""
    return getattr(view_func, "csrf_exempt", False) and not getattr(
        view_func, "checks_origin", False
    )


class RejectNulBytesMiddleware:
    """Answer 400 to a NUL in the query string, a cookie, a form field or a JSON body, 404
    to one in the path. Place it early in MIDDLEWARE, before sessions: the session key
    comes from a cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the session middleware reads its key from a cookie.
        if nul_in_cookies(request.COOKIES):
            return bad_request(request, "cookies")
        if nul_in_query(request.GET):
            return bad_request(request, "query string")
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        # Raised here, inside the other middleware, so the 404 page has its session and
        # language. A path no view matches is a 404 anyway.
        if NUL in request.path:
            raise Http404("A NUL character in the path")
        if nul_in_json(request):
            return bad_request(request, "JSON body")
        if request.method != "POST" or reads_raw_body(view_func):
            return None
        if nul_in_query(request.POST) or nul_in_files(request.FILES):
            return bad_request(request, "form fields")
        return None
