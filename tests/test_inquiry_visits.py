"""Visit requests for OCOP group 6 experiences (homestays, village tours): a date, a party
size and a language instead of a quantity, through the list, the request form, the
producer's email and admin, and the tracking page."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from marketplace.inquiries.inquiry_list import VISITS_KEY
from marketplace.inquiries.models import Inquiry, InquiryItem
from producers.accounts import create_producer_account
from producers.models import ProducerPage
from products.models import ProductCategory, ProductPage
from products.queries import with_card_data
from search.backends.database import DatabaseBackend
from tests.browser_fixtures import (
    axe_report,
    csp_report,
    require_axe,
    require_vnu,
    validate_html,
    vnu_report,
    watch_csp,
)
from tests.factories import category, make_producer, make_product, vi
from tests.inquiry_admin_helpers import detail_url, index_url
from tests.inquiry_helpers import form_key, list_quantities, messages_of, request_data, url
from tests.producer_accounts_helpers import admin_client
from tests.public_pages_fixtures import translate_page, translate_snippet, url_of
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401

pytest_plugins = ["tests.inquiry_fixtures"]


@dataclass
class Village:
    producer: ProducerPage
    homestay: ProductPage  # 450.000 ₫ a room per night: no estimate
    tour: ProductPage  # 350.000 ₫ per person: price × party
    producer_client: Client
    homestay_en: ProductPage | None = None  # with village_en


@pytest.fixture
def village(shop) -> Village:
    """A homestay family, in a sub-category of group 6 that leaves its group to its parent."""
    experiences = category("du-lich-cong-dong")
    homestays = ProductCategory.objects.create(
        name="Homestay", slug="homestay", parent=experiences, locale=vi()
    )
    producer = make_producer(
        shop.site.producers, "Homestay Cô Hiền", email="hien@example.com", locality=shop.locality
    )
    account = create_producer_account(producer, "quanly.hien@example.com")
    return Village(
        producer=producer,
        homestay=make_product(
            producer, "Homestay nhà vườn", price_vnd=450_000, unit="phòng/đêm", category=homestays
        ),
        tour=make_product(
            producer,
            "Tour làng nghề nửa ngày",
            price_vnd=350_000,
            unit="người",
            category=experiences,
        ),
        producer_client=admin_client(account.user),
    )


@pytest.fixture
def village_en(village, shop_en) -> Village:
    """English pages of the village's producer, homestay and sub-category."""
    translate_snippet(village.homestay.category, name="Homestays")
    translate_page(village.producer, title="Co Hien Homestay", display_name="Co Hien Homestay")
    village.homestay_en = translate_page(
        village.homestay, title="Garden homestay", slug="garden-homestay", unit="room per night"
    )
    return village


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def add_visit(client: Client, product: ProductPage, language: str = "vi", **fields):
    data = {
        "product": product.pk,
        "visit_date": in_days(30).isoformat(),
        "party_size": "3",
        "visit_language": "en",
        **fields,
    }
    return client.post(url("add", language), data)


def visits(client: Client) -> dict:
    return dict(client.session.get(VISITS_KEY, {}))


# Which products take a visit


def test_experiences_of_group_6_take_a_visit_request(village, shop):
    assert village.homestay.takes_visit_request  # its sub-category's group is its parent's
    assert village.tour.takes_visit_request
    assert not shop.rice_wine.takes_visit_request
    # The cards' annotation decides the same, without a query per card.
    cards = with_card_data(
        ProductPage.objects.filter(pk__in=[village.homestay.pk, shop.rice_wine.pk])
    )
    assert {card.pk: card.takes_visit_request for card in cards} == {
        village.homestay.pk: True,
        shop.rice_wine.pk: False,
    }


def test_an_experience_page_asks_for_a_date_a_party_and_a_language(village, client):
    html = client.get(village.homestay.url).content.decode()

    assert 'type="date" name="visit_date"' in html
    assert f'min="{timezone.localdate().isoformat()}"' in html
    assert 'name="party_size" value="2"' in html
    assert '<option value="vi" selected>' in html  # the page's language
    assert 'name="quantity"' not in html


def test_an_experience_card_links_to_its_visit_request(village, client):
    html = client.get(village.producer.url).content.decode()

    assert f'href="{village.homestay.url}#visit-request"' in html
    assert f'name="product" value="{village.homestay.pk}"' not in html  # no one-click add


