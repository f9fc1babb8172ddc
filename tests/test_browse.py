"""Browsing the catalogue: the listing's sorts and price ranges are the search's, the
filters fold into a panel that works without JavaScript, and producers found by a
search sit in one compact row above the products."""

import re

import pytest

from producers.models import ProducerPage
from products import facets
from products.filters import ProductFilterForm
from products.models import ProductPage
from search import service
from search.backends import database_backend
from search.query import PRICE_RANGES, SORTS
from tests.factories import category, make_producer, make_product, vi
from tests.public_pages_fixtures import ISSUED


def titles_in_order(response) -> list[str]:
    """The titles of the product cards, in the page's order."""
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]+)</a>', response.text)


@pytest.fixture
def producer(site) -> ProducerPage:
    return make_producer(site.producers)


@pytest.fixture
def priced(producer) -> dict[str, ProductPage]:
    """Products at 30.000 ₫, 80.000 ₫, 150.000 ₫ and 600.000 ₫, and one "on request";
    published in this order (the last one is the newest)."""
    return {
        "Rẻ": make_product(producer, "Rẻ", price_vnd=30_000, stars=3, certificate_issued=ISSUED),
        "Vừa": make_product(producer, "Vừa", price_vnd=80_000, stars=5, certificate_issued=ISSUED),
        "Khá": make_product(producer, "Khá", price_vnd=150_000),
        "Đắt": make_product(producer, "Đắt", price_vnd=600_000, stars=4, certificate_issued=ISSUED),
        "Liên hệ": make_product(producer, "Liên hệ", price_vnd=None, price_on_request=True),
    }


# One definition ------------------------------------------------------------------------


def test_the_listing_offers_the_searchs_sorts_and_price_ranges(site):
    form = ProductFilterForm({}, locale=vi())

    assert SORTS is facets.SORTS and PRICE_RANGES is facets.PRICE_RANGES
    assert [key for key, _label in form.fields["price"].choices] == [
        key for key, _low, _high in PRICE_RANGES
    ]
    search_labels = dict(service.sort_choices())
    listing_sorts = dict(form.fields["sort"].choices)
    # "Best match" needs words to match: the listing has no search box.
    assert set(listing_sorts) == set(SORTS) - {"relevance"}
    assert all(search_labels[sort] == label for sort, label in listing_sorts.items())


# Sorting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("", ["Liên hệ", "Đắt", "Khá", "Vừa", "Rẻ"]),  # the newest first
        ("newest", ["Liên hệ", "Đắt", "Khá", "Vừa", "Rẻ"]),
        ("price_asc", ["Rẻ", "Vừa", "Khá", "Đắt", "Liên hệ"]),  # "on request" last
        ("price_desc", ["Đắt", "Khá", "Vừa", "Rẻ", "Liên hệ"]),
        ("stars", ["Vừa", "Đắt", "Rẻ", "Liên hệ", "Khá"]),  # unstarred last, newest first
        ("relevance", ["Liên hệ", "Đắt", "Khá", "Vừa", "Rẻ"]),  # not a listing sort
        ("<script>", ["Liên hệ", "Đắt", "Khá", "Vừa", "Rẻ"]),
    ],
)
def test_listing_sorts(site, client, priced, sort, expected):
    response = client.get(site.products.url, {"sort": sort})

    assert response.status_code == 200
    assert titles_in_order(response) == expected


def test_the_category_route_sorts_and_filters_by_price_too(site, client, priced):
    make_product(
        make_producer(site.producers), "Chiếu", category=category("thu-cong-my-nghe"), price_vnd=1
    )

    response = client.get(
        site.products.url + "danh-muc/thuc-pham/",
        {"sort": "price_desc", "price": ["under-50k", "100k-200k"]},
    )

    assert titles_in_order(response) == ["Khá", "Rẻ"]


