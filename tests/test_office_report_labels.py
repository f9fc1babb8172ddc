"""Report labels in the admin user's language (issue 14): an English-speaking admin reads
the English names of categories, localities, producers and products; the Vietnamese
ones where no English translation exists; a Vietnamese-speaking admin the Vietnamese."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.certificates_fixtures import translated_product
from tests.factories import category, en
from tests.public_pages_fixtures import translate_snippet
from tests.reports_fixtures import Activity, export_csv, table_rows

pytest_plugins = ["tests.producer_accounts_fixtures"]

INQUIRIES = reverse("reports:inquiries")
PRODUCTS = reverse("reports:products")


def client_in(user, language: str) -> Client:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def translated(activity: Activity) -> Activity:
    """English copies of the fish-sauce producer, its product and its locality."""
    sauce = activity.products["sauce"]
    translated_product(sauce)  # the producer too
    producer_en = activity.producers["sauce"].get_translation(en())
    producer_en.display_name = "Cua Dai Fish Sauce Cooperative"
    producer_en.title = "Cua Dai Fish Sauce Cooperative"
    producer_en.save_revision().publish()
    product_en = sauce.get_translation(en())
    product_en.title = "Ear-grade fish sauce"
    product_en.save_revision().publish()
    translate_snippet(activity.producers["sauce"].locality, name="Dien Duong ward")
    return activity


def labels(client, url: str, **params) -> set[str]:
    return {row[0] for row in table_rows(client.get(url, params))}


def test_an_english_admin_reads_english_labels(office_user, translated):
    client = client_in(office_user, "en")
    food = category("thuc-pham", en()).name

    assert "Dien Duong ward" in labels(client, INQUIRIES, group_by="locality")
    assert "Điện Phương" in labels(client, INQUIRIES, group_by="locality")  # not translated
    by_category = labels(client, INQUIRIES, group_by="category")
    assert food in by_category
    assert "Thực phẩm" not in by_category
    assert "Cua Dai Fish Sauce Cooperative" in labels(client, INQUIRIES, group_by="producer")
    products = table_rows(client.get(PRODUCTS))
    assert ["Ear-grade fish sauce", "Cua Dai Fish Sauce Cooperative"] in [r[:2] for r in products]
    exported = export_csv(client.get(INQUIRIES, {"group_by": "locality", "export": "csv"}))
    assert "Dien Duong ward" in {row[0] for row in exported[1:]}


def test_a_vietnamese_admin_reads_vietnamese_labels(office_user, translated):
    client = client_in(office_user, "vi")

    assert "Điện Dương" in labels(client, INQUIRIES, group_by="locality")
    assert "Thực phẩm" in labels(client, INQUIRIES, group_by="category")
    assert "HTX Nước mắm Cửa Đại" in labels(client, INQUIRIES, group_by="producer")
    assert "Nước mắm nhĩ" in {row[0] for row in table_rows(client.get(PRODUCTS))}
