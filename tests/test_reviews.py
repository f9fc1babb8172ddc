"""Reviews by the buyers of fulfilled inquiries: who may write one, what is stored (a first
name, a photo without metadata), the producer's reply, the office's hiding, and what the
product page and its JSON-LD show."""

import datetime
import io
import json
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image as PILImage

from marketplace.demo.reviews import ensure_demo_reviews
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.privacy import purge
from marketplace.inquiries.status import change_status
from marketplace.reviews import moderation
from marketplace.reviews.models import Review
from marketplace.reviews.names import first_name
from marketplace.reviews.photos import clean_copy
from marketplace.reviews.writing import write_review
from tests.factories import en, vi
from tests.inquiry_admin_helpers import make_inquiry, set_status
from tests.producer_accounts_helpers import is_denied
from tests.public_pages_fixtures import translate_page

pytest_plugins = ["tests.producer_accounts_fixtures"]

Status = Inquiry.Status


# Helpers


def fulfilled(producer, **contact) -> Inquiry:
    """An inquiry for the producer's product, sent in Vietnamese and fulfilled."""
    return set_status(make_inquiry(producer, **contact), Status.FULFILLED)


def review_url(inquiry: Inquiry, item=None, language: str = "vi") -> str:
    item = item or inquiry.items.get()
    with translation.override(language):
        return reverse("reviews:write", kwargs={"token": inquiry.token, "item_id": item.pk})


def tracking_url(inquiry: Inquiry) -> str:
    with translation.override(inquiry.language):
        return reverse("inquiries:track", kwargs={"token": inquiry.token})


def photo(fmt: str = "JPEG", size=(800, 600), exif: bytes | None = None, name=None):
    buffer = io.BytesIO()
    image = PILImage.new("RGB" if fmt != "PNG" else "1", size, "white")
    kwargs = {"exif": exif} if exif else {}
    image.save(buffer, fmt, **kwargs)
    buffer.seek(0)
    buffer.name = name or f"photo.{fmt.lower().replace('jpeg', 'jpg')}"
    return buffer


def post_review(client: Client, inquiry: Inquiry, **data):
    fields = {"rating": "5", "text": "Nước mắm thơm, đóng chai cẩn thận.", "shown_name": "Lan"}
    fields.update(data)
    return client.post(review_url(inquiry), {k: v for k, v in fields.items() if v is not None})


def product_html(client: Client, product) -> str:
    response = client.get(product.url)
    assert response.status_code == 200
    return response.content.decode()


def json_ld_product(html: str) -> dict:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "Product":
            return data
    raise AssertionError("no Product JSON-LD")


def form_errors(response) -> dict:
    return response.context["form"].errors


# The shown name


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("Nguyễn Thị Lan", "vi", "Lan"),
        ("Trần Văn Minh", "vi", "Minh"),
        ("Emma Clarke", "en", "Emma"),
        ("  Jean-Luc   Picard ", "en", "Jean-Luc"),
        ("—", "vi", ""),  # an anonymised inquiry
        ("", "en", ""),
    ],
)
def test_the_shown_name_is_the_given_name_as_the_language_writes_names(name, language, expected):
    assert first_name(name, language) == expected


# Who may review what


@pytest.mark.django_db
def test_a_fulfilled_inquiry_offers_a_review_and_the_review_is_saved(client, producer_a):
    inquiry = fulfilled(producer_a)
    track = client.get(tracking_url(inquiry)).content.decode()
    assert review_url(inquiry) in track

    form = client.get(review_url(inquiry))
    assert form.status_code == 200
    assert form.context["form"]["shown_name"].value() == "Lan"
    response = post_review(client, inquiry, rating="4")

    assert response.status_code == 302
    assert response.url == tracking_url(inquiry) + "#reviews-heading"
    review = Review.objects.get()
    assert (review.rating, review.display_name, review.language) == (4, "Lan", "vi")
    assert review.product_key == producer_a.product.translation_key
    assert review.photo is None
    # The tracking page now shows the review written, not the form's link as a button.
    track = client.get(tracking_url(inquiry)).content.decode()
    assert "review-offer__state" in track


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.FULFILLED])
def test_only_a_fulfilled_inquiry_can_be_reviewed(client, producer_a, status):
    inquiry = set_status(make_inquiry(producer_a), status)

    assert review_url(inquiry) not in client.get(tracking_url(inquiry)).content.decode()
    assert client.get(review_url(inquiry)).status_code == 403
    assert post_review(client, inquiry).status_code == 403
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_the_secret_token_and_an_item_of_that_inquiry_are_required(client, producer_a, producer_b):
    inquiry = fulfilled(producer_a)
    other = fulfilled(producer_b)
    item = inquiry.items.get()

    with translation.override("vi"):
        wrong_token = reverse("reviews:write", kwargs={"token": "x" * 32, "item_id": item.pk})
        other_item = reverse(
            "reviews:write", kwargs={"token": inquiry.token, "item_id": other.items.get().pk}
        )
    for url in (wrong_token, other_item):
        assert client.get(url).status_code == 404
        assert client.post(url, {"rating": "5", "shown_name": "Lan"}).status_code == 404
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_one_review_per_product_per_inquiry(client, producer_a):
    inquiry = fulfilled(producer_a)
    assert post_review(client, inquiry).status_code == 302

    again = post_review(client, inquiry, rating="1", text="Đổi ý")

    assert again.status_code == 409
    review = Review.objects.get()
    assert review.rating == 5


