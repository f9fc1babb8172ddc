"""The <head> metadata, JSON-LD, sitemap and robots.txt."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory

from marketplace.base.seo import page_metadata, to_json_ld
from marketplace.core.navigation import Breadcrumb
from marketplace.core.url_segments import route_in
from products.models import ProductPage
from tests.factories import en, make_image, make_producer, make_product
from tests.site_address_helpers import PUBLIC_ADDRESS

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
BASE_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "base.html"


class HeadParser(HTMLParser):
    """Collects the <title> text and the attributes of <meta> and <link> tags."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.tags: list[tuple[str, dict]] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "link"):
            self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


class Head:
    def __init__(self, html: str):
        self.html = html
        self.parser = HeadParser()
        self.parser.feed(html)
        self.title = self.parser.title

    def meta(self, key: str) -> list[str]:
        return [
            attrs["content"]
            for tag, attrs in self.parser.tags
            if tag == "meta" and key in (attrs.get("name"), attrs.get("property"))
        ]

    def links(self, rel: str) -> list[dict]:
        return [attrs for tag, attrs in self.parser.tags if tag == "link" and attrs["rel"] == rel]

    def hreflangs(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links("alternate")}

    def json_ld(self, type_: str) -> dict:
        for data in (json.loads(text) for text in JSON_LD.findall(self.html)):
            types = data["@type"] if isinstance(data["@type"], list) else [data["@type"]]
            if type_ in types:
                return data
        raise AssertionError(f"no {type_} JSON-LD in {self.html}")

    def json_ld_types(self) -> list:
        return [json.loads(text)["@type"] for text in JSON_LD.findall(self.html)]


def head(page=None, path: str | None = None, **context) -> Head:
    """seo_head.html rendered as it is for a GET of `path` (the page's own URL by default)."""
    request = RequestFactory().get(path or page.url)
    html = render_to_string("includes/seo_head.html", {"page": page, "request": request, **context})
    return Head(html)


def translate(page):
    """Publish an English translation of `page` (its parent must be translated)."""
    translation = page.copy_for_translation(en())
    translation.save_revision().publish()
    return translation.specific


@pytest.fixture(autouse=True)
def served_at_the_public_address(public_address):
    """Every URL must say the public address, not the requests' host (testserver)."""


@pytest.fixture(autouse=True)
def clear_cache():
    # The sitemap view is cached per URL: one test's sitemap must not leak into another.
    cache.clear()


@pytest.fixture
def producer(site):
    return make_producer(
        site.producers,
        name="HTX Nước mắm Điện Dương",
        email="htx@example.com",
        latitude="15.950000",
        longitude="108.280000",
    )


@pytest.fixture
def product(producer):
    return make_product(producer, title="Nước mắm cá cơm", price_vnd=185000)


# <title>, description, canonical


def test_title_is_the_page_title_then_the_site_name(product):
    assert head(product).title == "Nước mắm cá cơm – Chợ OCOP"


def test_seo_title_replaces_the_page_title(product):
    product.seo_title = "Nước mắm Điện Dương 40 độ đạm"
    assert head(product).title == "Nước mắm Điện Dương 40 độ đạm – Chợ OCOP"


def test_home_page_title_stands_alone(site):
    assert head(site.home).title == site.home.seo_title


def test_meta_description_prefers_the_search_description(product):
    assert head(product).meta("description") == [product.short_description]
    product.search_description = "Nước mắm truyền thống, ủ chượp 12 tháng."
    assert head(product).meta("description") == ["Nước mắm truyền thống, ủ chượp 12 tháng."]
    assert head(product).meta("og:description") == ["Nước mắm truyền thống, ủ chượp 12 tháng."]


def test_canonical_url_is_absolute(product):
    canonical = head(product, path=product.url + "?utm_source=zalo").links("canonical")
    expected = f"{PUBLIC_ADDRESS}/vi/nha-san-xuat/{product.get_parent().slug}/{product.slug}/"
    assert [link["href"] for link in canonical] == [expected]
    assert head(product).meta("og:url") == [expected]