def test_a_search_result_links_to_the_visit_request_while_its_category_says_so(
    village, client, settings
):
    """Search cards carry no category: which products take a visit is kept per process
    while the content is unchanged, and a category's change is seen at once."""
    settings.PAGE_CACHE_SECONDS = 300  # what is kept per process is kept
    DatabaseBackend().rebuild()
    search_url = reverse("search:search") + "?q=homestay"
    visit_link = f'href="{village.homestay.url}#visit-request"'
    assert visit_link in client.get(search_url).content.decode()

    village.homestay.category = category()
    village.homestay.save_revision().publish()
    html = client.get(search_url + "&again=1").content.decode()
    assert visit_link not in html
    assert f'name="product" value="{village.homestay.pk}"' in html


# The list


def test_a_visit_is_added_changed_and_shown_on_the_list(village, client):
    response = add_visit(client, village.homestay, party_size="4", visit_language="vi")

    assert response.status_code == 302
    key = str(village.homestay.translation_key)
    assert list_quantities(client) == {key: 4}
    assert visits(client) == {
        key: {"date": in_days(30).isoformat(), "party_size": 4, "language": "vi"}
    }

    page = client.get(url("list"))
    html = page.content.decode()
    row = f"line-{village.homestay.pk}"
    assert f'name="visit_date" value="{in_days(30).isoformat()}"' in html
    assert f'id="{row}-party_size"' in html
    assert 'name="quantity" value="4"' not in html
    [line] = [line for group in page.context["groups"] for line, _form in group.rows]
    assert line.subtotal_vnd is None  # a room per night: the producer agrees the price
    assert page.context["groups"][0].group.has_price_to_agree

    response = client.post(
        url("update"),
        {
            "product": village.homestay.pk,
            "visit_date": in_days(60).isoformat(),
            "party_size": "2",
            "visit_language": "other",
        },
    )
    assert response.status_code == 302
    assert visits(client)[key] == {
        "date": in_days(60).isoformat(),
        "party_size": 2,
        "language": "other",
    }
    assert list_quantities(client) == {key: 2}


def test_a_visit_priced_per_person_is_estimated_for_the_party(village, client):
    add_visit(client, village.tour, party_size="3")

    [group] = client.get(url("list")).context["groups"]
    [(line, _form)] = group.rows
    assert line.subtotal_vnd == 3 * 350_000
    assert group.group.subtotal_vnd == 1_050_000


def test_adding_a_visit_again_replaces_it(village, client):
    add_visit(client, village.tour, party_size="3")
    add_visit(client, village.tour, party_size="5", visit_date=in_days(10).isoformat())

    key = str(village.tour.translation_key)
    assert list_quantities(client) == {key: 5}
    assert visits(client)[key]["date"] == in_days(10).isoformat()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"visit_date": ""}, "Choose the date of your visit."),
        ({"visit_date": "yesterday"}, "Enter the date of your visit as dd/mm/yyyy."),
        ({"visit_date": -1}, "Choose today or a later date for your visit."),
        ({"visit_date": 367}, "Choose a visit date within the next twelve months."),
        ({"party_size": ""}, "Enter the number of people."),
        ({"party_size": "two"}, "Enter the number of people as a whole number."),
        ({"party_size": "0"}, "A visit is for at least 1 person."),
        (
            {"party_size": "51"},
            "For groups of more than 50 people, please contact the producer directly.",
        ),
        ({"visit_language": "xx"}, "Choose one of the languages offered."),
        ({"visit_language": ""}, "Choose the language of the visit."),
    ],
)
def test_a_bad_visit_is_refused_with_a_clear_message(village_en, client, fields, message):
    if isinstance(fields.get("visit_date"), int):  # days from today
        fields = {"visit_date": in_days(fields["visit_date"]).isoformat()}

    response = add_visit(client, village_en.homestay, language="en", **fields)

    assert response.status_code == 302
    assert message in messages_of(client.get(url("list", "en")))
    assert list_quantities(client) == {}
    assert visits(client) == {}


