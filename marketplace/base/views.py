"""Site-wide views: sitemap, robots.txt, uploaded files and the error pages."""

import errno

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
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


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors or database: the error may come from either.
    with translation.override(language_from_path(request)):
        template = loader.get_template("500.html")
        return HttpResponse(template.render({"request_path": request.path}), status=500)
