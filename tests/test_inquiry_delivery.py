"""Ordering from anywhere: a 2025 province and ward, foreign numbers with WhatsApp or
email, each producer's delivery area and fee, and errors a phone user sees.

New messages are asserted on English pages (Vietnamese ones show them once translated).
"""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError

from marketplace.inquiries import migrations as inquiry_migrations
from marketplace.inquiries.models import Inquiry, Submission
from producers.models import ProducerPage
from tests.inquiry_admin_helpers import detail_url, make_inquiry
from tests.inquiry_builders import group, submit
from tests.inquiry_helpers import (
    DA_NANG,
    GO_NOI,
    HA_NOI,
    HOAN_KIEM,
    fill,
    form_key,
    request_data,
    url,
)
from tests.producer_accounts_helpers import edit_form_data, edit_url
from tests.public_pages_fixtures import translate_page
from tests.test_shared_facts import submit_and_approve

pytest_plugins = ["tests.inquiry_fixtures", "tests.producer_accounts_fixtures"]

pytestmark = pytest.mark.django_db

UK_NUMBER = "+44 7700 900123"
HAI_CHAU = 20242  # a ward of Đà Nẵng, not Gò Nổi


@pytest.fixture
def full_list(shop, client):
    fill(client, (shop.rice_wine, 2), (shop.fish_sauce, 5))
    return shop


def html(response) -> str:
    return response.content.decode()


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def send_en(client, shop, **overrides):
    """The request form sent from the English page."""
    return client.post(url("send", "en"), request_data(form_key(client, "en"), shop, **overrides))


def set_delivery(producer: ProducerPage, area: str, fee: str, amount: int | None = None):
    producer.delivery_area, producer.delivery_fee, producer.delivery_fee_vnd = area, fee, amount
    producer.save_revision().publish()


# The address


def test_a_ha_noi_address_is_accepted(full_list, client):
    response = send_en(client, full_list, delivery_province=HA_NOI, delivery_ward=HOAN_KIEM)

    assert response.status_code == 302
    for inquiry in Inquiry.objects.all():
        assert (inquiry.delivery_province_code, inquiry.delivery_ward_code) == (1, 70)
        # Names as a snapshot, so that a later renaming does not change the request.
        assert inquiry.delivery_province_name == "Thành phố Hà Nội"
        assert inquiry.delivery_ward_name == "Phường Hoàn Kiếm"
        assert inquiry.full_delivery_address == ("12 Trần Phú, Phường Hoàn Kiếm, Thành phố Hà Nội")


def test_a_ward_of_another_province_is_refused_in_words(full_list, client):
    response = send_en(client, full_list, delivery_province=HA_NOI, delivery_ward=GO_NOI)

    assert response.status_code == 200
    assert errors_of(response) == {
        "delivery_ward": [
            "Xã Gò Nổi is not in Hà Nội: choose a ward or commune of Hà Nội, "
            "or the province of Xã Gò Nổi."
        ]
    }
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"delivery_province": "2"}, "delivery_province"),  # no province has code 2
        ({"delivery_province": "x"}, "delivery_province"),
        ({"delivery_ward": "99999"}, "delivery_ward"),
        ({"delivery_ward": "1" * 40}, "delivery_ward"),
        ({"delivery_ward": ""}, "delivery_ward"),
    ],
)
def test_bad_places_are_refused(full_list, client, overrides, field):
    response = send_en(client, full_list, **overrides)

    assert response.status_code == 200
    assert field in errors_of(response)
    assert not Inquiry.objects.exists()


def test_the_form_lists_the_wards_of_da_nang_first(full_list, client):
    form = client.get(url("send", "en")).context["form"]

    provinces = [label for _, label in form.fields["delivery_province"].choices]
    assert provinces[0] == "Đà Nẵng" and len(provinces) == 34
    assert form["delivery_province"].value() == DA_NANG
    wards = dict(form.fields["delivery_ward"].choices)
    assert wards[GO_NOI] == "Xã Gò Nổi"
    assert HOAN_KIEM not in wards  # one province's wards, not the country's 3,321


