"""The office's import and export page in the admin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.office.bulk.models import PendingImport
from producers.models import ProducerPage
from products.models import ProductPage
from tests.bulk_fixtures import (  # noqa: F401 - places_fixture: the `places` fixture
    places_fixture,
    producer_row,
    product_row,
    xlsx,
)

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.producer_accounts_fixtures"]


def upload(client, content: bytes, name: str = "catalogue.xlsx", **data):
    return client.post(reverse("bulk:import"), {"file": SimpleUploadedFile(name, content), **data})


def test_the_office_checks_then_applies_an_import(office_client, places):
    content = xlsx([producer_row()], [product_row()])

    response = upload(office_client, content)

    assert response.status_code == 200
    assert response.context["report"].summary["created"] == 2
    assert not ProductPage.objects.exists()  # the dry run wrote nothing
    pending = PendingImport.objects.get()
    assert response.context["apply_form"].initial["pending"] == pending.pk

    response = office_client.post(reverse("bulk:apply"), {"pending": pending.pk, "kind": ""})

    # The task ran (immediately, in the tests); its page shows the report.
    assert response.status_code == 302
    assert response["Location"] == reverse("bulk:run", args=[pending.pk])
    response = office_client.get(response["Location"])
    assert response.status_code == 200
    assert response.context["report"]["written"]
    assert response.context["report"]["summary"]["created"] == 2
    assert "Imported: 2 created" in response.content.decode()
    assert b'http-equiv="refresh"' not in response.content  # finished: no more reloads
    assert ProductPage.objects.live().count() == 1
    pending.refresh_from_db()
    assert pending.state == PendingImport.State.DONE
    assert bytes(pending.content) == b""
    # Applied once: the same go-ahead again finds nothing to apply.
    again = office_client.post(reverse("bulk:apply"), {"pending": pending.pk, "kind": ""})
    assert again.status_code == 404


def test_the_run_page_shows_progress_until_the_worker_finishes(office_client, office_user):
    pending = PendingImport.objects.create(
        filename="big.xlsx",
        content=b"x",
        uploaded_by=office_user,
        state=PendingImport.State.RUNNING,
        rows_done=120,
        rows_total=480,
    )

    response = office_client.get(reverse("bulk:run", args=[pending.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<progress max="480" value="120">' in html
    assert "120 of 480 rows written" in html
    assert 'http-equiv="refresh"' in html


def test_errors_are_listed_and_nothing_can_be_applied(office_client, places):
    content = xlsx([producer_row(legal_form="?")], [product_row(price_vnd="abc")])

    response = upload(office_client, content)

    assert response.status_code == 200
    assert response.context["apply_form"] is None
    rows = {(p.sheet, p.row, p.column) for p in response.context["report"].problems}
    assert ("producers", 2, "legal_form") in rows
    assert ("products", 2, "price_vnd") in rows
    assert b"legal_form" in response.content
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize(
    "content, name",
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.xlsx"), (b"", "empty.csv")],
)
def test_a_bad_file_gets_a_message_not_a_500(office_client, places, content, name):
    response = upload(office_client, content, name)

    assert response.status_code in (200, 400)
    assert not ProducerPage.objects.exists()
    if response.status_code == 200:
        assert response.context["report"].problems


def test_the_office_downloads_the_catalogue_and_the_template(office_client, places):
    office_client.post(reverse("bulk:import"))  # a post without a file: the form's error
    for name in ("bulk:export", "bulk:template"):
        response = office_client.get(reverse(name))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        workbook = load_workbook(io.BytesIO(response.content))
        assert {"producers", "products"} <= set(workbook.sheetnames)


def test_the_menu_item_is_shown_to_the_office(office_client):
    response = office_client.get(reverse("wagtailadmin_home"))
    assert reverse("bulk:import").encode() in response.content


def test_producers_are_denied(producer_a, places):
    client = producer_a.client
    for name in ("bulk:import", "bulk:export", "bulk:template"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, xlsx([producer_row()])).status_code == 403
    assert client.post(reverse("bulk:apply"), {"pending": 1}).status_code == 403
    assert reverse("bulk:import").encode() not in client.get(reverse("wagtailadmin_home")).content


def test_an_import_is_applied_only_by_who_uploaded_it(office_client, office_user, places):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_superuser("boss@example.com", "boss@example.com")
    pending = PendingImport.objects.create(
        filename="x.xlsx", content=xlsx([producer_row()]), uploaded_by=other
    )
    response = office_client.post(reverse("bulk:apply"), {"pending": pending.pk})
    assert response.status_code == 404
    assert office_client.get(reverse("bulk:run", args=[pending.pk])).status_code == 404
    assert not ProducerPage.objects.exists()
