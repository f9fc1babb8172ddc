from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from search import service
from search.forms import parse_query


def _titled_facets(results: service.ProductResults) -> list[tuple[str, str, list]]:
    """(parameter name, title, values) of each facet that has values, for the sidebar."""
    titles = service.facet_titles()
    return [(name, titles[name], values) for name, values in results.facets.items() if values]


def _producers(query: service.ProductQuery, results: service.ProductResults) -> list:
    """Producers matching the words searched, above the first page of products."""
    if results.page != 1 or not query.q.strip():
        return []
    return service.search_producers(query.q, query.language)


def search(request: HttpRequest) -> HttpResponse:
    """The search page: a GET form, so it works without JavaScript."""
    query = parse_query(request.GET, get_language(), strict=False)
    results = service.search_products(query)
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "results": results,
            "producers": _producers(query, results),
            "sorts": service.sort_choices(),
            "facets": _titled_facets(results),
            "page_range": range(1, results.pages + 1),
            "seo_title": _("Search products"),
        },
    )
