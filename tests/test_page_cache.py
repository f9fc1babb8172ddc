"""Anonymous visitors' pages served from the page cache (marketplace/core/page_cache.py):
from the cache the second time, up to date on the request after any published change,
never shared with or taken from a visitor who has a session or a login, without a cookie;
and the add-to-list forms on them working without a CSRF token, from this site only."""

import datetime
import re
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction, Site

from marketplace.base.models import SiteFooter
from marketplace.certificates import decisions
from marketplace.core.fact_updates import update_facts
from marketplace.core.money import vnd
from marketplace.core.url_segments import route_in
from marketplace.inquiries.models import Inquiry
from marketplace.office.reports.models import ProductViewCount
from marketplace.reviews import moderation
from marketplace.reviews.writing import write_review
from products.models import ProductCategory
from search.models import SearchQueryLog
from tests.factories import make_craft_village, make_producer, make_product
from tests.inquiry_admin_helpers import make_inquiry, set_status
from tests.inquiry_helpers import url as inquiry_url
from tests.public_pages_fixtures import translate_page
from tests.test_curation import collection_url, make_collection
from tests.test_curation_home import make_highlight, make_producer_of_the_month, make_slide

pytest_plugins = ["tests.producer_accounts_fixtures"]

ORIGIN = "http://testserver"
SAME_ORIGIN = {"HTTP_ORIGIN": ORIGIN}
ROBOT = {"HTTP_USER_AGENT": "Googlebot/2.1"}  # product views are not counted for robots
SEARCH_API = "/api/search/products?" + urlencode({"q": "gốm"})


@pytest.fixture(autouse=True)
def footer(site) -> SiteFooter:
    """The footer setting, which the first page view would otherwise create (a change)."""
    return SiteFooter.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def village(db):
    return make_craft_village("Làng gốm Thanh Hà", "gom-thanh-ha")


@pytest.fixture
def producer(site, village):
    return make_producer(site.producers, "HTX Gốm Thanh Hà", craft_village=village)


@pytest.fixture
def product(producer):
    return make_product(producer, "Bình gốm men lam", stars=4, price_vnd=250000)


def category_url(site) -> str:
    return f"{site.products.url}{route_in('category/', 'vi')}thuc-pham/"


def village_url(site, village) -> str:
    return f"{site.producers.url}{route_in('craft-villages/', 'vi')}{village.slug}/"


def certificate_url(product) -> str:
    with translation.override("vi"):
        key = product.ocop_certificates.get().translation_key
        return reverse("certificates:detail", kwargs={"key": key})


def html(client: Client, address: str, **headers) -> str:
    response = client.get(address, **headers)
    assert response.status_code == 200, address
    return response.content.decode()


def add_form(page_html: str) -> dict:
    """The fields of the page's first add-to-list form, as a browser would send them."""
    form = re.search(r"<form[^>]*data-add-to-list.*?</form>", page_html, re.DOTALL).group(0)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    assert "csrfmiddlewaretoken" not in fields
    return fields


# From the cache --------------------------------------------------------------------------


# Each served from the cache with no query, but the search API: it logs the search again.
PUBLIC_PAGES = {
    "home": lambda site, product, village: site.home.url,
    "english home": lambda site, product, village: site.home_en.url,
    "listing": lambda site, product, village: site.products.url,
    "listing, sorted": lambda site, product, village: site.products.url + "?sort=newest",
    "category": lambda site, product, village: category_url(site),
    "producers": lambda site, product, village: site.producers.url,
    "producer": lambda site, product, village: product.get_parent().url,
    "product": lambda site, product, village: product.url,
    "craft village": lambda site, product, village: village_url(site, village),
    "certificate": lambda site, product, village: certificate_url(product),
    "search API": lambda site, product, village: SEARCH_API,
    "suggestions API": lambda site, product, village: "/api/search/suggest?q=b",
}


