"""Spreadsheets for the bulk import tests: rows as dicts, written as .xlsx or .csv bytes."""

import csv
import io
import signal
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from openpyxl import Workbook

from marketplace.office.bulk.columns import COLUMNS
from tests.factories import make_locality


def producer_row(external_id: str = "P1", **values) -> dict:
    return {
        "external_id": external_id,
        "title": f"HTX Nước mắm {external_id}",
        "legal_form": "cooperative",
        "locality": "dien-duong",
        "address": "Thôn 1",
        "phone": "0905 123 456",
        **values,
    }


def product_row(external_id: str = "SP1", producer: str = "P1", **values) -> dict:
    return {
        "external_id": external_id,
        "producer_external_id": producer,
        "title": f"Nước mắm cá cơm {external_id}",
        "category": "thuc-pham",
        "short_description": "Nước mắm truyền thống.",
        "price_vnd": 120000,
        "unit": "chai 500 ml",
        "ocop_stars": 4,
        "ocop_decision_number": f"{external_id}/QĐ-UBND",
        "ocop_issuing_level": "province",
        "ocop_issuing_body": "UBND tỉnh Quảng Nam",
        "ocop_issue_date": "15/03/2024",
        **values,
    }


def xlsx_workbook(producers: list[dict] | None = None, products: list[dict] | None = None):
    """A workbook with the sheets given, with every column of the import in the header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, rows in (("producers", producers), ("products", products)):
        if rows is None:
            continue
        sheet = workbook.create_sheet(kind)
        header = [column.name for column in COLUMNS[kind]]
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(name) for name in header])
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(producers: list[dict] | None = None, products: list[dict] | None = None) -> bytes:
    return workbook_bytes(xlsx_workbook(producers, products))


def csv_text(kind: str, rows: list[dict], header: list[str] | None = None) -> str:
    header = header or [column.name for column in COLUMNS[kind]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class LimitExceeded(BaseException):
    """Raised inside a `bounded` block: a BaseException, so that no `except Exception`
    of the code under test can take it for a file it failed to read."""


@contextmanager
def bounded(seconds: float, megabytes: float | None = None) -> Iterator[None]:
    """Fail the test when the block runs longer, or (when megabytes is given) allocates
    more at its peak, than this: a file that makes the import hang or fill the memory
    stops it, not CI. Measuring memory (tracemalloc) makes Python several times slower:
    only for the files whose harm is memory."""

    def out_of_time(signum, frame):
        raise LimitExceeded(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    if megabytes is not None:
        tracemalloc.start()
    try:
        yield
    except LimitExceeded as error:
        # A failure of its own: the interrupted frames' traceback can lack line numbers,
        # which pytest cannot show.
        pytest.fail(str(error), pytrace=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if megabytes is not None:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    if megabytes is not None:
        assert peak < megabytes * 2**20, f"allocated {peak / 2**20:.0f} MB at its peak"


@pytest.fixture(name="places")
def places_fixture(site) -> None:
    """The locality the rows name (the OCOP categories come with the migrations).

    Import `places_fixture` into a test module to use the `places` fixture.
    """
    make_locality()
