"""Maps of producers and craft villages: the markers the pages hand to maps.js, the
OpenStreetMap link that works without JavaScript, and the policy the map's tiles need.

Coordinates are facts shared by every translation (ProducerPage.shared_fields); names,
details and links are the page's language. Craft villages have no coordinates of their
own: a village is drawn where its producers are.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Avg, Count
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.query import PageQuerySet

from producers.models import CraftVillage, ProducerPage

# Street level for one place; a village's producers fit around their centre.
PLACE_ZOOM = 16
AREA_ZOOM = 15
OPENSTREETMAP = "https://www.openstreetmap.org/"


@dataclass(frozen=True)
class MapMarker:
    latitude: float
    longitude: float
    name: str
    url: str = ""
    detail: str = ""

    def as_json(self) -> dict:
        return {
            "lat": self.latitude,
            "lng": self.longitude,
            "name": self.name,
            "url": self.url,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class PlaceMap:
    """A map's accessible name and markers (at least one), and its fallback link."""

    label: str
    markers: tuple[MapMarker, ...]
    zoom: int = PLACE_ZOOM

    @property
    def centre(self) -> tuple[float, float]:
        count = len(self.markers)
        return (
            round(sum(m.latitude for m in self.markers) / count, 6),
            round(sum(m.longitude for m in self.markers) / count, 6),
        )

    @property
    def openstreetmap_url(self) -> str:
        """The place on openstreetmap.org, marked: one producer, or the centre of several."""
        latitude, longitude = self.centre
        query = urlencode({"mlat": latitude, "mlon": longitude})
        return f"{OPENSTREETMAP}?{query}#map={self.zoom}/{latitude}/{longitude}"

    def data(self) -> dict:
        """What maps.js reads (through json_script)."""
        return {
            "tiles": settings.MAP_TILE_URL,
            "zoom": self.zoom,
            "markers": [marker.as_json() for marker in self.markers],
        }


def has_location(producer: ProducerPage) -> bool:
    return producer.latitude is not None and producer.longitude is not None


def coordinate(value: Decimal) -> float:
    return round(float(value), 6)


def producer_detail(producer: ProducerPage) -> str:
    """The popup's second line: "Điện Dương · Làng gốm Thanh Hà"."""
    places = [producer.locality.name]
    if producer.craft_village_id is not None:
        places.append(producer.craft_village.name)
    return " · ".join(places)


def producer_marker(producer: ProducerPage, request: HttpRequest | None = None) -> MapMarker:
    return MapMarker(
        latitude=coordinate(producer.latitude),
        longitude=coordinate(producer.longitude),
        name=producer.display_name,
        url=producer.get_url(request) or "",
        detail=producer_detail(producer),
    )


def producer_map(producer: ProducerPage) -> PlaceMap | None:
    """The producer page's map: its own place, no link (the page is the producer's)."""
    if not has_location(producer):
        return None
    marker = MapMarker(
        latitude=coordinate(producer.latitude),
        longitude=coordinate(producer.longitude),
        name=producer.display_name,
        detail=producer.current_address,
    )
    label = _("Map: where %(name)s is") % {"name": producer.display_name}
    return PlaceMap(label=label, markers=(marker,))


def located(producers: PageQuerySet) -> PageQuerySet:
    """The producers with coordinates, with what a marker shows and nothing more."""
    return (
        producers.filter(latitude__isnull=False, longitude__isnull=False)
        .prefetch_related(None)
        .select_related("locality", "craft_village")
    )


def producers_map(
    producers: Iterable[ProducerPage], label: str, request: HttpRequest | None = None
) -> PlaceMap | None:
    """A map of the producers that have coordinates; None when none has."""
    markers = tuple(
        producer_marker(producer, request) for producer in producers if has_location(producer)
    )
    if not markers:
        return None
    zoom = AREA_ZOOM if len(markers) > 1 else PLACE_ZOOM
    return PlaceMap(label=label, markers=markers, zoom=zoom)


def producer_index_map(producers: PageQuerySet, request: HttpRequest) -> PlaceMap | None:
    """The producer list's map: every producer the filters keep, not only this page's."""
    return producers_map(located(producers), _("Map of the producers"), request)


def craft_village_map(
    village: CraftVillage, producers: Iterable[ProducerPage], request: HttpRequest
) -> PlaceMap | None:
    label = _("Map of the producers of %(village)s") % {"village": village.name}
    return producers_map(producers, label, request)


def craft_villages_map(villages: Iterable[CraftVillage], locale_id: int) -> PlaceMap | None:
    """One marker per village, at the centre of its live producers that have coordinates.

    `villages` carry `url` (see producers.queries.craft_villages).
    """
    villages = list(villages)
    centres = {
        row["craft_village"]: row
        for row in ProducerPage.objects.live()
        .filter(locale_id=locale_id, craft_village__in=villages)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values("craft_village")
        .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"), count=Count("pk"))
        .order_by()
    }
    markers = []
    for village in villages:
        centre = centres.get(village.pk)
        if centre is None:
            continue
        count = village.producer_count
        markers.append(
            MapMarker(
                latitude=coordinate(centre["latitude"]),
                longitude=coordinate(centre["longitude"]),
                name=village.name,
                url=village.url,
                detail=ngettext("%(count)d producer", "%(count)d producers", count)
                % {"count": count},
            )
        )
    if not markers:
        return None
    return PlaceMap(label=_("Map of the craft villages"), markers=tuple(markers), zoom=AREA_ZOOM)


def allow_map_tiles(response: HttpResponseBase) -> HttpResponseBase:
    """Let the page load the map's tiles: the public policy allows only the site's images."""
    update = dict(getattr(response, "_csp_update", None) or {})
    for directive, sources in settings.CONTENT_SECURITY_POLICY_MAP["DIRECTIVES"].items():
        update[directive] = [*update.get(directive, []), *sources]
    response._csp_update = update
    return response
