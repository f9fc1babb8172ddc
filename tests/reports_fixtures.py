"""Known activity for the report tests: producers in two localities, inquiries over months.

Its fixtures are loaded by tests/conftest.py; use with
`pytest_plugins = ["tests.producer_accounts_fixtures"]`.
Inquiries are saved with explicit times and status changes, so every number a report
shows can be computed again in the test from `Activity.inquiries`.
"""

import csv
import datetime
import io
import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from marketplace.inquiries.models import Inquiry, InquiryItem, StatusChange, Submission
from producers.models import ProducerPage
from products.models import ProductPage
from tests.factories import category, make_locality, make_producer, make_product

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
# The reports' default period ends "today": the tests live on this day.
TODAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=LOCAL)
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LOCAL)


@dataclass(frozen=True)
class Change:
    to_status: str
    hours: float  # after the inquiry was sent
    source: str = ""


@dataclass
class InquirySpec:
    producer: ProducerPage
    items: list[tuple[ProductPage, int]]
    sent: datetime.datetime
    changes: list[Change] = field(default_factory=list)
    payment_method: str = ""
    inquiry: Inquiry | None = None


def save_inquiry(spec: InquirySpec) -> Inquiry:
    """The inquiry and its status changes as the flow would have left them."""
    n = next(_numbers)
    status = spec.changes[-1].to_status if spec.changes else Inquiry.Status.NEW
    inquiry = Inquiry.objects.create(
        reference=f"DB-TEST-{n}",
        submission=Submission.objects.create(key=f"report-{n}"),
        producer=spec.producer,
        status=status,
        name="Nguyễn Thị Lan",
        phone="+84905123456",
        consent_at=spec.sent,
        created_at=spec.sent,
        payment_method=spec.payment_method,
    )
    for product, quantity in spec.items:
        InquiryItem.objects.create(
            inquiry=inquiry,
            product=product,
            product_title=product.title,
            unit=product.unit,
            quantity=quantity,
        )
    previous = Inquiry.Status.NEW
    for change in spec.changes:
        StatusChange.objects.create(
            inquiry=inquiry,
            from_status=previous,
            to_status=change.to_status,
            source=change.source,
            note="Đã gọi điện.",
            at=spec.sent + datetime.timedelta(hours=change.hours),
        )
        previous = change.to_status
    spec.inquiry = inquiry
    return inquiry


@dataclass
class Activity:
    producers: dict[str, ProducerPage]
    products: dict[str, ProductPage]
    inquiries: list[InquirySpec]


@pytest.fixture
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def activity(site, travel) -> Activity:
    duong = make_locality("Điện Dương", "dien-duong")
    phuong = make_locality("Điện Phương", "dien-phuong")
    producers = {
        "sauce": make_producer(site.producers, "HTX Nước mắm Cửa Đại", locality=duong),
        "wine": make_producer(site.producers, "HTX Rượu Gò Nổi", locality=duong),
        "mat": make_producer(site.producers, "Cơ sở Chiếu cói <Bàn Thạch>", locality=phuong),
    }
    products = {
        "sauce": make_product(producers["sauce"], "Nước mắm nhĩ", category=category("thuc-pham")),
        "wine": make_product(producers["wine"], "Rượu nếp", category=category("do-uong")),
        "cake": make_product(producers["wine"], "Bánh tráng", category=category("thuc-pham")),
        "mat": make_product(producers["mat"], "Chiếu cói", category=category("thu-cong-my-nghe")),
    }
    S = Inquiry.Status
    specs = [
        # Replied in 2 hours, confirmed, paid by card (Stripe), fulfilled.
        InquirySpec(
            producers["sauce"],
            [(products["sauce"], 10)],
            at(2026, 1, 10),
            [
                Change(S.CONTACTED, 2),
                Change(S.CONFIRMED, 5),
                Change(S.PAID, 6, source="stripe"),
                Change(S.FULFILLED, 30),
            ],
            payment_method="card",
        ),
        # Declined after 30 minutes.
        InquirySpec(
            producers["sauce"], [(products["sauce"], 3)], at(2026, 1, 20), [Change(S.DECLINED, 0.5)]
        ),
        # Never answered.
        InquirySpec(producers["sauce"], [(products["sauce"], 1)], at(2026, 3, 2)),
        # Two product groups in one inquiry; confirmed after 3 days, not paid yet.
        InquirySpec(
            producers["wine"],
            [(products["wine"], 2), (products["cake"], 5)],
            at(2026, 3, 15),
            [Change(S.CONFIRMED, 72)],
        ),
        # Paid by cash, then cancelled with a refund: it did reach confirmed and paid.
        InquirySpec(
            producers["wine"],
            [(products["wine"], 1)],
            at(2026, 5, 1),
            [Change(S.CONTACTED, 10), Change(S.CONFIRMED, 20), Change(S.PAID, 40)]
            + [Change(S.CANCELLED, 50)],
            payment_method="cash",
        ),
        # A payment event before any person answered does not count as a reply.
        InquirySpec(
            producers["mat"],
            [(products["mat"], 4)],
            at(2026, 5, 20),
            [Change(S.CONTACTED, 1, source="stripe"), Change(S.CONFIRMED, 8)],
        ),
        # June locally, still May in UTC: months are the office's local months.
        InquirySpec(
            producers["mat"], [(products["mat"], 2)], at(2026, 6, 1, 2), [Change(S.CONTACTED, 26)]
        ),
        # Before the default period (twelve months up to today): left out unless asked for.
        InquirySpec(
            producers["mat"], [(products["mat"], 7)], at(2025, 6, 20), [Change(S.CONTACTED, 1)]
        ),
    ]
    for spec in specs:
        save_inquiry(spec)
    return Activity(producers, products, specs)


def export_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content)))


def export_xlsx(response) -> list[list]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


class TableParser(HTMLParser):
    """The text of each cell of the report table's body rows (not the admin's other tables)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._in_listing = False
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._in_listing = "listing" in (dict(attrs).get("class") or "").split()
        elif tag == "tbody" and self._in_listing:
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []
        elif self._cell is not None and tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser.rows


def table_links(response) -> list[str]:
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser.links


def local_month(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")
