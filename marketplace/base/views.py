"""Site-wide views: sitemap, robots.txt, uploaded files and the error pages."""

import errno
import sys

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe
from django.views.static import serve

from marketplace.base.sitemaps import AllLanguagesSitemap
from marketplace.core.media_storage import is_private
from marketplace.core.site_address import absolute_url
from marketplace.core.url_segments import route_in


@cache_page(60 * 15)
def sitemap(request: HttpRequest) -> HttpResponse:
    return django_sitemap(request, sitemaps={"pages": AllLanguagesSitemap(request)})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    # The sitemap lists URLs on the public address, so robots.txt points there too.
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        # A visitor's inquiry list and tracking pages are private (and noindex anyway).
        *(
            f"Disallow: /{code}/{route_in(route, code)}"
            for code, _name in settings.LANGUAGES
            for route in ("inquiry/", "inquiry-list/", "search/click/")
        ),
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """A file of MEDIA_ROOT, when no web server serves them (SERVE_MEDIA): never one of a
    private folder, even left in MEDIA_ROOT (documents have their own view, which checks)."""
    if is_private(path):
        raise Http404
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        # A name longer than the file system allows names no file: Django's view lets
        # the error through (a 500).
        if error.errno == errno.ENAMETOOLONG:
            raise Http404 from error
        raise


def language_from_path(request: HttpRequest) -> str:
    """The language of the URL (/en/… or /vi/…), Vietnamese when there is none."""
    return "en" if request.path.startswith("/en/") else "vi"


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    with translation.override(language_from_path(request)):
        return render(request, "404.html", status=404)


# The database out of reach (restarting, failed over, refusing connections), as Django's
# PostgreSQL backend raises it, while connecting or querying.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
# What the 503 asks clients to wait: a PostgreSQL restart takes seconds.
RETRY_AFTER_SECONDS = 30


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error`, or one it was raised from or while handling (a rollback failing
    after the connection broke), is the database out of reach."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DATABASE_UNREACHABLE):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: Django's 400 page, but a session the database could not save (Django
    raises SessionInterrupted, a 400, from the database's error) answers the 503 page."""
    if database_unreachable(exception):
        return service_unavailable(request)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it for an exception raised anywhere in the request (views,
    middleware, templates, the 404 handler), while handling it: a database out of reach
    answers the 503 page instead."""
    if database_unreachable(sys.exc_info()[1]):
        return service_unavailable(request)
    # No context processors or database: the error may come from either.
    with translation.override(language_from_path(request)):
        template = loader.get_template("500.html")
        return HttpResponse(template.render({"request_path": request.path}), status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is out of reach, in the visitor's language, made without it:
    no session, no site lookup, no context processor. JSON for the API, whose language is
    its `lang` parameter. Never kept by a cache: the next try must reach the site."""
    if request.path_info.startswith("/api/"):
        language = request.GET.get("lang", "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            message = gettext("The service is briefly unavailable. Please try again in a moment.")
        response: HttpResponse = JsonResponse({"error": message}, status=503)
    else:
        language = language_from_path(request)
        with translation.override(language):
            template = loader.get_template("503.html")
            response = HttpResponse(template.render({"request_path": request.path}), status=503)
    # Also when the error came before LocaleMiddleware, which sets it otherwise.
    response["Content-Language"] = language
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