@pytest.mark.parametrize("page", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_the_second_anonymous_visit_is_served_from_the_cache(client, site, product, village, page):
    address = page(site, product, village)
    first = client.get(address, **ROBOT)
    assert first.status_code == 200

    with CaptureQueriesContext(connection) as queries:
        second = client.get(address, **ROBOT)
    # The search API logs the search again: the write buffer's flush at the end of the
    # request (test settings flush at once) writes it, in a savepoint; nothing else.
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    if address == SEARCH_API:
        assert len(statements) == 1 and "search_searchquerylog" in statements[0], statements
    else:
        assert statements == []

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_in_production_a_page_is_kept_on_its_second_request_not_its_first(
    client, settings, site, product
):
    """An address asked for once (a search, a filter) is not written to the cache."""
    from marketplace.core.page_cache import page_cache

    settings.PAGE_CACHE_KEEP_AFTER = 2  # production's (tests keep on the first)
    written = []
    cache = page_cache()
    real_set = cache.set

    def counted_set(key, value, *args, **kwargs):
        if not key.startswith("template.cache."):  # whole pages, not shared fragments
            written.append(key)
        return real_set(key, value, *args, **kwargs)

    cache.set = counted_set
    try:
        once = client.get(site.products.url + "?sort=price_asc", **ROBOT)
        assert once.status_code == 200 and written == []

        listing = site.products.url + "?sort=newest"
        first = client.get(listing, **ROBOT)
        with CaptureQueriesContext(connection) as second_queries:
            second = client.get(listing, **ROBOT)
        assert second_queries.captured_queries  # rendered again, and kept
        assert len(written) == 1
        with CaptureQueriesContext(connection) as third_queries:
            third = client.get(listing, **ROBOT)
        assert third_queries.captured_queries == []  # from the cache
        assert len(written) == 1
        assert first.content == second.content == third.content
    finally:
        cache.set = real_set


def test_a_page_reads_the_content_version_once(client, site, product, monkeypatch):
    """Its key, its kept parts (navigation, facet labels, fragments) and the rest agree on
    one reading of the generation, made as the request starts: one cache read, not one
    per part that asks."""
    from marketplace.core.page_cache import GENERATION_KEY, generation_cache

    cache = generation_cache()
    real_get = cache.get
    reads = []

    def counted_get(key, *args, **kwargs):
        if key == GENERATION_KEY:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counted_get)
    for address in (site.home.url, site.products.url, product.url, SEARCH_API):
        reads.clear()
        assert client.get(address, **ROBOT).status_code == 200, address
        assert len(reads) == 1, address


def test_a_change_during_a_request_is_seen_by_the_rest_of_it(rf, db):
    """The reading pinned as an anonymous request starts gives way to a generation drawn
    during it: what the request builds after the change is not kept as before it."""
    from django.http import HttpResponse

    from marketplace.core import page_cache

    seen = []

    def view(request):
        seen.append(page_cache.shared_fragment(request)["version"])
        page_cache.bump_generation()
        seen.append(page_cache.shared_fragment(request)["version"])
        return HttpResponse("ok")

    page_cache.PageCacheMiddleware(view)(rf.get("/vi/"))

    assert seen[0] != seen[1]
    assert seen[1] == page_cache.shared_fragment(rf.get("/vi/"))["version"]


def test_a_featured_collection_is_served_from_the_cache(client, product, django_assert_num_queries):
    make_collection("Quà Tết", "qua-tet", pages=[product])
    assert "Bình gốm men lam" in html(client, collection_url("vi", "qua-tet"))

    with django_assert_num_queries(0):
        assert "Bình gốm men lam" in html(client, collection_url("vi", "qua-tet"))


def test_anonymous_pages_set_no_cookie_and_say_how_to_cache_them(client, site, product):
    for address in (site.home.url, site.products.url, product.get_parent().url, product.url):
        for _ in range(2):  # made, then from the cache
            response = client.get(address)
            assert response.cookies == {}, address
            assert "Set-Cookie" not in response
            assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
            assert "Cookie" in response["Vary"]
            assert response["ETag"]
    assert client.cookies == {}