def test_without_javascript_show_wards_lists_another_provinces_wards(full_list, client):
    key = form_key(client, "en")
    data = request_data(key, full_list, delivery_province=HA_NOI, phone="", show_wards="1")

    response = client.post(url("send", "en"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound  # nothing checked yet: no error for the empty phone
    assert dict(form.fields["delivery_ward"].choices)[HOAN_KIEM] == "Phường Hoàn Kiếm"
    page = html(response)
    assert 'id="error-summary"' not in page
    assert 'value="Nguyễn Thị Lan"' in page  # what was typed stays
    assert f'name="key" value="{key}"' in page  # the same form, sent once
    assert not Inquiry.objects.exists()


def test_the_wards_of_a_province_as_json_for_the_script(client):
    response = client.get(url("wards", "en", province=HA_NOI))

    assert response.status_code == 200
    assert [HOAN_KIEM, "Phường Hoàn Kiếm"] in response.json()["wards"]
    assert "public" in response["Cache-Control"]
    assert client.get(url("wards", "en", province=2)).status_code == 404


# Phone numbers from abroad


@pytest.mark.parametrize("channel", ["whatsapp", "email"])
def test_a_tourist_with_a_uk_number_sends_a_pick_up_request(full_list, client, channel):
    response = send_en(
        client,
        full_list,
        phone=UK_NUMBER,
        channel=channel,
        delivery="pick_up",
        delivery_province="",
        delivery_ward="",
        delivery_address="",
    )

    assert response.status_code == 302
    inquiry = Inquiry.objects.first()
    assert (inquiry.phone, inquiry.channel, inquiry.delivery) == (
        "+447700900123",
        channel,
        "pick_up",
    )


@pytest.mark.parametrize("channel", ["phone", "zalo"])
def test_a_foreign_number_needs_whatsapp_or_email(full_list, client, channel):
    response = send_en(client, full_list, phone=UK_NUMBER, channel=channel)

    assert errors_of(response) == {
        "channel": [
            "With a foreign phone number, choose WhatsApp or email: producers call and use "
            "Zalo with Vietnamese numbers."
        ]
    }
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0905 123 456", "+84905123456"),
        ("+84 905 123 456", "+84905123456"),
        ("0084 905 123 456", "+84905123456"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_numbers_as_people_type_them(full_list, client, typed, stored):
    send_en(client, full_list, phone=typed, channel="whatsapp")

    assert Inquiry.objects.first().phone == stored


@pytest.mark.parametrize("typed", ["0905 12", "+84 123", "12345", "+44 12", "+999 1234567"])
def test_vietnamese_numbers_are_still_strict_and_foreign_ones_checked(full_list, client, typed):
    response = send_en(client, full_list, phone=typed, channel="whatsapp")

    assert list(errors_of(response)) == ["phone"]
    assert not Inquiry.objects.exists()


def test_the_producer_gets_the_full_address_and_a_whatsapp_link(
    shop, django_capture_on_commit_callbacks
):
    shop.producer_a.email = "htx@example.com"
    shop.producer_a.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        submit(
            group(shop.producer_a, (shop.rice_wine, 1)),
            phone="+447700900123",
            channel="whatsapp",
        )

    [message] = [m for m in mail.outbox if "htx@example.com" in m.to]
    [(html_part, _)] = message.alternatives
    for part in (message.body, html_part):
        assert "12 Trần Phú, Xã Gò Nổi, Thành phố Đà Nẵng" in part
        assert "https://wa.me/447700900123" in part
        assert "+44 7700 900123" in part


def test_the_admin_shows_a_tourists_whatsapp_and_the_full_address(producer_a):
    inquiry = make_inquiry(
        producer_a,
        phone="+447700900123",
        channel="whatsapp",
        delivery_province_code=1,
        delivery_province_name="Thành phố Hà Nội",
        delivery_ward_code=70,
        delivery_ward_name="Phường Hoàn Kiếm",
    )

    html = producer_a.client.get(detail_url(inquiry)).content.decode()

    assert 'href="https://wa.me/447700900123"' in html
    assert 'href="tel:+447700900123"' in html and "+44 7700 900123" in html
    assert "zalo.me" not in html  # Zalo is for Vietnamese numbers
    assert "12 Trần Phú, Phường Hoàn Kiếm, Thành phố Hà Nội" in html


# Each producer's delivery area and fee


def test_the_list_shows_each_producers_area_and_fee(full_list, client):
    set_delivery(full_list.producer_a, "province", "free")
    set_delivery(full_list.producer_b, "nationwide", "fixed", 30_000)

    page = html(client.get(url("list", "en")))

    a, b = page.split('class="inquiry-group"')[1:]
    assert "Delivers in Đà Nẵng" in a and "Free delivery" in a
    assert "Delivers all over Vietnam" in b and "Delivery fee: ₫30,000" in b


def test_a_producers_own_ward_comes_from_its_locality(full_list, client):
    full_list.locality.ward_code = GO_NOI
    full_list.locality.save()
    set_delivery(full_list.producer_a, "locality", "agreed")

    page = html(client.get(url("list", "en")))

    assert "Delivers in Điện Dương (Xã Gò Nổi) only" in page
    assert "Delivery fee to be agreed" in page


def outside_notes(page: str) -> list[bool]:
    """For each producer on the send page, whether its "outside the area" note shows."""
    notes = re.findall(r'<p class="delivery-terms__outside" data-delivery-outside( hidden)?>', page)
    return [not hidden for hidden in notes]


def test_an_address_outside_a_producers_area_is_allowed_and_said(full_list, client):
    full_list.locality.ward_code = GO_NOI
    full_list.locality.save()
    set_delivery(full_list.producer_a, "locality", "free")
    set_delivery(full_list.producer_b, "province", "agreed")

    assert outside_notes(html(client.get(url("send", "en")))) == [False, False]

    key = form_key(client, "en")
    in_town = request_data(key, full_list, delivery_ward=HAI_CHAU, name="")
    page = html(client.post(url("send", "en"), in_town))  # Hải Châu, Đà Nẵng; errors
    assert outside_notes(page) == [True, False]

    far = request_data(key, full_list, delivery_province=HA_NOI, show_wards="1")
    page = html(client.post(url("send", "en"), far))
    assert outside_notes(page) == [True, True]
    assert "outside HTX Rượu Gò Nổi’s usual delivery area" in page

    response = send_en(client, full_list, delivery_province=HA_NOI, delivery_ward=HOAN_KIEM)
    assert response.status_code == 302  # still allowed


def test_a_fixed_fee_needs_its_amount(shop):
    producer = shop.producer_a
    producer.delivery_fee = ProducerPage.DeliveryFee.FIXED
    producer.delivery_fee_vnd = None

    with pytest.raises(ValidationError) as caught:
        producer.full_clean()

    assert "delivery_fee_vnd" in caught.value.message_dict


def test_a_producer_sets_its_delivery_in_the_admin_for_every_language(
    producer_a, office_client, django_capture_on_commit_callbacks
):
    producer_en = translate_page(producer_a.page, title="Co-op A", slug="co-op-a")
    page = edit_url(producer_a.page)
    form = producer_a.client.get(page).content.decode()
    assert 'name="delivery_area"' in form and 'name="delivery_fee_vnd"' in form

    # A fixed fee without its amount is refused, in words, and nothing is lost.
    data = edit_form_data(producer_a.client, producer_a.page, delivery_fee="fixed")
    response = producer_a.client.post(page, data)
    assert response.status_code == 200
    assert "delivery_fee_vnd" in response.context["form"].errors

    changes = {"delivery_area": "nationwide", "delivery_fee": "fixed", "delivery_fee_vnd": "30000"}
    with django_capture_on_commit_callbacks(execute=True):
        submit_and_approve(producer_a, office_client, producer_a.page, **changes)

    producer_en = ProducerPage.objects.get(pk=producer_en.pk)
    assert (producer_en.delivery_area, producer_en.delivery_fee) == ("nationwide", "fixed")
    assert producer_en.delivery_fee_vnd == 30_000


# Errors a phone user sees


def test_the_error_summary_is_at_the_top_and_links_to_each_field(full_list, client):
    response = send_en(client, full_list, phone="12345", delivery_address="")

    page = html(response)
    summary, form = page.index('id="error-summary"'), page.index('<form class="request-form"')
    assert summary < page.index('class="inquiry-summary"') < form
    assert re.search(r'<div class="error-summary" id="error-summary" tabindex="-1"', page)
    assert 'href="#id_phone"' in page and 'href="#id_delivery_address"' in page
    # Without JavaScript, the page opens scrolled to the summary.
    assert 'action="/en/inquiry-list/send/#error-summary"' in page
    assert "js/error-summary.js" in page and "js/delivery-address.js" in page


# Inquiries from before the 2025 map


def old_locality_migration():
    """The data step of the migration that added the 2025 address (renumbered at merges)."""
    [path] = Path(inquiry_migrations.__file__).parent.glob("*_delivery_anywhere.py")
    module = importlib.import_module(f"marketplace.inquiries.migrations.{path.stem}")
    return module.locality_to_2025_place


def test_old_inquiries_move_to_da_nang_and_keep_their_locality(shop):
    old = submit(group(shop.producer_a, (shop.rice_wine, 1)), delivery_province_code=None)
    mapped = submit(group(shop.producer_b, (shop.fish_sauce, 5)), delivery_province_code=None)
    Inquiry.objects.update(
        delivery_province_code=None,
        delivery_province_name="",
        delivery_ward_code=None,
        delivery_ward_name="",
        delivery_locality=shop.locality,
    )
    picked_up = submit(group(shop.producer_a, (shop.mat, 1)), delivery="pick_up")
    Inquiry.objects.filter(submission=picked_up.submission).update(
        delivery_province_code=None, delivery_province_name="", delivery_ward_name=""
    )
    gone = Inquiry.objects.get(submission=mapped.submission)
    other = type(shop.locality).objects.create(
        name="Gò Nổi", slug="go-noi", kind="commune", locale=shop.locality.locale
    )
    Inquiry.objects.filter(pk=gone.pk).update(delivery_locality=other)

    old_locality_migration()(apps, None)

    first = Inquiry.objects.get(submission=old.submission)
    assert (first.delivery_province_code, first.delivery_province_name) == (
        48,
        "Thành phố Đà Nẵng",
    )
    # The package knows only the 2025 units: the old name is kept as written.
    assert (first.delivery_ward_code, first.delivery_ward_name) == (None, "Điện Dương")
    assert first.full_delivery_address == "12 Trần Phú, Điện Dương, Thành phố Đà Nẵng"
    second = Inquiry.objects.get(pk=gone.pk)
    assert (second.delivery_ward_code, second.delivery_ward_name) == (GO_NOI, "Xã Gò Nổi")
    untouched = Inquiry.objects.get(submission=picked_up.submission)
    assert untouched.delivery_province_code is None
    # Running it again changes nothing.
    old_locality_migration()(apps, None)
    assert Inquiry.objects.get(pk=first.pk).delivery_ward_name == "Điện Dương"


def test_a_locality_with_its_2025_ward_set_migrates_to_that_ward(shop):
    shop.locality.ward_code = 20579  # Phường Điện Bàn Đông
    shop.locality.save()
    result = submit(group(shop.producer_a, (shop.rice_wine, 1)))
    Inquiry.objects.update(
        delivery_province_code=None, delivery_ward_code=None, delivery_locality=shop.locality
    )

    old_locality_migration()(apps, None)

    inquiry = result.submission.inquiries.get()
    assert (inquiry.delivery_ward_code, inquiry.delivery_ward_name) == (
        20579,
        "Phường Điện Bàn Đông",
    )
