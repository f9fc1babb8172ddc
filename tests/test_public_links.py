"""Issue: absolute URLs said `localhost`. With the site served at a public address that is
not the requests' host, every page, sitemap, QR code, label and email says that address:
no `localhost`, no `testserver` (the test client's host), no `127.0.0.1`."""

import datetime
import io
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from marketplace.core.office import OFFICE_GROUP
from producers.accounts import create_producer_account
from tests.factories import make_producer, make_product
from tests.inquiry_builders import group, submit
from tests.producer_accounts_helpers import edit_form_data, edit_url
from tests.public_pages_fixtures import translate_page
from tests.site_address_helpers import other_hosts_in
from tests.test_qr import decode_png, decode_svg
from tests.test_seo import SITEMAP_NS, Head

pytest_plugins = ["tests.producer_accounts_fixtures"]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUED = datetime.date(2024, 3, 1)  # valid until 2027-02-28


@pytest.fixture
def producer(site):
    return make_producer(site.producers, "HTX Nước mắm Điện Dương", email="htx@example.com")


@pytest.fixture
def product(producer):
    return make_product(producer, "Nước mắm cá cơm", stars=4, certificate_issued=ISSUED)


@pytest.fixture
def english(producer, product):
    translate_page(producer)
    return translate_page(product, title="Anchovy fish sauce")


def get_html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def assert_public(url: str, public_address: str) -> None:
    assert url.startswith(public_address + "/"), url


# Pages


def test_pages_link_to_themselves_on_the_public_address(
    client, site, producer, product, english, public_address
):
    pages = {
        "home": site.home.url,
        "product": product.url,
        "English product": english.url,
        "producer": producer.url,
        "category": site.products.url + "danh-muc/thuc-pham/",
    }
    for name, path in pages.items():
        html = get_html(client, path)
        head = Head(html)

        [canonical] = [link["href"] for link in head.links("canonical")]
        assert canonical == public_address + path, name
        assert head.meta("og:url") == [canonical], name
        for url in [*head.hreflangs().values(), *head.meta("og:image")]:
            assert_public(url, public_address)
        assert other_hosts_in(html) == [], name

    assert Head(get_html(client, product.url)).hreflangs() == {
        "vi": public_address + product.url,
        "en": public_address + english.url,
        "x-default": public_address + product.url,
    }
    product_ld = Head(get_html(client, product.url)).json_ld("Product")
    assert product_ld["url"] == public_address + product.url
    assert product_ld["brand"]["url"] == public_address + producer.url
    assert_public(product_ld["image"][0], public_address)


def test_sitemap_and_robots_txt_say_the_public_address(
    client, site, product, english, public_address
):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS)]
    alternates = [link.get("href") for link in root.iterfind("sm:url/xhtml:link", SITEMAP_NS)]

    assert public_address + product.url in locations
    assert public_address + english.url in locations
    assert alternates
    for url in locations + alternates:
        assert_public(url, public_address)
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {public_address}/sitemap.xml" in robots.splitlines()


# QR codes and the certificate page


def certificate_path(key, language: str = "vi", name: str = "detail") -> str:
    with translation.override(language):
        return reverse(f"certificates:{name}", kwargs={"key": key})


def test_product_qr_codes_encode_the_public_address(client, product, public_address):
    for fmt, decode in (("png", decode_png), ("svg", decode_svg)):
        response = client.get(product.url + product.reverse_subpage(f"qr_{fmt}"))
        body = response.content if fmt == "png" else response.content.decode()
        assert decode(body) == [public_address + product.url]


@pytest.mark.parametrize(
    ("language", "alt"),
    [("vi", "Mã QR của trang tra cứu này"), ("en", "QR code of this verification page")],
)
def test_certificate_page_shows_its_qr_code_and_address(
    client, product, english, public_address, language, alt
):
    key = product.ocop_certificates.get().translation_key
    page_url = public_address + certificate_path(key, language)

    html = get_html(client, certificate_path(key, language))

    # The address printed under the code, and the code itself as an image.
    assert f'<code class="certificate-url">{page_url}</code>' in html
    image = f'<img class="certificate-qr__code" src="{certificate_path(key, language, "qr_svg")}"'
    assert image in html
    assert f'alt="{alt}"' in html
    assert other_hosts_in(html) == []
    svg = client.get(certificate_path(key, language, "qr_svg"))
    assert decode_svg(svg.content.decode()) == [page_url]
    png = client.get(certificate_path(key, language, "qr_png"))
    assert decode_png(png.content) == [page_url]