def test_sub_route_has_its_own_canonical_title_and_breadcrumb(site, product):
    category_path = site.products.url + "danh-muc/thuc-pham/"
    metadata = head(site.products, path=category_path + "?page=2", seo_title="Thực phẩm")

    assert metadata.title == "Thực phẩm – Chợ OCOP"
    canonical = PUBLIC_ADDRESS + category_path
    assert metadata.links("canonical")[0]["href"] == canonical
    trail = metadata.json_ld("BreadcrumbList")["itemListElement"]
    assert [(item["name"], item["item"]) for item in trail][-1] == ("Thực phẩm", canonical)
    # The same route of the English catalogue, in its words and its category's slug.
    assert metadata.hreflangs() == {
        "vi": canonical,
        "en": PUBLIC_ADDRESS + site.products_en.url + "category/thuc-pham/",
        "x-default": canonical,
    }


def test_pages_outside_wagtail_get_the_site_name(site, rf):
    metadata = Head(render_to_string("includes/seo_head.html", {"request": rf.get("/vi/x/")}))
    assert metadata.title == "Chợ OCOP"
    assert metadata.links("canonical") == []
    assert "application/ld+json" not in metadata.html


def test_previews_are_not_indexed(product):
    request = RequestFactory().get("/admin/pages/1/edit/preview/")
    request.is_preview = True
    html = render_to_string("includes/seo_head.html", {"page": product, "request": request})
    assert Head(html).meta("robots") == ["noindex"]
    assert head(product).meta("robots") == []


# Alternates and Open Graph


def test_hreflang_alternates_list_every_live_translation(producer, product):
    translate(producer)
    english = translate(product)

    expected = {
        "vi": product.get_full_url(),
        "en": english.get_full_url(),
        "x-default": product.get_full_url(),
    }
    assert expected["en"].startswith(f"{PUBLIC_ADDRESS}/en/")
    assert head(product).hreflangs() == expected
    assert head(english).hreflangs() == expected
    assert head(product).meta("og:locale") == ["vi_VN"]
    assert head(product).meta("og:locale:alternate") == ["en_US"]
    assert head(english).meta("og:locale") == ["en_US"]
    assert head(english).meta("og:locale:alternate") == ["vi_VN"]


def test_no_alternates_without_a_live_translation(producer, product):
    translate(producer)
    english = product.copy_for_translation(en())
    english.save_revision()  # a draft only

    assert head(product).hreflangs() == {}
    assert head(product).meta("og:locale:alternate") == []


def test_open_graph_tags(product):
    metadata = head(product)
    assert metadata.meta("og:type") == ["product"]
    assert metadata.meta("og:title") == ["Nước mắm cá cơm"]
    assert metadata.meta("og:site_name") == ["Chợ OCOP"]
    [image] = metadata.meta("og:image")
    assert re.fullmatch(re.escape(PUBLIC_ADDRESS) + r"/media/images/.+\.jpg", image)
    first_image = product.gallery_images.first().image
    assert metadata.meta("og:image:alt") == [first_image.description]


def test_index_pages_share_the_home_page_image(site):
    site.home.hero_image = make_image("Chợ")
    site.home.save()
    [image] = head(site.products).meta("og:image")
    assert image.startswith(f"{PUBLIC_ADDRESS}/media/images/")
    assert head(site.products).meta("og:type") == ["website"]


def test_a_missing_image_file_only_drops_the_image(product):
    image = product.gallery_images.first().image
    image.file.storage.delete(image.file.name)

    metadata = head(product)
    assert metadata.meta("og:image") == []
    assert "image" not in metadata.json_ld("Product")


# JSON-LD


def test_product_json_ld(producer, product):
    data = head(product).json_ld("Product")

    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Nước mắm cá cơm"
    assert data["url"] == product.get_full_url()
    assert data["category"] == "Thực phẩm"
    assert data["sku"] == str(product.pk)
    assert data["image"][0].startswith(f"{PUBLIC_ADDRESS}/media/images/")
    for organisation in (data["brand"], data["manufacturer"], data["offers"]["seller"]):
        assert organisation == {
            "@type": "Organization",
            "name": "HTX Nước mắm Điện Dương",
            "url": producer.get_full_url(),
        }
    offer = data["offers"]
    assert offer["priceCurrency"] == "VND"
    assert offer["price"] == "185000"
    assert offer["availability"] == "https://schema.org/InStock"


def test_product_json_ld_names_the_ocop_award_and_traceability_code(producer):
    product = make_product(producer, stars=4, traceability_code="VN-QN-0042")
    data = head(product).json_ld("Product")
    assert data["sku"] == data["productID"] == "VN-QN-0042"
    assert "OCOP 4 sao" in data["award"]


