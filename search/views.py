import logging
import re
import uuid
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

from marketplace.core.page_cache import fill_on_serve, replay_on_hit
from products.queries import visit_product_ids
from search import service
from search.forms import parse_query
from search.query import FACETS, ProductQuery, ProductResults

logger = logging.getLogger(__name__)

PAGE_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, within a bigint


def _titled_facets(results: ProductResults) -> list[tuple[str, str, list]]:
    """(parameter name, title, values) of each facet that has values, for the sidebar."""
    titles = service.facet_titles()
    return [(name, titles[name], values) for name, values in results.facets.items() if values]


def chosen_count(query: ProductQuery) -> int:
    """How many facet values and price bounds the query chose, for the folded filters."""
    bounds = (query.price_min, query.price_max)
    return sum(len(getattr(query, name)) for name in FACETS) + sum(b is not None for b in bounds)


def click_url(search_id: uuid.UUID) -> str:
    """The start of a result link: the result's page id completes it."""
    return f"{reverse('search:click')}?{urlencode({'search': search_id.hex})}&target="


def search(request: HttpRequest) -> HttpResponse:
    """The search page: a GET form, so it works without JavaScript.

    Its result links carry a search id, to count their clicks (the office's no-click
    report): the page is rendered with a slot in its place, filled in each answer, so the
    page cache can keep it and still give every view its own (search.service).
    """
    query = parse_query(request.GET, get_language(), strict=False)
    results, producers = service.search_page(query)
    search_id = uuid.uuid4()
    service.log_search(query, results, search_id)
    fill_on_serve(request, service.SEARCH_ID_SLOT.hex, search_id.hex)
    fields = service.log_fields(query, results, service.SEARCH_ID_SLOT)
    replay_on_hit(request, service.LOG_REPLAY, fields)
    response = TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "results": results,
            "producers": producers,
            "sorts": service.sort_choices(),
            "facets": _titled_facets(results),
            "chosen_count": chosen_count(query),
            "page_range": range(1, results.pages + 1),
            "click_url": click_url(service.SEARCH_ID_SLOT),
            "visit_ids": visit_product_ids(hit.page_id for hit in results.hits),
            "seo_title": _("Search products"),
        },
    )
    if service.stood_in(results.backend):
        # The database standing in for the node is not kept: once back, the node answers.
        add_never_cache_headers(response)
    return response


def _search_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


def result_page(target: str) -> Page | None:
    """The live, public product or producer page a result link points to, if any."""
    from producers.models import ProducerPage
    from products.models import ProductPage

    if not PAGE_ID.fullmatch(target):
        return None
    pages = Page.objects.live().public().type(ProductPage, ProducerPage)
    return pages.filter(pk=int(target)).first()


@never_cache
@require_GET
def click(request: HttpRequest) -> HttpResponse:
    """A result link: count the click on its search, then go to the result.

    It only ever redirects to a live product or producer page of this site (never to a
    URL it is given), and anything else goes back to the search page.
    """
    page = result_page(request.GET.get("target", ""))
    url = page and page.get_url(request)
    if not url:
        response = HttpResponseRedirect(reverse("search:search"))
    else:
        search_id = _search_id(request.GET.get("search", ""))
        if search_id:
            service.log_click(search_id)
        response = HttpResponseRedirect(url)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
