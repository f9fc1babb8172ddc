"""The inquiry list: adding from product pages and listings, changing, removing, subtotals."""

import pytest
from django.test import Client, override_settings

from tests.inquiry_helpers import add, fill, list_quantities, messages_of, url

pytest_plugins = ["tests.inquiry_fixtures"]

pytestmark = pytest.mark.django_db


def key(product) -> str:
    return str(product.translation_key)


def page_text(response) -> str:
    return response.content.decode()


# Adding


def test_adding_from_the_product_page_goes_back_there_with_a_message(shop, client):
    response = add(client, shop.rice_wine, "2", language="en", next=shop.rice_wine.url)

    assert response.status_code == 302
    # At the product's form (tests/test_inquiry_add_js.py: the message shown there).
    assert response.url == f"{shop.rice_wine.url}#product-{shop.rice_wine.pk}"
    assert list_quantities(client) == {key(shop.rice_wine): 2}
    page = client.get(response.url)
    assert messages_of(page) == [
        "Added 2 × Rượu nếp Gò Nổi to your inquiry list. "
        f'<a href="{url("list", "en")}">See your list</a>'
    ]
    # The header link counts the products in the list.
    assert 'Danh sách hỏi mua <span class="inquiry-link__count">(1)</span>' in page_text(page)


def test_adding_a_product_again_adds_to_its_quantity(shop, client):
    add(client, shop.fish_sauce, "5")
    add(client, shop.fish_sauce, "3")

    assert list_quantities(client) == {key(shop.fish_sauce): 8}


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Số lượng phải ít nhất là 1."),
        ("-3", "Số lượng phải ít nhất là 1."),
        ("abc", "Vui lòng nhập số lượng là một số nguyên."),
        ("2.5", "Vui lòng nhập số lượng là một số nguyên."),
        ("", "Vui lòng nhập số lượng là một số nguyên."),
        ("1e9", "Vui lòng nhập số lượng là một số nguyên."),
        ("9" * 5000, "Vui lòng nhập số lượng là một số nguyên."),
        ("100001", "Với số lượng trên 100"),
    ],
)
def test_bad_quantities_are_refused_with_a_clear_message(shop, client, quantity, message):
    response = add(client, shop.rice_wine, quantity, next=shop.rice_wine.url)

    assert response.status_code == 302
    [shown] = messages_of(client.get(response.url))
    assert shown.startswith(message)
    assert list_quantities(client) == {}


def test_a_quantity_under_the_minimum_is_refused(shop, client):
    response = add(client, shop.fish_sauce, "3", next=shop.fish_sauce.url)

    assert messages_of(client.get(response.url)) == [
        "Nước mắm nhĩ được bán từ 5 đơn vị (chai) trở lên."
    ]
    assert list_quantities(client) == {}


def test_the_total_in_the_list_may_not_pass_the_maximum(shop, client):
    fill(client, (shop.rice_wine, 100000))
    response = add(client, shop.rice_wine, "1", next=shop.rice_wine.url)

    assert "vui lòng liên hệ trực tiếp" in messages_of(client.get(response.url))[0]
    assert list_quantities(client) == {key(shop.rice_wine): 100000}


@pytest.mark.parametrize(
    "product_id", ["999999", "abc", "", "-1", "9223372036854775808", "9" * 5000, "-" + "9" * 40]
)
def test_unknown_products_are_refused(shop, client, product_id):
    response = client.post(url("add"), {"product": product_id, "quantity": "1"})

    assert response.status_code == 302
    assert response.url == url("list")
    assert messages_of(client.get(response.url)) == ["Sản phẩm này hiện không còn được bán."]
    assert list_quantities(client) == {}


def test_unpublished_products_are_refused(shop, client):
    add(client, shop.draft, "1")

    assert list_quantities(client) == {}


def test_out_of_stock_products_cannot_be_added(shop, client):
    response = add(client, shop.sold_out, "1", next=shop.sold_out.url)

    assert messages_of(client.get(response.url)) == [
        "Mắm cái đang hết hàng: hiện chưa thể thêm vào danh sách hỏi mua."
    ]
    assert list_quantities(client) == {}


