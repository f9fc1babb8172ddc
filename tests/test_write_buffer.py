"""The write buffer (marketplace.core.write_buffer): when it flushes, what it keeps, and
flushes of several processes at once adding up (on PostgreSQL, each thread on its own
connection, as worker processes would)."""

import datetime
import time
import uuid

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from marketplace.core import write_buffer
from marketplace.office.reports.counting import View, write_views
from marketplace.office.reports.models import ProductViewCount
from search import service
from search.models import SearchQueryLog
from tests.concurrency_helpers import at_once
from tests.factories import make_producer, make_product

parallel = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def written() -> list:
    return []


@pytest.fixture
def buffer(written):
    """A buffer whose write refuses "refuse" and asks to keep "again"."""

    def write(entries: list) -> list:
        if "refuse" in entries:
            raise OperationalError("the database is restarting")
        written.append(list(entries))
        return [entry for entry in entries if entry == "again"]

    buffer = write_buffer.WriteBuffer("test", write)
    yield buffer
    write_buffer._buffers.remove(buffer)


@pytest.mark.django_db
def test_a_buffer_is_due_when_old_or_full(buffer, written, settings):
    settings.WRITE_BUFFER_SECONDS, settings.WRITE_BUFFER_ENTRIES = 30, 3
    buffer.add("a")
    buffer.add("b")
    write_buffer.flush_due()
    assert written == [] and not buffer.is_due()

    buffer.add("c")
    write_buffer.flush_due()
    assert written == [["a", "b", "c"]]

    settings.WRITE_BUFFER_SECONDS = 0
    buffer.add("d")
    write_buffer.flush_due()
    assert written[-1] == ["d"]


@pytest.mark.django_db
def test_refused_entries_wait_and_returned_ones_are_kept(buffer, written, settings):
    settings.WRITE_BUFFER_SECONDS = 0
    buffer.add("refuse")
    buffer.flush()
    assert len(buffer) == 1 and written == []

    buffer.take()
    buffer.add("again")
    buffer.add("once")
    buffer.flush()
    assert written == [["again", "once"]] and len(buffer) == 1


@pytest.mark.django_db
def test_an_outage_cannot_fill_the_memory(buffer, settings):
    settings.WRITE_BUFFER_ENTRIES = 2
    for number in range(write_buffer.KEPT_FACTOR * 2 + 5):
        buffer.add(number)

    assert buffer.take()[0] == 5  # the oldest were dropped


@parallel
def test_a_timer_flushes_an_idle_process(buffer, written, settings):
    settings.WRITE_BUFFER_SECONDS, settings.WRITE_BUFFER_TIMER = 0.2, True
    buffer.add("a")
    deadline = time.monotonic() + 10
    while not written and time.monotonic() < deadline:
        time.sleep(0.05)

    assert written == [["a"]] and len(buffer) == 0


# Several processes flushing at once. ----------------------------------------------------


@parallel
def test_parallel_flushes_of_the_same_days_lose_no_view(postgresql, site):
    producer = make_producer(site.producers)
    products = [make_product(producer), make_product(producer)]
    days = [datetime.date(2026, 6, 1), datetime.date(2026, 6, 2)]
    views = [View(p.pk, p.translation_key, day) for p in products for day in days]

    def flush(number: int) -> None:
        # Each process holds every product and day, in its own order.
        entries = views * (number + 1)
        entries = entries[::-1] if number % 2 else entries
        with transaction.atomic():
            write_views(entries)

    at_once(flush, range(8))

    per_row = sum(range(1, 9))
    assert sorted(ProductViewCount.objects.values_list("views", flat=True)) == [per_row] * 4


@parallel
def test_parallel_flushes_of_clicks_on_one_search_lose_none(postgresql):
    search_id = uuid.uuid4()
    SearchQueryLog.objects.create(
        query="gốm",
        language="vi",
        result_count=3,
        duration_ms=5,
        backend="database",
        search_id=search_id,
    )
    now = timezone.now()

    def flush(number: int) -> None:
        with transaction.atomic():
            service.count_clicks([service.Click(search_id, now)] * (number + 1))

    at_once(flush, range(8))

    assert SearchQueryLog.objects.get().clicks == sum(range(1, 9))