def test_an_unchanged_page_is_revalidated_by_its_etag(client, product):
    etag = client.get(product.url)["ETag"]

    again = client.get(product.url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""


def test_views_of_a_product_served_from_the_cache_are_counted(client, product):
    for _ in range(3):
        client.get(product.url)

    assert ProductViewCount.objects.get(product=product).views == 3


def test_searches_answered_from_the_cache_are_logged(client, product):
    for _ in range(2):
        assert client.get(SEARCH_API).status_code == 200

    assert SearchQueryLog.objects.count() == 2


def test_the_admin_is_neither_cached_nor_marked_public(admin_client):
    admin_client.get("/admin/")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert queries.captured_queries
    assert "public" not in response.get("Cache-Control", "")


# Correct on the next request -----------------------------------------------------------


def test_a_published_change_shows_at_once(client, product):
    assert "Bình gốm men lam" in html(client, product.url)
    assert "Bình gốm men lam" in html(client, product.get_parent().url)

    product.title = "Bình gốm men ngọc"
    product.save_revision().publish()

    assert "Bình gốm men ngọc" in html(client, product.url)
    assert "Bình gốm men ngọc" in html(client, product.get_parent().url)


def test_an_unpublished_or_deleted_page_goes_at_once(client, site, producer):
    gone = make_product(producer, "Chén gốm")
    deleted = make_product(producer, "Đĩa gốm")
    gone_url, deleted_url = gone.url, deleted.url
    assert "Chén gốm" in html(client, site.products.url)
    assert client.get(gone_url).status_code == 200
    assert client.get(deleted_url).status_code == 200

    gone.unpublish()
    deleted.delete()

    listing = html(client, site.products.url)
    assert "Chén gốm" not in listing and "Đĩa gốm" not in listing
    assert client.get(gone_url).status_code == 404
    assert client.get(deleted_url).status_code == 404


def test_a_moved_page_shows_where_it_went(client, site, producer, product):
    other = make_producer(site.producers, "HTX Gốm Bàu Trúc")
    old_url = product.url
    assert client.get(old_url).status_code == 200
    assert "Bình gốm men lam" not in html(client, other.url)

    product.move(other, pos="last-child")

    assert "Bình gốm men lam" in html(client, other.url)
    assert client.get(old_url).status_code in (301, 404)  # Wagtail's redirect, if made


def test_a_route_kept_for_a_visitor_the_cache_skips_follows_each_change(
    site, product, django_user_model
):
    """Wagtail's route to a page is kept in the process while the content is unchanged
    (core.kept_routes), also for the visitors whose whole page is not kept."""
    signed_in = Client()
    signed_in.force_login(django_user_model.objects.create_user("khach", password="x-1234567"))
    url = product.url
    for _ in range(2):
        assert signed_in.get(url).status_code == 200
        assert signed_in.get(url + "?page=2").status_code == 200  # a new query string

    product.title = "Bình gốm men ngọc"
    product.save_revision().publish()
    assert "Bình gốm men ngọc" in html(signed_in, url)

    restriction = PageViewRestriction.objects.create(
        page=product, restriction_type="password", password="x"
    )
    assert "password" in html(signed_in, url + "?page=3")  # the kept route's page asks
    with translation.override("vi"):  # Wagtail's /_util/ form, not taken for a page
        unlock_args = [restriction.pk, product.pk]
        unlock = reverse("wagtailcore_authenticate_with_password", args=unlock_args)
    assert signed_in.post(unlock, {"password": "x", "return_url": url}).status_code == 302
    assert "Bình gốm men ngọc" in html(signed_in, url + "?page=5")

    product.unpublish()
    assert signed_in.get(url).status_code == 404
    assert Client().get(url + "?page=4").status_code == 404


def test_a_quick_edit_of_price_and_stock_shows_at_once(client, product):
    assert vnd(250000, "vi") in html(client, product.url)

    update_facts(product, {"price_vnd": 310000, "availability": "out_of_stock"}, None)

    page = html(client, product.url)
    assert vnd(310000, "vi") in page
    assert "Out of stock" in page or "Hết hàng" in page


def test_a_certificate_decision_shows_at_once(client, product):
    address = certificate_url(product)
    assert "certificate-verdict--revoked" not in html(client, address)

    decisions.revoke(product.ocop_certificates.get(), None, "Không đạt khi đánh giá lại.")

    assert "certificate-verdict--revoked" in html(client, address)


def test_a_certificate_expires_on_its_day_although_nothing_was_saved(client, product):
    certificate = product.ocop_certificates.get()
    address = certificate_url(product)
    last_day = datetime.datetime.combine(
        certificate.expiry_date, datetime.time(23), timezone.get_current_timezone()
    )
    with time_machine.travel(last_day, tick=False):
        assert "certificate-verdict--expiring" in html(client, address)
    with time_machine.travel(last_day + datetime.timedelta(hours=2), tick=False):
        assert "certificate-verdict--expired" in html(client, address)


def test_curation_shows_at_once(client, site, producer, product, village):
    home = html(client, site.home.url)
    assert "Quà Tết OCOP" not in home

    today = timezone.localdate()
    make_slide("Quà Tết OCOP", product, starts_on=today, text="Quà biếu.")
    assert "Quà Tết OCOP" in html(client, site.home.url)

    make_collection("Gốm cho nhà mới", "gom-nha-moi", pages=[product])
    assert "Gốm cho nhà mới" in html(client, site.home.url)

    before = html(client, site.home.url)
    make_producer_of_the_month(producer, month=today.replace(day=1), note="Ba đời làm gốm.")
    after = html(client, site.home.url)
    assert before != after and "Ba đời làm gốm." in after

    make_highlight(village, starts_on=today, note="Lò gốm bên sông Thu Bồn.")
    assert "Lò gốm bên sông Thu Bồn." in html(client, site.home.url)


def test_snippets_show_at_once(client, site, producer, product, village):
    assert "Làng gốm Thanh Hà" in html(client, producer.url)
    category_page = html(client, category_url(site))

    village.name = "Làng gốm cổ Thanh Hà"
    village.save()
    locality = producer.locality
    locality.name = "Điện Dương mới"
    locality.save()
    category = ProductCategory.objects.get(slug="thuc-pham", locale__language_code="vi")
    category.name = "Thực phẩm OCOP"
    category.save()

    assert "Làng gốm cổ Thanh Hà" in html(client, producer.url)
    assert "Làng gốm cổ Thanh Hà" in html(client, village_url(site, village))
    assert "Điện Dương mới" in html(client, producer.url)
    assert html(client, category_url(site)) != category_page
    assert "Thực phẩm OCOP" in html(client, category_url(site))


def test_a_translation_shows_at_once(client, site, producer, product):
    assert "Blue-glazed vase" not in html(client, site.products_en.url)

    translate_page(producer)
    translate_page(product, title="Blue-glazed vase")

    assert "Blue-glazed vase" in html(client, site.products_en.url)


def test_reviews_show_at_once_new_replied_and_hidden(client, producer_a):
    product = producer_a.product
    inquiry = set_status(make_inquiry(producer_a), Inquiry.Status.FULFILLED)
    assert "Men đẹp" not in html(client, product.url)

    review = write_review(
        inquiry, inquiry.items.get(), rating=5, text="Men đẹp, gói kỹ.", shown_name="Lan"
    )
    assert "Men đẹp, gói kỹ." in html(client, product.url)

    moderation.reply(review, "Cảm ơn chị Lan!", None)
    assert "Cảm ơn chị Lan!" in html(client, product.url)

    moderation.hide(review, "Thử ẩn", None)
    assert "Men đẹp, gói kỹ." not in html(client, product.url)

    moderation.show_again(review)
    assert "Men đẹp, gói kỹ." in html(client, product.url)


def test_the_footer_setting_shows_at_once(client, site, footer):
    assert "12 Trần Nhân Tông" not in html(client, site.home.url)

    footer.address = "12 Trần Nhân Tông, Điện Bàn"
    footer.save()

    assert "12 Trần Nhân Tông" in html(client, site.home.url)


def test_a_page_made_private_leaves_the_cache_at_once(client, product):
    assert client.get(product.url).status_code == 200

    PageViewRestriction.objects.create(page=product, restriction_type="login")

    assert client.get(product.url).status_code == 302  # to the sign-in page


# Visitors with a session or a login -----------------------------------------------------


def test_a_visitor_with_a_list_neither_gets_nor_leaves_a_shared_page(client, site, product):
    anonymous = Client()
    assert "(0)" in html(anonymous, site.home.url)  # kept for everyone

    response = client.post(
        inquiry_url("add"), {"product": product.pk, "quantity": "1"}, **SAME_ORIGIN
    )
    assert response.status_code == 302

    own = client.get(site.home.url)
    assert 'inquiry-link__count">(1)' in own.content.decode()
    assert "private" in own["Cache-Control"] and "public" not in own["Cache-Control"]
    assert 'inquiry-link__count">(0)' in html(anonymous, site.home.url)
    assert 'inquiry-link__count">(1)' in html(client, product.url)
    assert 'inquiry-link__count">(0)' in html(anonymous, product.url)


def test_a_signed_in_producer_neither_gets_nor_leaves_a_shared_page(site, product, producer_a):
    anonymous = Client()
    shared = html(anonymous, producer_a.product.url)

    own = producer_a.client.get(producer_a.product.url)
    assert own.status_code == 200
    assert own.content != shared.encode()  # Wagtail's user bar, for them only
    assert "private" in own["Cache-Control"]

    assert html(anonymous, producer_a.product.url) == shared
    assert "wagtail-userbar" not in shared


# Adding to the list from a cached page ---------------------------------------------------


def test_the_add_form_of_a_cached_page_works_without_a_csrf_cookie(site, product):
    browser = Client(enforce_csrf_checks=True)
    html(Client(), product.url)  # another visitor's visit put the page in the cache
    page = html(browser, product.url)
    assert browser.cookies == {}

    response = browser.post(inquiry_url("add"), add_form(page), **SAME_ORIGIN)

    assert response.status_code == 302
    assert response.url.startswith(product.url)
    assert str(product.translation_key) in dict(browser.session["inquiry_list"])
    back = browser.get(response.url)  # the page returned to, with its message
    assert "message--success" in back.content.decode()
    assert 'inquiry-link__count">(1)' in back.content.decode()


def test_the_add_form_works_for_the_pages_script(site, product):
    browser = Client(enforce_csrf_checks=True)
    fields = add_form(html(browser, site.products.url))

    response = browser.post(
        inquiry_url("add"),
        fields,
        HTTP_ACCEPT="application/json",
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {},  # no origin named and no token: the token check refuses it
    ],
    ids=["other origin", "opaque origin", "cross-site fetch", "same-site fetch", "nothing"],
)
def test_an_addition_from_another_site_is_refused(site, product, headers):
    browser = Client(enforce_csrf_checks=True)
    fields = add_form(html(browser, product.url))

    response = browser.post(inquiry_url("add"), fields, **headers)

    assert response.status_code == 403
    assert "inquiry_list" not in browser.session