@pytest.mark.django_db
def test_the_database_refuses_a_second_review_and_bad_ratings(producer_a):
    inquiry = fulfilled(producer_a)
    item = inquiry.items.get()
    write_review(inquiry, item, rating=5, text="", shown_name="Lan")
    key = producer_a.product.translation_key

    def create(**fields):
        values = {"inquiry": inquiry, "item": item, "product_key": key, "rating": 3}
        values |= {"language": "vi", "display_name": "Lan", **fields}
        with pytest.raises(IntegrityError), transaction.atomic():
            Review.objects.create(**values)

    create()  # the same product of the same inquiry
    other = fulfilled(producer_a)
    create(inquiry=other, item=other.items.get(), rating=0)
    create(inquiry=other, item=other.items.get(), rating=6)
    create(inquiry=other, item=other.items.get(), hidden_at="2026-01-01T00:00:00Z")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "shown_name", ["Nguyễn Thị Lan", "nguyễn thị lan", "0905123456", "lan@example.com", ""]
)
def test_the_shown_name_is_a_first_name_only(client, producer_a, shown_name):
    inquiry = fulfilled(producer_a)

    response = post_review(client, inquiry, shown_name=shown_name)

    assert response.status_code == 200
    assert "shown_name" in form_errors(response)
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_bad_rating_is_refused_with_a_message(client, producer_a):
    inquiry = fulfilled(producer_a)
    for rating in ("0", "6", "abc", None):
        response = post_review(client, inquiry, rating=rating)
        assert response.status_code == 200
        assert "rating" in form_errors(response)
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_reviews_are_rate_limited(client, producer_a, settings):
    settings.REVIEW_RATE_LIMIT = (2, 600)
    inquiry = fulfilled(producer_a)
    assert post_review(client, inquiry, rating="9").status_code == 200
    assert post_review(client, inquiry, rating="9").status_code == 200

    limited = post_review(client, inquiry)

    assert limited.status_code == 429
    assert "Retry-After" in limited
    assert not Review.objects.exists()


# Photos


def exif_with_gps() -> bytes:
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (15.0, 52.0, 30.0), 3: "E", 4: (108.0, 15.0, 0.0)}  # GPSInfo
    return exif.tobytes()


@pytest.mark.django_db
def test_a_photo_is_stored_without_its_metadata(client, producer_a):
    inquiry = fulfilled(producer_a)
    upload = photo(size=(3000, 2000), exif=exif_with_gps(), name="IMG_20260101_Nguyen_Thi_Lan.jpg")
    with PILImage.open(photo(exif=exif_with_gps())) as original:
        assert original.getexif()  # the test photo does carry EXIF

    assert post_review(client, inquiry, photo=upload).status_code == 302

    image = Review.objects.get().photo
    assert image.collection.name == "Reviews"
    assert "Nguyen" not in image.file.name and "IMG_" not in image.file.name
    with image.file.open() as stored, PILImage.open(stored) as saved:
        assert not saved.getexif()
        assert "exif" not in saved.info
        assert max(saved.size) == 1600
    assert image.description and image.description_en


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (lambda: io.BytesIO(b"not an image at all"), "type"),
        (lambda: photo("GIF", name="photo.gif"), "type"),
        (lambda: photo("PNG", name="photo.jpg"), "type"),  # extension and content disagree
        (lambda: photo("PNG", size=(12_000, 12_000)), "pixels"),  # a decompression bomb
        (lambda: photo("PNG", size=(11_000, 10)), "pixels"),  # an absurd side
    ],
    ids=["text", "gif", "mismatch", "bomb", "side"],
)
def test_bad_photos_are_refused_with_a_message(client, producer_a, upload, problem):
    inquiry = fulfilled(producer_a)
    file = upload()
    if not getattr(file, "name", None):
        file.name = "photo.jpg"

    response = post_review(client, inquiry, photo=file)

    assert response.status_code == 200
    [message] = form_errors(response)["photo"]
    assert message
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_an_oversized_photo_is_refused(client, producer_a, settings):
    settings.REVIEW_PHOTO_MAX_BYTES = 1000
    inquiry = fulfilled(producer_a)

    response = post_review(client, inquiry, photo=photo(size=(400, 400)))

    assert response.status_code == 200
    assert "photo" in form_errors(response)
    assert not Review.objects.exists()


