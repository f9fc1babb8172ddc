"""The product and producer listings: filters, pagination and bad input."""

import datetime
import re

import pytest

from producers.models import ProducerPage
from products.models import ProductCategory, ProductPage
from tests.factories import (
    category,
    en,
    make_craft_village,
    make_locality,
    make_producer,
    make_product,
    vi,
)
from tests.public_pages_fixtures import (
    ISSUED,
    translate_page,
    url_of,
)


def product_titles(response) -> set[str]:
    """The titles of the product cards on a page."""
    return set(re.findall(r'class="card__title"><a href="[^"]*">([^<]+)</a>', response.text))


@pytest.fixture
def producer(site) -> ProducerPage:
    return make_producer(site.producers)


@pytest.fixture
def sauces(db) -> ProductCategory:
    """A sub-category of the "Food" group."""
    return ProductCategory.objects.create(
        name="Nước mắm", slug="nuoc-mam", parent=category("thuc-pham"), locale=vi()
    )


def test_category_filter_includes_sub_categories(site, client, producer, sauces):
    make_product(producer, "Bánh tráng", category=category("thuc-pham"))
    make_product(producer, "Nước mắm cá cơm", category=sauces)
    make_product(producer, "Chiếu cói", category=category("thu-cong-my-nghe"))

    response = client.get(site.products.url, {"category": "thuc-pham"})

    assert response.status_code == 200
    assert product_titles(response) == {"Bánh tráng", "Nước mắm cá cơm"}
    assert product_titles(client.get(site.products.url, {"category": "nuoc-mam"})) == {
        "Nước mắm cá cơm"
    }


def test_category_route_lists_the_category_with_its_name(site, client, producer, sauces):
    make_product(producer, "Nước mắm cá cơm", category=sauces, availability="in_stock")
    make_product(producer, "Nước mắm nhĩ", category=sauces, availability="out_of_stock")
    make_product(producer, "Chiếu cói", category=category("thu-cong-my-nghe"))

    response = client.get(site.products.url + "danh-muc/thuc-pham/")

    assert response.status_code == 200
    assert "<h1>Thực phẩm</h1>" in response.text
    assert product_titles(response) == {"Nước mắm cá cơm", "Nước mắm nhĩ"}
    # Sub-categories are linked, and the other filters still apply.
    assert 'href="/vi/san-pham/danh-muc/nuoc-mam/"' in response.text
    filtered = client.get(
        site.products.url + "danh-muc/thuc-pham/", {"availability": "out_of_stock"}
    )
    assert product_titles(filtered) == {"Nước mắm nhĩ"}


def test_an_english_copy_takes_the_english_category_and_is_listed(site, client, producer):
    product = make_product(producer, "Bánh tráng", category=category("thuc-pham"))
    producer_en = translate_page(producer)
    # Wagtail's copy points at the Vietnamese category; the shared facts translate it.
    translate_page(product, title="Rice paper", slug="rice-paper")
    assert ProductPage.objects.get(locale=en(), title="Rice paper").category == category(
        "thuc-pham", en()
    )

    response = client.get(url_of(site.products_en) + "category/thuc-pham/")

    assert response.status_code == 200
    assert product_titles(response) == {"Rice paper"}
    assert producer_en.live


def test_unknown_category_route_is_404(site, client):
    assert client.get(site.products.url + "danh-muc/khong-co/").status_code == 404


def test_stars_filter_counts_only_certificates_valid_today(site, client, producer):
    make_product(producer, "Ba sao", stars=3, certificate_issued=ISSUED)
    make_product(producer, "Bốn sao", stars=4, certificate_issued=ISSUED)
    make_product(producer, "Năm sao", stars=5, certificate_issued=ISSUED)
    make_product(producer, "Hết hạn", stars=4, certificate_issued=datetime.date(2021, 1, 5))
    make_product(producer, "Không sao")

    assert product_titles(client.get(site.products.url, {"stars": "4"})) == {"Bốn sao"}
    assert product_titles(client.get(site.products.url, {"stars": ["3", "5"]})) == {
        "Ba sao",
        "Năm sao",
    }


def test_locality_filter(site, client):
    dien_duong = make_producer(site.producers, locality=make_locality())
    dien_nam = make_producer(site.producers, locality=make_locality("Điện Nam Bắc", "dien-nam-bac"))
    make_product(dien_duong, "Nước mắm")
    make_product(dien_nam, "Bánh tráng")

    response = client.get(site.products.url, {"locality": "dien-nam-bac"})

    assert product_titles(response) == {"Bánh tráng"}


def test_availability_filter(site, client, producer):
    make_product(producer, "Còn hàng", availability=ProductPage.Availability.IN_STOCK)
    make_product(
        producer,
        "Theo mùa",
        availability=ProductPage.Availability.SEASONAL,
        season_months=[5, 6],
    )

    response = client.get(site.products.url, {"availability": "seasonal"})

    assert product_titles(response) == {"Theo mùa"}


def test_listing_shows_only_live_products_of_its_language(site, client, producer):
    make_product(producer, "Đã đăng")
    make_product(producer, "Bản nháp", publish=False)
    english_producer = translate_page(producer)
    make_product(english_producer, "English only", category=category("thuc-pham", en()))

    assert product_titles(client.get(site.products.url)) == {"Đã đăng"}
    assert product_titles(client.get(url_of(site.products_en))) == {"English only"}


