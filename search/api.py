"""The JSON search API: /api/search/products and /api/search/suggest.

A query over MAX_QUERY_LENGTH characters, a bad number, an unknown sort or language
answer 400 {"error": ...} in the requested language; unknown facet values are ignored.

Answers that searched say which backend answered in the X-Search-Backend header,
"elasticsearch" or "database" (also when Elasticsearch failed and the database stood in).
A stand-in answer is kept by no cache: once the node is back, searches get its ranking.
"""

from dataclasses import fields

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from marketplace.core.page_cache import replay_on_hit
from search import service
from search.forms import QueryError, language_of, parse_query
from search.query import ProductResults

BACKEND_HEADER = "X-Search-Backend"


def _error(error: QueryError) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=400)


def _from_backend(response: JsonResponse, backend: str) -> JsonResponse:
    response[BACKEND_HEADER] = backend
    if service.stood_in(backend):
        add_never_cache_headers(response)
    return response


def _plain(value: object) -> dict:
    """A dataclass of plain values as a dict: asdict() deep-copies each value, which a
    search's dozens of facet values made a tenth of an API answer's time."""
    return {field.name: getattr(value, field.name) for field in fields(value)}


def results_json(results: ProductResults) -> dict:
    return {
        "results": [
            {
                "title": hit.title,
                "url": hit.url,
                "price": hit.price,
                "unit": hit.unit,
                "stars": hit.stars,
                "producer": hit.producer,
                "locality": hit.locality,
                "thumbnail": hit.thumbnail,
                "availability": hit.availability,
            }
            for hit in results.hits
        ],
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "facets": {
            name: [_plain(value) for value in values] for name, values in results.facets.items()
        },
        "did_you_mean": results.did_you_mean,
    }


@require_GET
def products(request: HttpRequest) -> JsonResponse:
    try:
        language = language_of(request.GET, settings.LANGUAGE_CODE)
    except QueryError as error:
        return _error(error)
    with translation.override(language):
        try:
            query = parse_query(request.GET, language)
        except QueryError as error:
            return _error(error)
        results = service.search_products(query)
        # Served again from the page cache, the answer is logged again (service.LOG_REPLAY).
        replay_on_hit(request, service.LOG_REPLAY, service.log_fields(query, results))
        return _from_backend(JsonResponse(results_json(results)), results.backend)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    try:
        language = language_of(request.GET, settings.LANGUAGE_CODE)
    except QueryError as error:
        return _error(error)
    q = request.GET.get("q", "")
    if not q.strip():
        return JsonResponse({"suggestions": []})
    suggestions, backend = service.suggest_from_backend(q, language)
    return _from_backend(JsonResponse({"suggestions": [_plain(s) for s in suggestions]}), backend)
