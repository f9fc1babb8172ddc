"""Vietnamese words in /vi/ addresses, English in /en/, and permanent redirects from the
English words under /vi/ (links in sent emails, printed QR labels, search indexes)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.certificates.models import OcopCertificate
from marketplace.core.url_segments import SEGMENTS, route_in
from marketplace.curation.models import FeaturedCollection
from producers.models import CraftVillage
from products.models import ProductCategory
from tests.factories import category, en, make_craft_village, make_product, vi
from tests.public_pages_fixtures import url_of

pytest_plugins = ["tests.inquiry_fixtures"]

ENGLISH_WORDS = set(SEGMENTS["vi"])
VIETNAMESE_WORDS = set(SEGMENTS["vi"].values())


@pytest.fixture
def places(shop) -> dict[str, str]:
    """Old (English-word) /vi/ address → its Vietnamese address, each with a page to serve."""
    village = make_craft_village(locality=shop.locality)
    shop.producer_a.craft_village = village
    shop.producer_a.save_revision().publish()
    certified = make_product(shop.producer_b, "Bánh tráng Túy Loan", stars=4)
    key = OcopCertificate.objects.get(page=certified).translation_key
    FeaturedCollection.objects.create(
        title="Quà Tết", slug="qua-tet", locale=vi(), starts_on=timezone.localdate()
    )
    products, producers = shop.site.products.url, shop.site.producers.url
    return {
        "/vi/search/?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&sort=newest": (
            "/vi/tim-kiem/?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&sort=newest"
        ),
        "/vi/inquiry-list/": "/vi/danh-sach-hoi-mua/",
        "/vi/find-my-request/": "/vi/tim-yeu-cau/",
        "/vi/privacy/": "/vi/quyen-rieng-tu/",
        "/vi/collections/qua-tet/": "/vi/bo-suu-tap/qua-tet/",
        f"/vi/certificates/{key}/": f"/vi/chung-nhan/{key}/",
        f"/vi/certificates/{key}/label/": f"/vi/chung-nhan/{key}/nhan/",
        f"{products}category/thuc-pham/?sort=newest&page=1": (
            f"{products}danh-muc/thuc-pham/?sort=newest&page=1"
        ),
        f"{producers}craft-villages/": f"{producers}lang-nghe/",
        f"{producers}craft-villages/{village.slug}/": f"{producers}lang-nghe/{village.slug}/",
    }


@pytest.mark.django_db
def test_old_english_addresses_under_vi_redirect_permanently_to_served_pages(client, places):
    for old, new in places.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert client.get(new).status_code == 200, new


@pytest.mark.django_db
def test_addresses_with_parameters_keep_them(client, site):
    response = client.get("/vi/inquiry/AbC-123/pay/return/?session_id=cs_1")
    assert response.status_code == 301
    assert response["Location"] == "/vi/yeu-cau/AbC-123/thanh-toan/tro-ve/?session_id=cs_1"
    response = client.get("/vi/inquiry/AbC-123/review/7/")
    assert response["Location"] == "/vi/yeu-cau/AbC-123/danh-gia/7/"


@pytest.mark.django_db
def test_a_form_posted_to_an_old_address_is_posted_again_to_the_new(shop):
    client = Client()
    client.get(shop.fish_sauce.url)  # a session and its CSRF cookie, as a visitor's
    response = client.post(
        "/vi/inquiry-list/add/", {"product": shop.fish_sauce.pk, "quantity": "5"}
    )
    # 308, not 301: the browser sends the same form again rather than a GET.
    assert (response.status_code, response["Location"]) == (308, "/vi/danh-sach-hoi-mua/them/")
    client.post(response["Location"], {"product": shop.fish_sauce.pk, "quantity": "5"})
    assert client.session["inquiry_list"]


@pytest.mark.django_db
def test_english_keeps_english_words_and_corrects_vietnamese_ones(client, shop_en):
    assert client.get("/en/search/").status_code == 200
    assert client.get("/en/inquiry-list/").status_code == 200
    response = client.get("/en/tim-kiem/?q=rice")
    assert (response.status_code, response["Location"]) == (301, "/en/search/?q=rice")
    products_en = url_of(shop_en.site.products_en)
    assert client.get(products_en + "category/thuc-pham/").status_code == 200


@pytest.mark.django_db
def test_a_page_not_found_without_another_languages_word_stays_not_found(client, site):
    assert client.get("/vi/khong-co-trang-nay/").status_code == 404
    assert client.get("/vi/tim-kiem/khong-co/").status_code == 404
    assert client.get("/en/no-such-page/").status_code == 404


@pytest.mark.django_db
def test_every_public_route_has_vietnamese_words_under_vi():
    token = {"token": "t0k3n"}
    routes = [
        ("search:search", {}),
        ("search:click", {}),
        ("curation:collection", {"slug": "qua-tet"}),
        ("certificates:label", {"key": "6f1c2f9e-5b0a-4c1e-9a51-6a3c0d2b7e11"}),
        ("inquiries:list", {}),
        ("inquiries:add", {}),
        ("inquiries:update", {}),
        ("inquiries:remove", {}),
        ("inquiries:send", {}),
        ("inquiries:sent", {"key": "k"}),
        ("inquiries:find", {}),
        ("inquiries:wards", {"province": 48}),
        ("inquiries:cancel", token),
        ("inquiries:pay_card", token),
        ("inquiries:pay_return", token),
        ("inquiries:pay_cancel", token),
        ("inquiries:privacy", {}),
        ("reviews:write", {**token, "item_id": 1}),
    ]
    for name, kwargs in routes:
        with translation.override("vi"):
            vietnamese = reverse(name, kwargs=kwargs or None)
        with translation.override("en"):
            english = reverse(name, kwargs=kwargs or None)
        assert not english_words(vietnamese), vietnamese
        assert english.startswith("/en/") and not vietnamese_words(english), english


@pytest.mark.django_db
def test_sub_routes_take_their_pages_language_whatever_is_active(site):
    products_en = site.products_en.specific
    with translation.override("vi"):
        assert products_en.reverse_subpage("category", kwargs={"slug": "x"}) == "category/x/"
    with translation.override("en"):
        assert site.producers.reverse_subpage("craft_village_list") == "lang-nghe/"
    assert (
        route_in("inquiry/<str:token>/pay/cancel/", "vi") == "yeu-cau/<str:token>/thanh-toan/huy/"
    )


@pytest.mark.django_db
def test_the_language_switcher_maps_a_category_to_its_twin(client, shop_en):
    site = shop_en.site
    products_en = url_of(site.products_en)
    vietnamese = client.get(site.products.url + "danh-muc/thuc-pham/").content.decode()
    assert f'href="{products_en}category/thuc-pham/"' in vietnamese
    english = client.get(products_en + "category/thuc-pham/").content.decode()
    assert f'href="{site.products.url}danh-muc/thuc-pham/"' in english


def alternates(html: str) -> dict[str, str]:
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    return {code: urlsplit(href).path for code, href in links}


@pytest.mark.django_db
def test_a_category_with_an_english_slug_links_to_it_in_the_switcher_and_hreflang(client, shop_en):
    site = shop_en.site
    ProductCategory.objects.filter(slug="thuc-pham", locale=en()).update(slug="food")
    products_en = url_of(site.products_en)
    vietnamese_path = site.products.url + "danh-muc/thuc-pham/"

    vietnamese = client.get(vietnamese_path).content.decode()
    assert f'href="{products_en}category/food/"' in vietnamese
    expected = {
        "vi": vietnamese_path,
        "en": f"{products_en}category/food/",
        "x-default": vietnamese_path,
    }
    assert alternates(vietnamese) == expected
    english = client.get(products_en + "category/food/")
    assert english.status_code == 200
    assert alternates(english.content.decode()) == expected

    sitemap = client.get("/sitemap.xml").content.decode()
    entry = re.search(rf"<url><loc>[^<]*{vietnamese_path}</loc>(.*?)</url>", sitemap, re.DOTALL)
    assert entry is not None, sitemap
    assert re.search(rf'hreflang="en" href="[^"]*{products_en}category/food/"', entry.group(1))


@pytest.mark.django_db
def test_a_category_without_english_has_no_alternates(client, shop_en):
    site = shop_en.site
    mam_nem = ProductCategory.objects.create(
        name="Mắm nêm", slug="mam-nem", parent=category("thuc-pham"), locale=vi()
    )
    make_product(shop_en.producer_a, "Mắm nêm Điện Dương", category=mam_nem)
    html = client.get(site.products.url + "danh-muc/mam-nem/").content.decode()
    assert alternates(html) == {}
    # The switcher offers the English catalogue instead of an address that is not found.
    assert f'href="{url_of(site.products_en)}"' in html


@pytest.mark.django_db
def test_a_craft_village_links_to_its_english_twin(client, shop_en):
    site = shop_en.site
    village = make_craft_village(locality=shop_en.locality)
    shop_en.producer_a.craft_village = village
    shop_en.producer_a.save_revision().publish()
    village_en = village.copy_for_translation(en())
    village_en.slug = "thanh-ha-pottery"
    village_en.save()
    html = client.get(f"{site.producers.url}lang-nghe/{village.slug}/").content.decode()
    assert alternates(html)["en"] == f"{url_of(site.producers_en)}craft-villages/thanh-ha-pottery/"


@pytest.mark.django_db
def test_the_sitemap_lists_each_languages_own_words(client, shop_en):
    make_craft_village(locality=shop_en.locality)
    village_en = CraftVillage.objects.get(slug="gom-thanh-ha").copy_for_translation(en())
    village_en.save()
    cache.clear()
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert any("/vi/nha-san-xuat/lang-nghe/" in loc for loc in locations)
    assert any("/en/producers/craft-villages/" in loc for loc in locations)
    for location in locations:
        path = urlsplit(location).path
        if path.startswith("/vi/"):
            assert not english_words(path), path
        else:
            assert not vietnamese_words(path), path


# The demo: every /vi/ link a visitor meets has Vietnamese words. ---------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo loaded once for this module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", products=12, verbosity=0)
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.mark.django_db
def test_no_link_of_the_demo_uses_another_languages_words(demo, client):
    pages = ["/vi/", "/en/"]
    seen: set[str] = set()
    links: set[str] = set()
    while pages and len(seen) < 40:
        path = pages.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        # Never a redirect from an old address (301/308), nor an error.
        assert response.status_code in (200, 302), path
        found, actions = page_links(response.content.decode())
        links |= found | actions
        # The home pages' links and one level below them: listings, a product, a
        # producer, a category, the craft villages, the search and the inquiry list.
        if path in ("/vi/", "/en/"):
            pages += sorted(link for link in found if link not in seen)
    vietnamese_links = {link for link in links if link.startswith("/vi/")}
    english_links = {link for link in links if link.startswith("/en/")}
    assert vietnamese_links and english_links
    assert any("/danh-muc/" in link for link in vietnamese_links)
    assert any("/lang-nghe/" in link for link in vietnamese_links)
    assert {link for link in vietnamese_links if english_words(link)} == set()
    assert {link for link in english_links if vietnamese_words(link)} == set()


# Helpers --------------------------------------------------------------------------


def english_words(path: str) -> set[str]:
    return ENGLISH_WORDS.intersection(urlsplit(path).path.split("/"))


def vietnamese_words(path: str) -> set[str]:
    return VIETNAMESE_WORDS.intersection(urlsplit(path).path.split("/"))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: set[str] = set()
        self.actions: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and value.startswith(("/vi/", "/en/")):
                if name == "href":
                    self.links.add(value.split("#")[0])
                elif name == "action":
                    self.actions.add(value.split("#")[0])


def page_links(html: str) -> tuple[set[str], set[str]]:
    """The page's links (followed) and its forms' addresses (only read: most POST)."""
    parser = _Links()
    parser.feed(html)
    return parser.links, parser.actions