def test_other_forms_keep_their_csrf_token(site):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(inquiry_url("find"), {"reference": "DB-2026-000001"}, **SAME_ORIGIN)
    assert response.status_code == 403


def test_english_pages_are_kept_apart(client, site):
    with translation.override("en"):
        english = html(client, site.home_en.url)
    vietnamese = html(client, site.home.url)
    assert english != vietnamese
    assert 'lang="en"' in english and 'lang="vi"' in vietnamese


# The home page's shared part, for visitors whose whole page is not shared ----------------


def content_queries(client: Client, address: str) -> list[str]:
    """The queries of a view that read what the home page shows (not the visitor's own)."""
    with CaptureQueriesContext(connection) as queries:
        html(client, address)
    shown = ("products_productpage", "producers_producerpage", "curation_")
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in shown)]


def test_the_home_content_is_kept_for_a_visitor_with_a_list(client, site, product):
    client.post(inquiry_url("add"), {"product": product.pk, "quantity": "1"}, **SAME_ORIGIN)
    assert content_queries(client, site.home.url)  # made once
    assert content_queries(client, site.home.url) == []  # then kept
    own = html(client, site.home.url)
    assert "Bình gốm men lam" in own and 'inquiry-link__count">(1)' in own

    product.title = "Bình gốm men ngọc"
    product.save_revision().publish()
    assert "Bình gốm men ngọc" in html(client, site.home.url)  # a change drops it at once


