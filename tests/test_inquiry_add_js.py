"""Adding to the inquiry list without leaving the page: the view's JSON for the page's
script (js/inquiry_list.js), the way back to the product's form without JavaScript, the
add buttons of search result cards; and in Chromium, the whole thing on a phone."""

import re

import pytest
from django.test import override_settings

from search.backends.database import DatabaseBackend
from tests.inquiry_helpers import add, list_quantities, messages_of, url
from tests.test_query_counts import count_queries

pytest_plugins = ["tests.inquiry_fixtures"]

JSON = {"HTTP_ACCEPT": "application/json"}
# What Chromium sends with a form of its own.
BROWSER_FORM = {
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,"
    "image/avif,image/webp,image/apng,*/*;q=0.8"
}


def key(product) -> str:
    return str(product.translation_key)


def add_json(client, product, quantity="1", language="en"):
    data = {"product": product.pk, "quantity": quantity}
    return client.post(url("add", language), data, **JSON)


def status_line(html: str, product) -> str:
    """The text of the status line of the product's add form."""
    match = re.search(
        rf'<p id="product-{product.pk}-status" class="([^"]*)" role="status" '
        rf'aria-live="polite">(.*?)</p>',
        html,
        re.DOTALL,
    )
    assert match, f"no status line for product {product.pk}"
    return match.group(1) + "|" + match.group(2)


# The view's JSON


@pytest.mark.django_db
def test_the_script_gets_the_message_and_the_new_count(shop, client):
    response = add_json(client, shop.rice_wine, "2")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "message": "Added 2 × Rượu nếp Gò Nổi to your inquiry list.",
        "list_url": url("list", "en"),
        "list_link": "See your list",
        "count": 1,
        "quantity": 2,
    }
    assert list_quantities(client) == {key(shop.rice_wine): 2}
    # Nothing is left for the next page to show.
    assert messages_of(client.get(url("list"))) == []


@pytest.mark.django_db
def test_adding_again_says_what_the_list_holds_now(shop, client):
    add_json(client, shop.rice_wine, "2")
    again = add_json(client, shop.rice_wine, "3").json()
    other = add_json(client, shop.fish_sauce, "5").json()

    assert again["message"] == (
        "Added 3 × Rượu nếp Gò Nổi to your inquiry list. In your list now: 5 × chai."
    )
    assert again["count"] == 1
    assert other["count"] == 2


@pytest.mark.django_db
def test_a_refused_quantity_comes_back_as_the_fields_errors(shop, client):
    response = add_json(client, shop.fish_sauce, "3")

    assert response.status_code == 400
    assert response.json() == {
        "message": "Nước mắm nhĩ is sold from 5 units (chai).",
        "errors": {"quantity": ["Nước mắm nhĩ is sold from 5 units (chai)."]},
    }
    assert list_quantities(client) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quantity", "message"),
    [("", "Enter the quantity as a whole number."), ("0", "The quantity must be at least 1.")],
)
def test_bad_quantities_are_refused_in_json(shop, client, quantity, message):
    response = add_json(client, shop.rice_wine, quantity)

    assert response.status_code == 400
    assert response.json()["errors"] == {"quantity": [message]}


@pytest.mark.django_db
def test_products_that_cannot_be_added_are_refused_in_json(shop, client):
    sold_out = add_json(client, shop.sold_out, "1")
    unknown = client.post(url("add", "en"), {"product": "999999", "quantity": "1"}, **JSON)

    assert sold_out.status_code == unknown.status_code == 400
    assert sold_out.json()["errors"] == {
        "product": ["Mắm cái is out of stock: it cannot be added to an inquiry list now."]
    }
    assert unknown.json()["errors"] == {"product": ["This product is no longer offered."]}
    assert list_quantities(client) == {}


@pytest.mark.django_db
@override_settings(INQUIRY_RATE_LIMITS={"add": (2, 600)})
def test_the_rate_limit_holds_for_the_script_too(shop, client):
    for _ in range(2):
        assert add_json(client, shop.rice_wine, "1").status_code == 200

    response = add_json(client, shop.rice_wine, "1")

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "please wait 10 minutes and try again" in response.json()["message"]
    assert list_quantities(client) == {key(shop.rice_wine): 2}


@pytest.mark.django_db
def test_a_browsers_own_form_still_gets_a_page(shop, client):
    data = {"product": shop.rice_wine.pk, "quantity": "1", "next": shop.rice_wine.url}
    response = client.post(url("add"), data, **BROWSER_FORM)

    assert response.status_code == 302


@pytest.mark.django_db
def test_adding_needs_the_csrf_token_with_the_script_too(shop):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = add_json(client, shop.rice_wine, "1")

    assert response.status_code == 403
    assert list_quantities(client) == {}


# Without JavaScript: back at the product's form


