"""A producer's own workspace in the admin: its photos in its choosers, its own counts on
the dashboard, and "My products" with quick edits of price and availability.

Two producers, A and B: each sees only its own things; the office sees everybody's.
"""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Collection, PageLogEntry, WorkflowState

from marketplace.certificates.models import OcopCertificate
from marketplace.demo.management.commands.ensure_demo_admin import PASSWORD, PRODUCER_EMAIL
from marketplace.office.quality.quick_edit import NOT_YOURS
from producers.accounts import create_producer_account
from products.models import ProductPage
from tests.certificates_fixtures import translated_product
from tests.factories import make_image, make_producer, make_product
from tests.producer_accounts_helpers import admin_client, edit_form_data, edit_url

pytest_plugins = ["tests.producer_accounts_fixtures"]

MY_PRODUCTS = "/admin/my-products/"


def text(response) -> str:
    """The response as text; JSON (choosers) with its non-ASCII letters unescaped."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


# Photos added before the account: the producer's chooser shows them ------------------


def test_a_new_account_takes_over_its_producers_photos_from_a_shared_collection(site):
    shared = Collection.get_first_root_node().add_child(name="Sample data")
    producer = make_producer(site.producers, "HTX Chiếu cói")
    logo = make_image("Logo chiếu cói", collection=shared)
    producer.logo = logo
    producer.save_revision().publish()
    product = make_product(producer, "Chiếu cói", publish=True)
    photo = product.gallery_images.get().image
    photo.collection = shared
    photo.save()
    other = make_producer(site.producers, "HTX Khác")
    other.logo = logo_of_both = make_image("Logo dùng chung", collection=shared)
    other.save_revision().publish()
    producer.cover_image = logo_of_both
    producer.save_revision().publish()

    account = create_producer_account(producer, "chieu@example.com")

    assert Collection.objects.get(pk=account.collection.pk)
    logo.refresh_from_db()
    photo.refresh_from_db()
    logo_of_both.refresh_from_db()
    assert logo.collection == account.collection
    assert photo.collection == account.collection
    # Another producer's page uses it too: it is not this producer's to take.
    assert logo_of_both.collection == shared

    chooser = admin_client(account.user).get(reverse("wagtailimages_chooser:choose"))
    assert "Logo chiếu cói" in text(chooser)
    assert "You haven't uploaded any images" not in text(chooser)
    assert "Logo dùng chung" not in text(chooser)


def test_media_of_another_producers_collection_stay_there(producer_a, producer_b):
    theirs = make_image("Ảnh của B", collection=producer_b.account.collection)
    product = producer_a.product
    product.gallery_images.create(image=theirs, sort_order=1)
    product.save_revision().publish()

    create_producer_account(producer_a.page, "a@example.com")

    theirs.refresh_from_db()
    assert theirs.collection == producer_b.account.collection


# The dashboard's counts ----------------------------------------------------------------


def summary_counts(client: Client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return text(response)


def test_the_dashboard_counts_the_producers_own_pages_and_images(producer_a, producer_b):
    for n in range(3):
        make_product(producer_b.page, f"Sản phẩm B {n}")
    make_image("Ảnh riêng A", collection=producer_a.account.collection)

    html = summary_counts(producer_a.client)

    # A's producer page and its product; and their photo plus A's own image.
    assert "2 Pages" in html
    assert "2 Images" in html
    assert reverse("wagtailadmin_explore", args=[producer_a.page.pk]) in html


def test_the_office_dashboard_counts_the_whole_site(producer_a, producer_b, office_client):
    html = summary_counts(office_client)

    assert "2 Pages" not in html
    assert "Pages" in html


# "My products" ---------------------------------------------------------------------------


def test_my_products_lists_only_the_producers_own_products(producer_a, producer_b):
    draft = make_product(producer_a.page, "Nước mắm chưa đăng", publish=False)

    response = producer_a.client.get(MY_PRODUCTS)

    assert response.status_code == 200
    listed = {product.pk for product in response.context["object_list"]}
    assert listed == {producer_a.product.pk, draft.pk}
    assert producer_b.product.title not in text(response)
    assert "HTX Gốm B" not in text(response)
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in text(response)


def test_my_products_search_finds_only_own_products(producer_a, producer_b):
    response = producer_a.client.get(MY_PRODUCTS, {"q": "Sản phẩm"})

    listed = {product.pk for product in response.context["object_list"]}
    assert listed == {producer_a.product.pk}


def test_the_office_sees_every_producer_and_filters_by_one(producer_a, producer_b, office_client):
    everything = office_client.get(MY_PRODUCTS)
    only_b = office_client.get(MY_PRODUCTS, {"producer": producer_b.page.pk})

    assert {producer_a.product.pk, producer_b.product.pk} <= {
        product.pk for product in everything.context["object_list"]
    }
    assert [product.pk for product in only_b.context["object_list"]] == [producer_b.product.pk]
    assert "HTX Gốm B" in text(everything)


def test_a_producer_cannot_filter_on_another_producer(producer_a, producer_b):
    response = producer_a.client.get(MY_PRODUCTS, {"producer": producer_b.page.pk})

    assert [product.pk for product in response.context["object_list"]] == [producer_a.product.pk]


def test_users_without_a_producer_cannot_open_my_products(db):
    user = get_user_model().objects.create_user("khach@example.com", "khach@example.com")
    user.is_staff = True
    user.save()
    user.user_permissions.add(*wagtail_admin_access())

    response = admin_client(user).get(MY_PRODUCTS)

    assert response.status_code in (302, 403)


def wagtail_admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="access_admin")


def test_the_menu_says_my_products_to_producers_and_products_to_the_office(
    producer_a, office_client
):
    producer_menu = summary_counts(producer_a.client)
    office_menu = summary_counts(office_client)

    assert MY_PRODUCTS in producer_menu and "My products" in producer_menu
    assert MY_PRODUCTS in office_menu and "My products" not in office_menu


def flag_keys(response, product) -> set[str]:
    row = next(p for p in response.context["object_list"] if p.pk == product.pk)
    return {flag.key for flag in row.listing["flags"]}


def test_my_products_flags_what_needs_attention(producer_a):
    soon = timezone.localdate() - datetime.timedelta(days=3 * 365 - 20)
    expiring = make_product(producer_a.page, "Sắp hết hạn", stars=3, certificate_issued=soon)
    sold_out = make_product(
        producer_a.page, "Hết hàng", availability=ProductPage.Availability.OUT_OF_STOCK
    )
    edit = edit_form_data(producer_a.client, sold_out, **{"action-submit": "1"})
    edit["title"] = ["Hết hàng (tên mới)"]
    assert producer_a.client.post(edit_url(sold_out), edit).status_code == 302

    response = producer_a.client.get(MY_PRODUCTS)

    assert "certificate_expiring" in flag_keys(response, expiring)
    assert {"out_of_stock", "awaiting_approval", "english"} <= flag_keys(response, sold_out)
    assert "Certificate expiring soon" in text(response)
    attention = producer_a.client.get(MY_PRODUCTS, {"show": "attention"})
    assert {expiring.pk, sold_out.pk} <= {p.pk for p in attention.context["object_list"]}


def test_a_product_with_its_english_page_and_a_valid_certificate_needs_nothing(producer_a):
    product = make_product(producer_a.page, "Đầy đủ", stars=4, certificate_issued=ISSUED)
    translated_product(product)

    response = producer_a.client.get(MY_PRODUCTS)

    assert flag_keys(response, product) == set()
    row = next(p for p in response.context["object_list"] if p.pk == product.pk)
    assert row.listing["certificate_status"] == "valid"
    attention = producer_a.client.get(MY_PRODUCTS, {"show": "attention"})
    assert product.pk not in {p.pk for p in attention.context["object_list"]}


ISSUED = timezone.localdate() - datetime.timedelta(days=30)


# Quick edits -------------------------------------------------------------------------------


def quick_edit_data(*rows: tuple[ProductPage, dict]) -> dict:
    data = {"product": [str(product.pk) for product, _values in rows]}
    for product, values in rows:
        page = ProductPage.objects.get(pk=product.pk)
        current = {
            "price_vnd": "" if page.price_vnd is None else str(page.price_vnd),
            "availability": page.availability,
        }
        if page.price_on_request:
            current["price_on_request"] = "on"
        current.update(values)
        for name, value in current.items():
            if value is not None:
                data[f"product-{product.pk}-{name}"] = value
    return data


def live(product) -> ProductPage:
    return ProductPage.objects.get(pk=product.pk)


def test_a_quick_edit_publishes_price_and_availability_at_once(producer_a):
    product = producer_a.product
    english = translated_product(product)
    revisions = product.revisions.count()

    response = producer_a.client.post(
        MY_PRODUCTS,
        quick_edit_data(
            (product, {"price_vnd": "95.000", "availability": "out_of_stock"}),
        ),
    )

    assert response.status_code == 302
    page = live(product)
    assert (page.price_vnd, page.availability) == (95000, "out_of_stock")
    assert not page.has_unpublished_changes
    assert page.revisions.count() == revisions + 1
    assert PageLogEntry.objects.filter(
        page=product, action="wagtail.publish", user=producer_a.account.user
    ).exists()
    # The English page shares the facts; the public pages show them.
    assert live(english).price_vnd == 95000
    public = Client().get(page.get_url())
    assert "95.000" in text(public)
    english_public = Client().get(ProductPage.objects.get(pk=english.pk).get_url())
    assert english_public.status_code == 200
    assert "95,000" in text(english_public)


def test_a_quick_edit_keeps_a_draft_waiting_for_approval(producer_a, office_client):
    product = producer_a.product
    old_title = product.title
    edit = edit_form_data(producer_a.client, product, **{"action-submit": "1"})
    edit["title"] = ["Tên mới chờ duyệt"]
    assert producer_a.client.post(edit_url(product), edit).status_code == 302

    response = producer_a.client.post(
        MY_PRODUCTS, quick_edit_data((product, {"availability": "made_to_order"}))
    )

    assert response.status_code == 302
    page = live(product)
    assert page.availability == "made_to_order"
    assert page.title == old_title  # the new title is not published
    assert page.has_unpublished_changes
    assert page.workflow_in_progress
    draft = page.get_latest_revision_as_object()
    assert (draft.title, draft.availability) == ("Tên mới chờ duyệt", "made_to_order")

    # The office approves the draft: title and new availability, both live.
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    assert office_client.post(url, {"comment": "Đã kiểm tra."}).status_code == 302
    page = live(product)
    assert (page.title, page.availability) == ("Tên mới chờ duyệt", "made_to_order")
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_APPROVED).exists()


def test_a_quick_edit_changes_only_what_the_row_changed(producer_a):
    product = producer_a.product
    edit = edit_form_data(producer_a.client, product, **{"action-submit": "1"})
    edit["price_vnd"] = ["150000"]
    assert producer_a.client.post(edit_url(product), edit).status_code == 302

    # The listing shows the draft's price (150 000); the row changes availability only.
    listing = producer_a.client.get(MY_PRODUCTS)
    assert 'value="150.000"' in text(listing)
    data = quick_edit_data((product, {"availability": "seasonal"}))
    data[f"product-{product.pk}-availability"] = "made_to_order"
    data[f"product-{product.pk}-price_vnd"] = "150.000"
    response = producer_a.client.post(MY_PRODUCTS, data)

    assert response.status_code == 302
    page = live(product)
    assert page.price_vnd == 120000  # the draft's price still waits for approval
    assert page.availability == "made_to_order"
    draft = page.get_latest_revision_as_object()
    assert (draft.price_vnd, draft.availability) == (150000, "made_to_order")


def test_bad_values_are_refused_row_by_row_and_nothing_is_saved(producer_a):
    first = producer_a.product
    second = make_product(producer_a.page, "Sản phẩm thứ hai")
    before = [(p.price_vnd, p.availability) for p in (live(first), live(second))]

    response = producer_a.client.post(
        MY_PRODUCTS,
        quick_edit_data(
            (first, {"availability": "out_of_stock"}),
            (second, {"price_vnd": "mười nghìn"}),
        ),
    )

    assert response.status_code == 200
    assert [(p.price_vnd, p.availability) for p in (live(first), live(second))] == before
    forms = {p.pk: p.quick_form for p in response.context["object_list"]}
    assert "price_vnd" in forms[second.pk].errors
    assert not forms[first.pk].errors
    assert f'href="#row-{second.pk}"' in text(response)
    assert "Nothing was saved" in text(response)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"price_vnd": "", "price_on_request": None}, "price_vnd"),
        ({"price_vnd": "120000", "price_on_request": "on"}, "price_vnd"),
        ({"price_vnd": "0"}, "price_vnd"),
        ({"price_vnd": "99999999999999"}, "price_vnd"),
        ({"availability": "sold"}, "availability"),
        ({"availability": "seasonal"}, None),  # no season months: the editor sets them
    ],
)
def test_the_models_rules_hold_in_quick_edits(producer_a, values, field):
    product = producer_a.product
    data = quick_edit_data((product, values))
    if values.get("price_on_request", "") is None:
        data.pop(f"product-{product.pk}-price_on_request", None)

    response = producer_a.client.post(MY_PRODUCTS, data)

    assert response.status_code == 200
    form = next(p.quick_form for p in response.context["object_list"] if p.pk == product.pk)
    assert form.errors.get(field or "__all__")
    assert live(product).revisions.count() == product.revisions.count()


def test_a_crafted_post_naming_another_producers_product_is_refused(producer_a, producer_b):
    theirs = producer_b.product

    response = producer_a.client.post(
        MY_PRODUCTS,
        quick_edit_data(
            (producer_a.product, {"availability": "out_of_stock"}),
            (theirs, {"price_vnd": "1000"}),
        ),
    )

    assert response.status_code == 200
    with translation.override("en"):  # the admin's language of these test accounts
        assert str(NOT_YOURS) in text(response)
    assert live(theirs).price_vnd == 120000
    assert live(producer_a.product).availability == "in_stock"


@pytest.mark.parametrize("ids", [["abc"], ["1", "1"], [str(n) for n in range(1, 300)]])
def test_malformed_row_lists_are_refused(producer_a, ids):
    response = producer_a.client.post(MY_PRODUCTS, {"product": ids})

    assert response.status_code == 200
    assert "Nothing was saved" in text(response)


def test_the_office_quick_edits_any_producers_product(producer_b, office_client):
    response = office_client.post(
        MY_PRODUCTS, quick_edit_data((producer_b.product, {"price_vnd": "88000"}))
    )

    assert response.status_code == 302
    assert live(producer_b.product).price_vnd == 88000


def test_a_certificate_status_is_shown_with_its_date(producer_a):
    product = make_product(producer_a.page, "Chờ duyệt", stars=3, certificate_status="pending")
    certificate = OcopCertificate.objects.get(page=product)

    response = producer_a.client.get(MY_PRODUCTS)

    row = next(p for p in response.context["object_list"] if p.pk == product.pk)
    assert row.listing["certificate_status"] == "pending"
    assert "Awaiting verification" in text(response)
    with translation.override("en"):
        assert date_format(certificate.expiry_date, "SHORT_DATE_FORMAT") in text(response)


# The demo's producer account ------------------------------------------------------------


def test_the_demo_has_a_producer_login_that_sees_its_photos(site, settings_debug, capsys):
    shared = Collection.get_first_root_node().add_child(name="Sample data")
    producer = make_producer(site.producers, "HTX Mẫu")
    product = make_product(producer, "Sản phẩm mẫu")
    image = product.gallery_images.get().image
    image.collection = shared
    image.save()

    call_command("ensure_demo_admin")
    call_command("ensure_demo_admin")

    user = get_user_model().objects.get(username=PRODUCER_EMAIL)
    assert user.check_password(PASSWORD)
    client = Client()
    client.force_login(user)
    chooser = client.get(reverse("wagtailimages_chooser:choose"))
    assert image.title in text(chooser)
    assert f"{PRODUCER_EMAIL} / {PASSWORD}" in capsys.readouterr().out


@pytest.fixture
def settings_debug(settings):
    settings.DEBUG = True
    return settings


def test_my_products_costs_the_same_queries_for_more_rows(producer_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert producer_a.client.get(MY_PRODUCTS).status_code == 200
        return len(captured)

    queries()  # the first view makes the thumbnails' renditions
    few = queries()
    for n in range(4):
        make_product(producer_a.page, f"Thêm {n}", stars=3, certificate_issued=ISSUED)
    queries()
    assert queries() <= few + 2  # + the certificates and renditions prefetches
