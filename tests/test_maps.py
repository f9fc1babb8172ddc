"""Maps of producers and craft villages: the markers each page hands to maps.js in both
languages, the OpenStreetMap link that works without JavaScript, no map without
coordinates, the tiles allowed by the policy of those pages only; Leaflet drawn in
Chromium on a phone without a policy or accessibility problem; the vendored Leaflet equal
to the npm package package.json pins."""

import filecmp
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from producers.maps import MapMarker, PlaceMap
from scripts.vendor_static import LEAFLET, NODE_MODULES, installed_version, pinned_version
from tests.browser_fixtures import (
    axe_report,
    csp_report,
    require_axe,
    require_vnu,
    validate_html,
    vnu_report,
    watch_csp,
)
from tests.factories import make_craft_village, make_locality, make_producer
from tests.public_pages_fixtures import translate_page, translate_snippet, url_of
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401

TILE_HOST = "https://tile.openstreetmap.org"
PHONE = {"width": 390, "height": 844}
# Two producers of Thanh Hà, a third elsewhere, a fourth with no coordinates.
KILN = (Decimal("15.877100"), Decimal("108.306200"))
WORKSHOP = (Decimal("15.879100"), Decimal("108.310200"))
FISH_SAUCE = (Decimal("15.922000"), Decimal("108.277000"))


@pytest.fixture
def places(site):
    village = make_craft_village()
    kiln = make_producer(
        site.producers,
        "Lò gốm Ông Ba",
        slug="lo-gom-ong-ba",
        craft_village=village,
        address="Tổ 3, khối Thanh Hà",
        latitude=KILN[0],
        longitude=KILN[1],
    )
    workshop = make_producer(
        site.producers,
        "Xưởng gốm Thanh Hà",
        slug="xuong-gom-thanh-ha",
        craft_village=village,
        latitude=WORKSHOP[0],
        longitude=WORKSHOP[1],
    )
    fish_sauce = make_producer(
        site.producers,
        "HTX Nước mắm Điện Dương",
        slug="htx-nuoc-mam",
        latitude=FISH_SAUCE[0],
        longitude=FISH_SAUCE[1],
    )
    nowhere = make_producer(site.producers, "Hộ không có tọa độ", slug="khong-toa-do")
    return {
        "village": village,
        "kiln": kiln,
        "workshop": workshop,
        "fish_sauce": fish_sauce,
        "nowhere": nowhere,
    }


@pytest.fixture
def english(site, places):
    """English translations of the village and of the kiln (coordinates are copied)."""
    village = places["village"]
    locality = translate_snippet(village.locality, name="Dien Duong")
    village_en = translate_snippet(village, name="Thanh Ha pottery village", locality=locality)
    kiln_en = translate_page(
        places["kiln"],
        display_name="Mr Ba's pottery kiln",
        slug="mr-bas-kiln",
        address="Group 3, Thanh Ha quarter",
        locality=locality,
        craft_village=village_en,
    )
    return {"village": village_en, "kiln": kiln_en}