def test_a_bad_change_on_the_list_shows_at_its_line_and_keeps_the_visit(village_en, client):
    add_visit(client, village_en.homestay, language="en")
    before = visits(client)

    response = client.post(
        url("update", "en"),
        {
            "product": village_en.homestay.pk,
            "visit_date": in_days(-3).isoformat(),
            "party_size": "3",
            "visit_language": "en",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose today or a later date for your visit." in html
    [line] = [line for group in response.context["groups"] for line, _form in group.rows]
    assert f'id="line-{line.product.pk}-visit_date"' in html
    assert 'aria-invalid="true"' in html
    assert visits(client) == before


def test_dates_typed_the_vietnamese_way_are_read(village, client):
    add_visit(client, village.homestay, visit_date=in_days(30).strftime("%d/%m/%Y"))

    assert visits(client)[str(village.homestay.translation_key)]["date"] == in_days(30).isoformat()


# Sending


def send(client: Client, django_capture_on_commit_callbacks, shop, language: str = "vi"):
    data = request_data(
        form_key(client, language),
        shop,
        delivery="pick_up",
        delivery_locality="",
        delivery_address="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url("send", language), data)


def test_a_sent_visit_is_kept_on_its_item_and_shown_to_the_producer(
    village, shop, client, django_capture_on_commit_callbacks
):
    add_visit(client, village.homestay, party_size="4", visit_language="en")
    add_visit(client, village.tour, party_size="3", visit_language="vi")
    client.post(url("add"), {"product": shop.rice_wine.pk, "quantity": "2"})

    response = send(client, django_capture_on_commit_callbacks, shop)

    assert response.status_code == 302
    inquiry = Inquiry.objects.get(producer=village.producer)
    homestay, tour = inquiry.items.order_by("pk")
    assert (homestay.visit_date, homestay.party_size, homestay.visit_language) == (
        in_days(30),
        4,
        "en",
    )
    # A room per night: one booking, its price for the producer to agree.
    assert (homestay.quantity, homestay.unit_price_vnd, homestay.subtotal_vnd) == (1, None, None)
    # Per person: the party at the price shown.
    assert (tour.quantity, tour.unit_price_vnd, tour.subtotal_vnd) == (3, 350_000, 1_050_000)
    assert inquiry.estimated_total_vnd == 1_050_000
    # Goods are as they were.
    wine = InquiryItem.objects.get(product=shop.rice_wine)
    assert (wine.quantity, wine.visit_date, wine.party_size, wine.visit_language) == (
        2,
        None,
        None,
        "",
    )

    with override("vi"):
        vi_date = date_format(in_days(30), "DATE_FORMAT")
    [to_producer] = [message for message in mail.outbox if "hien@example.com" in message.to]
    html = to_producer.alternatives[0][0]
    for body in (to_producer.body, html):
        assert vi_date in body
        assert "Homestay nhà vườn" in body
        assert "1 × phòng/đêm" not in body
    assert "4 × phòng/đêm" not in to_producer.body

    detail = village.producer_client.get(detail_url(inquiry)).content.decode()
    with override("en"):
        en_date = date_format(in_days(30), "DATE_FORMAT")
    assert vi_date in detail or en_date in detail  # in the admin user's language
    assert "1 × phòng/đêm" not in detail

    index = village.producer_client.get(index_url())
    assert index.status_code == 200


def test_a_tourist_reads_the_visit_in_english_in_email_and_on_tracking(
    village_en, shop, client, django_capture_on_commit_callbacks
):
    add_visit(client, village_en.homestay, language="en", party_size="3")

    send(client, django_capture_on_commit_callbacks, shop, "en")

    inquiry = Inquiry.objects.get(producer=village_en.producer)
    with override("en"):
        en_date = date_format(in_days(30), "DATE_FORMAT")
    summary = f"Visit on {en_date} · 3 people · language: English"
    [to_consumer] = [message for message in mail.outbox if "lan@example.com" in message.to]
    assert summary in to_consumer.body
    assert "price to be agreed" in to_consumer.body
    track = client.get(url("track", "en", token=inquiry.token)).content.decode()
    assert summary in track
    assert "Price to be agreed" in track


def test_a_visit_without_its_details_cannot_be_sent(village, shop, client):
    add_visit(client, village.tour)
    session = client.session
    session[VISITS_KEY] = {}  # as a list from before the product became an experience
    session.save()

    response = client.get(url("send"))

    assert response.status_code == 302
    assert "Tour làng nghề nửa ngày: Vui lòng chọn ngày tham quan và số người." in messages_of(
        client.get(url("list"))
    )
    assert not Inquiry.objects.exists()


def test_a_visit_whose_date_has_passed_cannot_be_sent(village, shop, client):
    add_visit(client, village.tour)
    session = client.session
    key = str(village.tour.translation_key)
    session[VISITS_KEY] = {
        key: {"date": in_days(-1).isoformat(), "party_size": 3, "language": "en"}
    }
    session.save()

    response = client.get(url("send"))

    assert response.status_code == 302
    assert (
        "Tour làng nghề nửa ngày: Vui lòng chọn ngày tham quan từ hôm nay trở đi."
        in messages_of(client.get(url("list")))
    )
    assert not Inquiry.objects.exists()


# In Chromium, on a phone


PHONE = {"width": 390, "height": 844}


@dataclass
class BrowserVisit:
    list_text: str = ""
    sent_url: str = ""
    track_text: str = ""
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


def ask_for_a_homestay(browser, base_url: str, product_path: str, date: str) -> BrowserVisit:
    """A tourist on a phone, without JavaScript: the visit from the homestay's English page,
    one more person on the list, the request sent for pick-up. A second context, the same
    visitor with JavaScript, runs axe-core and watches for CSP violations."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    checker = None
    page = context.new_page()
    visit = BrowserVisit()
    try:
        page.goto(base_url + product_path)
        page.get_by_label("Date of your visit").fill(date)
        page.get_by_label("Number of people").fill("2")
        page.get_by_label("Language of the visit").select_option("en")
        page.get_by_role("button", name="Add the visit to my inquiry list").click()
        page.get_by_role("link", name="Inquiry list (1)").click()
        page.get_by_label("Number of people").fill("3")
        page.get_by_role("button", name="Update Garden homestay").click()
        visit.list_text = page.locator("body").inner_text()

        checker = browser.new_context(viewport=PHONE, storage_state=context.storage_state())
        checker.set_default_timeout(TIMEOUT_MS)
        visit.csp = watch_csp(checker)
        check = checker.new_page()
        for name, path in (("product", product_path), ("list", url("list", "en"))):
            check.goto(base_url + path)
            visit.axe[name] = axe_violations(check)

        page.get_by_role("link", name="Continue: your contact details").click()
        page.get_by_label("Your name").fill("Emma Brown")
        page.get_by_label("Phone number").fill("0905 123 456")
        page.get_by_label("Zalo").check()
        page.get_by_label("I will pick it up").check()
        page.get_by_label("I agree that my details are shared").check()
        page.get_by_role("button", name="Send my request").click()
        visit.sent_url = page.url
    finally:
        if checker is not None:
            checker.close()
        context.close()
    return visit


def read_tracking(browser, track_url: str) -> str:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(track_url)
        return page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tourist_asks_for_a_homestay_visit_on_a_phone(in_browser, live_site, village_en):  # noqa: F811
    require_axe()
    date = in_days(45)

    visit = in_browser(
        ask_for_a_homestay, live_site, url_of(village_en.homestay_en), date.isoformat()
    )

    with override("en"):
        summary = f"Visit on {date_format(date, 'DATE_FORMAT')} · 3 people · language: English"
    assert "Visit updated." in visit.list_text
    assert summary in visit.list_text
    assert "Price to be agreed" in visit.list_text
    assert "/sent/" in visit.sent_url
    item = InquiryItem.objects.get()
    assert (item.visit_date, item.party_size, item.visit_language) == (date, 3, "en")
    track = in_browser(read_tracking, live_site + url("track", "en", token=item.inquiry.token))
    assert summary in track
    problems = {name: found for name, found in visit.axe.items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not visit.csp, "Content-Security-Policy violations:\n" + csp_report(visit.csp)


@pytest.mark.django_db
def test_visit_pages_are_valid_html(
    village, shop, client, tmp_path, django_capture_on_commit_callbacks
):
    require_vnu()
    pages = {"product": client.get(village.homestay.url).content}
    pages["producer"] = client.get(village.producer.url).content
    add_visit(client, village.homestay)
    pages["list"] = client.get(url("list")).content
    pages["list-error"] = client.post(
        url("update"), {"product": village.homestay.pk, "visit_date": "", "party_size": "0"}
    ).content
    pages["send"] = client.get(url("send")).content
    send(client, django_capture_on_commit_callbacks, shop)
    pages["track"] = client.get(url("track", token=Inquiry.objects.get().token)).content
    paths = []
    for name, content in pages.items():
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_bytes(content)

    errors = validate_html(paths)
    assert not errors, "The Nu HTML Checker found errors:\n" + vnu_report(errors)
