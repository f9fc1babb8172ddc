from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from marketplace.curation.queries import find_active_collection, visible_items


def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A featured collection active today, with all the items the public may see."""
    locale = Locale.get_active()
    collection = find_active_collection(slug, locale)
    if collection is None:
        raise Http404(_("No such collection today."))
    items = visible_items(collection, locale.pk)
    return render(
        request,
        "curation/collection_detail.html",
        {
            "collection": collection,
            "items": items,
            "seo_title": collection.title,
            "seo_description": collection.intro,
        },
    )