def map_data(html: str, map_id: str) -> dict:
    match = re.search(
        rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no data for the map {map_id}"
    return json.loads(match.group(1))


def img_sources(response) -> list[str]:
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    return policy["img-src"]


def marker_names(data: dict) -> list[str]:
    return [marker["name"] for marker in data["markers"]]


# A place and its link ------------------------------------------------------------------


def test_a_place_links_to_openstreetmap_at_its_centre():
    one = PlaceMap("x", (MapMarker(15.8771, 108.3062, "Lò gốm"),))
    two = PlaceMap("x", (MapMarker(15.8, 108.3, "A"), MapMarker(15.9, 108.4, "B")), zoom=15)

    assert one.openstreetmap_url == (
        "https://www.openstreetmap.org/?mlat=15.8771&mlon=108.3062#map=16/15.8771/108.3062"
    )
    assert two.centre == (15.85, 108.35)
    assert two.openstreetmap_url.endswith("#map=15/15.85/108.35")


# Producer pages --------------------------------------------------------------------------


def test_producer_page_shows_its_place(client: Client, places):
    kiln = places["kiln"]

    response = client.get(kiln.url)

    html = response.text
    assert map_data(html, "producer-map") == {
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "zoom": 16,
        "markers": [
            {
                "lat": 15.8771,
                "lng": 108.3062,
                "name": "Lò gốm Ông Ba",
                "url": "",
                "detail": "Tổ 3, khối Thanh Hà",
            }
        ],
    }
    assert (
        'id="producer-map" role="region" aria-label="Bản đồ: vị trí của Lò gốm Ông Ba" hidden'
        in (html)
    )
    assert (
        'href="https://www.openstreetmap.org/?mlat=15.8771&amp;mlon=108.3062'
        '#map=16/15.8771/108.3062"' in html
    )
    assert re.search(r'<script src="/static/js/maps\.js" defer></script>', html)
    # Leaflet comes later, from the site's own files, when the map is near the screen.
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in html
    assert 'leaflet.js" defer' not in html
    assert img_sources(response) == ["'self'", TILE_HOST, "data:"]


def test_english_producer_page_shows_its_place_in_english(client: Client, english):
    response = client.get(english["kiln"].url)

    data = map_data(response.text, "producer-map")
    assert marker_names(data) == ["Mr Ba's pottery kiln"]
    assert data["markers"][0]["detail"] == "Group 3, Thanh Ha quarter"
    assert (data["markers"][0]["lat"], data["markers"][0]["lng"]) == (15.8771, 108.3062)
    assert 'aria-label="Map: where Mr Ba&#x27;s pottery kiln is"' in response.text
    assert ">View on OpenStreetMap</a>" in response.text
    assert 'data-attribution="OpenStreetMap contributors"' in response.text
    assert TILE_HOST in img_sources(response)


def test_a_producer_without_coordinates_has_no_map(client: Client, places):
    response = client.get(places["nowhere"].url)

    assert response.status_code == 200
    assert "data-map" not in response.text
    assert "openstreetmap.org" not in response.text
    assert "js/maps.js" not in response.text
    assert img_sources(response) == ["'self'"]


def test_other_public_pages_keep_images_to_the_site(client: Client, site, places):
    assert img_sources(client.get(site.products.url)) == ["'self'"]
    assert img_sources(client.get(site.home.url)) == ["'self'"]


# The producer index and craft villages ---------------------------------------------------


def test_producer_index_maps_every_producer_with_coordinates(client: Client, site, places):
    response = client.get(site.producers.url)

    data = map_data(response.text, "producers-map")
    assert data["markers"] == [
        {
            "lat": 15.922,
            "lng": 108.277,
            "name": "HTX Nước mắm Điện Dương",
            "url": places["fish_sauce"].url,
            "detail": "Điện Dương",
        },
        {
            "lat": 15.8771,
            "lng": 108.3062,
            "name": "Lò gốm Ông Ba",
            "url": places["kiln"].url,
            "detail": "Điện Dương · Làng gốm Thanh Hà",
        },
        {
            "lat": 15.8791,
            "lng": 108.3102,
            "name": "Xưởng gốm Thanh Hà",
            "url": places["workshop"].url,
            "detail": "Điện Dương · Làng gốm Thanh Hà",
        },
    ]
    assert data["zoom"] == 15
    assert TILE_HOST in img_sources(response)


def test_producer_index_map_follows_the_filters(client: Client, site, places):
    village = places["village"]

    response = client.get(site.producers.url, {"craft_village": village.slug})

    assert marker_names(map_data(response.text, "producers-map")) == [
        "Lò gốm Ông Ba",
        "Xưởng gốm Thanh Hà",
    ]


def test_producer_index_map_shows_the_producers_of_every_result_page(
    client: Client, site, places, monkeypatch
):
    monkeypatch.setattr("producers.views.PRODUCERS_PER_PAGE", 2)

    response = client.get(site.producers.url)

    assert len(map_data(response.text, "producers-map")["markers"]) == 3


def test_producer_index_without_coordinates_has_no_map(client: Client, site):
    make_producer(site.producers, "Hộ không có tọa độ")

    response = client.get(site.producers.url)

    assert "data-map" not in response.text
    assert img_sources(response) == ["'self'"]


def test_english_producer_index_maps_the_english_pages(client: Client, site, english):
    response = client.get(url_of(site.producers_en))

    data = map_data(response.text, "producers-map")
    assert data["markers"] == [
        {
            "lat": 15.8771,
            "lng": 108.3062,
            "name": "Mr Ba's pottery kiln",
            "url": english["kiln"].url,
            "detail": "Dien Duong · Thanh Ha pottery village",
        }
    ]
    assert 'aria-label="Map of the producers"' in response.text


def test_craft_village_is_drawn_where_its_producers_are(client: Client, site, places):
    village = places["village"]

    response = client.get(site.producers.url + f"lang-nghe/{village.slug}/")

    data = map_data(response.text, "village-map")
    assert [(m["name"], m["url"]) for m in data["markers"]] == [
        ("Lò gốm Ông Ba", places["kiln"].url),
        ("Xưởng gốm Thanh Hà", places["workshop"].url),
    ]
    assert 'aria-label="Bản đồ các nhà sản xuất của Làng gốm Thanh Hà"' in response.text
    # No coordinates of its own: the link marks the middle of its producers.
    assert "?mlat=15.8781&amp;mlon=108.3082#map=15/15.8781/108.3082" in response.text
    assert TILE_HOST in img_sources(response)


def test_english_craft_village_map(client: Client, site, english):
    response = client.get(url_of(site.producers_en) + "craft-villages/gom-thanh-ha/")

    data = map_data(response.text, "village-map")
    assert [(m["name"], m["url"]) for m in data["markers"]] == [
        ("Mr Ba's pottery kiln", english["kiln"].url)
    ]
    assert 'aria-label="Map of the producers of Thanh Ha pottery village"' in response.text


def test_craft_village_without_located_producers_has_no_map(client: Client, site):
    village = make_craft_village("Làng chiếu Bàn Thạch", "chieu-ban-thach")
    make_producer(site.producers, "Hộ dệt chiếu", craft_village=village)

    response = client.get(site.producers.url + "lang-nghe/chieu-ban-thach/")

    assert response.status_code == 200
    assert "data-map" not in response.text
    assert img_sources(response) == ["'self'"]


def test_craft_village_list_maps_each_village(client: Client, site, places):
    other = make_craft_village(
        "Làng chiếu Bàn Thạch", "chieu-ban-thach", make_locality("Điện Thắng", "dien-thang")
    )
    make_producer(site.producers, "Hộ dệt chiếu", craft_village=other)

    response = client.get(site.producers.url + "lang-nghe/")

    data = map_data(response.text, "villages-map")
    assert data["markers"] == [
        {
            "lat": 15.8781,
            "lng": 108.3082,
            "name": "Làng gốm Thanh Hà",
            "url": site.producers.url + "lang-nghe/gom-thanh-ha/",
            "detail": "2 nhà sản xuất",
        }
    ]
    assert TILE_HOST in img_sources(response)


def test_english_craft_village_list_map(client: Client, site, english):
    producers_en = url_of(site.producers_en)

    response = client.get(producers_en + "craft-villages/")

    data = map_data(response.text, "villages-map")
    assert [(m["name"], m["url"], m["detail"]) for m in data["markers"]] == [
        ("Thanh Ha pottery village", producers_en + "craft-villages/gom-thanh-ha/", "1 producer")
    ]


def test_map_pages_are_valid_html(client: Client, site, english, places, tmp_path: Path):
    require_vnu()
    urls = {
        "producer": places["kiln"].url,
        "producer-en": english["kiln"].url,
        "producers": site.producers.url,
        "village": site.producers.url + "lang-nghe/gom-thanh-ha/",
        "villages": site.producers.url + "lang-nghe/",
    }
    paths = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_bytes(response.content)

    errors = validate_html(paths)
    assert not errors, "The Nu HTML Checker found errors:\n" + vnu_report(errors)


# In Chromium -----------------------------------------------------------------------------


POPUP_OPAQUE = "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"


def look_at_maps(browser, base_url: str, paths: dict[str, str]) -> dict:
    """Each page at 390×844: the map scrolled into view and drawn; axe and the policy watched.
    Then the producer page without JavaScript."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    # Offline: the tiles fail to load, and must not be fetched from the real server.
    context.route(f"{TILE_HOST}/**", lambda route: route.abort())
    seen = {"csp": watch_csp(context), "maps": {}, "axe": {}}
    page = context.new_page()
    try:
        for name, path in paths.items():
            page.goto(base_url + path)
            toggle = page.locator("details.map-toggle summary")
            if toggle.count():
                seen["maps"][f"{name}-folded"] = page.locator("[data-map]").is_visible()
                toggle.click()
            canvas = page.locator("[data-map]")
            canvas.scroll_into_view_if_needed()
            page.locator(".leaflet-container .leaflet-marker-icon").first.wait_for()
            box = canvas.bounding_box()
            seen["maps"][name] = {
                "markers": page.locator(".leaflet-marker-icon").evaluate_all(
                    "icons => icons.map(icon => icon.alt)"
                ),
                "height": box["height"],
                "width": box["width"],
                "attribution": page.locator(".leaflet-control-attribution").inner_text(),
            }
            if name == "village":
                page.locator(".leaflet-marker-icon").first.click()
                # Leaflet fades the popup in: judge its colours once it is opaque.
                page.wait_for_function(POPUP_OPAQUE)
                popup = page.locator(".leaflet-popup-content a")
                seen["maps"][name]["popup"] = popup.get_attribute("href")
            seen["axe"][name] = axe_violations(page)
    finally:
        context.close()

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base_url + paths["producer"])
        seen["no_js"] = {
            "canvas_visible": page.locator("[data-map]").is_visible(),
            "link": page.get_by_role("link", name="Xem trên OpenStreetMap").get_attribute("href"),
        }
    finally:
        context.close()
    return seen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_maps_are_drawn_on_a_phone(in_browser, live_site, site, places):  # noqa: F811
    require_axe()
    english = url_of(site.producers_en)
    translate_page(places["kiln"], display_name="Mr Ba's pottery kiln", slug="mr-bas-kiln")
    paths = {
        "producer": places["kiln"].url,
        "producer-en": english + "mr-bas-kiln/",
        "producers": site.producers.url,
        "village": site.producers.url + "lang-nghe/gom-thanh-ha/",
        "villages": site.producers.url + "lang-nghe/",
    }

    seen = in_browser(look_at_maps, live_site, paths)

    maps = seen["maps"]
    assert maps["producer"]["markers"] == ["Lò gốm Ông Ba"]
    assert maps["producer-en"]["markers"] == ["Mr Ba's pottery kiln"]
    assert maps["producers"]["markers"] == [
        "HTX Nước mắm Điện Dương",
        "Lò gốm Ông Ba",
        "Xưởng gốm Thanh Hà",
    ]
    assert maps["village"]["markers"] == ["Lò gốm Ông Ba", "Xưởng gốm Thanh Hà"]
    assert maps["village"]["popup"] == places["kiln"].url
    assert maps["villages"]["markers"] == ["Làng gốm Thanh Hà"]
    # The listings' maps are folded away until opened.
    assert maps.pop("producers-folded") is False
    assert maps.pop("villages-folded") is False
    for name, drawn in maps.items():
        assert 240 <= drawn["height"] <= 320, name
        assert drawn["width"] <= PHONE["width"], name
        credit = (
            "OpenStreetMap contributors"
            if name.endswith("-en")
            else ("Những người đóng góp OpenStreetMap")
        )
        assert f"© {credit}" in drawn["attribution"], name
    problems = {name: found for name, found in seen["axe"].items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not seen["csp"], "Content-Security-Policy violations:\n" + csp_report(seen["csp"])
    assert seen["no_js"] == {
        "canvas_visible": False,
        "link": "https://www.openstreetmap.org/?mlat=15.8771&mlon=108.3062#map=16/15.8771/108.3062",
    }


# The vendored Leaflet ----------------------------------------------------------------------


def test_vendored_leaflet_is_the_pinned_npm_package():
    """marketplace/static/vendor/leaflet/ holds the files of the version package.json pins,
    unchanged (node_modules is installed by `make test`; `make vendor` copies them)."""
    source, target = LEAFLET.source(NODE_MODULES), LEAFLET.target()
    assert source.is_dir(), "node_modules/leaflet is missing: run `npm ci` (make test does)"
    assert installed_version(LEAFLET) == pinned_version("leaflet")
    for source_name, target_name in LEAFLET.files.items():
        assert filecmp.cmp(source / source_name, target / target_name, shallow=False), (
            f"{target_name} differs from node_modules/leaflet/{source_name}: run make vendor"
        )
    vendored = {path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()}
    assert vendored == set(LEAFLET.files.values())
