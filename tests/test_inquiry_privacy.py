"""`manage.py inquiries purge` anonymises old closed inquiries; `export` prints one person's."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from marketplace.inquiries import privacy
from marketplace.inquiries.models import EmailDelivery, Inquiry, InquiryItem, StatusChange
from marketplace.inquiries.status import change_status
from tests.factories import make_producer, make_product
from tests.inquiry_builders import group, submit

Status = Inquiry.Status
LONG_AGO = timezone.now() - datetime.timedelta(days=800)


@pytest.fixture
def product(site):
    producer = make_producer(site.producers, "HTX Nước mắm Điện Dương")
    return make_product(producer, "Nước mắm cá cơm", price_vnd=120_000)


def inquiry_in(product, *statuses: str, phone: str = "+84905123456", **fields) -> Inquiry:
    """An inquiry moved through `statuses` (with the notes they need), then aged."""
    result = submit(group(product.get_parent().specific, (product, 2)), phone=phone, **fields)
    [inquiry] = result.submission.inquiries.all()
    for status in statuses:
        amount = 240_000 if status == Status.CONFIRMED else None
        change_status(inquiry, status, note=f"Gọi chị Lan lúc 9 giờ ({status})", amount_vnd=amount)
    return inquiry


def age(*inquiries: Inquiry, when: datetime.datetime = LONG_AGO) -> None:
    """Make the inquiries' last change happen at `when`."""
    ids = [inquiry.pk for inquiry in inquiries]
    Inquiry.objects.filter(pk__in=ids).update(updated_at=when)
    StatusChange.objects.filter(inquiry__in=ids).update(at=when)


def purge(*args: str) -> str:
    out = StringIO()
    call_command("inquiries", "purge", *args, stdout=out)
    return out.getvalue()


def export(phone: str) -> dict:
    out = StringIO()
    call_command("inquiries", "export", "--phone", phone, stdout=out)
    return json.loads(out.getvalue())


# purge


def test_purge_anonymises_old_closed_inquiries_and_keeps_what_reports_need(product):
    inquiry = inquiry_in(
        product,
        Status.CONFIRMED,
        Status.PAID,
        Status.FULFILLED,
        email="lan@example.com",
        wished_date=datetime.date(2024, 2, 1),
    )
    EmailDelivery.objects.create(
        kind="producer_new", inquiry=inquiry, state="failed", last_error="550 lan@example.com"
    )
    age(inquiry)

    assert "Anonymised 1 inquiries, 3 status notes" in purge("--older-than", "24m")

    inquiry.refresh_from_db()
    assert inquiry.name == "—"
    assert inquiry.phone == ""
    assert inquiry.email == ""
    assert inquiry.delivery_address == ""
    assert inquiry.wished_date is None
    assert inquiry.message == ""
    assert inquiry.confirmation_note == ""
    assert inquiry.anonymised_at is not None
    # What the office reports on stays.
    assert inquiry.reference.startswith("DB-")
    assert inquiry.status == Status.FULFILLED
    assert inquiry.confirmed_amount_vnd == 240_000
    assert inquiry.producer.title == "HTX Nước mắm Điện Dương"
    [item] = InquiryItem.objects.filter(inquiry=inquiry)
    assert (item.product_title, item.quantity, item.unit_price_vnd) == (
        "Nước mắm cá cơm",
        2,
        120_000,
    )
    changes = StatusChange.objects.filter(inquiry=inquiry)
    assert [change.to_status for change in changes] == ["confirmed", "paid", "fulfilled"]
    assert {change.note for change in changes} == {""}
    assert EmailDelivery.objects.get().last_error == ""


def test_purge_leaves_open_and_recent_inquiries_alone(product):
    still_open = inquiry_in(product, Status.CONTACTED)
    recently_declined = inquiry_in(product, Status.DECLINED)
    old_declined = inquiry_in(product, Status.DECLINED)
    old_cancelled = inquiry_in(product, Status.CANCELLED)
    age(still_open, old_declined, old_cancelled)
    age(recently_declined, when=timezone.now() - datetime.timedelta(days=20))

    assert "Anonymised 2 inquiries" in purge("--older-than", "30d")

    anonymised = set(Inquiry.objects.exclude(anonymised_at=None).values_list("pk", flat=True))
    assert anonymised == {old_declined.pk, old_cancelled.pk}
    still_open.refresh_from_db()
    assert still_open.name == "Nguyễn Thị Lan"
    assert still_open.changes.get().note != ""


