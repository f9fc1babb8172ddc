"""Adding to the inquiry list without leaving the page: the view's JSON for the page's
script (js/inquiry_list.js), the way back to the product's form without JavaScript, the
add buttons of search result cards; and in Chromium, the whole thing on a phone."""

import re
from dataclasses import dataclass, field

import pytest
from django.test import Client, override_settings

from marketplace.core.url_segments import route_in
from search.backends.database import DatabaseBackend
from tests.browser_fixtures import axe_report, csp_report, require_axe, watch_csp
from tests.factories import make_producer, make_product
from tests.inquiry_helpers import add, list_quantities, messages_of, url
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401
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
    response = client.get(f"/{language}/{route_in('search/', language)}", {"q": q})
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
    assert 'action="/vi/danh-sach-hoi-mua/them/"' in fish_sauce_form
    assert "data-add-to-list" in fish_sauce_form
    # A hit does not know the minimum: the form sends no quantity.
    assert 'name="quantity"' not in fish_sauce_form
    assert 'name="next" value="/vi/tim-kiem/?q=m%E1%BA%AFm"' in fish_sauce_form
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
    search = "/vi/tim-kiem/?q=r%C6%B0%E1%BB%A3u"

    response = client.post(url("add"), {"product": shop.rice_wine.pk, "next": search})

    assert response.url == f"{search}#product-{shop.rice_wine.pk}"
    html = client.get(response.url).content.decode()
    assert "add-status|" in status_line(html, shop.rice_wine)
    assert "Rượu nếp Gò Nổi" in status_line(html, shop.rice_wine)
    assert list_quantities(client) == {key(shop.rice_wine): 1}


@pytest.mark.django_db
def test_search_result_buttons_make_no_query_per_hit(site, client):
    producer = make_producer(site.producers)
    for _ in range(3):
        make_product(producer, title="Nước mắm thử")
    DatabaseBackend().rebuild()
    few = count_queries(client, "/vi/tim-kiem/?q=nuoc+mam")

    for _ in range(9):
        make_product(producer, title="Nước mắm thử")
    DatabaseBackend().rebuild()
    html = search_page(client, "nuoc mam")

    assert html.count("data-add-to-list") == 12
    assert count_queries(client, "/vi/tim-kiem/?q=nuoc+mam") <= few


# In Chromium, on a phone


@dataclass
class Addition:
    """What the shopper saw after pressing an add button, collected in the browser thread."""

    status: str = ""
    status_link: str = ""
    count: str = ""
    kept_page: bool = False  # the window's marker survived: no reload
    navigations: int = 0
    scrolled_by: float = 0
    focus: str = ""  # the focused element: tag#form id
    invalid: str | None = None


@dataclass
class Visit:
    category: Addition = field(default_factory=Addition)
    search: Addition = field(default_factory=Addition)
    refused: Addition = field(default_factory=Addition)
    fallback_url: str = ""
    fallback_status: str = ""
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


STATE = """form => {
    const active = document.activeElement;
    const input = form.querySelector("input[name='quantity']:not([type='hidden'])");
    return {
        kept: window.addListMarker === "kept",
        navigations: performance.getEntriesByType("navigation").length,
        scrollY: window.scrollY,
        focus: active.tagName.toLowerCase() + "#" + (active.closest("form") || {}).id,
        invalid: input ? input.getAttribute("aria-invalid") : null,
    };
}"""


def press_add(page, form_id: str, expected: str) -> Addition:
    """Press the form's button, wait for its status line to say `expected`."""
    form = page.locator(f"#{form_id}")
    form.locator("button").scroll_into_view_if_needed()
    page.evaluate("window.addListMarker = 'kept'")
    before = form.evaluate(STATE)
    form.locator("button").click()
    status = page.locator(f"#{form_id}-status")
    status.filter(has_text=expected).wait_for()
    after = form.evaluate(STATE)
    link = status.locator("a")
    return Addition(
        status=status.inner_text(),
        status_link=link.get_attribute("href") if link.count() else "",
        count=page.locator(".inquiry-link__count").inner_text(),
        kept_page=after["kept"],
        navigations=after["navigations"],
        scrolled_by=after["scrollY"] - before["scrollY"],
        focus=after["focus"],
        invalid=after["invalid"],
    )


def add_without_leaving(browser, base_url: str, shop, search_path: str) -> Visit:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    visit = Visit(csp=watch_csp(context))
    page = context.new_page()
    try:
        # A category page's card.
        page.goto(base_url + shop.site.products.url + "danh-muc/thuc-pham/")
        visit.category = press_add(page, f"product-{shop.fish_sauce.pk}", "Nước mắm nhĩ")

        # A search result card, which sends no quantity.
        page.goto(base_url + search_path)
        visit.search = press_add(page, f"product-{shop.rice_wine.pk}", "Rượu nếp Gò Nổi")
        visit.axe["search-after-adding"] = axe_violations(page)

        # The product page, a quantity the server refuses (the browser's own check off).
        page.goto(base_url + shop.fish_sauce.url)
        page.locator("form.add-to-list").evaluate("form => form.noValidate = true")
        page.locator("#add-to-list-quantity").fill("100001")
        visit.refused = press_add(page, f"product-{shop.fish_sauce.pk}", "100.000")
        visit.axe["product-refused"] = axe_violations(page)

        # The network fails: the form is sent the ordinary way.
        page.route(
            "**/danh-sach-hoi-mua/them/",
            lambda route: (
                route.abort() if route.request.resource_type == "fetch" else route.continue_()
            ),
        )
        page.goto(base_url + shop.rice_wine.url)
        with page.expect_navigation():
            page.locator(f"#product-{shop.rice_wine.pk} button").click()
        visit.fallback_url = page.url
        visit.fallback_status = page.locator(f"#product-{shop.rice_wine.pk}-status").inner_text()
    finally:
        context.close()
    return visit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_without_leaving_the_page_on_a_phone(in_browser, live_site, shop):  # noqa: F811
    require_axe()
    DatabaseBackend().rebuild()
    search_path = "/vi/tim-kiem/?q=r%C6%B0%E1%BB%A3u"

    visit = in_browser(add_without_leaving, live_site, shop, search_path)

    fish_form, wine_form = f"product-{shop.fish_sauce.pk}", f"product-{shop.rice_wine.pk}"
    category, search, refused = visit.category, visit.search, visit.refused
    assert "5 × Nước mắm nhĩ" in category.status
    assert category.status_link == url("list")
    assert category.count == "(1)"
    assert category.kept_page and category.navigations == 1
    assert category.scrolled_by == 0
    assert category.focus == f"button#{fish_form}"

    assert "1 × Rượu nếp Gò Nổi" in search.status
    assert search.count == "(2)"
    assert search.kept_page and search.scrolled_by == 0
    assert search.focus == f"button#{wine_form}"

    # Refused: said at the input, which has the focus; nothing added.
    assert refused.status.startswith("Với số lượng trên 100.000, vui lòng liên hệ")
    assert refused.status_link == ""
    assert refused.invalid == "true"
    assert refused.focus == f"input#{fish_form}"
    assert refused.count == "(2)"
    assert refused.kept_page

    assert visit.fallback_url == f"{live_site}{shop.rice_wine.url}#{wine_form}"
    assert "Rượu nếp Gò Nổi" in visit.fallback_status

    problems = {name: found for name, found in visit.axe.items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not visit.csp, "Content-Security-Policy violations:\n" + csp_report(visit.csp)
