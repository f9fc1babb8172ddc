"""Featured collections: date windows, the office's order, automatic drop-out, the admin
warning, who may edit them, and the public collection page in both languages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.test.utils.form_data import querydict_from_html

from marketplace.core.url_segments import route_in
from marketplace.curation.models import FeaturedCollection, FeaturedCollectionItem
from marketplace.curation.queries import visible_items
from products.models import ProductPage
from tests.factories import en, make_image, make_producer, make_product, vi
from tests.producer_accounts_helpers import is_denied
from tests.public_pages_fixtures import translate_page, translate_snippet

pytest_plugins = ["tests.producer_accounts_fixtures"]

JUNE_1 = datetime.date(2026, 6, 1)
JUNE_30 = datetime.date(2026, 6, 30)
DAY = datetime.timedelta(days=1)


def make_collection(
    title: str,
    slug: str,
    pages=(),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    **fields,
) -> FeaturedCollection:
    collection = FeaturedCollection.objects.create(
        title=title,
        slug=slug,
        locale=fields.pop("locale", None) or vi(),
        starts_on=starts_on or timezone.localdate() - DAY,
        ends_on=ends_on,
        **fields,
    )
    for page in pages:
        kind = "product" if isinstance(page, ProductPage) else "producer"
        FeaturedCollectionItem.objects.create(collection=collection, **{kind: page})
    return collection


def collection_url(language: str, slug: str) -> str:
    return f"/{language}/{route_in('collections/', language)}{slug}/"


def admin_url(action: str, *args) -> str:
    return reverse(f"wagtailsnippets_curation_featuredcollection:{action}", args=args)


@pytest.fixture
def producer(site):
    return make_producer(site.producers, "HTX Gốm Thanh Hà")


@pytest.fixture
def product(producer):
    return make_product(producer, "Bình gốm", stars=4)


# Date windows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "on, active",
    [(JUNE_1 - DAY, False), (JUNE_1, True), (JUNE_30, True), (JUNE_30 + DAY, False)],
    ids=["before start", "start day", "end day", "after end"],
)
def test_a_collection_is_active_from_its_start_day_to_its_end_day(db, on, active):
    summer = make_collection("Đặc sản mùa hè", "dac-san-mua-he", starts_on=JUNE_1, ends_on=JUNE_30)

    assert summer.is_active(on) is active
    assert list(FeaturedCollection.objects.active(on)) == ([summer] if active else [])


def test_a_collection_without_an_end_date_stays_active(db):
    make_collection("Quà Tết OCOP", "qua-tet-ocop", starts_on=JUNE_1)

    assert FeaturedCollection.objects.active(JUNE_1 + 1000 * DAY).count() == 1


def test_the_end_date_cannot_be_before_the_start_date(db):
    collection = FeaturedCollection(
        title="Quà Tết", slug="qua-tet", locale=vi(), starts_on=JUNE_30, ends_on=JUNE_1
    )

    with pytest.raises(ValidationError) as error:
        collection.full_clean()
    assert "ends_on" in error.value.message_dict


@pytest.mark.parametrize("with_product, with_producer", [(True, True), (False, False)])
def test_an_item_is_a_product_or_a_producer(product, producer, with_product, with_producer):
    item = FeaturedCollectionItem(
        product=product if with_product else None,
        producer=producer if with_producer else None,
    )

    with pytest.raises(ValidationError):
        item.clean()


# Home page ------------------------------------------------------------------------------


def test_home_page_shows_todays_collections_in_the_offices_order(client, product):
    today = timezone.localdate()
    make_collection("Quà Tết OCOP", "qua-tet", [product], sort_order=2, intro="Quà biếu Tết.")
    make_collection("Đặc sản mùa hè", "mua-he", [product], sort_order=1, image=make_image("Hè"))
    make_collection("Đã kết thúc", "da-ket-thuc", [product], ends_on=today - DAY)
    make_collection("Sắp tới", "sap-toi", [product], starts_on=today + DAY)

    html = client.get("/vi/").text

    assert html.index("Đặc sản mùa hè") < html.index("Quà Tết OCOP")
    assert "Quà biếu Tết." in html
    assert 'alt="Hè' in html
    assert 'href="/vi/bo-suu-tap/qua-tet/"' in html
    assert product.url in html
    assert "Đã kết thúc" not in html
    assert "Sắp tới" not in html


def test_home_page_shows_at_most_eight_items_of_a_collection(client, producer):
    products = [make_product(producer, f"Sản phẩm {n}") for n in range(10)]
    make_collection("Quà Tết OCOP", "qua-tet", products)

    html = client.get("/vi/").text
    section = html[html.index('class="section collection"') :].split("</section>")[0]

    assert [product.url in section for product in products] == [True] * 8 + [False] * 2


# Drop-out and the admin warning ---------------------------------------------------------


@pytest.fixture
def mixed_collection(site, producer, product):
    """A collection whose products and producers are each shown or hidden for a reason."""
    unpublished = make_product(producer, "Chén gốm", publish=False)
    withdrawn = make_product(producer, "Đĩa gốm")
    withdrawn.unpublish()
    sold_out = make_product(producer, "Lọ hoa", availability=ProductPage.Availability.OUT_OF_STOCK)
    hidden_producer = make_producer(site.producers, "HTX Chưa công bố", publish=False)
    pages = [product, unpublished, withdrawn, sold_out, producer, hidden_producer]
    collection = make_collection("Quà Tết OCOP", "qua-tet", pages)
    return collection, pages


def test_unpublished_and_out_of_stock_items_drop_out(client, mixed_collection):
    collection, (product, *hidden_products, producer, hidden_producer) = mixed_collection

    response = client.get(collection_url("vi", "qua-tet"))

    assert response.status_code == 200
    assert product.url in response.text
    assert producer.url in response.text
    for page in hidden_products:
        assert page.title not in response.text
    assert hidden_producer.title not in response.text
    assert [item.product or item.producer for item in visible_items(collection, vi().pk)] == [
        product,
        producer,
    ]


def test_the_office_is_warned_about_dropped_items(office_client, mixed_collection):
    collection, _ = mixed_collection
    with translation.override("en"):
        dropped = collection.dropped_items()
        reasons = {item.chosen_page.title: str(item.drop_reason()) for item in dropped}
    assert reasons == {
        "Chén gốm": "Not published",
        "Đĩa gốm": "Not published",
        "Lọ hoa": "Out of stock",
        "HTX Chưa công bố": "Not published",
    }

    listing = office_client.get(admin_url("list")).text
    edit_form = office_client.get(admin_url("edit", collection.pk)).text

    for html in (listing, edit_form):
        assert "Lọ hoa: Out of stock" in html
        assert "HTX Chưa công bố: Not published" in html
        assert "Bình gốm:" not in html
    assert '<span class="w-status w-status--label">Lọ hoa: Out of stock</span>' in listing


# Permissions ----------------------------------------------------------------------------


def test_the_office_can_add_and_edit_collections(office_client, product):
    collection = make_collection("Quà Tết OCOP", "qua-tet", [product])

    assert office_client.get(admin_url("list")).status_code == 200
    assert office_client.get(admin_url("add")).status_code == 200
    assert office_client.get(admin_url("edit", collection.pk)).status_code == 200


def test_producers_cannot_see_or_edit_collections(producer_a):
    collection = make_collection("Quà Tết OCOP", "qua-tet", [producer_a.product])

    for url in (
        admin_url("list"),
        admin_url("add"),
        admin_url("edit", collection.pk),
        admin_url("delete", collection.pk),
    ):
        assert is_denied(producer_a.client.get(url)), url
    assert is_denied(producer_a.client.post(admin_url("delete", collection.pk)))
    assert FeaturedCollection.objects.filter(pk=collection.pk).exists()


# Collection page ------------------------------------------------------------------------


def test_collection_page_in_vietnamese_and_english_fallback(client, product):
    make_collection("Quà Tết OCOP", "qua-tet", [product], intro="Quà biếu Tết.")

    vietnamese = client.get(collection_url("vi", "qua-tet"))
    english = client.get(collection_url("en", "qua-tet"))

    for response in (vietnamese, english):
        assert response.status_code == 200
        assert "<h1>Quà Tết OCOP</h1>" in response.text
        assert "<title>Quà Tết OCOP" in response.text
        assert product.url in response.text
    assert 'lang="en"' in english.text


def test_english_collection_page_shows_the_translations(client, site, producer, product):
    collection = make_collection("Quà Tết OCOP", "qua-tet", [product])
    translate_snippet(collection, title="OCOP Tet gifts", slug="tet-gifts", intro="Gifts.")
    translate_page(producer, display_name="Thanh Ha Pottery")
    english_product = translate_page(product, title="Pottery vase", slug="pottery-vase")

    response = client.get(collection_url("en", "tet-gifts"))
    home = client.get("/en/").text

    assert response.status_code == 200
    assert "<h1>OCOP Tet gifts</h1>" in response.text
    assert english_product.url in response.text
    assert product.url not in response.text
    assert 'href="/en/collections/tet-gifts/"' in home
    assert "Quà Tết OCOP" not in home
    assert en().pk == FeaturedCollection.objects.get(slug="tet-gifts").locale_id


@pytest.mark.parametrize("language", ["vi", "en"])
def test_unknown_or_inactive_collections_are_not_found(client, product, language):
    today = timezone.localdate()
    make_collection("Sắp tới", "sap-toi", [product], starts_on=today + DAY)
    make_collection("Đã kết thúc", "da-ket-thuc", [product], ends_on=today - DAY)

    for slug in ("khong-co", "sap-toi", "da-ket-thuc", "%20"):
        assert client.get(collection_url(language, slug)).status_code == 404


def test_collection_pages_make_a_fixed_number_of_queries(
    client, site, producer, django_assert_max_num_queries, no_page_cache
):
    collection = make_collection("Quà Tết OCOP", "qua-tet", [producer])
    urls = ["/vi/", collection_url("vi", "qua-tet"), collection_url("en", "qua-tet")]

    def add_items(count: int) -> None:
        for _ in range(count):
            product = make_product(producer, stars=4)
            FeaturedCollectionItem.objects.create(collection=collection, product=product)
        other = make_producer(site.producers)
        FeaturedCollectionItem.objects.create(collection=collection, producer=other)

    add_items(2)
    small = {}
    for url in urls:
        client.get(url)  # renditions and settings are made on the first view
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        small[url] = len(queries)

    add_items(10)
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200


def add_form_data(client, **fields) -> dict:
    """The admin's add form as it renders, with `fields` filled in."""
    form = querydict_from_html(client.get(admin_url("add")).text, form_id="w-editor-form")
    for name, value in fields.items():
        form[name.replace("__", "-")] = value
    return form


def test_the_office_creates_a_collection_in_the_admin(office_client, product):
    form = add_form_data(
        office_client,
        title="Quà Tết OCOP",
        slug="qua-tet",
        starts_on="2026-01-10",
        ends_on="2026-02-20",
        sort_order="1",
        items__TOTAL_FORMS="1",
        items__0__product=str(product.pk),
        items__0__producer="",
        items__0__ORDER="1",
        items__0__id="",
    )

    response = office_client.post(admin_url("add"), form)

    assert response.status_code == 302
    collection = FeaturedCollection.objects.get(slug="qua-tet")
    assert collection.locale == vi()
    assert [item.product for item in collection.items.all()] == [product]


def test_the_admin_form_refuses_an_end_before_the_start(office_client):
    form = add_form_data(
        office_client, title="Quà Tết", slug="qua-tet", starts_on="2026-02-20", ends_on="2026-01-10"
    )

    response = office_client.post(admin_url("add"), form)

    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not FeaturedCollection.objects.exists()
