"""Wagtail's page view, with each address's route kept in the process while the content
is unchanged (page_cache.kept_while_unchanged).

Wagtail finds the site and walks the page tree on every request it serves: about eight
queries and a third of a listing's time when the whole page is not kept (a visitor
signed in or with a list, a new query string). The route of a published address only
changes with the content, and any change of a page, site, locale or view restriction
drops what is kept (marketplace.base.page_cache_invalidation), so a route found once is
given to Wagtail's own view (through the attributes it caches its lookups in) until then.
Addresses that are no page are not kept: they go through Wagtail as they are.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from marketplace.core.page_cache import kept_while_unchanged

# What Wagtail caches on the request (wagtail.models.Site.find_for_request and
# Page.route_for_request): set, they spare it the lookups.
SITE_ATTRIBUTE = "_wagtail_site"
ROUTE_ATTRIBUTE = "_wagtail_route_for_request"


def serve(request: HttpRequest, path: str) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        kept_site(request)
        key = ("route", _host(request), translation.get_language(), path)
        try:
            route = kept_while_unchanged(key, _found_route(request, path))
        except Http404:
            pass  # no page here: Wagtail says so
        else:
            setattr(request, ROUTE_ATTRIBUTE, route)
    from wagtail import views  # not at import: models import kept_site

    return views.serve(request, path)


def kept_site(request: HttpRequest) -> Site | None:
    """Site.find_for_request(), kept per host while the content is unchanged: for what
    every page reads of its site (the footer setting), on pages Wagtail does not serve
    too. Only where it is read: a request that needs no site makes no query."""
    if not hasattr(request, SITE_ATTRIBUTE):
        key = ("site", _host(request))
        site = kept_while_unchanged(key, lambda: Site.find_for_request(request))
        setattr(request, SITE_ATTRIBUTE, site)
    return getattr(request, SITE_ATTRIBUTE)


def _host(request: HttpRequest) -> tuple[str, str]:
    # What Wagtail finds the site by (Site._find_for_request).
    return request._get_raw_host(), request.get_port()


def _found_route(request: HttpRequest, path: str) -> Callable[[], RouteResult]:
    def find() -> RouteResult:
        route = Page.route_for_request(request, path)
        if route is None:
            raise Http404
        # The page's view restrictions, read once: Wagtail checks them on every serve.
        route.page.get_view_restrictions = _kept_list(route.page.get_view_restrictions())
        return route

    return find


def _kept_list(items) -> Callable[[], list]:
    items = list(items)
    return lambda: items