# The product page and its structured data


@pytest.mark.django_db
def test_the_product_page_shows_reviews_and_their_average_in_every_language(client, producer_a):
    translate_page(producer_a.page, title="Fish sauce A", slug="fish-sauce-a")
    product_en = translate_page(producer_a.product, title="Anchovy sauce", slug="anchovy-sauce")
    for rating, text in ((5, "Rất ngon"), (4, "")):
        inquiry = fulfilled(producer_a)
        write_review(inquiry, inquiry.items.get(), rating=rating, text=text, shown_name="Lan")

    vi_page = product_html(client, producer_a.product)
    en_page = product_html(client, product_en)

    for html in (vi_page, en_page):
        assert 'id="reviews-heading"' in html
        assert html.count('class="review"') == 2
        assert "Rất ngon" in html and 'lang="vi"' in html
    assert "4.5 out of 5, from 2 reviews" in en_page
    assert "Written in Vietnamese" in en_page
    assert "review__language" not in vi_page  # the Vietnamese page needs no note


@pytest.mark.django_db
def test_json_ld_carries_the_rating_and_reviews_only_when_there_are_some(client, producer_a):
    assert "aggregateRating" not in json_ld_product(product_html(client, producer_a.product))
    inquiry = fulfilled(producer_a)
    write_review(inquiry, inquiry.items.get(), rating=4, text="Thơm <ngon> & đậm", shown_name="Lan")
    other = fulfilled(producer_a)
    write_review(other, other.items.get(), rating=5, text="", shown_name="Minh")

    data = json_ld_product(product_html(client, producer_a.product))

    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.5",
        "reviewCount": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    minh, lan = data["review"]
    assert lan["author"] == {"@type": "Person", "name": "Lan"}
    assert lan["reviewRating"]["ratingValue"] == 4
    assert lan["reviewBody"] == "Thơm <ngon> & đậm"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lan["datePublished"])
    assert "reviewBody" not in minh
    for review in data["review"]:
        assert "Nguyễn" not in json.dumps(review, ensure_ascii=False)


@pytest.mark.django_db
def test_the_product_page_makes_the_same_queries_for_one_review_or_many(
    client, producer_a, no_page_cache
):
    def add_review(with_photo: bool) -> None:
        inquiry = fulfilled(producer_a)
        upload = photo(size=(300, 200)) if with_photo else None
        write_review(
            inquiry,
            inquiry.items.get(),
            rating=5,
            text="Ngon",
            shown_name="Lan",
            photo=clean_copy(upload) if upload else None,
        )

    add_review(True)
    client.get(producer_a.product.url)  # renditions, settings
    with CaptureQueriesContext(connection) as one:
        client.get(producer_a.product.url)
    for n in range(8):
        add_review(n % 2 == 0)
    client.get(producer_a.product.url)
    with CaptureQueriesContext(connection) as many:
        html = client.get(producer_a.product.url).content.decode()

    assert html.count('class="review"') == 9
    assert len(many) <= len(one)


# The producer's reply and the office's moderation


def admin_detail(review: Review) -> str:
    return reverse("reviews_admin:detail", args=[review.pk])


def admin_action(review: Review, action: str) -> str:
    return reverse(f"reviews_admin:{action}", args=[review.pk])


@pytest.fixture
def review(producer_a) -> Review:
    inquiry = fulfilled(producer_a)
    return write_review(inquiry, inquiry.items.get(), rating=2, text="Hơi mặn", shown_name="Lan")


