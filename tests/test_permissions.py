"""A producer account may edit its own producer, products and media, and nothing else."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from marketplace.core.models import CustomImage
from producers.accounts import PRODUCERS_GROUP, create_producer_account
from producers.models import ProducerPage
from products.models import ProductPage
from tests.factories import en, jpeg_upload, make_image, make_producer
from tests.producer_accounts_helpers import (
    admin_client,
    edit_form_data,
    edit_url,
    is_denied,
    upload_image,
)

pytest_plugins = ["tests.producer_accounts_fixtures"]

User = get_user_model()


def add_product_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["products", "productpage", parent.pk])


# Editing pages


def test_producer_can_open_their_own_pages(producer_a):
    assert producer_a.client.get(edit_url(producer_a.page)).status_code == 200
    assert producer_a.client.get(edit_url(producer_a.product)).status_code == 200
    assert producer_a.client.get(add_product_url(producer_a.page)).status_code == 200


def test_producer_cannot_open_another_producers_pages(producer_a, producer_b):
    assert is_denied(producer_a.client.get(edit_url(producer_b.page)))
    assert is_denied(producer_a.client.get(edit_url(producer_b.product)))


def test_producer_cannot_post_to_another_producers_pages(producer_a, producer_b, office_client):
    for page in (producer_b.page, producer_b.product):
        revision_id = page.latest_revision_id
        data = edit_form_data(office_client, page, title="Bị sửa trộm", **{"action-submit": "1"})

        assert is_denied(producer_a.client.post(edit_url(page), data))

        page.refresh_from_db()
        assert page.title != "Bị sửa trộm"
        assert page.latest_revision_id == revision_id


def test_producer_cannot_add_a_product_under_another_producer(producer_a, producer_b):
    children = producer_b.page.get_children().count()

    assert is_denied(producer_a.client.get(add_product_url(producer_b.page)))
    response = producer_a.client.post(
        add_product_url(producer_b.page), {"title": "Hàng giả", "slug": "hang-gia"}
    )

    assert is_denied(response)
    assert producer_b.page.get_children().count() == children
    assert not Page.objects.filter(slug="hang-gia").exists()


def test_producer_can_edit_the_english_translation_of_their_page(site):
    page = make_producer(site.producers, "HTX Song ngữ")
    translation = page.copy_for_translation(en())
    account = create_producer_account(page, "song-ngu@example.com")

    assert admin_client(account.user).get(edit_url(translation)).status_code == 200


# Images


def test_producer_sees_only_their_own_images(producer_a, producer_b):
    own = make_image("Ảnh của A", collection=producer_a.account.collection)
    other = make_image("Ảnh của B", collection=producer_b.account.collection)

    listing = producer_a.client.get(reverse("wagtailimages:index"))
    chooser = producer_a.client.get(reverse("wagtailimages_chooser:choose"))

    assert listing.status_code == chooser.status_code == 200
    for html in (listing.content.decode(), chooser.json()["html"]):
        assert own.title in html
        assert other.title not in html


def test_producer_cannot_edit_another_producers_image(producer_a, producer_b):
    other = make_image("Ảnh của B", collection=producer_b.account.collection)
    url = reverse("wagtailimages:edit", args=[other.pk])

    assert is_denied(producer_a.client.get(url))
    response = producer_a.client.post(url, {"title": "Đổi tên", "description": "Đổi"})

    assert is_denied(response)
    other.refresh_from_db()
    assert other.title == "Ảnh của B"


def test_producer_uploads_an_image_into_their_own_collection(producer_a):
    response = upload_image(producer_a.client, producer_a.account.collection)

    assert response.status_code == 302
    image = CustomImage.objects.get(title="Chai nước mắm")
    assert image.collection == producer_a.account.collection
    assert image.uploaded_by_user == producer_a.account.user


def test_producer_cannot_upload_into_another_producers_collection(producer_a, producer_b):
    producer_a.client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh lạc chỗ",
            "description": "Ảnh lạc chỗ",
            "file": jpeg_upload(),
            "collection": producer_b.account.collection.pk,
        },
    )

    # With a single collection allowed, Wagtail ignores the posted one. (B's collection
    # holds B's product photo, taken over when B's account was made.)
    assert not CustomImage.objects.filter(
        collection=producer_b.account.collection, title="Ảnh lạc chỗ"
    ).exists()
    assert CustomImage.objects.get(title="Ảnh lạc chỗ").collection == producer_a.account.collection


# Snippets the producer's pages point to


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippetchoosers_products_productcategory:choose",
        "wagtailsnippetchoosers_producers_locality:choose",
        "wagtailsnippetchoosers_producers_craftvillage:choose",
    ],
)
def test_producer_can_choose_categories_and_places(producer_a, url_name):
    assert producer_a.client.get(reverse(url_name)).status_code == 200


def test_producer_cannot_edit_categories(producer_a):
    response = producer_a.client.get(reverse("wagtailsnippets_products_productcategory:add"))

    assert is_denied(response)


# The account itself


def test_account_has_edit_but_not_publish_rights(producer_a):
    group = producer_a.account.group
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=producer_a.page).values_list(
            "permission__codename", flat=True
        )
    )

    assert codenames == {"add_page", "change_page"}
    assert set(producer_a.account.user.groups.all()) == {
        Group.objects.get(name=PRODUCERS_GROUP),
        group,
    }
    producer_a.page.refresh_from_db()
    assert producer_a.page.account_group == group
    assert producer_a.page.collection == producer_a.account.collection
    assert list(producer_a.page.managers) == [producer_a.account.user]


def test_account_creation_makes_no_revision(site):
    page = make_producer(site.producers)
    revision_id = page.latest_revision_id

    create_producer_account(page, "norevision@example.com")

    page.refresh_from_db()
    assert page.latest_revision_id == revision_id
    assert not page.has_unpublished_changes


def account_rows() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )


def test_command_creates_the_account_once(site):
    page = make_producer(site.producers, "HTX Lệnh")
    first, second = io.StringIO(), io.StringIO()

    call_command("create_producer_account", page.pk, " Owner@Example.com ", stdout=first)
    rows = account_rows()
    call_command("create_producer_account", page.pk, "owner@example.com", stdout=second)

    assert account_rows() == rows
    user = User.objects.get(username="owner@example.com")
    assert "Tên đăng nhập: owner@example.com" in first.getvalue()
    password = first.getvalue().split("Mật khẩu tạm thời: ")[1].split()[0]
    assert user.check_password(password)
    assert "Mật khẩu tạm thời" not in second.getvalue()
    assert list(ProducerPage.objects.get(pk=page.pk).managers) == [user]


def test_command_gives_names_to_a_new_user(site):
    page = make_producer(site.producers)

    call_command(
        "create_producer_account",
        page.pk,
        "lan@example.com",
        first_name="Lan",
        last_name="Nguyễn",
        stdout=io.StringIO(),
    )

    user = User.objects.get(username="lan@example.com")
    assert (user.first_name, user.last_name, user.email) == ("Lan", "Nguyễn", "lan@example.com")


@pytest.mark.parametrize(
    "page_id, email, message",
    [
        (999_999, "x@example.com", "Không có trang nào có ID 999999."),
        ("home", "x@example.com", "không phải là trang nhà sản xuất"),
        ("producer", "not-an-email", "“not-an-email” không phải là địa chỉ email hợp lệ."),
    ],
)
def test_command_errors_cleanly(site, page_id, email, message):
    pages = {"home": site.home.pk, "producer": make_producer(site.producers).pk}
    rows = account_rows()

    with pytest.raises(CommandError, match=message):
        call_command("create_producer_account", pages.get(page_id, page_id), email)

    assert account_rows() == rows


# The office's admin action


def create_account_url(page) -> str:
    return reverse("producers_create_account", args=[page.pk])


def test_office_sees_the_create_account_action(site, office_client):
    page = make_producer(site.producers)

    response = office_client.get(edit_url(page))

    assert create_account_url(page) in response.content.decode()


def test_office_creates_an_account_in_the_admin(site, office_client):
    page = make_producer(site.producers, "HTX Quản trị")

    form = office_client.get(create_account_url(page))
    response = office_client.post(
        create_account_url(page),
        {"email": "Chu@Example.com", "first_name": "Chủ", "last_name": "Hộ"},
    )

    assert form.status_code == 200
    assert response.status_code == 200
    user = User.objects.get(username="chu@example.com")
    password = response.context["account"].password
    assert password in response.content.decode()
    assert user.check_password(password)
    assert list(ProducerPage.objects.get(pk=page.pk).managers) == [user]


def test_office_admin_action_shows_field_errors(site, office_client):
    page = make_producer(site.producers)
    rows = account_rows()

    response = office_client.post(create_account_url(page), {"email": "không-phải-email"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert "Enter a valid email address." in response.content.decode()
    assert account_rows() == rows


def test_admin_action_is_only_for_producer_pages(site, office_client):
    rows = account_rows()

    response = office_client.post(
        reverse("producers_create_account", args=[site.home.pk]), {"email": "x@example.com"}
    )

    # The admin answers 404; LocaleMiddleware then redirects it to the /vi/ URL (a 404 too).
    assert response.status_code == 404 or response.url.startswith("/vi/admin/")
    assert account_rows() == rows


def test_producer_cannot_use_the_admin_action(producer_a, producer_b):
    rows = account_rows()

    own_edit_view = producer_a.client.get(edit_url(producer_a.page))
    get = producer_a.client.get(create_account_url(producer_a.page))
    post = producer_a.client.post(
        create_account_url(producer_b.page), {"email": "intruder@example.com"}
    )

    assert create_account_url(producer_a.page) not in own_edit_view.content.decode()
    assert get.status_code == post.status_code == 403
    assert account_rows() == rows


def test_product_edit_view_links_to_nothing_of_another_producer(producer_a, producer_b):
    # The page explorer of a producer starts at their own page.
    response = producer_a.client.get(reverse("wagtailadmin_explore", args=[producer_a.page.pk]))

    assert response.status_code == 200
    assert producer_a.product.title in response.content.decode()
    assert producer_b.product.title not in response.content.decode()
    assert isinstance(producer_b.product, ProductPage)
