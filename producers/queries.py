"""Producer and craft village queries of the public pages, with a fixed number of queries."""

from django.db.models import Count, Q
from wagtail.models import Locale
from wagtail.query import PageQuerySet

from marketplace.core.renditions import card_renditions
from producers.models import CraftVillage, Locality, ProducerIndexPage, ProducerPage


def producer_index_page(locale: Locale | int) -> ProducerIndexPage | None:
    return ProducerIndexPage.objects.live().filter(locale=locale).first()


def craft_village_path(index_page: ProducerIndexPage, village: CraftVillage) -> str:
    return index_page.url + index_page.reverse_subpage(
        "craft_village", kwargs={"slug": village.slug}
    )


def craft_village_url(village: CraftVillage) -> str:
    """The craft-villages/<slug>/ route of the producer index page in the village's language."""
    index_page = producer_index_page(village.locale_id)
    return craft_village_path(index_page, village) if index_page is not None else ""


def with_card_data(producers: PageQuerySet) -> PageQuerySet:
    """Select and prefetch what the producer card shows: no query per card."""
    return (
        producers.defer_streamfields()
        .select_related("locality", "craft_village", "logo", "cover_image")
        .prefetch_related(
            card_renditions("logo__renditions"),
            card_renditions("cover_image__renditions"),
        )
        .order_by("display_name", "pk")
    )


def live_producers(locale: Locale | int) -> PageQuerySet:
    return with_card_data(ProducerPage.objects.live().filter(locale=locale))


def filter_producers(
    producers: PageQuerySet,
    *,
    locality: Locality | None = None,
    legal_form: str = "",
    craft_village: CraftVillage | None = None,
) -> PageQuerySet:
    if locality is not None:
        producers = producers.filter(locality=locality)
    if legal_form:
        producers = producers.filter(legal_form=legal_form)
    if craft_village is not None:
        producers = producers.filter(craft_village=craft_village)
    return producers


def craft_villages(index_page: ProducerIndexPage) -> list[CraftVillage]:
    """The villages of the index page's language, each with `url` and `producer_count`."""
    villages = (
        CraftVillage.objects.filter(locale_id=index_page.locale_id)
        .select_related("locality", "image")
        .prefetch_related(card_renditions("image__renditions"))
        .annotate(producer_count=Count("producers", filter=Q(producers__live=True), distinct=True))
    )
    villages = list(villages)
    for village in villages:
        village.url = craft_village_path(index_page, village)
    return villages