def test_certificate_label_prints_the_public_address(client, product, public_address):
    key = product.ocop_certificates.get().translation_key

    html = get_html(client, certificate_path(key, "vi", "label"))

    qr_path = certificate_path(key, "vi", "qr_svg")
    assert f'src="{qr_path}"' in html
    svg = client.get(qr_path).content.decode()
    assert decode_svg(svg) == [public_address + certificate_path(key, "vi")]


# Email


def bodies(message) -> list[str]:
    return [message.body, *(content for content, _mimetype in message.alternatives)]


def assert_only_the_public_address(message, public_address: str) -> None:
    for body in bodies(message):
        assert public_address + "/" in body, message.subject
        assert other_hosts_in(body) == [], (message.subject, body)


def test_inquiry_emails_link_to_the_public_address(
    producer, product, public_address, django_capture_on_commit_callbacks
):
    create_producer_account(producer, "quanly@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(group(producer, (product, 2)), language="en", email="lan@example.com")
    inquiry = result.submission.inquiries.get()

    [to_consumer] = [m for m in mail.outbox if m.to == ["lan@example.com"]]
    to_producer = [m for m in mail.outbox if m.to != ["lan@example.com"]]
    assert to_producer
    assert public_address + inquiry.get_tracking_url() in to_consumer.body
    for message in [to_consumer, *to_producer]:
        assert_only_the_public_address(message, public_address)


def test_certificate_reminders_link_to_the_public_address(
    producer, product, public_address, office_user
):
    certificate = product.ocop_certificates.get()
    create_producer_account(producer, "manager@example.com")
    thirty_days_before = datetime.datetime(2027, 1, 29, 6, tzinfo=TZ)

    with time_machine.travel(thirty_days_before, tick=False):
        call_command("certificates", "remind", stdout=io.StringIO())

    assert {address for message in mail.outbox for address in message.to} >= {
        "htx@example.com",
        "office@example.com",
    }
    verification = public_address + certificate_path(certificate.translation_key, "vi")
    for message in mail.outbox:
        assert_only_the_public_address(message, public_address)
        assert public_address + edit_url(product) in message.body
    assert any(verification in message.body for message in mail.outbox)


# Wagtail's own email: moderation and password reset


def workflow_action(client: Client, page, action: str):
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": "Đã kiểm tra."})


def submit_for_moderation(producer_a, title: str) -> None:
    product = producer_a.product
    data = edit_form_data(producer_a.client, product, title=title, **{"action-submit": "1"})
    assert producer_a.client.post(edit_url(product), data).status_code == 302


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "password")


def test_moderation_emails_link_to_the_public_address(
    producer_a, office_user, office_client, superuser, public_address
):
    product = producer_a.product
    producer_email = producer_a.account.user.email

    submit_for_moderation(producer_a, "Nước mắm nhĩ 40 độ đạm")

    [to_office] = [m for m in mail.outbox if m.to == [office_user.email]]
    assert public_address + edit_url(product) in to_office.body
    to_superuser = [m for m in mail.outbox if m.to == [superuser.email]]
    assert to_superuser
    for message in [to_office, *to_superuser]:
        assert_only_the_public_address(message, public_address)
    mail.outbox.clear()

    assert workflow_action(office_client, product, "approve").status_code == 302

    [approved] = [m for m in mail.outbox if m.to == [producer_email]]
    # The live page's address, from Wagtail's Site record.
    assert public_address + product.url in approved.body
    assert_only_the_public_address(approved, public_address)


def test_rejection_email_links_to_the_public_address(producer_a, office_client, public_address):
    product = producer_a.product
    submit_for_moderation(producer_a, "Tự khen")
    mail.outbox.clear()

    assert workflow_action(office_client, product, "reject").status_code == 302

    [rejected] = [m for m in mail.outbox if m.to == [producer_a.account.user.email]]
    assert public_address + edit_url(product) in rejected.body
    assert_only_the_public_address(rejected, public_address)


def test_password_reset_email_links_to_the_public_address(client, db, public_address):
    user = get_user_model().objects.create_user("lan", "lan@example.com", "an old password")
    user.groups.add(Group.objects.get(name=OFFICE_GROUP))

    response = client.post(reverse("wagtailadmin_password_reset"), {"email": "lan@example.com"})

    assert response.status_code == 302
    [message] = mail.outbox
    assert f"{public_address}/admin/password_reset/" in message.body
    assert_only_the_public_address(message, public_address)
