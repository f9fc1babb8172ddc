"""Producer listing and craft village pages: routes of ProducerIndexPage."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from marketplace.core.navigation import Breadcrumb, filters_key, paginate
from producers.filters import ProducerFilterForm
from producers.maps import (
    allow_map_tiles,
    craft_village_map,
    craft_villages_map,
    producer_index_map,
)
from producers.models import CraftVillage, ProducerIndexPage
from producers.queries import (
    craft_village_path,
    craft_villages,
    filter_producers,
    live_producers,
)

PRODUCERS_PER_PAGE = 24


def index_breadcrumbs(index_page: ProducerIndexPage) -> list[Breadcrumb]:
    home = index_page.get_parent()
    return [Breadcrumb(home.title, home.url), Breadcrumb(index_page.title, index_page.url)]


def craft_villages_url(index_page: ProducerIndexPage) -> str:
    return index_page.url + index_page.reverse_subpage("craft_village_list")


def producer_list(request: HttpRequest, index_page: ProducerIndexPage) -> TemplateResponse:
    form = ProducerFilterForm(request.GET, locale=index_page.locale)
    filters = form.filters()
    producers = filter_producers(live_producers(index_page.locale_id), **filters)
    counted_as = ("producers", index_page.locale_id, filters_key(filters))
    page_obj = paginate(request, producers, PRODUCERS_PER_PAGE, counted_as)
    place_map = producer_index_map(producers, request)
    response = index_page.render(
        request,
        context_overrides={
            "form": form,
            "is_filtered": bool(filters),
            "page_obj": page_obj,
            "producers": page_obj.object_list,
            "craft_villages_url": craft_villages_url(index_page),
            "place_map": place_map,
        },
    )
    return allow_map_tiles(response) if place_map else response


def craft_village_list(request: HttpRequest, index_page: ProducerIndexPage) -> TemplateResponse:
    villages = craft_villages(index_page)
    place_map = craft_villages_map(villages, index_page.locale_id)
    response = index_page.render(
        request,
        template="producers/craft_village_list.html",
        context_overrides={
            "villages": villages,
            "breadcrumbs": [*index_breadcrumbs(index_page), Breadcrumb(_("Craft villages"))],
            "seo_title": _("Craft villages"),
            "place_map": place_map,
        },
    )
    return allow_map_tiles(response) if place_map else response


def craft_village_detail(
    request: HttpRequest, index_page: ProducerIndexPage, slug: str
) -> TemplateResponse:
    village = get_object_or_404(
        CraftVillage.objects.select_related("locality", "image"),
        locale_id=index_page.locale_id,
        slug=slug,
    )
    producers = list(live_producers(index_page.locale_id).filter(craft_village=village))
    place_map = craft_village_map(village, producers, request)
    response = index_page.render(
        request,
        template="producers/craft_village_detail.html",
        context_overrides={
            "village": village,
            "village_url": craft_village_path(index_page, village),
            "producers": producers,
            "breadcrumbs": [
                *index_breadcrumbs(index_page),
                Breadcrumb(_("Craft villages"), craft_villages_url(index_page)),
                Breadcrumb(village.name),
            ],
            "seo_title": village.name,
            "seo_description": village.history,
            "place_map": place_map,
        },
    )
    return allow_map_tiles(response) if place_map else response