@pytest.mark.django_db
def test_the_page_comes_back_at_the_products_form_with_the_message_there(shop, client):
    listing = shop.site.products.url + "?page=1"

    response = add(client, shop.rice_wine, "1", language="en", next=listing)

    assert response.status_code == 302
    assert response.url == f"{listing}#product-{shop.rice_wine.pk}"
    page = client.get(response.url).content.decode()
    message = "Added 1 × Rượu nếp Gò Nổi to your inquiry list."
    assert f'<form id="product-{shop.rice_wine.pk}" class="product-card__add"' in page
    assert status_line(page, shop.rice_wine) == (
        f'add-status|{message} <a href="{url("list", "en")}">See your list</a>'
    )
    # Also at the top, styled as a success; other cards' lines stay empty.
    assert f'<li class="message message--success">{message}' in page
    assert status_line(page, shop.fish_sauce) == "add-status|"


@pytest.mark.django_db
def test_a_refused_quantity_is_shown_at_the_product_pages_input(shop, client):
    response = add(client, shop.fish_sauce, "2", language="en", next=shop.fish_sauce.url)

    assert response.url == f"{shop.fish_sauce.url}#product-{shop.fish_sauce.pk}"
    page = client.get(response.url).content.decode()
    assert f'<form id="product-{shop.fish_sauce.pk}" class="add-to-list"' in page
    assert status_line(page, shop.fish_sauce) == (
        "add-status add-status--error|Nước mắm nhĩ is sold from 5 units (chai)."
    )
    assert (
        f'required aria-invalid="true" aria-describedby="product-{shop.fish_sauce.pk}-status">'
        in page
    )


@pytest.mark.django_db
def test_a_fragment_in_next_is_replaced_by_the_products(shop, client):
    response = add(client, shop.rice_wine, "1", next=shop.rice_wine.url + "#reviews")

    assert response.url == f"{shop.rice_wine.url}#product-{shop.rice_wine.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize("next_page", ["https://evil.example/", "//evil.example/", "123", ""])
def test_without_a_safe_next_page_the_list_is_shown(shop, client, next_page):
    response = add(client, shop.rice_wine, "1", next=next_page)

    assert response.url == url("list")


@pytest.mark.django_db
def test_a_bad_product_id_gives_no_anchor(shop, client):
    response = client.post(
        url("add"), {"product": "12abc", "quantity": "1", "next": shop.site.products.url}
    )

    assert response.url == shop.site.products.url


# Search result cards


def search_page(client, q: str, language: str = "vi") -> str:
    response = client.get(f"/{language}/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def indexed_shop(shop):
    DatabaseBackend().rebuild()
    return shop


@pytest.mark.django_db
def test_search_result_cards_add_the_product(indexed_shop, client):
    shop = indexed_shop
    html = search_page(client, "mắm")

    fish_sauce_form = re.search(
        rf'<form id="product-{shop.fish_sauce.pk}" .*?</form>', html, re.DOTALL
    ).group(0)
    assert 'action="/vi/inquiry-list/add/"' in fish_sauce_form
    assert "data-add-to-list" in fish_sauce_form
    # A hit does not know the minimum: the form sends no quantity.
    assert 'name="quantity"' not in fish_sauce_form
    assert 'name="next" value="/vi/search/?q=m%E1%BA%AFm"' in fish_sauce_form
    # Out of stock: no button.
    assert "Mắm cái" in html
    assert f'name="product" value="{shop.sold_out.pk}"' not in html


@pytest.mark.django_db
def test_a_form_without_quantity_adds_the_minimum(indexed_shop, client):
    shop = indexed_shop

    response = client.post(url("add", "en"), {"product": shop.fish_sauce.pk}, **JSON)
    again = client.post(url("add", "en"), {"product": shop.fish_sauce.pk}, **JSON)

    assert response.json()["message"] == "Added 5 × Nước mắm nhĩ to your inquiry list."
    assert again.json()["quantity"] == 10
    assert list_quantities(client) == {key(shop.fish_sauce): 10}


@pytest.mark.django_db
def test_search_comes_back_at_the_hit_without_javascript(indexed_shop, client):
    shop = indexed_shop
    search = "/vi/search/?q=r%C6%B0%E1%BB%A3u"

    response = client.post(url("add"), {"product": shop.rice_wine.pk, "next": search})

    assert response.url == f"{search}#product-{shop.rice_wine.pk}"
    html = client.get(response.url).content.decode()
    assert "add-status|" in status_line(html, shop.rice_wine)
    assert "Rượu nếp Gò Nổi" in status_line(html, shop.rice_wine)
    assert list_quantities(client) == {key(shop.rice_wine): 1}


@pytest.mark.django_db
def test_search_result_buttons_make_no_query_per_hit(site, client):
    from tests.factories import make_producer, make_product

    producer = make_producer(site.producers)
    for _ in range(3):
        make_product(producer, title="Nước mắm thử")
    DatabaseBackend().rebuild()
    few = count_queries(client, "/vi/search/?q=nuoc+mam")

    for _ in range(9):
        make_product(producer, title="Nước mắm thử")
    DatabaseBackend().rebuild()
    html = search_page(client, "nuoc mam")

    assert html.count("data-add-to-list") == 12
    assert count_queries(client, "/vi/search/?q=nuoc+mam") <= few