@pytest.mark.django_db
def test_the_producer_replies_once_and_the_reply_is_public(client, producer_a, review):
    listing = producer_a.client.get(reverse("reviews_admin:index"))
    assert listing.status_code == 200
    assert review.item.product_title in listing.content.decode()
    assert producer_a.client.get(admin_detail(review)).status_code == 200

    response = producer_a.client.post(admin_action(review, "reply"), {"reply": "Cảm ơn chị!"})
    assert response.status_code == 302
    again = producer_a.client.post(admin_action(review, "reply"), {"reply": "Sửa lại"})
    assert again.status_code == 302

    review.refresh_from_db()
    assert review.reply == "Cảm ơn chị!"
    assert "Cảm ơn chị!" in product_html(client, producer_a.product)


@pytest.mark.django_db
def test_another_producer_can_neither_see_nor_reply(producer_a, producer_b, review):
    client = producer_b.client
    assert (
        review.item.product_title not in client.get(reverse("reviews_admin:index")).content.decode()
    )
    assert client.get(admin_detail(review)).status_code == 404
    assert client.post(admin_action(review, "reply"), {"reply": "Spam"}).status_code == 404
    assert client.post(admin_action(review, "hide"), {"reason": "x"}).status_code == 404
    review.refresh_from_db()
    assert not review.reply and not review.is_hidden


@pytest.mark.django_db
def test_the_office_hides_but_does_not_reply(client, office_client, producer_a, review):
    other = fulfilled(producer_a)
    write_review(other, other.items.get(), rating=5, text="Tuyệt", shown_name="Minh")
    assert "3.5" in json.dumps(json_ld_product(product_html(client, producer_a.product)))

    assert is_denied(office_client.post(admin_action(review, "reply"), {"reply": "x"}))
    assert office_client.post(admin_action(review, "hide"), {"reason": ""}).status_code == 200
    assert not Review.objects.get(pk=review.pk).is_hidden
    response = office_client.post(admin_action(review, "hide"), {"reason": "Lời lẽ xúc phạm"})
    assert response.status_code == 302

    html = product_html(client, producer_a.product)
    assert "Hơi mặn" not in html and "Tuyệt" in html
    data = json_ld_product(html)
    assert data["aggregateRating"]["reviewCount"] == 1
    assert data["aggregateRating"]["ratingValue"] == "5.0"
    # The consumer and the producer see it was hidden, and why.
    own = client.get(review_url(review.inquiry)).content.decode()
    assert "Lời lẽ xúc phạm" in own
    assert "Lời lẽ xúc phạm" in producer_a.client.get(admin_detail(review)).content.decode()
    hidden = producer_a.client.get(reverse("reviews_admin:index") + "?hidden=true")
    assert review.item.product_title in hidden.content.decode()

    assert is_denied(producer_a.client.post(admin_action(review, "show")))
    assert office_client.post(admin_action(review, "show")).status_code == 302
    assert "Hơi mặn" in product_html(client, producer_a.product)


@pytest.mark.django_db
def test_a_second_reply_is_refused_by_the_service(producer_a, review):
    moderation.reply(review, "Cảm ơn", producer_a.account.user)

    with pytest.raises(ValidationError):
        moderation.reply(review, "Lần hai", producer_a.account.user)


# Email and privacy


@pytest.mark.django_db
def test_the_fulfilled_email_offers_a_review_link(producer_a, django_capture_on_commit_callbacks):
    inquiry = set_status(make_inquiry(producer_a), Status.PAID)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change_status(inquiry, Status.FULFILLED)

    [message] = [m for m in mail.outbox if "lan@example.com" in m.to]
    html = message.alternatives[0][0]
    assert review_url(inquiry) in message.body
    assert review_url(inquiry) in html


@pytest.mark.django_db
def test_anonymising_the_inquiry_keeps_only_the_first_name(client, producer_a, review):
    purge(timezone.now() + datetime.timedelta(days=1))

    inquiry = Inquiry.objects.get(pk=review.inquiry_id)
    assert inquiry.anonymised_at and inquiry.phone == "" and inquiry.name == "—"
    review.refresh_from_db()
    assert review.display_name == "Lan"
    assert "Lan" in product_html(client, producer_a.product)
    assert "Nguyễn" not in product_html(client, producer_a.product)


# The demo


@pytest.mark.django_db
def test_the_demo_reviews_show_on_the_product_pages_and_load_once(client, producer_a):
    made = ensure_demo_reviews(vi(), en())

    assert made == 3  # the one product gets the first three demo reviews
    html = product_html(client, producer_a.product)
    assert html.count('class="review"') == 3
    assert "aggregateRating" in json_ld_product(html)
    assert Review.objects.exclude(reply="").exists()
    assert Review.objects.exclude(photo=None).count() == 1
    assert ensure_demo_reviews(vi(), en()) == 0