def test_the_sort_is_kept_by_the_pages_links(site, client, producer):
    for n in range(26):
        make_product(producer, f"Sản phẩm {n:02d}", price_vnd=1000 * (n + 1))

    first = client.get(site.products.url, {"sort": "price_asc"})
    second = client.get(site.products.url, {"sort": "price_asc", "page": "2"})

    assert "?sort=price_asc&amp;page=2" in first.text
    assert titles_in_order(second) == ["Sản phẩm 24", "Sản phẩm 25"]


# Price ranges --------------------------------------------------------------------------


def test_price_ranges_are_any_of_the_ranges_ticked(site, client, priced):
    response = client.get(site.products.url, {"price": ["under-50k", "500k-up"]})

    assert set(titles_in_order(response)) == {"Rẻ", "Đắt"}
    assert set(titles_in_order(client.get(site.products.url, {"price": "50k-100k"}))) == {"Vừa"}


def price_counts(html: str) -> dict[str, str]:
    """The count shown beside each price range's checkbox, by the range's key."""
    found = re.findall(r'name="price" value="([^"]+)"[^>]*>[^<]*\((\d+)\)</label>', html)
    return dict(found)


def test_price_ranges_show_their_counts_with_the_other_filters(site, client, priced):
    response = client.get(site.products.url, {"price": "under-50k", "stars": ["4", "5"]})

    # Counted with the stars chosen, not the range chosen: the other ranges stay offered,
    # and a range nothing is in is left out, unless it is chosen.
    assert price_counts(response.text) == {"under-50k": "0", "50k-100k": "1", "500k-up": "1"}
    assert titles_in_order(response) == []
    assert price_counts(client.get(site.products.url).text) == {
        "under-50k": "1",
        "50k-100k": "1",
        "100k-200k": "1",
        "500k-up": "1",
    }


@pytest.mark.parametrize(
    "query",
    [{"price": "cheap"}, {"price": ["under-50k", "x"]}, {"sort": "9"}, {"price": ""}],
)
def test_bad_prices_and_sorts_are_ignored(site, client, priced, query):
    response = client.get(site.products.url, query)

    assert response.status_code == 200
    assert set(titles_in_order(response)) == set(priced)


# The filter form without JavaScript -----------------------------------------------------


def test_filters_fold_into_a_panel_with_one_submit_button(site, client, priced):
    html = client.get(site.products.url, {"stars": "3", "price": "under-50k"}).text

    assert '<details class="filters__panel" data-filters-panel>' in html
    assert '<label for="id_sort">' in html and '<select name="sort" id="id_sort">' in html
    assert html.count('<button type="submit" class="button filters__submit">') == 1
    # The closed panel says how many filters are chosen.
    assert re.search(r'<span class="filters__active">2 ', html)
    assert re.search(r'<script src="/static/js/filters\.js" defer></script>', html)
    assert '<p class="visually-hidden" role="status" data-filters-status></p>' in html
    # Two product cards a row on phones (site.css): the grid says what it holds.
    assert '<ul class="card-grid card-grid--products" role="list">' in html


def test_the_producers_listing_folds_its_filters_too(site, client):
    make_producer(site.producers, "HTX Gốm")

    html = client.get(site.producers.url).text

    assert '<details class="filters__panel" data-filters-panel>' in html
    assert 'name="sort"' not in html


# The search page ------------------------------------------------------------------------


def test_search_folds_its_facets_and_shows_producers_in_one_row(site, client, settings):
    settings.ELASTICSEARCH_URL = ""
    producer = make_producer(site.producers, "HTX Nước mắm Điện Dương")
    make_product(producer, "Nước mắm cá cơm", availability="in_stock")
    database_backend().rebuild()

    html = client.get("/vi/tim-kiem/", {"q": "nuoc mam", "availability": "in_stock"}).text

    assert '<details class="filters__panel" data-filters-panel>' in html
    assert re.search(r'<span class="filters__active">1 ', html)
    assert '<ul class="producer-strip" role="list">' in html
    # The count, then the producers' row, then the products.
    count = html.index("data-results-count")
    assert count < html.index('class="search-producers"') < html.index("card-grid--products")