def test_seasonal_and_made_to_order_products_can_be_added(shop, client):
    shop.rice_wine.availability = "made_to_order"
    shop.rice_wine.save_revision().publish()

    add(client, shop.rice_wine, "1")

    assert list_quantities(client) == {key(shop.rice_wine): 1}


def test_only_this_sites_pages_are_returned_to(shop, client):
    response = add(client, shop.rice_wine, "1", next="https://evil.example/")

    assert response.url == url("list")


@pytest.mark.parametrize("next_page", ["123", "not-a-page", "-1"])
def test_a_next_page_that_is_no_path_returns_to_the_list(shop, client, next_page):
    response = add(client, shop.rice_wine, "1", next=next_page)

    assert response.status_code == 302
    assert response.url == url("list")


def test_adding_needs_a_post(shop, client):
    assert client.get(url("add")).status_code == 405


def test_english_messages_on_english_pages(shop, client):
    response = add(client, shop.fish_sauce, "0", language="en")

    assert messages_of(client.get(response.url)) == ["The quantity must be at least 1."]


@override_settings(INQUIRY_RATE_LIMITS={"add": (3, 600)})
def test_too_many_additions_are_refused_for_a_while(shop, client):
    for _ in range(3):
        add(client, shop.rice_wine, "1")

    response = add(client, shop.rice_wine, "1")

    assert response.status_code == 429
    assert "vui lòng chờ 10 phút rồi thử lại" in page_text(response)
    assert response["Retry-After"] == "600"
    assert list_quantities(client) == {key(shop.rice_wine): 3}


# The product page and listings


def test_the_product_page_offers_its_minimum_quantity(shop, client):
    html = page_text(client.get(shop.fish_sauce.url))

    assert f'action="{url("add")}"' in html
    assert 'name="quantity" value="5" min="5"' in html
    assert "Thêm vào danh sách hỏi mua" in html


def test_an_out_of_stock_product_page_says_it_cannot_be_added(shop, client):
    html = page_text(client.get(shop.sold_out.url))

    assert f'name="product" value="{shop.sold_out.pk}"' not in html
    assert "Hết hàng: hiện chưa thể thêm sản phẩm này vào danh sách hỏi mua." in html


def test_listing_cards_add_the_minimum_in_one_click(shop, client):
    html = page_text(client.get(shop.site.products.url))

    assert f'<input type="hidden" name="product" value="{shop.fish_sauce.pk}">' in html
    assert "Thêm 5 vào danh sách hỏi mua" in html
    assert f'<input type="hidden" name="product" value="{shop.sold_out.pk}">' not in html


# The list page


def test_an_empty_list(site, client):
    response = client.get(url("list"))

    assert response.status_code == 200
    assert "Danh sách hỏi mua của bạn đang trống." in page_text(response)
    assert '<meta name="robots" content="noindex">' in page_text(response)


def test_the_list_groups_lines_by_producer_with_estimated_subtotals(shop, client):
    add(client, shop.rice_wine, "2")
    add(client, shop.mat, "1")
    add(client, shop.fish_sauce, "5")

    response = client.get(url("list"))

    groups = response.context["groups"]
    assert [group.group.producer for group in groups] == [shop.producer_a, shop.producer_b]
    assert [[line.product for line, _form in group.rows] for group in groups] == [
        [shop.rice_wine, shop.mat],
        [shop.fish_sauce],
    ]
    assert [group.group.subtotal_vnd for group in groups] == [240000, 250000]
    html = page_text(response)
    assert (
        'Tổng tạm tính: <span class="price">240.000 ₫</span> chưa gồm các sản phẩm giá liên hệ'
        in html
    )
    assert 'Tổng tạm tính: <span class="price">250.000 ₫</span>\n' in html
    assert "Giá liên hệ" in html
    # Quantity inputs start at each product's minimum.
    line = f"line-{shop.fish_sauce.pk}-quantity"
    assert (
        f'value="5" min="5" max="100000" step="1" inputmode="numeric" required id="{line}"' in html
    )


def test_a_list_of_price_on_request_products_only(shop, client):
    add(client, shop.mat, "2")

    html = page_text(client.get(url("list")))

    assert "Tổng tạm tính: Giá liên hệ" in html