def test_a_preview_of_the_home_page_is_never_kept(client, site, product):
    client.post(inquiry_url("add"), {"product": product.pk, "quantity": "1"}, **SAME_ORIGIN)
    html(client, site.home.url)  # its content kept (and the "added" message shown)
    live = html(client, site.home.url)
    draft = site.home.specific
    draft.hero_title = "Bản nháp chưa duyệt"
    preview = draft.make_preview_request()
    assert "Bản nháp chưa duyệt" in preview.content.decode()  # the draft, not the kept part
    assert html(client, site.home.url) == live  # and the draft was not kept


# Listings' shared parts (cards, filters), for requests the page cache does not answer ---


def listing_queries(client: Client, address: str) -> list[str]:
    """The queries of a listing that only its cards and its filter form need."""
    with CaptureQueriesContext(connection) as queries:
        html(client, address)
    tables = ("products_productimage", "producers_locality", "products_productcategory")
    own = [f'FROM "{table}"' for table in tables]
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in own)]


def test_a_listings_cards_and_filters_are_kept_and_follow_each_change(client, site, product):
    client.post(inquiry_url("add"), {"product": product.pk, "quantity": "1"}, **SAME_ORIGIN)
    assert listing_queries(client, site.products.url)  # made once
    assert listing_queries(client, site.products.url + "?trang=1") == []  # then kept
    own = html(client, site.products.url)
    assert 'inquiry-link__count">(1)' in own and vnd(250000, "vi") in own
    # The filters as chosen: a kept form for each set of values.
    chosen = html(client, site.products.url + "?availability=in_stock")
    assert '<option value="in_stock" selected>' in chosen
    assert '<option value="in_stock" selected>' not in html(client, site.products.url)

    update_facts(product, {"price_vnd": 310000}, None)

    changed = html(client, site.products.url)
    assert vnd(310000, "vi") in changed and vnd(250000, "vi") not in changed


def test_a_product_page_is_kept_but_its_add_form_is_each_requests_own(client, product):
    client.post(inquiry_url("add"), {"product": product.pk, "quantity": "1"}, **SAME_ORIGIN)
    html(client, product.url)  # the page after the addition shows its message
    with CaptureQueriesContext(connection) as queries:
        page = html(client, product.url + "?from=qr")
    shown = ('FROM "products_productimage"', 'FROM "certificates_ocopcertificate"')
    assert not [q for q in queries.captured_queries if any(t in q["sql"] for t in shown)]
    assert f'name="next" value="{product.url}?from=qr"' in page  # not the kept request's
    assert 'inquiry-link__count">(1)' in page

    product.title = "Bình gốm men ngọc"
    product.save_revision().publish()

    assert "Bình gốm men ngọc" in html(client, product.url + "?from=qr")