@pytest.mark.parametrize(
    "fields, availability",
    [
        ({"availability": "out_of_stock"}, "https://schema.org/OutOfStock"),
        ({"availability": "made_to_order"}, "https://schema.org/MadeToOrder"),
        (
            {"availability": "seasonal", "season_months": [5, 6]},
            "https://schema.org/LimitedAvailability",
        ),
    ],
)
def test_offer_availability(producer, fields, availability):
    product = make_product(producer, **fields)
    assert head(product).json_ld("Product")["offers"]["availability"] == availability


def test_price_on_request_has_no_price(producer):
    product = make_product(producer, price_vnd=None, price_on_request=True)
    offer = head(product).json_ld("Product")["offers"]
    assert "price" not in offer
    assert offer["priceCurrency"] == "VND"


def test_producer_json_ld(producer):
    data = head(producer).json_ld("LocalBusiness")

    assert data["@type"] == ["Organization", "LocalBusiness"]
    assert data["name"] == "HTX Nước mắm Điện Dương"
    assert data["url"] == producer.get_full_url()
    assert data["telephone"] == "+84905123456"
    assert data["email"] == "htx@example.com"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Thôn 1",
        "addressLocality": "Điện Dương",
        "addressRegion": "Đà Nẵng",
        "addressCountry": "VN",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 15.95, "longitude": 108.28}


def test_producer_without_coordinates_has_no_geo(site):
    producer = make_producer(site.producers)
    assert "geo" not in head(producer).json_ld("LocalBusiness")


def test_breadcrumbs_go_from_home_to_the_page_in_order(site, producer, product):
    trail = head(product).json_ld("BreadcrumbList")["itemListElement"]

    assert [item["position"] for item in trail] == [1, 2, 3, 4]
    assert [item["name"] for item in trail] == [
        site.home.title,
        site.producers.title,
        producer.title,
        product.title,
    ]
    assert [item["item"] for item in trail] == [
        f"{PUBLIC_ADDRESS}/vi/",
        site.producers.get_full_url(),
        producer.get_full_url(),
        product.get_full_url(),
    ]


def test_breadcrumbs_follow_the_trail_the_page_shows(site, product):
    shown = [
        Breadcrumb(site.home.title, site.home.url),
        Breadcrumb(site.products.title, site.products.url),
        Breadcrumb(product.title),
    ]
    trail = head(product, breadcrumbs=shown).json_ld("BreadcrumbList")["itemListElement"]
    assert [(item["name"], item["item"]) for item in trail] == [
        (site.home.title, f"{PUBLIC_ADDRESS}/vi/"),
        (site.products.title, f"{PUBLIC_ADDRESS}/vi/san-pham/"),
        (product.title, product.get_full_url()),
    ]


def test_home_page_has_no_breadcrumbs(site):
    assert "BreadcrumbList" not in head(site.home).json_ld_types()


def test_script_in_a_product_name_cannot_break_out_of_the_json_ld(producer):
    name = "Bánh </script><script>alert(1)</script> & <!-- tráng"
    product = make_product(producer, title=name)
    html = head(product).html

    assert "<script>alert(1)" not in html
    assert "<!--" not in html
    assert head(product).json_ld("Product")["name"] == name


def test_json_ld_escapes_markup_characters():
    assert to_json_ld({"a": "</script>&"}) == '{"a": "\\u003c/script\\u003e\\u0026"}'


def test_metadata_of_an_unsaved_page_does_not_fail(site, producer):
    # The admin previews a page being created: it has a tree path but no id.
    page = ProductPage(title="Mới", slug="moi", short_description="", unit="hộp")
    page.depth = producer.depth + 1
    page.path = page._get_path(producer.path, page.depth, 1)
    page.set_url_path(producer)
    page.locale = producer.locale

    metadata = page_metadata(page, RequestFactory().get("/admin/"))
    assert metadata.title == "Mới – Chợ OCOP"
    assert metadata.alternates == []


# Sitemap and robots.txt


