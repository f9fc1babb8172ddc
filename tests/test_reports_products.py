"""Product view counts (no personal data) and the most viewed / most inquired report."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Page

from marketplace.core.write_buffer import flush_all
from marketplace.office.reports.counting import record_view
from marketplace.office.reports.models import ProductViewCount
from tests.factories import en
from tests.public_pages_fixtures import translate_page, url_of
from tests.reports_fixtures import Activity, at, export_csv, export_xlsx, table_links, table_rows

pytest_plugins = ["tests.producer_accounts_fixtures"]

URL = reverse("reports:products")
BROWSER = "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36"


def views_of(product) -> int:
    return sum(ProductViewCount.objects.filter(product=product).values_list("views", flat=True))


@pytest.fixture
def product(activity: Activity):
    return activity.products["sauce"]


@pytest.fixture
def product_en(site, activity: Activity, product):
    for page in (product.get_parent().specific,):
        translate_page(page, title=f"{page.title} EN", slug=f"{page.slug}-en")
    return translate_page(product, title="Fish sauce", slug="fish-sauce")


def test_views_in_both_languages_add_up_on_the_default_page(client, product, product_en):
    for url in (url_of(product), url_of(product_en), url_of(product_en)):
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200

    assert views_of(product) == 3
    assert not ProductViewCount.objects.filter(product=product_en).exists()
    assert ProductViewCount.objects.get(product=product).day == datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    "user_agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Baiduspider",
        "facebookexternalhit crawler",
    ],
)
def test_robots_are_not_counted(client, product, user_agent):
    assert client.get(url_of(product), HTTP_USER_AGENT=user_agent).status_code == 200

    assert views_of(product) == 0


def test_only_page_reads_are_counted(client, product):
    client.head(url_of(product), HTTP_USER_AGENT=BROWSER)
    client.get(url_of(product) + "qr-png/", HTTP_USER_AGENT=BROWSER)
    client.get(url_of(product) + "qr-svg/", HTTP_USER_AGENT=BROWSER)
    assert views_of(product) == 0

    client.get(url_of(product), HTTP_USER_AGENT=BROWSER)
    assert views_of(product) == 1


def test_previews_are_not_counted(product):
    assert product.make_preview_request().status_code == 200

    assert views_of(product) == 0


def test_no_personal_data_is_stored(client, product):
    client.get(url_of(product), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")

    columns = {column.name for column in ProductViewCount._meta.get_fields()}
    assert columns == {"id", "product", "day", "views"}
    table = ProductViewCount._meta.db_table
    with connection.cursor() as cursor:
        db_columns = {
            column.name for column in connection.introspection.get_table_description(cursor, table)
        }
    assert db_columns == {"id", "product_id", "day", "views"}


def test_a_broken_counter_never_breaks_the_page(client, product):
    # The table is gone (a failed migration, say): the page is served all the same. The
    # test's transaction rolls the drop back.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {ProductViewCount._meta.db_table}")

    response = client.get(url_of(product), HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 200
    assert product.title in response.content.decode()


def test_counts_add_up_per_day(product):
    record_view(product, datetime.date(2026, 6, 1))
    record_view(product, datetime.date(2026, 6, 1))
    record_view(product, datetime.date(2026, 6, 2))
    flush_all()

    assert dict(ProductViewCount.objects.filter(product=product).values_list("day", "views")) == {
        datetime.date(2026, 6, 1): 2,
        datetime.date(2026, 6, 2): 1,
    }


@pytest.fixture
def views(activity: Activity, product_en):
    """Known views: a few per product and day, some outside the default period."""
    products = activity.products
    known = [
        (products["sauce"], datetime.date(2026, 6, 1), 40),
        (products["sauce"], datetime.date(2026, 6, 14), 2),
        (products["wine"], datetime.date(2026, 2, 1), 25),
        (products["mat"], datetime.date(2025, 6, 30), 99),  # before the default period
        (products["cake"], datetime.date(2026, 5, 5), 7),
    ]
    for page, day, count in known:
        ProductViewCount.objects.create(product=page, day=day, views=count)
    return known


def shown_title(page) -> str:
    """A product's title as the (English-speaking) office reads it: the English one where
    the product is translated."""
    translation = page.get_translation_or_none(en())
    return translation.title if translation else page.title


def expected_products(activity: Activity, views, start, end) -> dict[str, list[int]]:
    """title → [views, inquiries, quantity], from the test data."""
    rows = {}
    for page, day, count in views:
        if start <= day <= end:
            rows.setdefault(shown_title(page), [0, 0, 0])[0] += count
    for spec in activity.inquiries:
        if not start <= spec.sent.date() <= end:
            continue
        for page, quantity in spec.items:
            row = rows.setdefault(shown_title(page), [0, 0, 0])
            row[1] += 1
            row[2] += quantity
    return rows


def test_report_numbers(activity: Activity, views, office_client):
    exported = export_csv(office_client.get(URL, {"export": "csv"}))

    assert exported[0] == ["Product", "Producer", "Views", "Inquiries", "Quantity asked"]
    got = {row[0]: [int(value) for value in row[2:]] for row in exported[1:]}
    assert got == expected_products(
        activity, views, datetime.date(2025, 7, 1), datetime.date(2026, 6, 15)
    )
    # Most viewed first.
    assert [row[0] for row in exported[1:3]] == ["Fish sauce", "Rượu nếp"]
    producers = {row[0]: row[1] for row in exported[1:]}
    assert producers["Chiếu cói"] == "Cơ sở Chiếu cói <Bàn Thạch>"


def test_inquiries_in_english_count_for_the_product(activity: Activity, product_en, office_client):
    from tests.reports_fixtures import InquirySpec, save_inquiry

    save_inquiry(InquirySpec(activity.producers["sauce"], [(product_en, 6)], at(2026, 6, 2)))

    exported = export_csv(office_client.get(URL, {"export": "csv", "ordering": "-inquiries"}))

    assert exported[1][0] == "Fish sauce"  # the office reads English: see shown_title
    assert exported[1][3:] == ["4", "20"]  # three Vietnamese inquiries and one English


def test_date_range_and_ordering(activity: Activity, views, office_client):
    params = {"date_from": "2025-06-01", "date_to": "2026-02-28", "ordering": "-quantity"}
    exported = export_csv(office_client.get(URL, {**params, "export": "csv"}))

    got = {row[0]: [int(value) for value in row[2:]] for row in exported[1:]}
    assert got == expected_products(
        activity, views, datetime.date(2025, 6, 1), datetime.date(2026, 2, 28)
    )
    quantities = [int(row[4]) for row in exported[1:]]
    assert quantities == sorted(quantities, reverse=True)


def test_page_and_exports_agree_and_link_to_the_editor(activity: Activity, views, office_client):
    response = office_client.get(URL)
    page = table_rows(response)
    as_csv = export_csv(office_client.get(URL, {"export": "csv"}))
    as_xlsx = export_xlsx(office_client.get(URL, {"export": "xlsx"}))

    assert [row[:2] for row in page] == [row[:2] for row in as_csv[1:]]
    assert [[int(v) for v in row[2:]] for row in page] == [
        [int(v) for v in row[2:]] for row in as_csv[1:]
    ]
    assert [list(row[:2]) for row in as_xlsx[1:]] == [row[:2] for row in as_csv[1:]]
    assert [[int(v) for v in row[2:]] for row in as_xlsx[1:]] == [
        [int(v) for v in row[2:]] for row in as_csv[1:]
    ]
    edit = reverse("wagtailadmin_pages:edit", args=[activity.products["sauce"].pk])
    assert edit in table_links(response)
    html = response.content.decode()
    assert '<svg class="report-chart"' in html and "Most viewed products" in html
    # Only default-language pages are listed.
    listed = [link.rstrip("/").split("/")[-2] for link in table_links(response) if "/edit/" in link]
    assert {page.locale.language_code for page in Page.objects.filter(pk__in=listed)} == {"vi"}


def test_chart_follows_the_ordering(activity: Activity, views, office_client):
    html = office_client.get(URL, {"ordering": "-inquiries"}).content.decode()

    assert "Most inquired products" in html


def test_producers_are_denied(activity: Activity, producer_a):
    for params in ({}, {"export": "xlsx"}):
        response = producer_a.client.get(URL, params)

        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")


def test_bad_input_never_fails(activity: Activity, office_client):
    for params in ({"date_to": "31/02/2026"}, {"ordering": "-nope"}, {"export": "pdf"}):
        assert office_client.get(URL, params).status_code == 200