def test_a_product_unpublished_meanwhile_drops_out_of_the_list_and_the_count(shop, client):
    fill(client, (shop.rice_wine, 1), (shop.fish_sauce, 5))
    shop.rice_wine.unpublish()

    response = client.get(url("list"))

    assert [line.product for group in response.context["groups"] for line, _ in group.rows] == [
        shop.fish_sauce
    ]
    assert list_quantities(client) == {key(shop.fish_sauce): 5}
    assert '<span class="inquiry-link__count">(1)</span>' in page_text(response)


def test_the_english_list_shows_english_pages(shop_en, client):
    add(client, shop_en.rice_wine, "2")

    html = page_text(client.get(url("list", "en")))

    assert "Go Noi rice wine" in html
    assert "HTX Rượu Gò Nổi EN" in html
    assert "Your inquiry list" in html


# Changing quantities


def test_changing_a_quantity(shop, client):
    fill(client, (shop.fish_sauce, 5))

    response = client.post(url("update"), {"product": shop.fish_sauce.pk, "quantity": "12"})

    assert response.status_code == 302
    assert list_quantities(client) == {key(shop.fish_sauce): 12}
    assert messages_of(client.get(response.url)) == ["Đã cập nhật số lượng Nước mắm nhĩ."]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Số lượng phải ít nhất là 1."),
        ("-1", "Số lượng phải ít nhất là 1."),
        ("many", "Vui lòng nhập số lượng là một số nguyên."),
        ("1000000", "vui lòng liên hệ trực tiếp với nhà sản xuất."),
        ("4", "Nước mắm nhĩ được bán từ 5 đơn vị (chai) trở lên."),
    ],
)
def test_a_bad_quantity_is_shown_at_its_line(shop, client, quantity, message):
    fill(client, (shop.rice_wine, 1), (shop.fish_sauce, 5))

    response = client.post(url("update"), {"product": shop.fish_sauce.pk, "quantity": quantity})

    assert response.status_code == 200
    html = page_text(response)
    line = f"line-{shop.fish_sauce.pk}-quantity"
    errors = html.split(f'<ul class="errorlist" id="{line}_error"><li>')[1].split("</li>")[0]
    assert errors.endswith(message)
    assert f'aria-invalid="true" aria-describedby="{line}_error" id="{line}"' in html
    assert list_quantities(client) == {key(shop.rice_wine): 1, key(shop.fish_sauce): 5}


def test_changing_a_product_not_in_the_list(shop, client):
    fill(client, (shop.rice_wine, 1))

    response = client.post(url("update"), {"product": shop.fish_sauce.pk, "quantity": "5"})

    assert messages_of(client.get(response.url)) == [
        "Sản phẩm này không có trong danh sách của bạn."
    ]
    assert list_quantities(client) == {key(shop.rice_wine): 1}


def test_a_list_from_another_session_is_not_shared(shop, client):
    add(client, shop.rice_wine, "1")
    other = Client()

    response = other.post(url("update"), {"product": shop.rice_wine.pk, "quantity": "9"})

    assert messages_of(other.get(response.url)) == [
        "Sản phẩm này không có trong danh sách của bạn."
    ]
    assert list_quantities(client) == {key(shop.rice_wine): 1}
    assert list_quantities(other) == {}


# Removing


def test_removing_a_line(shop, client):
    fill(client, (shop.rice_wine, 1), (shop.fish_sauce, 5))

    response = client.post(url("remove"), {"product": shop.rice_wine.pk})

    assert list_quantities(client) == {key(shop.fish_sauce): 5}
    assert messages_of(client.get(response.url)) == [
        "Đã gỡ Rượu nếp Gò Nổi khỏi danh sách của bạn."
    ]


def test_removing_an_unknown_product(shop, client):
    fill(client, (shop.rice_wine, 1))

    response = client.post(url("remove"), {"product": "nope"})

    assert messages_of(client.get(response.url)) == [
        "Sản phẩm này không có trong danh sách của bạn."
    ]
    assert list_quantities(client) == {key(shop.rice_wine): 1}