def test_a_recent_status_change_keeps_an_inquiry(product):
    inquiry = inquiry_in(product, Status.CANCELLED)
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=LONG_AGO)

    assert "Anonymised 0 inquiries" in purge("--older-than", "2y")


def test_purge_is_idempotent(product):
    inquiry = inquiry_in(product, Status.DECLINED)
    age(inquiry)
    purge("--older-than", "24m")
    anonymised_at = Inquiry.objects.get(pk=inquiry.pk).anonymised_at

    assert "Anonymised 0 inquiries, 0 status notes" in purge("--older-than", "24m")
    assert Inquiry.objects.get(pk=inquiry.pk).anonymised_at == anonymised_at


def test_dry_run_counts_and_changes_nothing(product):
    inquiry = inquiry_in(product, Status.DECLINED)
    age(inquiry)

    assert "Would anonymise 1 inquiries, 1 status notes" in purge("--older-than", "2y", "--dry-run")

    inquiry.refresh_from_db()
    assert inquiry.anonymised_at is None
    assert inquiry.name == "Nguyễn Thị Lan"


@pytest.mark.parametrize("age_value", ["", "24", "m", "0m", "-3d", "2 months", "24h"])
def test_purge_refuses_an_unclear_age(db, age_value):
    with pytest.raises(CommandError, match="is not an age"):
        purge(f"--older-than={age_value}")


@pytest.mark.parametrize(
    ("age_value", "expected"),
    [
        ("30d", datetime.datetime(2026, 2, 28, 12, 0)),
        ("2w", datetime.datetime(2026, 3, 16, 12, 0)),
        ("1m", datetime.datetime(2026, 2, 28, 12, 0)),  # no 30 February
        ("24M", datetime.datetime(2024, 3, 30, 12, 0)),
        ("2y", datetime.datetime(2024, 3, 30, 12, 0)),
    ],
)
def test_ages_count_calendar_months_and_years(age_value, expected):
    now = datetime.datetime(2026, 3, 30, 12, 0, tzinfo=datetime.UTC)

    assert privacy.cutoff(age_value, now) == expected.replace(tzinfo=datetime.UTC)


# export


@pytest.mark.parametrize("typed", ["0905123456", "0905 123 456", "+84 905.123.456", "84905123456"])
def test_export_finds_a_persons_inquiries_by_phone_in_any_format(product, site, typed):
    other_producer = make_producer(site.producers, "Gốm Thanh Hà")
    vase = make_product(other_producer, "Bình gốm", price_vnd=300_000)
    result = submit(
        group(product.get_parent().specific, (product, 2)),
        group(other_producer, (vase, 1)),
        email="lan@example.com",
        language="en",
    )
    first, second = result.submission.inquiries.order_by("pk")
    change_status(first, Status.CONTACTED, note="Đã gọi điện.")
    submit(group(product.get_parent().specific, (product, 1)), phone="+84912345678", name="Khác")

    data = export(typed)

    assert data["phone"] == "+84905123456"
    assert [entry["reference"] for entry in data["inquiries"]] == [
        first.reference,
        second.reference,
    ]
    entry = data["inquiries"][0]
    assert entry["producer"] == "HTX Nước mắm Điện Dương"
    assert entry["status"] == "contacted"
    assert entry["name"] == "Nguyễn Thị Lan"
    assert entry["email"] == "lan@example.com"
    assert entry["delivery_address"] == "12 Trần Phú"
    assert entry["message"] == "Xin giao trước Tết."
    assert entry["language"] == "en"
    assert entry["items"] == [
        {
            "product": "Nước mắm cá cơm",
            "unit": "chai 500 ml",
            "unit_price_vnd": 120_000,
            "quantity": 2,
        }
    ]
    assert entry["status_changes"][0]["to"] == "contacted"
    assert entry["status_changes"][0]["note"] == "Đã gọi điện."
    assert data["inquiries"][1]["producer"] == "Gốm Thanh Hà"


def test_export_prints_vietnamese_as_it_is(product):
    inquiry_in(product)
    out = StringIO()

    call_command("inquiries", "export", "--phone", "0905123456", stdout=out)

    assert '"name": "Nguyễn Thị Lan"' in out.getvalue()


def test_export_of_an_unknown_number_is_empty(db):
    assert export("0905999888")["inquiries"] == []


def test_export_refuses_what_is_not_a_vietnamese_number(db):
    with pytest.raises(CommandError, match="not a Vietnamese phone number"):
        export("12345")


def test_anonymised_inquiries_are_no_longer_found(product):
    inquiry = inquiry_in(product, Status.DECLINED)
    age(inquiry)
    purge("--older-than", "24m")

    assert export("0905123456")["inquiries"] == []
