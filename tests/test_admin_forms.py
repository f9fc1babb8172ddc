"""The admin refuses invalid data field by field, and saves nothing when it does."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from marketplace.certificates.models import OcopCertificate
from marketplace.core.models import CustomImage
from producers.models import ProducerPage
from products.models import ProductPage
from tests.producer_accounts_helpers import edit_form_data, edit_url

pytest_plugins = ["tests.producer_accounts_fixtures"]


def submit(producer, page, **changes):
    """Producer `producer` edits `page` and submits it for moderation."""
    data = edit_form_data(producer.client, page, **changes, **{"action-submit": "1"})
    return producer.client.post(edit_url(page), data)


def assert_nothing_saved(page, revision_id: int) -> None:
    page.refresh_from_db()
    assert page.latest_revision_id == revision_id
    assert not page.has_unpublished_changes
    assert not page.workflow_in_progress


def certificate(**fields) -> dict:
    return {
        "stars": "4",
        "score": "",
        "decision_number": "1032/QĐ-UBND",
        "product_group": "",
        "issuing_level": "province",
        "issuing_body": "UBND tỉnh Quảng Nam",
        "issue_date": "2024-03-01",
        "expiry_date": "",
        "document": "",
        **fields,
    }


def with_certificate(**fields) -> dict[str, str]:
    return nested_form_data({"ocop_certificates": inline_formset([certificate(**fields)])})


def test_product_needs_a_price_or_price_on_request(producer_a):
    product = producer_a.product
    revision_id = product.latest_revision_id

    response = submit(producer_a, product, price_vnd="")

    assert response.status_code == 200
    assert "price_vnd" in response.context["form"].errors
    assert "Enter a price in đồng, or tick “price on request”." in response.content.decode()
    assert_nothing_saved(product, revision_id)
    assert ProductPage.objects.get(pk=product.pk).price_vnd == 120000


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"stars": "5", "issuing_level": "province"},
            "issuing_level",
            "5-star products are certified at the central level.",
        ),
        (
            {"issue_date": "2024-03-01", "expiry_date": "2024-01-01"},
            "expiry_date",
            "The expiry date must be after the issue date.",
        ),
    ],
)
def test_invalid_ocop_certificate_is_refused(producer_a, fields, field, message):
    product = producer_a.product
    revision_id = product.latest_revision_id

    response = submit(producer_a, product, **with_certificate(**fields))

    assert response.status_code == 200
    certificate_form = response.context["form"].formsets["ocop_certificates"].forms[0]
    assert field in certificate_form.errors
    assert message in response.content.decode()
    assert_nothing_saved(product, revision_id)
    assert not OcopCertificate.objects.filter(page=product).exists()


def test_valid_ocop_certificate_is_submitted(producer_a):
    # The same data with the rules respected goes through: the refusals above are the rules'.
    product = producer_a.product

    response = submit(producer_a, product, **with_certificate())

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.workflow_in_progress
    draft = product.get_latest_revision_as_object()
    assert [cert.stars for cert in draft.ocop_certificates.all()] == [4]


def test_producer_phone_must_be_vietnamese(producer_a):
    page = producer_a.page
    revision_id = page.latest_revision_id

    response = submit(producer_a, page, phone="12345")

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert "Enter a Vietnamese phone number, for example 0905 123 456." in (
        response.content.decode()
    )
    assert_nothing_saved(page, revision_id)
    assert ProducerPage.objects.get(pk=page.pk).phone == "+84905123456"


def image_bytes(fmt: str, size=(40, 30), **options) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (90, 60, 30)).save(buffer, fmt, **options)
    return buffer.getvalue()


def big_png() -> bytes:
    # Uncompressed, so just over the 10 MB limit without needing random data.
    data = image_bytes("PNG", size=(1900, 1900), compress_level=0)
    assert len(data) > 10 * 1024 * 1024
    return data


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.txt", lambda: b"not an image", "Upload a valid image."),
        ("photo.jpg", lambda: b"not an image either", "Upload a valid image."),
        ("scan.bmp", lambda: image_bytes("BMP"), "Not a supported image format."),
        ("huge.png", big_png, "This file is too big"),
    ],
)
def test_image_upload_refuses_bad_files(producer_a, name, content, message):
    images = CustomImage.objects.count()

    response = producer_a.client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Tệp hỏng",
            "description": "Tệp hỏng",
            "file": SimpleUploadedFile(name, content()),
        },
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert message in response.content.decode()
    assert CustomImage.objects.count() == images


def without_images(data: dict) -> dict:
    """The edit form's data with every gallery image marked for deletion."""
    total = int(data["gallery_images-TOTAL_FORMS"][0])
    return {**data, **{f"gallery_images-{i}-DELETE": ["1"] for i in range(total)}}


def test_a_product_needs_an_image_to_be_submitted_but_not_to_be_saved(producer_a):
    product = producer_a.product
    revision_id = product.latest_revision_id
    client = producer_a.client

    submitted = client.post(
        edit_url(product),
        without_images(edit_form_data(client, product, **{"action-submit": "1"})),
    )
    assert submitted.status_code == 200
    assert submitted.context["form"].formsets["gallery_images"].non_form_errors()
    assert_nothing_saved(product, revision_id)

    # A draft may wait for its pictures: only publishing (or submitting) needs one.
    saved = client.post(edit_url(product), without_images(edit_form_data(client, product)))
    assert saved.status_code == 302
    product.refresh_from_db()
    assert product.latest_revision_id != revision_id
    assert product.live and product.gallery_images.count() == 1  # the live version keeps it


def test_errors_are_in_vietnamese_for_a_vietnamese_admin(producer_a):
    profile = UserProfile.get_for_user(producer_a.account.user)
    profile.preferred_language = "vi"
    profile.save()

    response = submit(producer_a, producer_a.product, price_vnd="")

    assert "Nhập giá (đồng), hoặc đánh dấu" in response.content.decode()