def sitemap_urls(client) -> dict[str, list[tuple[str, str]]]:
    """Each <loc> of /sitemap.xml, with its (hreflang, href) alternates."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find("sm:loc", SITEMAP_NS).text: [
            (link.get("hreflang"), link.get("href"))
            for link in url.findall("xhtml:link", SITEMAP_NS)
        ]
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def test_sitemap_lists_live_pages_of_both_languages(client, site, producer, product):
    translate(producer)
    english = translate(product)
    # live=False as the admin does: add_child alone would make the draft live.
    draft = make_product(producer, title="Bản nháp", publish=False, live=False)
    unpublished = make_product(producer, title="Đã gỡ")
    unpublished.unpublish()

    urls = sitemap_urls(client)

    assert f"{PUBLIC_ADDRESS}/vi/" in urls
    assert f"{PUBLIC_ADDRESS}/en/" in urls
    assert product.get_full_url() in urls
    assert english.get_full_url() in urls
    assert english.get_full_url().startswith(f"{PUBLIC_ADDRESS}/en/producers/")
    assert draft.get_full_url() not in urls
    assert unpublished.get_full_url() not in urls
    assert all(url.startswith((f"{PUBLIC_ADDRESS}/vi/", f"{PUBLIC_ADDRESS}/en/")) for url in urls)


def test_sitemap_alternates_link_translations(client, site, producer, product):
    translate(producer)
    english = translate(product)

    urls = sitemap_urls(client)

    alternates = [
        ("vi", product.get_full_url()),
        ("en", english.get_full_url()),
        ("x-default", product.get_full_url()),
    ]
    assert urls[product.get_full_url()] == alternates
    assert urls[english.get_full_url()] == alternates
    assert urls[producer.get_full_url()] == [
        ("vi", producer.get_full_url()),
        ("en", producer.get_translation(en()).get_full_url()),
        ("x-default", producer.get_full_url()),
    ]
    # Only in Vietnamese: no alternates.
    lonely = make_product(producer)
    cache.clear()
    assert sitemap_urls(client)[lonely.get_full_url()] == []


def test_sitemap_lists_category_and_craft_village_pages(client, site, product):
    urls = sitemap_urls(client)

    assert site.products.get_full_url() + "danh-muc/thuc-pham/" in urls
    # No live product in it: not worth a search result.
    assert site.products.get_full_url() + "danh-muc/do-uong/" not in urls
    assert site.producers.get_full_url() + "lang-nghe/" in urls


def test_robots_txt_lists_the_sitemap(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {PUBLIC_ADDRESS}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    # A visitor's inquiry list and tracking pages are private.
    for language in ("vi", "en"):
        assert f"Disallow: /{language}/{route_in('inquiry/', language)}" in lines
        assert f"Disallow: /{language}/{route_in('inquiry-list/', language)}" in lines
        # The search's click counter only redirects to pages crawlers find anyway.
        assert f"Disallow: /{language}/{route_in('search/click/', language)}" in lines


# Through the whole page (needs the page templates, which include seo_head.html)

needs_page_templates = pytest.mark.skipif(
    not BASE_TEMPLATE.exists() or "seo_head.html" not in BASE_TEMPLATE.read_text(),
    reason="templates/base.html does not include includes/seo_head.html yet",
)


@needs_page_templates
def test_product_page_has_the_metadata(client, site, product):
    response = client.get(product.url)
    assert response.status_code == 200
    page_head = Head(response.content.decode())
    assert page_head.title == "Nước mắm cá cơm – Chợ OCOP"
    assert page_head.json_ld("Product")["offers"]["price"] == "185000"
    assert page_head.links("canonical")[0]["href"] == product.get_full_url()
    # The structured breadcrumbs are the ones on the page: through the catalogue.
    trail = page_head.json_ld("BreadcrumbList")["itemListElement"]
    assert [item["name"] for item in trail] == [
        site.home.title,
        site.products.title,
        "Thực phẩm",
        product.title,
    ]


@needs_page_templates
def test_producer_page_has_the_metadata(client, producer):
    response = client.get(producer.url)
    assert response.status_code == 200
    assert Head(response.content.decode()).json_ld("LocalBusiness")["telephone"] == "+84905123456"


@needs_page_templates
def test_category_page_has_its_own_title_and_canonical(client, site, product):
    url = site.products.url + "danh-muc/thuc-pham/"
    response = client.get(url + "?sort=price")
    assert response.status_code == 200
    page_head = Head(response.content.decode())
    assert page_head.title == "Thực phẩm – Chợ OCOP"
    assert page_head.links("canonical")[0]["href"] == PUBLIC_ADDRESS + url