@pytest.fixture
def many_products(site, producer) -> list[ProductPage]:
    return [make_product(producer, f"Sản phẩm {n:02d}") for n in range(26)]


def test_products_are_paginated_24_per_page_and_links_keep_the_filters(site, client, many_products):
    first = client.get(site.products.url, {"availability": "in_stock"})
    second = client.get(site.products.url, {"availability": "in_stock", "page": "2"})

    assert len(product_titles(first)) == 24
    assert len(product_titles(second)) == 2
    assert "?availability=in_stock&amp;page=2" in first.text
    assert 'aria-current="page">2<' in second.text


@pytest.mark.parametrize(
    "query, expected_page",
    [
        ({"page": "abc"}, 1),
        ({"page": "99999"}, 2),
        ({"page": "-1"}, 2),
        ({"page": ""}, 1),
    ],
)
def test_bad_page_numbers_fall_back_to_a_real_page(
    site, client, many_products, query, expected_page
):
    response = client.get(site.products.url, query)

    assert response.status_code == 200
    assert f'aria-current="page">{expected_page}<' in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"stars": "9"},
        {"stars": "abc"},
        {"locality": "nonsense"},
        {"category": "<script>"},
        {"availability": "sold"},
        # (A NUL character is refused before any view: tests/test_hostile_input.py.)
        {"stars": ["4", "x"], "category": "", "locality": "../"},
    ],
)
def test_invalid_filters_are_ignored(site, client, producer, query):
    make_product(producer, "Nước mắm", stars=4, certificate_issued=ISSUED)

    response = client.get(site.products.url, query)

    assert response.status_code == 200
    assert product_titles(response) == {"Nước mắm"}


def test_english_listing_filters_by_english_slugs(site, client, producer):
    product = make_product(producer, "Bánh tráng", category=category("thuc-pham"))
    translate_page(producer)
    translate_page(
        product,
        title="Rice paper",
        category=category("thuc-pham", en()),
    )
    food = client.get(url_of(site.products_en), {"category": "thuc-pham"})
    drinks = client.get(url_of(site.products_en), {"category": "do-uong"})

    assert product_titles(food) == {"Rice paper"}
    assert product_titles(drinks) == set()
    assert "No products match these filters." in drinks.text


def producer_names(response) -> set[str]:
    return product_titles(response)


def test_producer_listing_filters(site, client):
    village = make_craft_village()
    make_producer(site.producers, "HTX Gốm", craft_village=village)
    make_producer(
        site.producers,
        "Hộ Bánh tráng",
        legal_form=ProducerPage.LegalForm.HOUSEHOLD,
        locality=make_locality("Điện Nam Bắc", "dien-nam-bac"),
    )

    everyone = client.get(site.producers.url)
    households = client.get(site.producers.url, {"legal_form": "household"})
    in_dien_nam = client.get(site.producers.url, {"locality": "dien-nam-bac"})
    potters = client.get(site.producers.url, {"craft_village": village.slug})
    nonsense = client.get(site.producers.url, {"craft_village": "x", "legal_form": "y"})

    assert producer_names(everyone) == {"HTX Gốm", "Hộ Bánh tráng"}
    assert producer_names(households) == {"Hộ Bánh tráng"}
    assert producer_names(in_dien_nam) == {"Hộ Bánh tráng"}
    assert producer_names(potters) == {"HTX Gốm"}
    assert nonsense.status_code == 200
    assert producer_names(nonsense) == {"HTX Gốm", "Hộ Bánh tráng"}


def test_producer_listing_is_paginated(site, client):
    for n in range(25):
        make_producer(site.producers, f"HTX {n:02d}")

    first = client.get(site.producers.url)
    last = client.get(site.producers.url, {"page": "99999"})

    assert len(producer_names(first)) == 24
    assert producer_names(last) == {"HTX 24"}


def test_filter_form_is_a_plain_labelled_get_form(site, client):
    response = client.get(site.products.url)

    assert '<form class="filters" method="get"' in response.text
    for field in ("category", "locality", "availability"):
        assert f'<label for="id_{field}">' in response.text
    assert "<legend>Hạng sao OCOP</legend>" in response.text
    assert '<button type="submit"' in response.text


def test_page_links_show_the_ends_and_the_pages_around_the_current_one():
    from marketplace.core.navigation import page_links

    assert page_links(1, 1) == [1]
    assert page_links(2, 3) == [1, 2, 3]
    assert page_links(400, 800) == [1, 2, None, *range(397, 404), None, 799, 800]
    assert page_links(900, 800)[-3:] == [798, 799, 800]  # beyond the end: the last page's


def test_a_long_pagination_links_the_pages_near_the_current_one_keeping_the_address(rf):
    from django.template.loader import render_to_string

    request = rf.get("/vi/tim-kiem/", {"sort": "price_asc", "page": "10"})
    html = render_to_string(
        "includes/pagination.html", {"number": 10, "count": 800}, request=request
    )

    assert '<span aria-current="page">10</span>' in html
    links = re.findall(r'href="\?sort=price_asc&amp;page=(\d+)"', html)
    assert links == ["9", "1", "2", "7", "8", "9", "11", "12", "13", "799", "800", "11"]
    assert html.count('<span aria-hidden="true">…</span>') == 2
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_a_single_page_has_no_pagination(rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "includes/pagination.html", {"number": 1, "count": 1}, request=rf.get("/")
    )
    assert "pagination" not in html
